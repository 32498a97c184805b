// A cohort run whose alleles come from the vault's cohort index instead of every consented
// sample's calls. The consent decisions and the clinical filters pick the patients first (the same
// compiled SQL, run over the samples alone); only those patients' samples are passed to the index
// as the allowed samples, and the carriers it names are mapped back to patients. The answers then
// apply the same disclosure rules to the same patient sets as on the per-sample path. Records read
// each carrier's call of each allele (its zygosity) from the index's rows for the locus: a gene or
// a bounded region, held by the index's windows one at a time within the engine's memory budget.
import type { CohortIndexPort, CohortIndexRequest, CohortRecord, CohortVariantAggregate } from '../../schemas/cohort-index.ts';
import type { GenomeBuildName } from '../../schemas/genome-build.ts';
import type { CohortCalls, CohortLocus } from '../ports.ts';
import type { CohortFilters } from './compile-query.ts';
import { madeFromRanks } from '../projects/described-sets.ts';
import { strongerCall, type AlleleCarriers, type Carrier, type CohortRun } from './run-cohort.ts';

/** The locus as the index's target. */
function targetOf(locus: CohortLocus): CohortIndexRequest['target'] {
  if (locus.kind === 'gene') return { gene: locus.symbol };
  if (locus.kind === 'region') return { region: { chrom: locus.chrom, start: locus.start, end: locus.end } };
  return { variant: { chrom: locus.chrom, pos: locus.pos, ref: locus.ref, alt: locus.alt } };
}

/** Whether the index answers for this build: it holds every sample of it. */
export function indexAnswers(index: CohortIndexPort | undefined, build: string): index is CohortIndexPort {
  return index !== undefined && index.builds().includes(build);
}

/**
 * `run`: the run over the samples alone (base, demographics, coverage), which this completes with
 * the locus's alleles among the base and, for `coverage`, the base patients not covering them; for
 * `patients`, only the base patients carrying any of the alleles (the index's count, one pass).
 */
export async function indexedRun(index: CohortIndexPort, run: CohortRun, samples: CohortCalls['samples'], locus: CohortLocus, filters: CohortFilters, needs: 'carriers' | 'coverage' | 'patients'): Promise<CohortRun> {
  const { cohort, request } = indexRequest(run, samples, locus, filters);
  if (needs === 'patients') {
    // the carriers alone, as positions in the request (one statement, no text mapping)
    const answer = await index.carriers(request);
    return { ...run, chrom: answer.region.chrom, alleles: [], carrierPatients: patientsAtPositions(run, cohort, answer.carrierPositions), notCovering: new Map<number, Set<string>>() };
  }
  const coverage = needs === 'coverage';
  const answer = await index.aggregate({ ...request, ...(coverage && { notCovering: true }) });
  const copies = new Uint8Array(run.base.length);
  const alleles = answer.variants.map((v) => carriersOf(v, run, cohort, copies));
  return { ...run, chrom: answer.region.chrom, alleles, notCovering: coverage ? notCoveringPatients(answer.variants, run, cohort) : new Map<number, Set<string>>() };
}

/** The records level: each carrier patient of each allele with the call the per-sample SQL keeps (most copies, then zygosity as text). */
export async function indexedRecordsRun(index: CohortIndexPort, run: CohortRun, samples: CohortCalls['samples'], locus: CohortLocus, filters: CohortFilters): Promise<CohortRun> {
  const { patientOf, request } = indexRequest(run, samples, locus, filters);
  const answer = await index.records(request);
  return { ...run, chrom: answer.region.chrom, alleles: allelesOf(answer.records, patientOf) };
}

/** The base patients' samples as the index takes them, worked out once per cohort run (a project asks many questions of one cohort). */
interface IndexedCohort {
  allowed: CohortCalls['samples'];
  sampleIds: readonly string[];
  patientOf: Map<string, string>;
  /** by position in `sampleIds`, the position of its patient in the run's sorted base */
  rankAt: Int32Array;
}

const indexedCohorts = new WeakMap<CohortRun, WeakMap<CohortCalls['samples'], IndexedCohort>>();

function indexedCohort(run: CohortRun, samples: CohortCalls['samples']): IndexedCohort {
  let bySamples = indexedCohorts.get(run);
  if (!bySamples) indexedCohorts.set(run, (bySamples = new WeakMap()));
  let cohort = bySamples.get(samples);
  if (cohort) return cohort;
  const rankOfPatient = new Map(run.base.map((id, i) => [id, i]));
  const allowed = samples.filter((s) => rankOfPatient.has(s.patientId));
  cohort = {
    // frozen: the index then knows the list by identity on the next question (no check of every id again)
    allowed, sampleIds: Object.freeze(allowed.map((s) => s.sampleId)),
    patientOf: new Map(allowed.map((s) => [s.sampleId, s.patientId])),
    rankAt: Int32Array.from(allowed, (s) => rankOfPatient.get(s.patientId)!),
  };
  bySamples.set(samples, cohort);
  return cohort;
}

/** The index never names a sample it was not asked about: one it does is a fault, not a patient. */
const outsideRequest = () => new Error('cohort index: a carrier outside the samples asked about');

/** The base patients carrying any of the samples at these positions of the cohort's sample ids, sorted (marked by rank, then read in rank order: no sort, no text comparison). */
function patientsAtPositions(run: CohortRun, cohort: IndexedCohort, positions: Int32Array): string[] {
  const marked = new Uint8Array(run.base.length);
  for (const p of positions) marked[rankAt(cohort, p)] = 1;
  const out: string[] = [];
  const ranks: number[] = [];
  for (let rank = 0; rank < marked.length; rank++) {
    if (marked[rank] === 1) {
      out.push(run.base[rank]!);
      ranks.push(rank);
    }
  }
  madeFromRanks(out, run.base, Int32Array.from(ranks));
  return out;
}

/** The base patients' samples as the index's allowed samples, and the query's locus and call filters. */
function indexRequest(run: CohortRun, samples: CohortCalls['samples'], locus: CohortLocus, filters: CohortFilters) {
  const cohort = indexedCohort(run, samples);
  const request: CohortIndexRequest = {
    build: run.build as GenomeBuildName,
    target: targetOf(locus),
    sampleIds: cohort.sampleIds,
    ...(filters.zygosity && { zygosity: [...filters.zygosity] as CohortIndexRequest['zygosity'] }),
    ...(filters.significance && { significance: [...filters.significance] }),
  };
  return { cohort, allowed: cohort.allowed, patientOf: cohort.patientOf, request };
}

/** Records (sorted by position, REF, ALT) grouped into alleles, each carrier patient once. */
function allelesOf(records: readonly CohortRecord[], patientOf: ReadonlyMap<string, string>): AlleleCarriers[] {
  const alleles: AlleleCarriers[] = [];
  let current: AlleleCarriers | undefined;
  for (const r of records) {
    if (!current || current.pos !== r.pos || current.ref !== r.ref || current.alt !== r.alt) {
      current = { pos: r.pos, ref: r.ref, alt: r.alt, carriers: new Map() };
      alleles.push(current);
    }
    const patientId = patientOf.get(r.sampleId)!;
    const call: Carrier = { copies: r.zygosity === 'hom_alt' ? 2 : 1, zygosity: r.zygosity };
    const kept = current.carriers.get(patientId);
    if (!kept || strongerCall(call, kept)) current.carriers.set(patientId, call);
  }
  return alleles;
}

/** The rank in the run's base of the patient of the sample at this position of the request. */
function rankAt(cohort: IndexedCohort, position: number): number {
  if (!(position >= 0 && position < cohort.rankAt.length)) throw outsideRequest();
  return cohort.rankAt[position]!;
}

const HET: Carrier = Object.freeze({ copies: 1, zygosity: 'het' });
const HOM_ALT: Carrier = Object.freeze({ copies: 2, zygosity: 'hom_alt' });

/**
 * Each carrier patient once, with the most copies any of their samples carries (as the per-sample
 * SQL takes max(copies)), in patient id order: the answers then find every set already sorted.
 * `copies`: a zeroed scratch array by rank, left zeroed.
 */
function carriersOf(v: CohortVariantAggregate, run: CohortRun, cohort: IndexedCohort, copies: Uint8Array): AlleleCarriers {
  const ranks: number[] = [];
  for (const p of v.carrierPositions) {
    const rank = rankAt(cohort, p);
    if (copies[rank] === 0) {
      ranks.push(rank);
      copies[rank] = 1;
    }
  }
  for (const p of v.homAltPositions) {
    const rank = rankAt(cohort, p);
    if (copies[rank] === 0) ranks.push(rank);
    copies[rank] = 2;
  }
  const sorted = Int32Array.from(ranks).sort();
  const copiesByRank = new Uint8Array(sorted.length);
  sorted.forEach((rank, i) => {
    copiesByRank[i] = copies[rank]!;
    copies[rank] = 0;
  });
  let carriers: AlleleCarriers['carriers'] | undefined;
  return {
    pos: v.pos, ref: v.ref, alt: v.alt, ranks: sorted, copies: copiesByRank,
    // the map by id only when an answer asks for it (an aggregate reads ranks and copies)
    get carriers() {
      if (!carriers) {
        carriers = new Map();
        sorted.forEach((rank, i) => carriers!.set(run.base[rank]!, copiesByRank[i] === 2 ? HOM_ALT : HET));
      }
      return carriers;
    },
  };
}

/** Per position, the patients none of whose allowed samples covered it. */
function notCoveringPatients(variants: readonly CohortVariantAggregate[], run: CohortRun, cohort: IndexedCohort): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  // most answers list nobody (exomes on one BED): count samples per patient only when needed
  let samplesOf: Uint32Array | undefined;
  for (const v of variants) {
    if (out.has(v.pos) || !v.notCoveringPositions?.length) continue;
    if (!samplesOf) {
      samplesOf = new Uint32Array(run.base.length);
      for (const rank of cohort.rankAt) samplesOf[rank]!++;
    }
    const uncovered = new Map<number, number>();
    for (const p of v.notCoveringPositions) {
      const rank = rankAt(cohort, p);
      uncovered.set(rank, (uncovered.get(rank) ?? 0) + 1);
    }
    const patients = [...uncovered].filter(([rank, n]) => n === samplesOf![rank]).map(([rank]) => run.base[rank]!);
    if (patients.length > 0) out.set(v.pos, new Set(patients));
  }
  return out;
}
