// What a directive can point at in a patient's results: categories of findings (each backed by a
// gene list with its source, in consent/genes/) or specific reported variants.
import { z } from 'zod';

/** The categories a patient may choose to learn, share or release. */
export const FINDINGS_CATEGORIES = ['acmg_secondary', 'carrier_status', 'pharmacogenomic', 'adult_onset'] as const;
export type FindingsCategory = (typeof FINDINGS_CATEGORIES)[number];
export const FindingsCategorySchema = z.enum(FINDINGS_CATEGORIES);

export const GENOME_BUILDS = ['GRCh37', 'GRCh38'] as const;

/** One reported variant: build, chromosome, 1-based position, REF and ALT as in the VCF. */
export const VariantRefSchema = z
  .strictObject({
    build: z.enum(GENOME_BUILDS),
    chrom: z.string().regex(/^(chr)?([1-9]|1[0-9]|2[0-2]|X|Y|M|MT)$/, 'a chromosome 1-22, X, Y or MT, with or without chr'),
    pos: z.number().int().min(1).max(300_000_000),
    ref: z.string().regex(/^[ACGTN]{1,1000}$/, 'REF as upper-case bases'),
    alt: z.string().regex(/^[ACGTN]{1,1000}$/, 'ALT as upper-case bases'),
  })
  .refine((v) => v.ref !== v.alt, { message: 'ALT must differ from REF', path: ['alt'] });
export type VariantRef = z.infer<typeof VariantRefSchema>;

/** Categories and/or specific variants; at least one of them. */
export const ResultScopeSchema = z
  .strictObject({
    categories: z.array(FindingsCategorySchema).max(FINDINGS_CATEGORIES.length).default([]),
    variants: z.array(VariantRefSchema).max(200).default([]),
  })
  .refine((s) => s.categories.length > 0 || s.variants.length > 0, 'name at least one category or variant')
  .refine((s) => new Set(s.categories).size === s.categories.length, { message: 'a category is named twice', path: ['categories'] });
export type ResultScope = z.infer<typeof ResultScopeSchema>;
