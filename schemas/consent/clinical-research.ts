// Clinical use and research use: two independent directives. Changing one never changes a
// decision that depends only on the other.
import { z } from 'zod';
import { ConsentScopeSchema } from '../duo.ts';

/** May clinicians and genetic counselors use the patient's genomic data for care? */
export const ClinicalUseSchema = z.strictObject({
  kind: z.literal('clinical_use'),
  decision: z.enum(['permit', 'deny']),
});
export type ClinicalUse = z.infer<typeof ClinicalUseSchema>;

export const WITHDRAWAL_MODES = ['stop_future_use', 'erase_samples'] as const;
export type WithdrawalMode = (typeof WITHDRAWAL_MODES)[number];

export const ResearchUseSchema = z.discriminatedUnion('status', [
  /** the scope in GA4GH DUO terms, as the DUO matcher (consent/duo/) reads it */
  z.strictObject({ kind: z.literal('research_use'), status: z.literal('consented'), scope: ConsentScopeSchema }),
  /**
   * `stop_future_use`: results already shared may stay where they are; nothing new is used.
   * `erase_samples`: the samples are also erased (crypto-shredding, as `erase-sample` does).
   */
  z.strictObject({ kind: z.literal('research_use'), status: z.literal('withdrawn'), mode: z.enum(WITHDRAWAL_MODES) }),
]);
export type ResearchUse = z.infer<typeof ResearchUseSchema>;
