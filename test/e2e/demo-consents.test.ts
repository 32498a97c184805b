// The demo's consent trials as `npm run demo` prints them, pasted into a shell against the demo
// vault served over HTTPS: each permit and each refusal answers as printed, and the answers hold
// what the directives say (masked rows for the clinician, none for the proxy, exactly the shared
// finding for the relative, the insurer permitted for one patient and refused for another...).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { makeTempDir } from '../helpers/temp-dir.ts';
import type { VaultService } from '../../vault/service/open-service.ts';
import { serveVault } from '../../vault/service/http-service.ts';
import { caCertificatePath } from '../../vault/service/tls-material.ts';
import type { RunningServer } from '../../vault/http/start-server.ts';
import type { DemoService } from '../../vault/demo/demo-service.ts';
import { buildDemoVault } from './demo-kit.ts';
import type { LoginContext } from '../../vault/demo/demo-instructions.ts';
import { consentInstructions, consentTrials, trialCommand, type Trial } from '../../vault/demo/demo-consent-trials.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const MARK = '@@ trial';

interface Answer {
  trial: Trial;
  role: string;
  status: number;
  body: Record<string, unknown>;
}

/** Runs a script in bash from the repository root (where `npx genovault` is found); its stdout. */
function bash(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd: REPO, env: { ...process.env, GENOVAULT_MASTER_KEY: '' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out).toString('utf8')) : reject(new Error(`bash exited ${code}: ${Buffer.concat(err).toString('utf8')}`))));
  });
}

/**
 * The printed shell lines, run as printed: the two functions, then each role's login and trials
 * (a marker before each trial separates the answers). Returns each trial's status and body.
 */
async function runPrinted(lines: readonly string[], ctx: LoginContext, demo: DemoService): Promise<Answer[]> {
  const definitions = lines.filter((l) => /^ {2}gv(_login)?\(\)/.test(l));
  assert.equal(definitions.length, 2, 'both shell functions are printed');
  const script = [...definitions.map((l) => l.trim())];
  const expected: { role: string; trial: Trial }[] = [];
  for (const { role, trials } of consentTrials(ctx, demo.consents)) {
    const login = lines.find((l) => l.startsWith(`  gv_login demo.${role} `));
    assert.ok(login, `a login is printed for ${role}`);
    script.push(login.trim());
    for (const trial of trials) {
      const printed = lines.find((l) => l.trim().startsWith(trialCommand(trial)));
      assert.ok(printed, `printed: ${trialCommand(trial)}`);
      script.push(`echo '${MARK}'`, printed.trim());
      expected.push({ role, trial });
    }
  }
  const chunks = (await bash(script.join('\n'))).split(`${MARK}\n`).slice(1);
  assert.equal(chunks.length, expected.length);
  return chunks.map((chunk, i) => {
    const match = /\n-> HTTP (\d{3})\n$/.exec(chunk);
    assert.ok(match, `no status after ${trialCommand(expected[i]!.trial)}: ${chunk}`);
    const text = chunk.slice(0, match.index);
    return { ...expected[i]!, status: Number(match[1]), body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  });
}

describe('the demo\u2019s consents, tried as printed (HTTPS)', function () {
  this.timeout(300_000);
  let dir: { path: string; remove: () => Promise<void> };
  let service: VaultService;
  let server: RunningServer;
  let demo: DemoService;
  let ctx: LoginContext;
  let printed: string[];
  let answers: Answer[];
  const answerOf = (role: string, path: string) => {
    const found = answers.find((a) => a.role === role && a.trial.path === path);
    assert.ok(found, `${role} ${path}`);
    return found;
  };

  before(async () => {
    dir = await makeTempDir('genovault-demo-consents-');
    let dataDir: string;
    ({ dataDir, service, demo } = await buildDemoVault(dir.path, { host: '127.0.0.1', port: '0' }));
    server = await serveVault(service, pino({ level: 'silent' }));
    // the certificate names localhost, as the demo prints it
    ctx = { accounts: demo.people.accounts, focus: demo.focus, caCertificate: caCertificatePath(dataDir), baseUrl: `https://localhost:${new URL(server.url).port}` };
    printed = consentInstructions(ctx, demo.consents);
    answers = await runPrinted(printed, ctx, demo);
  });
  after(async () => {
    await server?.close(1000);
    await service?.close();
    await dir?.remove();
  });

  it('prints, for every role that reads patient data, at least one permit and one refusal, and each answers as printed', () => {
    const roles = consentTrials(ctx, demo.consents);
    assert.deepEqual(roles.map((r) => r.role), ['clinician', 'proxy', 'relative', 'insurer', 'external_recipient', 'patient', 'ethics_board', 'auditor']);
    for (const { role, trials } of roles) {
      assert.ok(trials.some((t) => t.status === 200) && trials.some((t) => t.status === 404), role);
    }
    for (const a of answers) assert.equal(a.status, a.trial.status, `${a.role} ${a.trial.path}: ${JSON.stringify(a.body).slice(0, 300)}`);
    for (const a of answers) assert.ok(printed.some((l) => l.includes(`# ${a.trial.status === 200 ? 'permitted' : 'refused (404)'}: ${a.trial.says}`)), a.trial.says);
  });

  it('the clinician reads the record of the patient who denied clinical use, never their variants; the declined findings come masked', () => {
    const { clinicalUseDeniedPatientId: noClinical, declinedFindingsPatientId: declined, declinedGene } = demo.consents;
    assert.equal(answerOf('clinician', `/patients/${noClinical}`).body.patientId, noClinical);
    const masked = answerOf('clinician', `/patients/${declined}/variants?gene=${declinedGene}`).body.variants as Record<string, unknown>[];
    assert.ok(masked.length > 0);
    assert.ok(masked.every((v) => v.masked === true && v.note === 'patient declined to learn' && !('pos' in v)), 'every row of the declined gene is masked');
  });

  it('the proxy sees none of the declined findings, and the proxy directive among the consents', () => {
    const { declinedFindingsPatientId: declined, declinedGene } = demo.consents;
    const view = answerOf('proxy', `/patients/${declined}/variants?gene=${declinedGene}`).body;
    assert.deepEqual(view.variants, []);
    assert.ok((view.notes as { code: string }[]).some((n) => n.code === 'declined_findings_left_out'));
    const kinds = (answerOf('proxy', `/patients/${declined}/consents`).body.directives as { kind: string }[]).map((d) => d.kind).sort();
    assert.deepEqual(kinds, ['findings_preferences', 'proxy']);
  });

  it('the relative and the insurer receive exactly the shared BRCA1 result; the insurer is refused for the other purpose and the other patient, each refusal audited with why', async () => {
    const focus = demo.focus.focusPatientId;
    const positions = (body: Record<string, unknown>) => (body.findings as { pos: number; gene: string }[]).map((f) => `${f.gene}:${f.pos}`).sort();
    const shared = demo.consents.sharedVariants.map((v) => `BRCA1:${v.pos}`).sort();
    assert.deepEqual(positions(answerOf('relative', `/patients/${focus}/shared-findings`).body), shared);
    assert.deepEqual(positions(answerOf('insurer', `/patients/${focus}/released-findings?releasePurpose=underwriting`).body), shared);
    const reasons = (await service.audit.query({ actorRole: 'insurer', limit: 1000 })).filter((e) => e.body.action === 'release.refused').map((e) => [e.body.patientId, e.body.reason]);
    assert.deepEqual(reasons.sort(), [
      [demo.consents.expiredAuthorizationPatientId, 'underwriting defective:expired'],
      [focus, 'claims defective:purpose_not_covered'],
    ].sort());
    const board = answerOf('ethics_board', '/oversight/insurer-attempts').body.items as { patientId: string; decision: string; reason: string | null }[];
    assert.ok(board.some((a) => a.patientId === focus && a.decision === 'permit'));
    assert.ok(board.some((a) => a.patientId === demo.consents.expiredAuthorizationPatientId && a.reason === 'underwriting defective:expired'));
  });

  it('the other hospital receives the ACMG secondary findings; the patient sees their directives and the releases in the accounting', () => {
    const focus = demo.focus.focusPatientId;
    const released = answerOf('external_recipient', `/patients/${focus}/released-findings?releasePurpose=continuing_care`).body.findings as { categories: string[] }[];
    assert.ok(released.length >= demo.consents.sharedVariants.length && released.every((f) => f.categories.includes('acmg_secondary')));
    const kinds = (answerOf('patient', `/patients/${focus}/consents`).body.directives as { kind: string }[]).map((d) => d.kind).sort();
    assert.deepEqual(kinds, ['family_sharing', 'insurer_release', 'third_party_release']);
    const accounting = answerOf('patient', `/patients/${focus}/disclosures`).body.items as { recipient: { kind: string } }[];
    assert.deepEqual([...new Set(accounting.map((d) => d.recipient.kind))].sort(), ['insurer', 'relative', 'third_party']);
  });

  it('the auditor has the clinician\u2019s refusal explained: denied, by the clinical-use rule', () => {
    const explained = answerOf('auditor', '/policy/explain').body as { decision: string; explanation: string; factsFrom: string; relations: Record<string, boolean> };
    assert.equal(explained.decision, 'deny');
    assert.equal(explained.factsFrom, 'lookup');
    assert.equal(explained.relations.care_team, true);
    assert.equal(explained.relations.clinical_use, false);
  });
});
