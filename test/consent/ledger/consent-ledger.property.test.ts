// Generated directive histories, run against the ledger on the real sealed log and against a
// small model of the rules: the derived state, the history and the refusals must agree, replay
// must give the same state, a revoked directive must never again be what permits anything, and
// clinical and research consent must never move each other's verdict.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { Directive, DirectiveKind, DirectiveOf } from '../../../schemas/consent/directive.ts';
import type { WithdrawalMode } from '../../../schemas/consent/clinical-research.ts';
import { ConsentLedgerError } from '../../../consent/ledger/ledger-errors.ts';
import type { PatientConsents } from '../../../consent/ledger/directive-view.ts';
import { clinicalUseVerdict } from '../../../consent/evaluation/clinical-use.ts';
import { researchConsent } from '../../../consent/evaluation/research-use.ts';
import { declinedFindings } from '../../../consent/evaluation/findings.ts';
import { relativeShare } from '../../../consent/evaluation/family-sharing.ts';
import { findProxyAuthority, proxyVerdict } from '../../../consent/evaluation/proxy-verdict.ts';
import { findReleaseAuthorization, type ReleaseDecision } from '../../../consent/evaluation/release-search.ts';
import { releaseVerdict, type ReleaseRequest } from '../../../consent/evaluation/release-verdict.ts';
import { completeInsurerRelease, proxyDirective } from '../evaluation/directive-examples.ts';
import { INSURER_ACCOUNT, OTHER_PATIENT, PATIENT, openLedgerWorld } from './ledger-kit.ts';

const PATIENTS = [PATIENT, OTHER_PATIENT];
const RELATIVES = ['acc_00000000000000e1', 'acc_00000000000000e2'];
const PROXIES = ['acc_00000000000000f1', 'acc_00000000000000f2'];
// The log stamps entries with the wall clock, so evaluations after a history run on it too.
const dayOffset = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const currentSignature = { reference: 'auth-form-1', signedOn: dayOffset(-30), signer: { type: 'patient' as const } };
const PATIENT_RECORDER = { accountId: 'acc_00000000000000a1', role: 'patient' } as const;
const COUNSELOR = { accountId: 'acc_0000000000000c01', role: 'genetic_counselor' } as const;

const byKind = {
  clinical_use: fc.constantFrom<DirectiveOf<'clinical_use'>['decision'][]>('permit', 'deny').map((decision): Directive => ({ kind: 'clinical_use', decision })),
  research_use: fc.oneof(
    fc
      .constantFrom<DirectiveOf<'research_use'> & { status: 'consented' }>(
        { kind: 'research_use', status: 'consented', scope: { permission: 'DUO:0000042', diseases: [], modifiers: [] } },
        { kind: 'research_use', status: 'consented', scope: { permission: 'DUO:0000006', diseases: [], modifiers: [{ term: 'DUO:0000045' }] } },
      )
      .map((d): Directive => structuredClone(d)),
    fc.constantFrom<WithdrawalMode[]>('stop_future_use', 'erase_samples').map((mode): Directive => ({ kind: 'research_use', status: 'withdrawn', mode })),
  ),
  findings_preferences: fc
    .tuple(...Array.from({ length: 4 }, () => fc.constantFrom<('wish' | 'decline')[]>('wish', 'decline')))
    .map(([a, b, c, d]): Directive => ({ kind: 'findings_preferences', categories: { acmg_secondary: a!, carrier_status: b!, pharmacogenomic: c!, adult_onset: d! } })),
  family_sharing: fc
    .constantFrom(...RELATIVES)
    .map((accountId): Directive => ({ kind: 'family_sharing', relative: { accountId, relationship: 'sibling' }, share: { categories: ['acmg_secondary'], variants: [] } })),
  proxy: fc.constantFrom(...PROXIES).map((proxyAccountId): Directive => proxyDirective({ proxyAccountId, permissions: ['view_record', 'manage_consents'] })),
  insurer_release: fc.boolean().map((complete): Directive => {
    const { expiry: _expiry, ...withoutExpiry } = completeInsurerRelease({ signature: currentSignature, expiry: { on: dayOffset(365) } });
    return complete ? { ...withoutExpiry, expiry: _expiry } : withoutExpiry;
  }),
} satisfies Partial<Record<DirectiveKind, fc.Arbitrary<Directive>>>;
type GeneratedKind = keyof typeof byKind;
const anyDirective: fc.Arbitrary<Directive> = fc.oneof(...Object.values(byKind));

type Command =
  | { op: 'grant'; patient: number; directive: Directive; staff: boolean; evidence: boolean }
  | { op: 'amend'; target: number; stale: boolean; keepKind: boolean; sameKind: Record<GeneratedKind, Directive>; other: Directive }
  | { op: 'revoke'; target: number; stale: boolean };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('grant' as const), patient: fc.nat(1), directive: anyDirective, staff: fc.boolean(), evidence: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('amend' as const), target: fc.nat(20), stale: fc.boolean(), keepKind: fc.boolean(), sameKind: fc.record(byKind), other: anyDirective }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('revoke' as const), target: fc.nat(20), stale: fc.boolean() }) },
);

// The model: what each directive is exclusive on, and the rules in their plainest form.
function subjectOf(d: Directive): string | null {
  if (d.kind === 'family_sharing') return 'accountId' in d.relative ? `f:${d.relative.accountId}` : null;
  if (d.kind === 'proxy') return `p:${d.proxyAccountId}`;
  if (d.kind === 'insurer_release' || d.kind === 'third_party_release') return null;
  return d.kind;
}
interface Modelled {
  id: string;
  patient: string;
  version: number;
  revoked: boolean;
  directive: Directive;
}
function clash(model: Modelled[], patient: string, d: Directive, except?: string): boolean {
  const subject = subjectOf(d);
  return subject !== null && model.some((m) => m.patient === patient && !m.revoked && m.id !== except && subjectOf(m.directive) === subject);
}

/** The ids every evaluation names as deciding something permitted, for one patient's state. */
function decidingIds(consents: PatientConsents, at: Date): string[] {
  const ids: (string | undefined)[] = [];
  const clinical = clinicalUseVerdict(consents);
  if (clinical.basis === 'directive') ids.push(clinical.directiveId);
  const research = researchConsent(consents);
  if (research.status !== 'none') ids.push(research.directiveId);
  const findings = declinedFindings(consents);
  if (findings.basis === 'directive') ids.push(findings.directiveId);
  for (const relative of RELATIVES) ids.push(relativeShare(consents, relative)?.directiveId);
  for (const proxy of PROXIES) {
    const decision = findProxyAuthority(consents, proxy, { permission: 'view_record', at });
    if (decision.permitted) ids.push(decision.directiveId);
  }
  const release: ReleaseDecision = findReleaseAuthorization(consents, insurerRequest(at));
  if (release.permitted) ids.push(release.directiveId);
  return ids.filter((id): id is string => id !== undefined);
}
const insurerRequest = (at: Date): ReleaseRequest => ({ kind: 'insurer_release', recipientId: INSURER_ACCOUNT, insurerType: 'life', purpose: 'claims', at });

describe('ConsentLedger under generated histories', function () {
  this.timeout(240_000);

  it('agrees with the model, replays to the same state, never permits on a revoked directive, and keeps clinical and research apart', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 4, maxLength: 30, size: 'large' }), async (commands) => {
        const world = await openLedgerWorld();
        try {
          const model: Modelled[] = [];
          for (const command of commands) {
            const target = command.op === 'grant' ? undefined : model[command.target % Math.max(model.length, 1)];
            if (command.op !== 'grant' && !target) continue;
            const patient = command.op === 'grant' ? PATIENTS[command.patient]! : target!.patient;
            const before = world.ledger.current(patient);
            let expected: string;
            let attempt: Promise<{ directiveId: string }>;
            let touched: DirectiveKind;
            if (command.op === 'grant') {
              touched = command.directive.kind;
              const recordedBy = command.staff ? COUNSELOR : PATIENT_RECORDER;
              const evidence = command.evidence ? { reference: 'form-1' } : undefined;
              expected = command.staff && !command.evidence ? 'evidence_required' : clash(model, patient, command.directive) ? 'already_in_force' : 'ok';
              attempt = world.ledger.grant({ patientId: patient, directive: command.directive, recordedBy, evidence });
            } else {
              const t = target!;
              touched = t.directive.kind;
              const replaces = command.stale ? t.version + 1 : t.version;
              const notCurrent = t.revoked ? 'directive_revoked' : command.stale ? 'stale_version' : null;
              if (command.op === 'amend') {
                const directive = command.keepKind && t.directive.kind in command.sameKind ? command.sameKind[t.directive.kind as GeneratedKind] : command.other;
                expected =
                  notCurrent ??
                  (directive.kind !== t.directive.kind ? 'kind_changed' : subjectOf(directive) !== subjectOf(t.directive) ? 'party_changed' : clash(model, patient, directive, t.id) ? 'already_in_force' : 'ok');
                attempt = world.ledger.amend({ patientId: patient, directiveId: t.id, replaces, directive, recordedBy: PATIENT_RECORDER });
                if (expected === 'ok') Object.assign(t, { version: t.version + 1, directive });
              } else {
                expected = notCurrent ?? 'ok';
                attempt = world.ledger.revoke({ patientId: patient, directiveId: t.id, replaces, recordedBy: PATIENT_RECORDER });
                if (expected === 'ok') Object.assign(t, { version: t.version + 1, revoked: true });
              }
            }
            const outcome = await attempt.then(
              (r) => ({ code: 'ok', id: r.directiveId }),
              (err: unknown) => {
                assert.ok(err instanceof ConsentLedgerError, String(err));
                return { code: err.code, id: '' };
              },
            );
            assert.equal(outcome.code, expected, `${command.op} of ${touched}`);
            if (command.op === 'grant' && expected === 'ok') model.push({ id: outcome.id, patient, version: 1, revoked: false, directive: command.directive });

            // Clinical and research consent are independent: changing one never moves the other.
            const after = world.ledger.current(patient);
            if (touched === 'research_use') assert.deepEqual(clinicalUseVerdict(after), clinicalUseVerdict(before));
            if (touched === 'clinical_use') assert.deepEqual(researchConsent(after), researchConsent(before));
          }

          const now = new Date();
          for (const patient of PATIENTS) {
            const current = world.ledger.current(patient);
            const live = model.filter((m) => m.patient === patient && !m.revoked);
            assert.deepEqual(
              current.directives.map((d) => [d.directiveId, d.version, d.directive]),
              live.map((m) => [m.id, m.version, m.directive]),
            );
            const mine = model.filter((m) => m.patient === patient);
            assert.equal(world.ledger.history(patient).length, mine.reduce((n, m) => n + m.version, 0), 'every version is in the history');
            // After a revoke, nothing is ever permitted on that directive.
            const revoked = new Set(mine.filter((m) => m.revoked).map((m) => m.id));
            assert.deepEqual(decidingIds(current, now).filter((id) => revoked.has(id)), []);
            for (const record of world.ledger.directives(patient)) {
              if (!revoked.has(record.directiveId)) continue;
              const d = record.directive;
              if (d.kind === 'insurer_release') assert.ok(releaseVerdict({ ...record, directive: d }, insurerRequest(now)).defects.includes('revoked'));
              if (d.kind === 'proxy') assert.ok(proxyVerdict({ ...record, directive: d }, { permission: 'view_record', at: now }).defects.includes('revoked'));
            }
          }

          const derived = PATIENTS.map((patient) => [world.ledger.current(patient), world.ledger.history(patient)]);
          const replayed = await world.reopen();
          assert.deepEqual(PATIENTS.map((patient) => [replayed.current(patient), replayed.history(patient)]), derived);
        } finally {
          await world.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});
