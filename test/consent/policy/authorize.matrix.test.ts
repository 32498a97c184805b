// Every role × resource × action × purpose × relationship to the patient, against the intended
// permissions written out here independently of policy.csv. Anything not listed must be
// refused, so a new allow line that nobody meant fails this test.
import assert from 'node:assert/strict';
import { createAuthorizer, type Authorizer } from '../../../consent/policy/authorize.ts';
import { ACTIONS, PURPOSES, RESOURCES, ROLES, type Relation } from '../../../consent/policy/vocabulary.ts';
import { auditRecorder } from './helpers/audit-recorder.ts';
import { InMemoryRelationships } from './helpers/relationships.ts';

type Situation = 'stranger' | Exclude<Relation, 'any'>;
const SITUATIONS: Situation[] = ['stranger', 'care_team', 'break_glass', 'self', 'proxy_for'];
const ALL = '*';

/** [role, resource, action (* = all four), purpose, relationship required] */
const INTENDED: [string, string, string, string, Relation][] = [
  ['clinician', 'record', 'read', 'treatment', 'care_team'],
  ['clinician', 'variants', 'read', 'treatment', 'care_team'],
  ['clinician', 'record', 'read', 'treatment', 'break_glass'],
  ['clinician', 'variants', 'read', 'treatment', 'break_glass'],
  ['clinician', 'break_glass', 'create', 'treatment', 'any'],
  ['clinician', 'record', 'update', 'treatment', 'care_team'],
  ['genetic_counselor', 'record', 'read', 'treatment', 'care_team'],
  ['genetic_counselor', 'variants', 'read', 'treatment', 'care_team'],
  ['genetic_counselor', 'patient_account', ALL, 'operations', 'care_team'],
  ['genetic_counselor', 'enrolment_approval', 'create', 'operations', 'care_team'],
  ['registrar', 'record', 'create', 'operations', 'any'],
  ['registrar', 'care_team', ALL, 'operations', 'any'],
  ['registrar', 'patient_account', ALL, 'operations', 'any'],
  ['registrar', 'enrolment_approval', 'create', 'operations', 'any'],
  ['ehr_service', 'record', 'create', 'operations', 'any'],
  ['ehr_service', 'record', 'update', 'treatment', 'any'],
  ['ehr_service', 'care_team', ALL, 'operations', 'any'],
  ['patient', 'record', 'read', 'self', 'self'],
  ['patient', 'variants', 'read', 'self', 'self'],
  ['patient', 'access_log', 'read', 'self', 'self'],
  ['proxy', 'record', 'read', 'self', 'proxy_for'],
  ['proxy', 'variants', 'read', 'self', 'proxy_for'],
  ['proxy', 'access_log', 'read', 'self', 'proxy_for'],
  ['admin', 'account', ALL, 'operations', 'any'],
  ['admin', 'key', ALL, 'operations', 'any'],
  ['auditor', 'audit', 'read', 'operations', 'any'],
  ['ethics_board', 'audit', 'read', 'operations', 'any'],
  ['ethics_board', 'break_glass', 'read', 'operations', 'any'],
  ['ethics_board', 'policy', 'read', 'operations', 'any'],
  ['privacy_officer', 'audit', 'read', 'operations', 'any'],
  ['privacy_officer', 'enrolment_approval', 'create', 'operations', 'any'],
  ['privacy_officer', 'patient_link', 'read', 'operations', 'any'],
];

function intended(role: string, resource: string, action: string, purpose: string, situation: Situation) {
  const matches = INTENDED.filter(
    ([r, res, act, pur, rel]) =>
      r === role && res === resource && (act === ALL || act === action) && pur === purpose && (rel === 'any' || rel === situation),
  );
  return { allowed: matches.length > 0, breakGlass: matches.length > 0 && matches.every(([, , , , rel]) => rel === 'break_glass') };
}

function factsFor(situation: Situation): InMemoryRelationships {
  const facts = new InMemoryRelationships();
  if (situation === 'care_team') facts.addToCareTeam('user-1', 'patient-1');
  if (situation === 'break_glass') facts.grantBreakGlass('user-1', 'patient-1');
  if (situation === 'self') facts.setOwnAccount('user-1', 'patient-1');
  if (situation === 'proxy_for') facts.setProxy('user-1', 'patient-1');
  return facts;
}

describe('authorize(): the whole permission matrix for one patient', () => {
  const authorizers = new Map<Situation, Authorizer>();
  const recorder = auditRecorder();

  before(async () => {
    for (const situation of SITUATIONS) {
      authorizers.set(situation, await createAuthorizer({ facts: factsFor(situation), audit: recorder.audit }));
    }
  });

  for (const role of ROLES) {
    it(`${role}: exactly the intended permits, every other combination refused`, async () => {
      const mismatches: string[] = [];
      let permits = 0;
      let calls = 0;
      for (const situation of SITUATIONS) {
        const authorizer = authorizers.get(situation)!;
        for (const resource of RESOURCES) {
          for (const action of ACTIONS) {
            for (const purpose of PURPOSES) {
              const expected = intended(role, resource, action, purpose, situation);
              const decision = await authorizer.authorize(
                { subject: { userId: 'user-1', roles: [role] }, patientId: 'patient-1', resource, action, purpose },
                { requestId: `${role}-${calls}` },
              );
              calls += 1;
              if (decision.allowed) permits += 1;
              if (decision.allowed !== expected.allowed || decision.breakGlass !== expected.breakGlass) {
                mismatches.push(
                  `${situation} ${action} ${resource} for ${purpose}: got allowed=${decision.allowed} ` +
                    `breakGlass=${decision.breakGlass}, expected ${JSON.stringify(expected)}`,
                );
              }
            }
          }
        }
      }
      assert.deepEqual(mismatches, []);
      if (['researcher', 'insurer', 'relative'].includes(role)) assert.equal(permits, 0);
      else assert.ok(permits > 0, `${role} should have some permits`);
      assert.equal(calls, SITUATIONS.length * RESOURCES.length * ACTIONS.length * PURPOSES.length);
    });
  }
});
