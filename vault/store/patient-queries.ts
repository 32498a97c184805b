// Queries in the vault's terms (patients, region text, variant text), over the query engine:
// picks the partitions from the catalog and turns user text into typed filters first.
import type { Config } from '../../schemas/config.ts';
import { QueryEngine, QueryInputError, type VariantFilter, type VariantRow, type VariantKey } from './query-engine.ts';
import { parseRegion, normaliseChrom } from './region.ts';
import { geneLocation } from '../genes/gene-table.ts';
import type { PatientVariant, ZygosityName } from './patient-variant.ts';

export type { PatientVariant, ZygosityName } from './patient-variant.ts';
export { PATIENT_VARIANT_COLUMNS } from './patient-variant.ts';
import type { Vault } from './vault.ts';

export interface PatientVariantQuery {
  region?: string | undefined;
  gene?: string | undefined;
  significance?: string[] | undefined;
}

function toPatientVariant(r: VariantRow): PatientVariant {
  return {
    chrom: r.chrom, pos: r.pos, id: r.id, ref: r.ref, alt: r.alt, altIndex: r.altIndex, genotype: r.genotype, zygosity: r.zygosity as ZygosityName, phased: r.phased,
    // QUAL is stored as float32: show it at the precision VCFs write it
    dp: r.dp, gq: r.gq, qual: r.qual === null ? null : Number(r.qual.toPrecision(7)), filter: r.filter, gene: r.gene, consequence: r.consequence, clnsig: r.clnsig, sampleId: r.sampleId,
  };
}

/** `chr17:43045712:C:T` or `17-43045712-C-T` */
export function parseVariantKey(text: string): VariantKey {
  const parts = text.trim().split(/[:-]/);
  const [chrom, pos, ref, alt] = parts;
  if (parts.length !== 4 || !chrom || !pos || !ref || !alt || !/^\d+$/.test(pos) || !/^[ACGTN]+$/i.test(ref) || !/^[ACGTN*]+$|^<[^<>]+>$/i.test(alt)) {
    throw new QueryInputError('a variant is chrom:pos:ref:alt, e.g. chr17:43045712:C:T');
  }
  return { chrom: normaliseChrom(chrom), pos: Number(pos), ref: ref.toUpperCase(), alt: alt.toUpperCase() };
}

export function toVariantFilter(query: PatientVariantQuery): VariantFilter {
  const filter: VariantFilter = {};
  if (query.region) filter.region = parseRegion(query.region);
  if (query.gene) filter.gene = query.gene;
  if (query.significance && query.significance.length > 0) filter.significance = query.significance;
  return filter;
}

export class PatientQueries {
  constructor(
    private readonly vault: Vault,
    readonly engine: QueryEngine,
  ) {}

  async variantsOfPatient(patientId: string, query: PatientVariantQuery): Promise<PatientVariant[]> {
    const filter = toVariantFilter(query);
    const refs = this.vault.catalog.partitionsOfPatient(patientId);
    const rows = (await this.engine.variantsOfPatient(refs, filter)).map(toPatientVariant);
    if (filter.gene && rows.length === 0 && !geneLocation(filter.gene, null)) {
      throw new QueryInputError('gene: not in the gene coordinate table, and no variant of this patient is annotated with it', 'gene');
    }
    return rows;
  }

  /** Builds of the patient's samples: a gene query on an unknown build uses GRCh38 coordinates. */
  buildsOf(patientId: string): (string | null)[] {
    return this.vault.catalog.samplesOf(patientId).map((s) => s.build);
  }

  async carriers(variantText: string, sampleIds?: ReadonlySet<string>) {
    const key = parseVariantKey(variantText);
    const catalog = this.vault.catalog;
    const carriers = await this.engine.carriersOfVariant(catalog.callPartitions(sampleIds), key);
    const patientOf = new Map(catalog.data.samples.map((s) => [s.sampleId, s.patientId]));
    const { chrom, pos, ref, alt } = key;
    // properties written out: spreading `key` into each of hundreds of rows measured 40x slower
    return carriers.map((c) => ({ chrom, pos, ref, alt, sampleId: c.sampleId, patientId: patientOf.get(c.sampleId) ?? null, zygosity: c.zygosity, genotype: c.genotype }));
  }

  async alleleCounts(regionText: string, sampleIds?: ReadonlySet<string>) {
    const result = await this.engine.alleleCounts(this.vault.catalog.callPartitions(sampleIds), parseRegion(regionText));
    return result.variants.map((v) => ({ ...v, samplesQueried: result.samplesQueried }));
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}

export async function openQueries(vault: Vault, config: Pick<Config, 'cacheBudgetMb'>): Promise<PatientQueries> {
  const engine = await QueryEngine.open(vault, { cacheBudgetBytes: config.cacheBudgetMb * 1024 * 1024 });
  return new PatientQueries(vault, engine);
}
