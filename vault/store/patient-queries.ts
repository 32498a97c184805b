// Queries in the vault's terms (patients, region text, variant text), over the query engine:
// picks the build and the partitions from the catalog, turns user text into checked filters, and
// says in `notes` what an answer's rows alone would not (no samples, no annotation, not covered).
import type { Config } from '../../schemas/config.ts';
import { QueryEngine, type VariantFilter, type VariantRow, type PatientRows } from './query-engine.ts';
import { QueryInputError } from './query-input-error.ts';
import { parseRegion, type Region } from './region.ts';
import { unknownSignificanceTerms, CLINVAR_SIGNIFICANCE_TERMS } from './significance.ts';
import { closestNames } from '../genes/closest-names.ts';
import { chooseBuild, parseBuildParameter } from './query-build.ts';
import { checkContig } from './query-contigs.ts';
import { genesAt, resolveGene, unknownGeneError } from './gene-query.ts';
import { CoverageIndex } from './coverage-index.ts';
import { CohortQueries, type AlleleCountsAnswer, type CarriersAnswer, type CohortOptions } from './cohort-queries.ts';
import { note, samplesText, type QueryNote } from './query-notes.ts';
import type { CatalogSample } from './catalog.ts';
import type { PatientVariant, ZygosityName } from './patient-variant.ts';
import type { Vault } from './vault.ts';

export type { PatientVariant, ZygosityName } from './patient-variant.ts';
export { PATIENT_VARIANT_COLUMNS } from './patient-variant.ts';
export type { QueryNote, QueryNoteCode } from './query-notes.ts';
export type { AlleleCountsAnswer, CarriersAnswer, CohortOptions } from './cohort-queries.ts';
export { parseVariantKey } from './variant-key.ts';

export interface PatientVariantQuery {
  region?: string | undefined;
  gene?: string | undefined;
  significance?: string[] | undefined;
  /** GRCh37, GRCh38 (or hg19, hg38...); required when the patient's samples are on several builds */
  build?: string | undefined;
}

export interface PatientVariantsAnswer {
  /** the build of every row; null only when the patient has no samples and none was asked for */
  build: string | null;
  /** samples read for this answer */
  samplesQueried: number;
  notes: QueryNote[];
  variants: PatientVariant[];
}

function toPatientVariant(r: VariantRow, sample: CatalogSample | undefined, build: string): PatientVariant {
  const gene = r.gene ?? genesAt(build, r.chrom, r.pos, r.ref);
  return {
    chrom: sample?.sourceContigs?.[r.chrom] ?? r.chrom, pos: r.pos, id: r.id, ref: r.ref, alt: r.alt, altIndex: r.altIndex, genotype: r.genotype,
    zygosity: r.zygosity as ZygosityName, phased: r.phased,
    // QUAL is stored as float32: show it at the precision VCFs write it
    dp: r.dp, gq: r.gq, adRef: r.adRef, adAlt: r.adAlt, vaf: r.vaf, qual: r.qual === null ? null : Number(r.qual.toPrecision(7)), filter: r.filter,
    gene, geneSource: r.gene !== null ? 'annotation' : gene !== null ? 'gene_table' : null, consequence: r.consequence, hgvsC: r.hgvsC, hgvsP: r.hgvsP, clnsig: r.clnsig,
    sampleId: r.sampleId, build,
  };
}

/** The significance terms, refused when one is not a ClinVar term (with the nearest ones). */
export function checkSignificance(terms: readonly string[] | undefined): string[] | undefined {
  if (!terms || terms.length === 0) return undefined;
  const [unknown] = unknownSignificanceTerms(terms);
  if (unknown) {
    const closest = closestNames(unknown.term, CLINVAR_SIGNIFICANCE_TERMS, 3);
    throw new QueryInputError(
      `significance: term ${unknown.position} is not a ClinVar significance term${closest.length > 0 ? `; did you mean ${closest.join(' or ')}?` : ''} ` +
        `Terms: ${CLINVAR_SIGNIFICANCE_TERMS.join(', ')}`, 'significance',
    );
  }
  return [...terms];
}

const NO_SAMPLES = note('no_samples', 'this patient has no stored samples (none ingested, or every one erased): nothing was queried, which is not the same as no variants');

export class PatientQueries {
  private readonly coverage: CoverageIndex;
  private readonly cohort: CohortQueries;

  constructor(
    private readonly vault: Vault,
    readonly engine: QueryEngine,
  ) {
    this.coverage = new CoverageIndex((partitionId) => vault.read({ partitionId }));
    this.cohort = new CohortQueries(vault, engine, this.coverage);
  }

  async variantsOfPatient(patientId: string, query: PatientVariantQuery): Promise<PatientVariantsAnswer> {
    const significance = checkSignificance(query.significance);
    const region = query.region !== undefined ? parseRegion(query.region) : undefined;
    const samples = this.vault.catalog.samplesOf(patientId);
    if (samples.length === 0) {
      if (query.gene !== undefined) resolveGene(query.gene, null);
      return { build: query.build !== undefined ? parseBuildParameter(query.build) : null, samplesQueried: 0, notes: [NO_SAMPLES], variants: [] };
    }
    const choice = chooseBuild(samples, query.build, 'patient');
    const refs = this.vault.catalog.callPartitions(new Set(choice.samples.map((s) => s.sampleId)));
    if (region) checkContig('region', region.chrom, region.start, choice.build, refs.map((r) => r.chrom));
    const gene = query.gene !== undefined ? resolveGene(query.gene, choice.build) : undefined;
    const filter: VariantFilter = {};
    if (region) filter.region = region;
    if (gene) filter.gene = gene.filter;
    if (significance) filter.significance = significance;
    const found = await this.engine.patientVariants(refs, filter);
    if (gene?.unknown && found.rows.length === 0) throw unknownGeneError(choice.build, gene.unknown.suggestions);
    const bySample = new Map(choice.samples.map((s) => [s.sampleId, s]));
    const variants = found.rows.map((r) => toPatientVariant(r, bySample.get(r.sampleId), choice.build));
    const notes = [...choice.notes, ...(gene?.notes ?? [])];
    if (significance) notes.push(...significanceNotes(found));
    const span = region ?? gene?.filter.span;
    if (span) notes.push(...(await this.coverageNotes(choice.samples, span)));
    return { build: choice.build, samplesQueried: choice.samples.length, notes, variants };
  }

  /** Samples whose assay (targets or gVCF blocks) covered no base of the span. */
  private async coverageNotes(samples: readonly CatalogSample[], span: Region): Promise<QueryNote[]> {
    const uncovered: string[] = [];
    for (const sample of samples) {
      if (sample.coverage.source === 'assumed_wgs') continue;
      if ((await this.coverage.of(sample)).coveredBases(span.chrom, span.start, span.end) === 0) uncovered.push(`${sample.sampleId} (${sample.coverage.source})`);
    }
    if (uncovered.length === 0) return [];
    return [note('region_not_covered', `the assay of ${uncovered.length === 1 ? 'sample' : 'samples'} ${uncovered.join(', ')} did not cover any base of the region asked for: no rows there means not tested, not absent`)];
  }

  carriers(variantText: string, options: CohortOptions = {}): Promise<CarriersAnswer> {
    return this.cohort.carriers(variantText, options);
  }

  alleleCounts(regionText: string, options: CohortOptions = {}): Promise<AlleleCountsAnswer> {
    return this.cohort.alleleCounts(regionText, options);
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}

function significanceNotes(found: PatientRows): QueryNote[] {
  const without = [...found.samplesRead].filter((id) => !found.samplesWithSignificance.has(id));
  if (without.length === 0) return [];
  const all = without.length === found.samplesRead.size;
  return [note('no_significance_annotation', all
    ? 'no sample queried carries ClinVar significance (INFO CLNSIG) annotation: a significance filter cannot match anything in them, so an empty answer does not mean no such variants'
    : `${samplesText(without.length)} of ${found.samplesRead.size} queried (${without.join(', ')}) carry no ClinVar significance (INFO CLNSIG) annotation: their variants cannot match a significance filter`)];
}

export async function openQueries(vault: Vault, config: Pick<Config, 'cacheBudgetMb'>): Promise<PatientQueries> {
  const engine = await QueryEngine.open(vault, { cacheBudgetBytes: config.cacheBudgetMb * 1024 * 1024 });
  return new PatientQueries(vault, engine);
}
