// The active policy version outlives a restart; a stop between an approval and its activation
// is completed at the next start; a release that ships a different policy file gets it proposed
// for review (the active version stays in force); a policy log that breaks the rules of
// governance keeps the vault from opening.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PolicyEvent } from '../../schemas/policy/events.ts';
import { resolveMasterKey } from '../../vault/crypto/resolve-master-key.ts';
import { LOG_KEYS, logPath } from '../../vault/log/log-files.ts';
import { SealedAppendLog, verifyLog } from '../../vault/log/sealed-append-log.ts';
import { HOST_ACTOR } from '../../vault/identity/principal.ts';
import { openVaultService, type VaultService } from '../../vault/service/open-service.ts';
import { POLICY_LOG_ID } from '../../vault/service/policy-log.ts';
import { Vault } from '../../vault/store/vault.ts';
import { internalRequest } from '../../vault/service/patient-access.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { buildWorld, type World } from './service-world.ts';
import { callerFor, shippedPolicy, withoutRule } from './policy-kit.ts';

const SCRYPT = { log2N: 10, r: 8, p: 1 };

describe('policy versions across restarts (HTTPS)', function () {
  this.timeout(120_000);
  let dir: { path: string; remove: () => Promise<void> };
  let w: World;
  let reopened: VaultService | undefined;
  beforeEach(async () => {
    dir = await makeTempDir();
    w = await buildWorld(dir.path, { https: true });
  });
  afterEach(async () => {
    await w.close().catch(() => undefined);
    await reopened?.close();
    reopened = undefined;
    await dir.remove();
  });

  /** Appends to the policy log with the service stopped, as a crash or an attacker with the key would. */
  async function appendToPolicyLog(event: PolicyEvent): Promise<void> {
    const vault = await Vault.open(w.service.config.dataDir, await resolveMasterKey(w.service.config), { write: true });
    const [key] = await vault.namedKeys([LOG_KEYS.policy]);
    await vault.close();
    const log = await SealedAppendLog.open<PolicyEvent>(logPath(w.service.config.dataDir, 'policy'), { key: key!, logId: POLICY_LOG_ID });
    await log.append(event);
    await log.close();
  }

  const clinicianRead = (service: VaultService) =>
    service.authorizer.authorize({ subject: { userId: w.accounts.clin_a!.accountId, roles: ['clinician'] }, patientId: w.patientA, resource: 'variants', action: 'read', purpose: 'treatment' }, internalRequest('after-restart'));

  it('keeps the approved version active after a restart, and decides under it', async () => {
    const tokens = new Map<string, string>();
    const proposal = await callerFor(w, tokens, 'privacy')<{ proposalId: string }>('POST', '/policy/proposals', { text: withoutRule(await shippedPolicy(), 'clinician-reads-variants-on-care-team'), rationale: 'clinical use moves to consent rules' });
    const approved = await callerFor(w, tokens, 'ethics')('POST', `/policy/proposals/${proposal.body.proposalId}/decision`, { decision: 'approve', reason: 'agreed at the board meeting' });
    assert.equal(approved.status, 200, approved.text);
    await w.close();
    reopened = await openVaultService(w.service.config, { scrypt: SCRYPT });
    assert.equal(reopened.governance.activePolicy.version, 2);
    assert.equal(reopened.authorizer.policy.version, 2);
    const decision = await clinicianRead(reopened);
    assert.deepEqual([decision.allowed, decision.policyVersion], [false, 2]);
    const [entry] = await reopened.audit.query({ limit: 1 });
    assert.equal(entry?.body.policyVersion, 2);
    assert.equal((await reopened.audit.query({ limit: 10_000 })).filter((e) => e.body.action === 'policy.baseline').length, 1, 'version 1 is recorded once');
    const [key] = await reopened.vault.namedKeys([LOG_KEYS.policy]);
    const report = await verifyLog(logPath(w.service.config.dataDir, 'policy'), { key: key!, logId: POLICY_LOG_ID });
    assert.deepEqual([report.ok, report.entries], [true, 4], 'baseline, proposal, decision, activation on one verified chain');
  });

  it('completes at the next start an activation that a stop interrupted after the approval', async () => {
    const tokens = new Map<string, string>();
    const proposal = await callerFor(w, tokens, 'privacy')<{ proposalId: string }>('POST', '/policy/proposals', { text: withoutRule(await shippedPolicy(), 'clinician-reads-variants-on-care-team'), rationale: 'clinical use moves to consent rules' });
    await w.close();
    await appendToPolicyLog({ type: 'decided', proposalId: proposal.body.proposalId, decision: 'approved', reason: 'approved before the stop', decidedBy: { accountId: w.accounts.ethics!.accountId, roles: ['ethics_board'] } });
    reopened = await openVaultService(w.service.config, { scrypt: SCRYPT });
    assert.equal(reopened.governance.activePolicy.version, 2);
    assert.equal((await clinicianRead(reopened)).allowed, false);
    const completed = (await reopened.audit.query({ limit: 10_000 })).find((e) => e.body.action === 'policy.activate');
    assert.deepEqual([completed?.body.actorId, completed?.body.targetId, completed?.body.reason], [HOST_ACTOR, proposal.body.proposalId, 'interrupted_activation_completed']);
  });

  it('proposes a changed shipped policy for the board instead of enforcing it, once', async () => {
    const newRelease = join(dir.path, 'policy-of-next-release.csv');
    await writeFile(newRelease, withoutRule(await shippedPolicy(), 'clinician-reads-variants-on-care-team'));
    await w.close();
    reopened = await openVaultService(w.service.config, { scrypt: SCRYPT, shippedPolicyPath: newRelease });
    assert.equal(reopened.governance.activePolicy.version, 1, 'a new release does not change the policy by itself');
    assert.equal((await clinicianRead(reopened)).allowed, true);
    const [pending] = reopened.governance.history.proposals();
    assert.deepEqual([pending?.proposedBy.accountId, reopened.governance.history.status(pending!)], ['host', 'pending']);
    await reopened.close();
    reopened = await openVaultService(w.service.config, { scrypt: SCRYPT, shippedPolicyPath: newRelease });
    assert.equal(reopened.governance.history.proposals().length, 1, 'proposed again at the next start');
    const decided = await reopened.governance.decide({ proposalId: pending!.proposalId, decision: 'approved', reason: 'the board approves the release policy', decidedBy: { accountId: w.accounts.ethics!.accountId, roles: ['ethics_board'] } });
    assert.equal(decided.activated?.version, 2);
    assert.equal((await clinicianRead(reopened)).allowed, false);
  });

  it('does not open on a policy log that activates a version nobody approved', async () => {
    const tokens = new Map<string, string>();
    const proposal = await callerFor(w, tokens, 'privacy')<{ proposalId: string }>('POST', '/policy/proposals', { text: withoutRule(await shippedPolicy(), 'admin-never-touches-variants'), rationale: 'let administrators read variants' });
    await w.close();
    await appendToPolicyLog({ type: 'activated', proposalId: proposal.body.proposalId, version: 2 });
    await assert.rejects(openVaultService(w.service.config, { scrypt: SCRYPT }), (err: Error) => err.name === 'PolicyLogError' && /entry 3: .*not_approved/.test(err.message));
  });
});
