// The GA4GH Beacon v2 genomic-variation query (g_variants) as this API takes it: query-string
// parameters on GET, or a Beacon request body on POST. Coordinates are 0-based: `start` inclusive,
// `end` exclusive. Each project the caller belongs to is a dataset; `datasetIds` picks one.
import { z } from 'zod';
import { ProjectIdSchema } from './research.ts';

const Bases = z.string().regex(/^[ACGTacgt]{1,200}$/, 'bases A, C, G or T (wildcards are not supported)');
const ReferenceName = z.string().regex(/^((chr)?([1-9]|1[0-9]|2[0-2]|X|Y|M|MT)|NC_0\d{5}\.\d{1,2})$/i, 'a chromosome: 1-22, X, Y or M, with or without chr, or its RefSeq accession (NC_000017.11)');
const GeneId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, 'a gene symbol such as BRCA1');
const Assembly = z.string().regex(/^[A-Za-z0-9._-]{1,32}$/, 'a reference build name such as GRCh38');
export const BEACON_GRANULARITIES = ['boolean', 'count', 'record'] as const;

/** The parameters once read, whichever way they came. */
export const BeaconVariantParametersSchema = z.strictObject({
  referenceName: ReferenceName.optional(),
  start: z.array(z.number().int().min(0).max(2_147_483_646)).min(1).max(2).optional(),
  end: z.array(z.number().int().min(1).max(2_147_483_647)).min(1).max(2).optional(),
  referenceBases: Bases.optional(),
  alternateBases: Bases.optional(),
  geneId: GeneId.optional(),
  assemblyId: Assembly.optional(),
  datasetIds: z.array(ProjectIdSchema).min(1).max(20).optional(),
});
export type BeaconVariantParameters = z.infer<typeof BeaconVariantParametersSchema>;

const commaList = (text: string) => text.split(',').map((s) => s.trim());
const integers = (field: string) =>
  z
    .string()
    .regex(/^\d{1,10}(,\d{1,10})?$/, `${field}: one whole number, or two separated by a comma`)
    .transform((s) => commaList(s).map(Number));

export const BeaconQueryStringSchema = z.strictObject({
  referenceName: ReferenceName.optional(),
  start: integers('start').optional(),
  end: integers('end').optional(),
  referenceBases: Bases.optional(),
  alternateBases: Bases.optional(),
  geneId: GeneId.optional(),
  assemblyId: Assembly.optional(),
  datasetIds: z
    .string()
    .max(2000)
    .transform(commaList)
    .pipe(z.array(ProjectIdSchema).min(1).max(20))
    .optional(),
  requestedGranularity: z.enum(BEACON_GRANULARITIES).optional(),
  // Beacon's paging and result-set parameters, accepted as clients send them: a boolean or count
  // answer has no result sets or pages to shape, so they change nothing (testMode=true is refused:
  // there is no test data to answer from)
  includeResultsetResponses: z.enum(['HIT', 'MISS', 'ALL', 'NONE']).optional(),
  skip: z.string().regex(/^\d{1,9}$/, 'skip: a whole number').optional(),
  limit: z.string().regex(/^\d{1,9}$/, 'limit: a whole number').optional(),
  testMode: z.enum(['true', 'false']).optional(),
});

export const BeaconRequestBodySchema = z
  .object({
    meta: z.looseObject({ apiVersion: z.string().max(32).optional() }).optional(),
    query: z
      .looseObject({
        /** flat, as most Beacon clients send them, or under `g_variant` as the framework schema keys them */
        requestParameters: z.union([BeaconVariantParametersSchema, z.strictObject({ g_variant: BeaconVariantParametersSchema })]).optional(),
        requestedGranularity: z.enum(BEACON_GRANULARITIES).optional(),
        filters: z.array(z.unknown()).max(0, 'filters are not supported: ask by variant, region or gene').optional(),
        testMode: z.boolean().optional(),
      })
      .optional(),
  })
  .meta({ id: 'BeaconRequestBody' });
