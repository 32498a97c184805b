// Withdrawal of research consent with `erase_samples`: every sample of the patient is destroyed
// by crypto-shredding, as `genovault erase-sample` does (the sample's data key leaves the
// manifest, its files go, and the master key is rotated in the same commit), each erasure
// audited. Erasure reaches clinical use too: the samples are gone for everyone.
//
// Rotating the master key needs a key file the vault can replace. When the key comes from the
// environment, the service cannot make the next key itself: the withdrawal stands (nothing new is
// used for research from now on) and the erasure is left to the operator, audited and flagged.
import type { AuditedRequest } from './patient-access.ts';
import { requestOrigin } from './patient-access.ts';
import type { VaultService } from './open-service.ts';
import type { Principal } from '../identity/principal.ts';
import { keyFilePathOf } from '../crypto/resolve-master-key.ts';
import { eraseSample, prepareReplacement } from '../store/key-operations.ts';
import { KeyedMutex } from '../identity/keyed-mutex.ts';

export interface ErasureOutcome {
  status: 'erased' | 'pending_operator' | 'no_samples';
  samplesErased: number;
  samplesPending: number;
}

// One erasure at a time in this process: each commits a new manifest under a new master key.
const erasures = new KeyedMutex();

export async function eraseSamplesOnWithdrawal(service: VaultService, principal: Principal, patientId: string, request: AuditedRequest): Promise<ErasureOutcome> {
  return erasures.run('vault', async () => {
    const samples = service.vault.catalog.samplesOf(patientId).map((s) => s.sampleId);
    if (samples.length === 0) return { status: 'no_samples', samplesErased: 0, samplesPending: 0 };
    const entry = (sampleId: string) => ({
      ...requestOrigin(request),
      actorId: principal.accountId,
      actorRoles: principal.roles,
      action: 'research.erase_sample',
      resource: 'variants',
      patientId,
      purpose: 'research',
      rule: null,
      targetId: sampleId,
    });
    if (service.config.masterKey) {
      for (const sampleId of samples) await service.audit.record({ ...entry(sampleId), decision: 'failure', reason: 'master_key_from_environment', flagged: true });
      return { status: 'pending_operator', samplesErased: 0, samplesPending: samples.length };
    }
    for (const sampleId of samples) {
      try {
        const replacement = await prepareReplacement({ currentKeyFile: keyFilePathOf(service.config) });
        await eraseSample(service.vault, sampleId, replacement);
      } catch (err) {
        await service.audit.record({ ...entry(sampleId), decision: 'failure', reason: 'erasure_failed', flagged: true });
        throw err;
      }
      await service.queries.engine.evictSample(sampleId);
      await service.audit.record({ ...entry(sampleId), decision: 'success', reason: 'research_withdrawal_erase_samples', flagged: true });
    }
    return { status: 'erased', samplesErased: samples.length, samplesPending: 0 };
  });
}
