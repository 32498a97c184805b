// The records level: one de-identified row per patient of the visible cohort. A per-project
// pseudonym instead of any id; Safe Harbor demographics (sex, year of birth or "90+", 3-digit ZIP);
// condition codes and variants only where at least the threshold of patients in the visible cohort
// share them (a rarer one would single a person out). No name, MRN, patient or sample id, no date
// beyond the year. A cohort smaller than the threshold gets no rows, only "<threshold".
// Asked by variant, the visible cohort is the carriers of the alleles shown (carried by at least the
// threshold), not of any matching allele: a row listing none of the shown variants, or a count
// including them, would say "carries a withheld rare variant".
// Rows are exact, so not differentially private: the level is for projects the board trusts with
// them, and each release costs a fixed, documented charge (ANSWER_COST.records).
import { createHash } from 'node:crypto';
import { releaseDigest } from '../disclosure/seeded-noise.ts';
import { pseudonymOf } from '../disclosure/pseudonyms.ts';
import { birthYearShown, zip3, type NINETY_PLUS } from '../disclosure/safe-harbor.ts';
import { ANSWER_COST } from '../disclosure/settings.ts';
import type { CountPrecision, ShownCount } from '../disclosure/small-counts.ts';
import type { CohortRun } from '../cohort/run-cohort.ts';
import { shownCountOf } from './count-answer.ts';
import { carriersOf, distinctSets, freshCost, statisticsCost, type AnswerContext, type DisclosureResult } from './disclosure-result.ts';

export interface RecordVariant {
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
  zygosity: string;
}

export interface DeidentifiedRecord {
  pseudonym: string;
  sex: string;
  birthYear: number | typeof NINETY_PLUS | null;
  zip3: string | null;
  conditions: string[];
  variants: RecordVariant[];
}

export const RECORD_COLUMNS = ['pseudonym', 'sex', 'birthYear', 'zip3', 'conditions', 'variants'] as const;

export interface RecordsBody {
  count: ShownCount;
  countPrecision: CountPrecision | 'exact';
  records: DeidentifiedRecord[];
  withheld: string;
}

export interface RecordsContext extends AnswerContext {
  projectId: string;
  pseudonymKey: Uint8Array;
  thisYear: number;
}

/** Values held by at least `threshold` of the patients (each patient counted once per value). */
function sharedValues(perPatient: Iterable<readonly string[]>, threshold: number): Set<string> {
  const holders = new Map<string, number>();
  for (const values of perPatient) for (const v of new Set(values)) holders.set(v, (holders.get(v) ?? 0) + 1);
  return new Set([...holders].filter(([, n]) => n >= threshold).map(([v]) => v));
}

export function recordsAnswer(run: CohortRun, byVariant: boolean, ctx: RecordsContext): DisclosureResult<RecordsBody> {
  const k = ctx.threshold;
  const shownAlleles = run.alleles.filter((a) => a.carriers.size >= k);
  const visible = byVariant ? carriersOf(shownAlleles) : run.base;
  const withheld = `no rows for fewer than ${k} patients; condition codes and variants shared by fewer than ${k} of the patients shown are left out`;
  if (visible.length < k) {
    const shown = shownCountOf(visible, ctx);
    return {
      kind: 'records', body: { count: shown.value, countPrecision: shown.precision, records: [], withheld },
      trueSize: visible.length, patientSets: [visible], statistics: [shown.digest], cost: statisticsCost([shown.digest], ctx.released),
    };
  }
  const chrom = run.chrom ?? '';
  const conditionsOf = (id: string) => run.demographics.get(id)?.conditions ?? [];
  const sharedConditions = sharedValues(visible.map(conditionsOf), k);
  const records = visible.map((id): DeidentifiedRecord => {
    const d = run.demographics.get(id);
    const variants = shownAlleles
      .filter((a) => a.carriers.has(id))
      .map((a) => ({ chrom, pos: a.pos, ref: a.ref, alt: a.alt, zygosity: a.carriers.get(id)!.zygosity }));
    return {
      pseudonym: pseudonymOf(ctx.pseudonymKey, ctx.projectId, id),
      sex: d?.sex ?? 'unknown',
      birthYear: birthYearShown(d?.birthYear ?? null, ctx.thisYear),
      zip3: zip3(d?.zip ?? null),
      conditions: [...new Set(conditionsOf(id).filter((c) => sharedConditions.has(c)))].sort(),
      variants,
    };
  });
  // pseudonym order: neither the order of ids nor of ingest leaks
  records.sort((a, b) => (a.pseudonym < b.pseudonym ? -1 : 1));
  const digest = releaseDigest(ctx.noiseKey, `records:${ctx.projectId}`, [...visible, ...shownAlleles.map((a) => `allele:${a.pos}:${a.ref}:${a.alt}`)]);
  return {
    kind: 'records',
    body: { count: records.length, countPrecision: 'exact', records, withheld },
    trueSize: visible.length,
    // the rows show each shown allele's carriers exactly
    patientSets: distinctSets([visible, ...shownAlleles.map((a) => a.carriers.keys())]),
    statistics: [digest],
    cost: freshCost([digest], ctx.released, ANSWER_COST.records),
  };
}

/** JSON with keys in sorted order at every level: one text for one content. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The release's hash: SHA-256 of the records as canonical JSON, whichever format carried them. */
export function recordsHash(records: readonly DeidentifiedRecord[]): string {
  return createHash('sha256').update(canonicalRecordsJson(records)).digest('hex');
}

/**
 * canonicalJson(records), written by JSON.stringify over copies whose keys are already in sorted
 * order (the same text; measured ~10x faster over 7,000 records).
 */
export function canonicalRecordsJson(records: readonly DeidentifiedRecord[]): string {
  return JSON.stringify(records.map((r) => ({
    birthYear: r.birthYear, conditions: r.conditions, pseudonym: r.pseudonym, sex: r.sex,
    variants: r.variants.map((v) => ({ alt: v.alt, chrom: v.chrom, pos: v.pos, ref: v.ref, zygosity: v.zygosity })),
    zip3: r.zip3,
  })));
}
