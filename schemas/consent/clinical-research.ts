// Clinical use and research use: two independent directives. Changing one never changes a
// decision that depends only on the other.
import { z } from 'zod';

/** May clinicians and genetic counselors use the patient's genomic data for care? */
export const ClinicalUseSchema = z.strictObject({
  kind: z.literal('clinical_use'),
  decision: z.enum(['permit', 'deny']),
});
export type ClinicalUse = z.infer<typeof ClinicalUseSchema>;

/**
 * A research scope: GA4GH DUO terms and disease ids (`DUO:0000007`, `DOID:162`, `MONDO:0005070`),
 * a modifier's value after `=` (`DUO:0000024=2027-01-31`). Checked here only for shape and
 * bounds; what the terms mean is decided by the DUO matcher (consent/duo/).
 */
export const DuoScopeSchema = z
  .array(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,15}(:[A-Za-z0-9_.]{1,32})?(=[A-Za-z0-9_.,:/-]{1,64})?$/, 'a DUO term or disease id, optionally =value'))
  .min(1)
  .max(32);

export const WITHDRAWAL_MODES = ['stop_future_use', 'erase_samples'] as const;
export type WithdrawalMode = (typeof WITHDRAWAL_MODES)[number];

export const ResearchUseSchema = z.discriminatedUnion('status', [
  z.strictObject({ kind: z.literal('research_use'), status: z.literal('consented'), scope: DuoScopeSchema }),
  /**
   * `stop_future_use`: results already shared may stay where they are; nothing new is used.
   * `erase_samples`: the samples are also erased (crypto-shredding, as `erase-sample` does).
   */
  z.strictObject({ kind: z.literal('research_use'), status: z.literal('withdrawn'), mode: z.enum(WITHDRAWAL_MODES) }),
]);
export type ResearchUse = z.infer<typeof ResearchUseSchema>;
