// Research consent as the research gateway reads it, and its withdrawal over HTTPS: with
// `stop_future_use` the patient leaves every cohort from the next request and the samples stay;
// with `erase_samples` the samples are destroyed by crypto-shredding (their keys leave the
// manifest, the master key file is replaced), each erasure audited. With the master key in the
// environment the vault cannot choose the next key: the erasure waits for the operator, flagged.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { worldForSuite } from './service-world.ts';
import { FINDINGS_VCF, approvedResearchProject, grant } from './consent-kit.ts';

const HEALTH_RESEARCH = ['DUO:0000006'];
const CONSENTED = { kind: 'research_use', status: 'consented', scope: { permission: 'DUO:0000006' } };

describe('research consent and its withdrawal (HTTPS)', function () {
  describe('with the master key in a key file', () => {
    const world = worldForSuite({ https: true, patientAVcf: FINDINGS_VCF, masterKeyFile: true });
    const w = () => world.w;

    it('lists the research scope for the gateway; stop_future_use removes the patient from the next decision and keeps the samples', async () => {
      const patient = await w().login('pat_a');
      const researcher = w().accounts.researcher!.accountId;
      const projectId = await approvedResearchProject(w(), HEALTH_RESEARCH);
      const asResearcher = () =>
        w().service.authorizer.authorize(
          { subject: { userId: researcher, roles: ['researcher'] }, patientId: w().patientA, resource: 'research_data', action: 'read', purpose: 'research', qualifiers: { projectId } },
          { requestId: 'gateway-check' },
        );
      assert.equal((await asResearcher()).allowed, false, 'no research consent: no research use');
      const consent = await grant(w(), patient, w().patientA, CONSENTED);
      assert.deepEqual(
        w().service.researchConsents().map((c) => [c.patientId, c.scope.permission, c.directiveId]),
        [[w().patientA, 'DUO:0000006', consent.directiveId]],
      );
      assert.equal((await asResearcher()).allowed, true);
      const withdrawn = await w().http<{ erasure?: unknown }>(`/patients/${w().patientA}/consents/${consent.directiveId}`, {
        method: 'POST', token: patient, body: { replaces: 1, directive: { kind: 'research_use', status: 'withdrawn', mode: 'stop_future_use' } },
      });
      assert.equal(withdrawn.status, 200);
      assert.equal(withdrawn.body.erasure, undefined);
      assert.deepEqual(w().service.researchConsents(), []);
      assert.equal((await asResearcher()).allowed, false, 'withdrawn: refused from the next decision');
      assert.equal(w().service.vault.catalog.samplesOf(w().patientA).length, 1, 'the samples stay');
    });

    it('refuses a proxy who manages consents the erasure of the samples: nothing recorded, nothing erased, the refusal audited', async () => {
      const proxy = w().accounts.proxy_a!.accountId;
      const counselor = await w().login('counselor');
      const enrolled = w().service.consents.current(w().patientA).directives.find((d) => d.directive.kind === 'proxy' && d.directive.proxyAccountId === proxy)!;
      const widened = await w().http(`/patients/${w().patientA}/consents/${enrolled.directiveId}`, {
        method: 'POST', token: counselor, body: { replaces: enrolled.version, directive: { kind: 'proxy', proxyKind: 'legal_representative', proxyAccountId: proxy, documentation: 'poa-2026-3', permissions: ['view_results', 'manage_consents'] }, evidence: { reference: 'poa-2026-3' } },
      });
      assert.equal(widened.status, 200, widened.text);
      const before = w().service.consents.history(w().patientA).length;
      const samples = w().service.vault.catalog.samplesOf(w().patientA).length;
      const refused = await w().http(`/patients/${w().patientA}/consents`, {
        method: 'POST', token: await w().login('proxy_a'), body: { directive: { kind: 'research_use', status: 'withdrawn', mode: 'erase_samples' } },
      });
      assert.equal(refused.status, 404);
      assert.equal(w().service.consents.history(w().patientA).length, before, 'nothing recorded');
      assert.equal(w().service.vault.catalog.samplesOf(w().patientA).length, samples, 'nothing erased');
      const decisions = (await w().auditOf(refused)).filter((e) => e.body.resource === 'variants' && e.body.action === 'delete');
      assert.deepEqual(decisions.map((e) => e.body.decision), ['deny']);
    });

    it('erases every sample on erase_samples, rotating the master key, audited; clinical reads then find no samples', async () => {
      const patient = await w().login('pat_a');
      const clinician = await w().login('clin_a');
      const [sample] = w().service.vault.catalog.samplesOf(w().patientA);
      assert.ok(sample);
      const keyBefore = await readFile(`${w().service.config.dataDir}.master-key`, 'utf8');
      const current = w().service.consents.current(w().patientA).directives.find((d) => d.directive.kind === 'research_use')!;
      const erased = await w().http<{ erasure: { status: string; samplesErased: number } }>(`/patients/${w().patientA}/consents/${current.directiveId}`, {
        method: 'POST', token: patient, body: { replaces: current.version, directive: { kind: 'research_use', status: 'withdrawn', mode: 'erase_samples' } },
      });
      assert.equal(erased.status, 200, erased.text);
      assert.deepEqual(erased.body.erasure, { status: 'erased', samplesErased: 1, samplesPending: 0 });
      assert.equal(w().service.vault.catalog.samplesOf(w().patientA).length, 0);
      assert.throws(() => w().service.vault.keyOf(sample.sampleId), /no data key/, 'the sample key left the manifest');
      assert.notEqual(await readFile(`${w().service.config.dataDir}.master-key`, 'utf8'), keyBefore, 'the master key was replaced');
      const entries = await w().auditOf(erased);
      const erasure = entries.find((e) => e.body.action === 'research.erase_sample');
      assert.deepEqual([erasure?.body.decision, erasure?.body.targetId, erasure?.body.patientId, erasure?.body.flagged], ['success', sample.sampleId, w().patientA, true], 'destroying data is flagged for review');
      const variants = await w().http<{ variants: unknown[]; notes: { code: string }[] }>(`/patients/${w().patientA}/variants`, { token: clinician });
      assert.equal(variants.status, 200);
      assert.deepEqual(variants.body.variants, []);
      assert.ok(variants.body.notes.some((n) => n.code === 'no_samples'));
    });
  });

  describe('with the master key in the environment', () => {
    const world = worldForSuite({ https: true, patientAVcf: FINDINGS_VCF });
    const w = () => world.w;

    it('records the withdrawal at once and leaves the erasure to the operator, flagged', async () => {
      const patient = await w().login('pat_a');
      const withdrawn = await w().http<{ erasure: { status: string; samplesPending: number } }>(`/patients/${w().patientA}/consents`, {
        method: 'POST', token: patient, body: { directive: { kind: 'research_use', status: 'withdrawn', mode: 'erase_samples' } },
      });
      assert.equal(withdrawn.status, 201, withdrawn.text);
      assert.deepEqual(withdrawn.body.erasure, { status: 'pending_operator', samplesErased: 0, samplesPending: 1 });
      assert.equal(w().service.vault.catalog.samplesOf(w().patientA).length, 1);
      const pending = (await w().auditOf(withdrawn)).find((e) => e.body.action === 'research.erase_sample');
      assert.deepEqual([pending?.body.decision, pending?.body.reason, pending?.body.flagged], ['failure', 'master_key_from_environment', true]);
    });
  });
});
