// Every role × resource × action × purpose × situation of the user towards the patient (people
// facts and the patient's directives in force), against the intended permissions written out
// here independently of policy.csv. Anything not listed must be refused, so a new allow line that
// nobody meant fails this test.
import assert from 'node:assert/strict';
import { createAuthorizer, type Authorizer } from '../../../consent/policy/authorize.ts';
import { gatherRelations } from '../../../consent/policy/relationship-facts.ts';
import { ACTIONS, FACTS, PURPOSES, RELATION_FACTS, RESOURCES, ROLES, type Relation, type RelationFact } from '../../../consent/policy/vocabulary.ts';
import { auditRecorder } from './helpers/audit-recorder.ts';
import { INSURER_TYPE, PATIENT, QUALIFIERS, SITUATIONS, USER, factsFor, type Situation } from './helpers/situations.ts';

const ALL = '*';

/** [role, resource, action (* = every action), purpose, relationship required] */
const INTENDED: [string, string, string, string, Relation][] = [
  ['clinician', 'record', 'read', 'treatment', 'care_team'],
  ['clinician', 'variants', 'read', 'treatment', 'care_team_clinical_use'],
  ['clinician', 'record', 'read', 'treatment', 'break_glass'],
  ['clinician', 'variants', 'read', 'treatment', 'break_glass_clinical_use'],
  ['clinician', 'declined_findings', 'read', 'treatment', 'break_glass_clinical_use'],
  ['clinician', 'break_glass', 'create', 'treatment', 'any'],
  ['clinician', 'record', 'update', 'treatment', 'care_team'],
  ['genetic_counselor', 'record', 'read', 'treatment', 'care_team'],
  ['genetic_counselor', 'variants', 'read', 'treatment', 'care_team_clinical_use'],
  ['genetic_counselor', 'consent', ALL, 'treatment', 'care_team'],
  ['genetic_counselor', 'release_authorization', ALL, 'treatment', 'care_team'],
  ['genetic_counselor', 'proxy_authority', ALL, 'treatment', 'care_team'],
  ['genetic_counselor', 'variants', 'delete', 'treatment', 'care_team'],
  ['genetic_counselor', 'patient_account', ALL, 'operations', 'care_team'],
  ['genetic_counselor', 'enrolment_approval', 'create', 'operations', 'care_team'],
  ['registrar', 'record', 'create', 'operations', 'any'],
  ['registrar', 'care_team', ALL, 'operations', 'any'],
  ['registrar', 'patient_account', ALL, 'operations', 'any'],
  ['registrar', 'enrolment_approval', 'create', 'operations', 'any'],
  ['ehr_service', 'record', 'create', 'operations', 'any'],
  ['ehr_service', 'record', 'update', 'treatment', 'any'],
  ['ehr_service', 'care_team', ALL, 'operations', 'any'],
  ['ehr_service', 'variants', 'create', 'operations', 'any'],
  ['lab_service', 'variants', 'create', 'operations', 'any'],
  ['patient', 'record', 'read', 'self', 'self'],
  ['patient', 'variants', 'read', 'self', 'self'],
  ['patient', 'access_log', 'read', 'self', 'self'],
  ['patient', 'consent', ALL, 'self', 'self'],
  ['patient', 'release_authorization', ALL, 'self', 'self'],
  ['patient', 'proxy_authority', ALL, 'self', 'self'],
  ['patient', 'variants', 'delete', 'self', 'self'],
  ['proxy', 'record', 'read', 'self', 'proxy_view_record'],
  ['proxy', 'variants', 'read', 'self', 'proxy_view_results'],
  ['proxy', 'access_log', 'read', 'self', 'proxy_view_access_log'],
  ['proxy', 'consent', ALL, 'self', 'proxy_manage_consents'],
  ['proxy', 'release_authorization', ALL, 'self', 'proxy_authorize_releases'],
  ['relative', 'shared_findings', 'read', 'family', 'family_share'],
  ['insurer', 'released_findings', 'read', 'insurance', 'insurer_authorization'],
  ['external_recipient', 'released_findings', 'read', 'disclosure', 'recipient_authorization'],
  ['researcher', 'research_data', 'read', 'research', 'research_consent'],
  ['admin', 'account', ALL, 'operations', 'any'],
  ['admin', 'key', ALL, 'operations', 'any'],
  ['auditor', 'audit', 'read', 'operations', 'any'],
  ['auditor', 'consent_report', 'read', 'operations', 'any'],
  ['ethics_board', 'audit', 'read', 'operations', 'any'],
  ['ethics_board', 'break_glass', 'read', 'operations', 'any'],
  ['ethics_board', 'policy', 'read', 'operations', 'any'],
  ['ethics_board', 'consent_report', 'read', 'operations', 'any'],
  ['privacy_officer', 'audit', 'read', 'operations', 'any'],
  ['researcher', 'research_project', 'create', 'research', 'any'],
  ['researcher', 'research_project', 'read', 'research', 'any'],
  ['researcher', 'cohort', 'read', 'research', 'any'],
  ['ethics_board', 'research_project', 'read', 'operations', 'any'],
  ['ethics_board', 'research_project', 'update', 'operations', 'any'],
  ['auditor', 'policy', 'read', 'operations', 'any'],
  ['privacy_officer', 'policy', 'read', 'operations', 'any'],
  ['admin', 'policy', 'read', 'operations', 'any'],
  ['privacy_officer', 'policy', 'propose', 'operations', 'any'],
  ['admin', 'policy', 'propose', 'operations', 'any'],
  ['ethics_board', 'policy', 'replay', 'operations', 'any'],
  ['privacy_officer', 'policy', 'replay', 'operations', 'any'],
  ['ethics_board', 'policy', 'decide', 'operations', 'any'],
  ['ethics_board', 'policy', 'explain', 'operations', 'any'],
  ['auditor', 'policy', 'explain', 'operations', 'any'],
  ['privacy_officer', 'consent_report', 'read', 'operations', 'any'],
  ['privacy_officer', 'enrolment_approval', 'create', 'operations', 'any'],
  ['privacy_officer', 'patient_link', 'read', 'operations', 'any'],
  ['ehr_service', 'api_token', 'update', 'operations', 'any'],
  ['auditor', 'decision_facts', 'read', 'operations', 'any'],
  ['privacy_officer', 'decision_facts', 'read', 'operations', 'any'],
  ['lab_service', 'api_token', 'update', 'operations', 'any'],
];

function permitted(role: string, resource: string, action: string, purpose: string, facts: ReadonlySet<RelationFact>): boolean {
  return INTENDED.some(
    ([r, res, act, pur, rel]) =>
      r === role && res === resource && (act === ALL || act === action) && pur === purpose && RELATION_FACTS[rel].every((fact: RelationFact) => facts.has(fact)),
  );
}

function intended(role: string, resource: string, action: string, purpose: string, situation: Situation) {
  const facts = new Set(situation.facts);
  const allowed = permitted(role, resource, action, purpose, facts);
  facts.delete('break_glass');
  return { allowed, breakGlass: allowed && !permitted(role, resource, action, purpose, facts) };
}

describe('authorize(): the whole permission matrix for one patient', () => {
  const authorizers = new Map<Situation, Authorizer>();
  const recorder = auditRecorder();

  before(async () => {
    for (const situation of SITUATIONS) {
      authorizers.set(situation, await createAuthorizer({ facts: factsFor(situation), audit: (event) => recorder.audit(event) }));
    }
  });

  it('derives, in every situation, exactly the facts the situation was built for', async () => {
    for (const situation of SITUATIONS) {
      const { relations } = await gatherRelations(factsFor(situation), { subject: { userId: USER, insurerType: INSURER_TYPE }, patientId: PATIENT, qualifiers: QUALIFIERS });
      const holding = FACTS.filter((fact) => relations[fact]);
      assert.deepEqual(holding, FACTS.filter((fact) => situation.facts.includes(fact)), situation.name);
    }
  });

  // Which situations a role is asked in: every one about a fact its intended rules need, and the
  // stranger and every-fact-at-once situations. Decisions only grow with facts (no deny line
  // needs one), so an allow line nobody meant shows up when every fact holds.
  const situationsFor = (role: string) => {
    const used = new Set(INTENDED.filter(([r]) => r === role).flatMap(([, , , , rel]) => RELATION_FACTS[rel] as readonly RelationFact[]));
    return SITUATIONS.filter((s) => s.name === 'stranger' || s.name === 'every fact at once' || s.about.some((fact) => used.has(fact)));
  };

  it('has no deny line that needs a fact (so asking with every fact true finds any extra permit)', () => {
    const authorizer = authorizers.get(SITUATIONS[0]!)!;
    assert.deepEqual(authorizer.rules.filter((rule) => rule.effect === 'deny' && rule.relation !== 'any'), []);
  });

  for (const role of ROLES) {
    it(`${role}: exactly the intended permits, every other combination refused`, async () => {
      const mismatches: string[] = [];
      let permits = 0;
      let calls = 0;
      const situations = situationsFor(role);
      for (const situation of situations) {
        const authorizer = authorizers.get(situation)!;
        for (const resource of RESOURCES) {
          for (const action of ACTIONS) {
            for (const purpose of PURPOSES) {
              const expected = intended(role, resource, action, purpose, situation);
              const decision = await authorizer.authorize(
                { subject: { userId: USER, roles: [role], insurerType: INSURER_TYPE }, patientId: PATIENT, resource, action, purpose, qualifiers: QUALIFIERS },
                { requestId: `${role}-${calls}` },
              );
              calls += 1;
              if (decision.allowed) permits += 1;
              if (decision.allowed !== expected.allowed || decision.breakGlass !== expected.breakGlass) {
                mismatches.push(
                  `${situation.name}: ${action} ${resource} for ${purpose}: got allowed=${decision.allowed} ` +
                    `breakGlass=${decision.breakGlass}, expected ${JSON.stringify(expected)}`,
                );
              }
            }
          }
        }
      }
      assert.deepEqual(mismatches, []);
      assert.ok(permits > 0, `${role} should have some permits`);
      assert.equal(calls, situations.length * RESOURCES.length * ACTIONS.length * PURPOSES.length);
    });
  }

  it('answers role-level (could any patient permit it?) exactly when some intended line could, for every role alone and with an administrator\u2019s denials', () => {
    const authorizer = authorizers.get(SITUATIONS[0]!)!;
    const everyFact = new Set<RelationFact>(FACTS);
    const mismatches: string[] = [];
    const pairs = ROLES.flatMap((role) => (role === 'admin' ? [[role]] : [[role], [role, 'admin']]));
    for (const roles of pairs) {
      for (const resource of RESOURCES) {
        for (const action of ACTIONS) {
          for (const purpose of PURPOSES) {
            const intendedAny = roles.some((role) => permitted(role, resource, action, purpose, everyFact));
            // a role with a deny line for it (any relation) is refused whatever its other roles allow
            const deniedAny = authorizer.rules.some((r) => r.effect === 'deny' && roles.includes(r.role) && [resource, ALL].includes(r.resource) && [action, ALL].includes(r.action) && [purpose, ALL].includes(r.purpose));
            const expected = intendedAny && !deniedAny;
            if (authorizer.couldPermitForSomePatient({ roles, resource, action, purpose }) !== expected) mismatches.push(`${roles.join('+')}: ${action} ${resource} for ${purpose}: expected ${expected}`);
          }
        }
      }
    }
    assert.deepEqual(mismatches, []);
  });
});
