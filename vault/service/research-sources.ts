// What the research gateway reads from the vault, through the gateway's own interfaces: the
// consented cohort's calls (from the sealed partitions through the query engine), the patients'
// demographics (from the clinical store, without names, MRNs or full dates) and their current
// research consents (from the consent ledger, read afresh at every query); and the research index
// as the gateway's cohort index port, its input errors turned into the gateway's refusals.
import type { CohortCalls, CohortCallsRequest, CohortDataSource, CoverageMethod, DemographicsSource, ResearchConsentSource } from '../../research-gateway/ports.ts';
import { ResearchError } from '../../research-gateway/research-error.ts';
import { genomeBuildOf } from '../../schemas/genome-build.ts';
import type { ConsentLedger } from '../../consent/ledger/consent-ledger.ts';
import { currentResearchConsents } from './consent-state.ts';
import type { ClinicalStore } from '../clinical/clinical-store.ts';
import type { Vault } from '../store/vault.ts';
import type { QueryEngine, VariantFilter } from '../store/query-engine.ts';
import { CoverageIndex } from '../store/coverage-index.ts';
import { parseRegion, type Region } from '../store/region.ts';
import { resolveGene } from '../store/gene-query.ts';
import { checkContig } from '../store/query-contigs.ts';
import { QueryInputError } from '../store/query-input-error.ts';
import type { CatalogSample } from '../store/catalog.ts';
import type { CohortIndexPort } from '../../schemas/cohort-index.ts';
import type { CohortIndex } from '../store/research-index/cohort-index.ts';

const METHOD: Record<CatalogSample['coverage']['source'], CoverageMethod> = { assumed_wgs: 'whole_genome', targets: 'targets_bed', gvcf: 'gvcf_blocks' };

/** The locus as the engine's filter, checked against the build (messages never repeat the input). */
function filterOf(locus: NonNullable<CohortCallsRequest['locus']>, build: string, contigs: string[]): { filter: VariantFilter; chrom: string } {
  try {
    if (locus.kind === 'gene') {
      const gene = resolveGene(locus.symbol, build);
      if (!gene.filter.span) throw new ResearchError('invalid_request', `variant.gene: not a gene symbol of the ${build} gene table (HGNC approved, previous or alias)`, { field: 'variant' });
      return { filter: { gene: gene.filter }, chrom: gene.filter.span.chrom };
    }
    const end = locus.kind === 'region' ? locus.end : locus.pos;
    const start = locus.kind === 'region' ? locus.start : locus.pos;
    const region: Region = parseRegion(`${locus.chrom}:${start}-${end}`);
    checkContig('region', region.chrom, region.start, genomeBuildOf(build)!, contigs);
    return { filter: { region }, chrom: region.chrom };
  } catch (err) {
    if (err instanceof QueryInputError || (err instanceof Error && err.name === 'RegionError')) {
      throw new ResearchError('invalid_request', `variant: ${err.message.replace(/^[a-z]+: /, '')}`, { field: 'variant' });
    }
    throw err;
  }
}

const catalogNumbers = new WeakMap<object, number>();
let lastCatalogNumber = 0;

/** A number per catalog object, the same while it is the vault's current one. */
function catalogNumber(data: object): number {
  let n = catalogNumbers.get(data);
  if (n === undefined) catalogNumbers.set(data, (n = ++lastCatalogNumber));
  return n;
}

export function vaultCohortData(vault: Vault, engine: QueryEngine): CohortDataSource {
  const coverage = new CoverageIndex((partitionId) => vault.read({ partitionId }));
  const samplesOf = (patientIds: ReadonlySet<string>) => vault.catalog.data.samples.filter((s) => patientIds.has(s.patientId));
  return {
    buildsOf: (patientIds) => [...new Set(samplesOf(patientIds).flatMap((s) => (s.build === null ? [] : [s.build])))],
    canonicalBuild: (name) => genomeBuildOf(name),
    async calls({ assembly, locus, patientIds }): Promise<CohortCalls> {
      const read = samplesOf(patientIds).filter((s) => s.build !== null && genomeBuildOf(s.build) === assembly);
      const samples = read.map((s) => ({ sampleId: s.sampleId, patientId: s.patientId, coverage: METHOD[s.coverage.source] }));
      const answer = { build: assembly, samples };
      if (!locus || read.length === 0) return { ...answer, chrom: null, calls: [], notCovering: [] };
      const refs = vault.catalog.callPartitions(new Set(read.map((s) => s.sampleId)));
      const { filter, chrom } = filterOf(locus, assembly, refs.map((r) => r.chrom));
      const rows = (await engine.patientVariants(refs, filter)).rows.filter((r) => r.chrom === chrom);
      const calls = rows.map((r) => ({ sampleId: r.sampleId, pos: r.pos, ref: r.ref, alt: r.alt, zygosity: r.zygosity, gene: r.gene, clnsig: r.clnsig }));
      const carried = new Set(calls.map((c) => `${c.sampleId}:${c.pos}`));
      const positions = [...new Set(calls.map((c) => c.pos))].sort((a, b) => a - b);
      const notCovering: CohortCalls['notCovering'] = positions.map((pos) => ({ pos, sampleIds: [] }));
      for (const sample of read) {
        const covered = await coverage.of(sample);
        if (covered.wholeGenome) continue;
        positions.forEach((pos, i) => {
          if (!carried.has(`${sample.sampleId}:${pos}`) && !covered.covers(chrom, pos)) notCovering[i]!.sampleIds.push(sample.sampleId);
        });
      }
      return { ...answer, chrom, calls, notCovering: notCovering.filter((n) => n.sampleIds.length > 0) };
    },
    // a commit (ingest, erasure, rotation) replaces the catalog's data: numbered, so a cache holds no old catalog alive
    version: () => catalogNumber(vault.catalog.data),
  };
}

export function clinicalDemographics(clinical: ClinicalStore): DemographicsSource {
  return {
    demographics(patientIds) {
      const out = [];
      for (const patientId of patientIds) {
        const record = clinical.get(patientId);
        out.push({
          patientId,
          sex: record?.sex ?? 'unknown',
          birthYear: record ? Number(record.birthDate.slice(0, 4)) : null,
          zip: record?.zip ?? null,
          conditions: record?.conditions.map((c) => c.code) ?? [],
        });
      }
      return out;
    },
    version: () => clinical.revision,
  };
}

/** Each patient's research consent in force now, as the ledger's DUO scope (the same reading every decision makes). */
export function ledgerResearchConsents(ledger: ConsentLedger): ResearchConsentSource {
  return {
    *currentResearchConsents() {
      for (const { patientId, scope } of currentResearchConsents(ledger)) yield { patientId, scope };
    },
    version: () => ledger.revision,
  };
}

/** The research index as the gateway asks it: a target it cannot read is the caller's `variant` field, refused as the per-sample path refuses it. */
export function vaultCohortIndex(index: CohortIndex): CohortIndexPort {
  const refused = (err: unknown): never => {
    if (err instanceof QueryInputError) throw new ResearchError('invalid_request', `variant: ${err.message.replace(/^[a-z]+: /, '')}`, { field: 'variant' });
    throw err;
  };
  return {
    builds: () => index.builds(),
    count: (request) => index.count(request).catch(refused),
    carriers: (request) => index.carriers(request).catch(refused),
    aggregate: (request) => index.aggregate(request).catch(refused),
    records: (request) => index.records(request).catch(refused),
  };
}
