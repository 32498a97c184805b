// Runs one compiled cohort query: loads the query tables from the consent decisions, the
// demographics and the calls the data source read, runs the statements, and hands back patient
// ids only (the base cohort, each allele's carriers, who did not cover what). Everything the
// answers then show is computed from these sets by the disclosure rules.
import type { DuckDBConnection } from '@duckdb/node-api';
import { significanceTermsOf } from '../../schemas/clinvar-significance.ts';
import type { CohortCalls, CoverageMethod, PatientDemographics } from '../ports.ts';
import { ageGroup } from '../disclosure/safe-harbor.ts';
import type { ConsentDecision } from './consent-decisions.ts';
import { loadCohortTables, rowsKey, textList, type CohortTableKeys, type CohortTableRows } from './cohort-tables.ts';
import { compileCohortQuery, type CohortFilters, type CompiledStatement } from './compile-query.ts';
import { sortedIds } from '../projects/described-sets.ts';

export interface Carrier {
  copies: number;
  zygosity: string;
}

/** Of a patient's calls of one allele (several samples), the one kept: most copies, then the first zygosity as text (as the compiled SQL keeps it). */
export function strongerCall(a: Carrier, b: Carrier): boolean {
  return a.copies > b.copies || (a.copies === b.copies && a.zygosity < b.zygosity);
}

export interface AlleleCarriers {
  pos: number;
  ref: string;
  alt: string;
  carriers: Map<string, Carrier>;
  /** when known: the carriers' ranks in the run's base, ascending, in the order `carriers` lists them, and each one's copies */
  ranks?: Int32Array;
  copies?: Uint8Array;
}

export interface CohortRun {
  build: string;
  chrom: string | null;
  /** consented patients with a sample read who match the clinical filters, sorted */
  base: readonly string[];
  /** alleles matching the variant filters, in position order, with their carriers among the base */
  alleles: AlleleCarriers[];
  /** when only the count is asked of the index: the base patients carrying any of the alleles, sorted (`alleles` is then empty) */
  carrierPatients?: string[];
  /** position → base patients none of whose samples covered it */
  notCovering: Map<number, Set<string>>;
  otherBuildsLeftOut: boolean;
  coverageMethods: CoverageMethod[];
  demographics: Map<string, PatientDemographics>;
  /** the patients taking part in the project now (consent permits, or review included) */
  takingPart: ReadonlySet<string>;
}

export interface CohortRunInput {
  decisions: readonly ConsentDecision[];
  /** whether patients taking part have samples on builds other than the query's */
  otherBuildsLeftOut: boolean;
  takingPart: ReadonlySet<string>;
  filters: CohortFilters;
  calls: CohortCalls;
  demographics: readonly PatientDemographics[];
  thisYear: number;
}

async function rows(connection: DuckDBConnection, statement: CompiledStatement): Promise<unknown[][]> {
  return (await connection.runAndReadAll(statement.sql, statement.values, statement.types)).getRowsJS();
}

function tableRows(input: CohortRunInput): CohortTableRows {
  const { decisions, calls, demographics, thisYear } = input;
  return {
    rc_consent: decisions.map((d) => ({ patient_id: d.patientId, decision: d.outcome, review_group: d.reviewGroup })),
    rc_patient: demographics.map((d) => ({ patient_id: d.patientId, sex: d.sex, age: ageGroup(d.birthYear, thisYear), conditions: textList(d.conditions) })),
    rc_sample: calls.samples.map((s) => ({ sample_id: s.sampleId, patient_id: s.patientId })),
    rc_call: calls.calls.map((c) => ({
      sample_id: c.sampleId, pos: c.pos, ref: c.ref, alt: c.alt, zygosity: c.zygosity, copies: c.zygosity === 'hom_alt' ? 2 : 1,
      significance: textList(c.clnsig === null ? [] : significanceTermsOf(c.clnsig)),
    })),
    rc_uncovered: calls.notCovering.flatMap(({ pos, sampleIds }) => sampleIds.map((sampleId) => ({ sample_id: sampleId, pos }))),
  };
}

/** Keys of the tables that stay the same from query to query while no consent, record or sample changes; the calls are keyed only when there are none. */
function tableKeys(input: CohortRunInput): CohortTableKeys {
  const { decisions, calls, demographics, thisYear } = input;
  return {
    rc_consent: rowsKey(decisions.map((d) => [d.patientId, d.outcome, d.reviewGroup])),
    rc_patient: rowsKey(demographics.map((d) => [d.patientId, d.sex, ageGroup(d.birthYear, thisYear), d.conditions])),
    rc_sample: rowsKey(calls.samples.map((s) => [s.sampleId, s.patientId])),
    ...(calls.calls.length === 0 && { rc_call: '' }),
    ...(calls.notCovering.length === 0 && { rc_uncovered: '' }),
  };
}

export async function runCohort(connection: DuckDBConnection, input: CohortRunInput): Promise<CohortRun> {
  await loadCohortTables(connection, tableRows(input), tableKeys(input));
  const compiled = compileCohortQuery(input.filters);
  // in JS's order (DuckDB sorts text by UTF-8 bytes, which differs beyond the BMP), and frozen:
  // answers take sets made by rank as sorted and copy their bytes from the cohort's (described-sets.ts)
  const base = Object.freeze(sortedIds((await rows(connection, compiled.base)).map(([id]) => String(id))));
  const alleles: AlleleCarriers[] = [];
  let current: AlleleCarriers | undefined;
  // no calls read (no locus, or the cohort index answers for it): no statement over them to run
  const read = input.calls.calls.length > 0;
  for (const [patientId, pos, ref, alt, copies, zygosity] of read ? await rows(connection, compiled.hits) : []) {
    if (!current || current.pos !== Number(pos) || current.ref !== ref || current.alt !== alt) {
      current = { pos: Number(pos), ref: String(ref), alt: String(alt), carriers: new Map() };
      alleles.push(current);
    }
    current.carriers.set(String(patientId), { copies: Number(copies), zygosity: String(zygosity) });
  }
  const notCovering = new Map<number, Set<string>>();
  for (const [pos, patientId] of read ? await rows(connection, compiled.notCovering) : []) {
    let set = notCovering.get(Number(pos));
    if (!set) notCovering.set(Number(pos), (set = new Set()));
    set.add(String(patientId));
  }
  const { build, chrom, samples } = input.calls;
  // what the answer says of coverage is about the cohort only
  const inBase = new Set(base);
  const coverageMethods = [...new Set(samples.filter((s) => inBase.has(s.patientId)).map((s) => s.coverage))].sort();
  return { build, chrom, base, alleles, notCovering, otherBuildsLeftOut: input.otherBuildsLeftOut, takingPart: input.takingPart, coverageMethods, demographics: new Map(input.demographics.map((d) => [d.patientId, d])) };
}
