// Named cases, allowed and refused side by side, in the manner of casbin's
// testEnforce(e, sub, obj, act, expected): each row is one request and its expected answer.
import assert from 'node:assert/strict';
import { createAuthorizer, type AccessRequest, type Authorizer } from '../../../consent/policy/authorize.ts';
import type { Action, Resource } from '../../../consent/policy/vocabulary.ts';
import { auditRecorder } from './helpers/audit-recorder.ts';
import { InMemoryRelationships } from './helpers/relationships.ts';
import { view } from './helpers/situations.ts';

const ALICE = 'patient-alice';
const BOB = 'patient-bob';
/** a patient whose clinical-use directive denies */
const CAROL_DENIED = 'patient-carol';

type Expected = 'permit' | 'deny' | 'break-glass';
interface Row {
  user: string;
  roles: string[];
  patient: string | null;
  resource: Resource;
  action: Action;
  purpose: string;
  expected: Expected;
  /** the rule id that must decide; null = refused by default, no rule */
  rule: string | null;
}

const row = (
  user: string,
  roles: string[],
  patient: string | null,
  resource: Resource,
  action: Action,
  purpose: string,
  expected: Expected,
  rule: string | null,
): Row => ({ user, roles, patient, resource, action, purpose, expected, rule });

function relationships(): InMemoryRelationships {
  return new InMemoryRelationships()
    .addToCareTeam('dr-carol', ALICE)
    .addToCareTeam('gc-erin', ALICE)
    .addToCareTeam('admin-grace', ALICE)
    .addToCareTeam('dr-both', ALICE)
    .addToCareTeam('auditor-heidi', ALICE)
    .setOwnAccount('alice', ALICE)
    .setOwnAccount('bob', BOB)
    .setProxy('proxy-frank', ALICE)
    .grantBreakGlass('dr-dan', BOB)
    .addToCareTeam('dr-carol', CAROL_DENIED)
    .addDirective(view({ kind: 'clinical_use', decision: 'deny' }, CAROL_DENIED))
    .addDirective(view({ kind: 'family_sharing', relative: { accountId: 'relative-mia', relationship: 'sibling' }, share: { categories: ['carrier_status'], variants: [] } }, ALICE));
}

const TABLE: Row[] = [
  // clinicians: care team or break-glass, for treatment only
  row('dr-carol', ['clinician'], ALICE, 'record', 'read', 'treatment', 'permit', 'clinician-reads-record-on-care-team'),
  row('dr-carol', ['clinician'], ALICE, 'variants', 'read', 'treatment', 'permit', 'clinician-reads-variants-on-care-team'),
  row('dr-carol', ['clinician'], BOB, 'variants', 'read', 'treatment', 'deny', null),
  row('dr-carol', ['clinician'], BOB, 'record', 'read', 'treatment', 'deny', null),
  row('dr-carol', ['clinician'], ALICE, 'variants', 'read', 'research', 'deny', null),
  row('dr-carol', ['clinician'], ALICE, 'variants', 'read', 'insurance', 'deny', null),
  row('dr-carol', ['clinician'], ALICE, 'consent', 'read', 'treatment', 'deny', null),
  row('dr-carol', ['clinician'], ALICE, 'access_log', 'read', 'treatment', 'deny', null),
  row('dr-dan', ['clinician'], BOB, 'variants', 'read', 'treatment', 'break-glass', 'clinician-reads-variants-by-break-glass'),
  row('dr-dan', ['clinician'], BOB, 'record', 'read', 'treatment', 'break-glass', 'clinician-reads-record-by-break-glass'),
  row('dr-dan', ['clinician'], BOB, 'record', 'update', 'treatment', 'deny', null),
  row('dr-dan', ['clinician'], ALICE, 'variants', 'read', 'treatment', 'deny', null),
  row('dr-dan', ['clinician'], ALICE, 'break_glass', 'create', 'treatment', 'permit', 'clinician-opens-break-glass'),
  // registration is not a clinician's: registering must never be a way to a patient's data
  row('dr-dan', ['clinician'], null, 'record', 'create', 'treatment', 'deny', null),
  row('dr-dan', ['clinician'], null, 'record', 'create', 'operations', 'deny', null),
  row('dr-dan', ['clinician'], ALICE, 'patient_account', 'create', 'operations', 'deny', null),
  row('dr-carol', ['clinician'], ALICE, 'record', 'update', 'treatment', 'permit', 'clinician-updates-record-on-care-team'),
  row('dr-dan', ['clinician'], ALICE, 'record', 'update', 'treatment', 'deny', null),
  // genetic counselors: care-team patients, treatment
  row('gc-erin', ['genetic_counselor'], ALICE, 'variants', 'read', 'treatment', 'permit', 'counselor-reads-variants-on-care-team'),
  row('gc-erin', ['genetic_counselor'], ALICE, 'record', 'read', 'treatment', 'permit', 'counselor-reads-record-on-care-team'),
  row('gc-erin', ['genetic_counselor'], BOB, 'variants', 'read', 'treatment', 'deny', null),
  row('gc-erin', ['genetic_counselor'], ALICE, 'variants', 'read', 'research', 'deny', null),
  row('gc-erin', ['genetic_counselor'], ALICE, 'break_glass', 'create', 'treatment', 'deny', null),
  row('gc-erin', ['genetic_counselor'], ALICE, 'patient_account', 'create', 'operations', 'permit', 'counselor-manages-patient-accounts-on-care-team'),
  row('gc-erin', ['genetic_counselor'], BOB, 'patient_account', 'create', 'operations', 'deny', null),
  row('gc-erin', ['genetic_counselor'], null, 'record', 'create', 'operations', 'deny', null),
  // registration staff: register, assign care teams, enrol a patient's circle; never read the data
  row('reg-olga', ['registrar'], null, 'record', 'create', 'operations', 'permit', 'registrar-registers-patients'),
  row('reg-olga', ['registrar'], BOB, 'care_team', 'create', 'operations', 'permit', 'registrar-manages-care-teams'),
  row('reg-olga', ['registrar'], BOB, 'patient_account', 'create', 'operations', 'permit', 'registrar-manages-patient-accounts'),
  row('reg-olga', ['registrar'], BOB, 'patient_account', 'delete', 'operations', 'permit', 'registrar-manages-patient-accounts'),
  row('reg-olga', ['registrar'], BOB, 'record', 'read', 'operations', 'deny', null),
  row('reg-olga', ['registrar'], BOB, 'variants', 'read', 'treatment', 'deny', 'registrar-never-touches-variants'),
  row('reg-olga', ['registrar'], null, 'account', 'create', 'operations', 'deny', null),
  // EHR service account
  row('ehr', ['ehr_service'], null, 'record', 'create', 'operations', 'permit', 'ehr-creates-record'),
  row('ehr', ['ehr_service'], ALICE, 'patient_account', 'create', 'operations', 'deny', null),
  row('ehr', ['ehr_service'], ALICE, 'record', 'update', 'treatment', 'permit', 'ehr-updates-record'),
  row('ehr', ['ehr_service'], ALICE, 'care_team', 'update', 'operations', 'permit', 'ehr-manages-care-teams'),
  row('ehr', ['ehr_service'], ALICE, 'record', 'read', 'treatment', 'deny', null),
  row('ehr', ['ehr_service'], ALICE, 'variants', 'read', 'treatment', 'deny', null),
  // patients: own record, variants, access log; nobody else's
  row('alice', ['patient'], ALICE, 'record', 'read', 'self', 'permit', 'patient-reads-own-record'),
  row('alice', ['patient'], ALICE, 'variants', 'read', 'self', 'permit', 'patient-reads-own-variants'),
  row('alice', ['patient'], ALICE, 'access_log', 'read', 'self', 'permit', 'patient-reads-own-access-log'),
  row('alice', ['patient'], BOB, 'record', 'read', 'self', 'deny', null),
  row('alice', ['patient'], BOB, 'variants', 'read', 'self', 'deny', null),
  row('alice', ['patient'], BOB, 'access_log', 'read', 'self', 'deny', null),
  row('alice', ['patient'], ALICE, 'record', 'update', 'self', 'deny', null),
  row('alice', ['patient'], ALICE, 'variants', 'read', 'treatment', 'deny', null),
  // proxies: the patient they represent, nobody else
  row('proxy-frank', ['proxy'], ALICE, 'variants', 'read', 'self', 'permit', 'proxy-reads-variants'),
  row('proxy-frank', ['proxy'], ALICE, 'record', 'read', 'self', 'permit', 'proxy-reads-record'),
  row('proxy-frank', ['proxy'], ALICE, 'access_log', 'read', 'self', 'permit', 'proxy-reads-access-log'),
  row('proxy-frank', ['proxy'], BOB, 'variants', 'read', 'self', 'deny', null),
  row('proxy-frank', ['proxy'], BOB, 'record', 'read', 'self', 'deny', null),
  row('proxy-frank', ['patient'], ALICE, 'record', 'read', 'self', 'deny', null),
  // admins: accounts, care teams, keys; never records, variants, consents (deny overrides)
  row('admin-grace', ['admin'], null, 'account', 'create', 'operations', 'permit', 'admin-manages-accounts'),
  row('admin-grace', ['admin'], ALICE, 'care_team', 'update', 'operations', 'deny', 'admin-never-assigns-care-teams'),
  row('admin-grace', ['admin'], ALICE, 'patient_account', 'create', 'operations', 'deny', 'admin-never-manages-patient-accounts'),
  row('admin-grace', ['admin'], null, 'record', 'create', 'operations', 'deny', 'admin-never-touches-records'),
  row('admin-grace', ['admin'], null, 'key', 'update', 'operations', 'permit', 'admin-manages-keys'),
  row('admin-grace', ['admin'], null, 'account', 'create', 'treatment', 'deny', null),
  row('admin-grace', ['admin'], ALICE, 'variants', 'read', 'treatment', 'deny', 'admin-never-touches-variants'),
  row('admin-grace', ['admin'], ALICE, 'record', 'read', 'operations', 'deny', 'admin-never-touches-records'),
  row('admin-grace', ['admin'], ALICE, 'consent', 'read', 'operations', 'deny', 'admin-never-touches-consents'),
  row('admin-grace', ['admin', 'clinician'], ALICE, 'variants', 'read', 'treatment', 'deny', 'admin-never-touches-variants'),
  row('dr-both', ['clinician', 'admin'], ALICE, 'record', 'read', 'treatment', 'deny', 'admin-never-touches-records'),
  row('admin-grace', ['admin'], ALICE, 'audit', 'read', 'operations', 'deny', null),
  // auditors and ethics board: the trail, never the data
  row('auditor-heidi', ['auditor'], null, 'audit', 'read', 'operations', 'permit', 'auditor-reads-audit-events'),
  row('auditor-heidi', ['auditor'], ALICE, 'variants', 'read', 'operations', 'deny', 'auditor-never-touches-variants'),
  row('auditor-heidi', ['auditor', 'clinician'], ALICE, 'variants', 'read', 'treatment', 'deny', 'auditor-never-touches-variants'),
  row('auditor-heidi', ['auditor'], ALICE, 'record', 'read', 'operations', 'deny', 'auditor-never-touches-records'),
  row('ethics-ivan', ['ethics_board'], null, 'audit', 'read', 'operations', 'permit', 'ethics-board-reads-audit-events'),
  row('ethics-ivan', ['ethics_board'], null, 'break_glass', 'read', 'operations', 'permit', 'ethics-board-reads-break-glass-queue'),
  row('ethics-ivan', ['ethics_board'], null, 'policy', 'read', 'operations', 'permit', 'ethics-board-reads-policy'),
  row('ethics-ivan', ['ethics_board'], null, 'policy', 'update', 'operations', 'deny', null),
  row('ethics-ivan', ['ethics_board'], ALICE, 'variants', 'read', 'operations', 'deny', 'ethics-board-never-touches-variants'),
  row('ethics-ivan', ['ethics_board'], ALICE, 'record', 'read', 'research', 'deny', 'ethics-board-never-touches-records'),
  row('privacy-pat', ['privacy_officer'], null, 'audit', 'read', 'operations', 'permit', 'privacy-officer-reads-audit-events'),
  row('privacy-pat', ['privacy_officer'], ALICE, 'record', 'read', 'operations', 'deny', 'privacy-officer-never-touches-records'),
  row('privacy-pat', ['privacy_officer'], ALICE, 'variants', 'read', 'operations', 'deny', 'privacy-officer-never-touches-variants'),
  // researchers, insurers, relatives: never the record or the variants themselves; only the
  // consent-gated views, and only while the directive holds (without one: refused by default)
  row('researcher-judy', ['researcher'], ALICE, 'variants', 'read', 'research', 'deny', 'researcher-never-reads-variants'),
  row('researcher-judy', ['researcher'], ALICE, 'record', 'read', 'research', 'deny', 'researcher-never-reads-records'),
  row('researcher-judy', ['researcher'], ALICE, 'research_data', 'read', 'research', 'deny', null),
  row('insurer-ken', ['insurer'], ALICE, 'variants', 'read', 'insurance', 'deny', 'insurer-never-reads-variants'),
  row('insurer-ken', ['insurer'], ALICE, 'record', 'read', 'insurance', 'deny', 'insurer-never-reads-records'),
  row('insurer-ken', ['insurer'], ALICE, 'released_findings', 'read', 'insurance', 'deny', null),
  row('relative-lee', ['relative'], ALICE, 'variants', 'read', 'family', 'deny', 'relative-never-reads-variants'),
  row('relative-lee', ['relative'], ALICE, 'record', 'read', 'family', 'deny', 'relative-never-reads-records'),
  row('relative-lee', ['relative'], ALICE, 'shared_findings', 'read', 'family', 'deny', null),
  row('relative-mia', ['relative'], ALICE, 'shared_findings', 'read', 'family', 'permit', 'relative-reads-shared-findings'),
  row('relative-mia', ['relative'], BOB, 'shared_findings', 'read', 'family', 'deny', null),
  row('relative-mia', ['relative'], ALICE, 'record', 'read', 'family', 'deny', 'relative-never-reads-records'),
  // consents: the patient, a proxy allowed to manage them, a counselor on the care team; never oversight
  row('alice', ['patient'], ALICE, 'consent', 'create', 'self', 'permit', 'patient-manages-own-consents'),
  row('alice', ['patient'], ALICE, 'release_authorization', 'create', 'self', 'permit', 'patient-manages-own-release-authorizations'),
  row('alice', ['patient'], BOB, 'consent', 'read', 'self', 'deny', null),
  row('proxy-frank', ['proxy'], ALICE, 'consent', 'read', 'self', 'deny', null),
  row('gc-erin', ['genetic_counselor'], ALICE, 'consent', 'update', 'treatment', 'permit', 'counselor-manages-consents-on-care-team'),
  row('gc-erin', ['genetic_counselor'], BOB, 'consent', 'update', 'treatment', 'deny', null),
  row('ethics-ivan', ['ethics_board'], ALICE, 'consent', 'read', 'operations', 'deny', 'ethics-board-never-reads-consents'),
  row('ethics-ivan', ['ethics_board'], null, 'consent_report', 'read', 'operations', 'permit', 'ethics-board-reads-consent-report'),
  row('auditor-heidi', ['auditor'], ALICE, 'release_authorization', 'read', 'operations', 'deny', 'auditor-never-reads-release-authorizations'),
  // a patient who denied clinical use: care team or not, no clinician sees the variants; the record stays
  row('dr-carol', ['clinician'], CAROL_DENIED, 'variants', 'read', 'treatment', 'deny', null),
  row('dr-carol', ['clinician'], CAROL_DENIED, 'record', 'read', 'treatment', 'permit', 'clinician-reads-record-on-care-team'),
  row('dr-dan', ['clinician'], BOB, 'declined_findings', 'read', 'treatment', 'break-glass', 'clinician-unmasks-declined-findings-by-break-glass'),
  row('dr-carol', ['clinician'], ALICE, 'declined_findings', 'read', 'treatment', 'deny', null),
  // unknown roles and purposes, and no role at all
  row('dr-carol', ['surgeon'], ALICE, 'record', 'read', 'treatment', 'deny', null),
  row('dr-carol', ['clinician'], ALICE, 'record', 'read', 'curiosity', 'deny', null),
  row('dr-carol', ['clinician'], ALICE, 'record', 'read', '*', 'deny', null),
  row('dr-carol', [], ALICE, 'record', 'read', 'treatment', 'deny', null),
];

describe('authorize(): who may do what, allowed and refused side by side', () => {
  let authorizer: Authorizer;
  let recorder: ReturnType<typeof auditRecorder>;

  beforeEach(async () => {
    recorder = auditRecorder();
    authorizer = await createAuthorizer({ facts: relationships(), audit: recorder.audit });
  });

  for (const r of TABLE) {
    const label = `${r.expected.padEnd(11)} ${r.roles.join('+') || '(none)'} ${r.action} ${r.resource} ` +
      `of ${r.patient ?? '(no patient)'} for ${r.purpose} as ${r.user}`;
    it(label, async () => {
      const request: AccessRequest = {
        subject: { userId: r.user, roles: r.roles },
        patientId: r.patient,
        resource: r.resource,
        action: r.action,
        purpose: r.purpose,
      };
      const decision = await authorizer.authorize(request, { requestId: 'req-1' });
      assert.equal(decision.allowed, r.expected !== 'deny', decision.explanation);
      assert.equal(decision.breakGlass, r.expected === 'break-glass');
      const ruleId = decision.rule === null ? null : decision.rule.split(', ')[1];
      assert.equal(ruleId, r.rule);
      assert.equal(recorder.events.length, 1);
      const event = recorder.events[0]!;
      assert.equal(event.decision, r.expected === 'deny' ? 'deny' : 'permit');
      assert.equal(event.flagged, r.expected === 'break-glass');
      assert.equal(event.rule, decision.rule);
      assert.deepEqual(
        [event.actorId, event.actorRoles, event.patientId, event.resource, event.action, event.purpose],
        [r.user, r.roles, r.patient, r.resource, r.action, r.purpose],
      );
    });
  }
});
