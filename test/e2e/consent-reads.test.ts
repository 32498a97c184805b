// What a reader of a patient's directives sees: consents with the permit to read consents, and a
// release authorization or a proxy's authority only with a permit on that kind too (a proxy sees
// its own authority). A proxy who may manage consents but not authorize releases sees no release,
// in the list, the FHIR bundle or the history; each extra decision is audited. Over HTTPS.
import { strict as assert } from 'node:assert';
import { worldForSuite } from './service-world.ts';
import { grant, insurerRelease, setProxyPermissions } from './consent-kit.ts';

interface Listed { directives: { kind: string; directiveId: string }[] }

describe('reading a patient\u2019s directives, kind by kind (HTTPS)', function () {
  this.timeout(120_000);
  const world = worldForSuite({ https: true });

  it('a proxy without the right to authorize releases sees none of them, a patient and a counsellor see them, and the proxy sees its own authority', async () => {
    const { w } = world;
    const counselor = await w.login('counselor');
    const patient = await w.login('pat_a');
    const enrolled = await setProxyPermissions(w, counselor, ['view_results', 'manage_consents']);
    const release = await grant(w, patient, w.patientA, insurerRelease(w.accounts.insurer!.accountId));

    const proxy = await w.login('proxy_a');
    const kinds = async (token: string) => (await w.http<Listed>(`/patients/${w.patientA}/consents`, { token })).body.directives.map((d) => d.kind).sort();
    const listed = await w.http<Listed>(`/patients/${w.patientA}/consents`, { token: proxy });
    assert.equal(listed.status, 200, listed.text);
    assert.ok(!listed.body.directives.some((d) => d.directiveId === release.directiveId), 'no release authorization for a proxy without authorize_releases');
    assert.ok(listed.body.directives.some((d) => d.directiveId === enrolled.directiveId), 'the proxy sees its own authority');
    assert.ok(!listed.text.includes('Lifeline Mutual'), 'nothing of the release');
    const decisions = (await w.auditOf(listed)).map((e) => `${e.body.resource} ${e.body.action} ${e.body.decision}`);
    assert.ok(decisions.includes('release_authorization read deny'), `the release kind decided and audited: ${decisions.join(', ')}`);
    const fhir = await w.http<{ entry?: { resource: Record<string, unknown> }[] }>(`/patients/${w.patientA}/consents`, { token: proxy, headers: { accept: 'application/fhir+json' } });
    assert.equal(fhir.status, 200, fhir.text);
    assert.ok(!fhir.text.includes('Lifeline Mutual') && !fhir.text.includes(release.directiveId), 'nor in the FHIR bundle');
    const history = await w.http<{ items: { directiveId: string; kind: string }[] }>(`/patients/${w.patientA}/consents/history`, { token: proxy });
    assert.equal(history.status, 200, history.text);
    assert.ok(!history.body.items.some((i) => i.directiveId === release.directiveId || i.kind === 'insurer_release'), 'nor in the history');

    for (const token of [patient, counselor]) assert.ok((await kinds(token)).includes('insurer_release'), 'the patient and the counsellor on the care team see it');

    await setProxyPermissions(w, counselor, ['view_results', 'manage_consents', 'authorize_releases']);
    assert.ok((await kinds(await w.login('proxy_a'))).includes('insurer_release'), 'once allowed to authorize releases, the proxy sees them');
  });
});
