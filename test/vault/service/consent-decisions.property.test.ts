// Generated populations and directive histories, recorded in the real consent ledger of a real
// service (sealed logs in a temporary vault), checked after every step against a small model of
// what the directives in force mean, written here by hand: authorize() must agree with the
// ledger's current state for every role, patient and purpose asked; changing research consent
// must never change a clinical decision and changing clinical consent never a research one; and
// once a directive is revoked, no later permit may rest on it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { Directive } from '../../../schemas/consent/directive.ts';
import type { AccessRequest, Decision } from '../../../consent/policy/authorize.ts';
import { exclusiveKey } from '../../../consent/ledger/transition-rules.ts';
import { PURPOSES } from '../../../consent/policy/vocabulary.ts';
import { worldForSuite } from '../../e2e/service-world.ts';
import { enrolStaff } from '../../helpers/enrol-accounts.ts';
import { PASSWORD } from '../../e2e/service-world.ts';
import { approvedResearchProject } from '../../e2e/consent-kit.ts';

/** Health research on breast cancer, by a not-for-profit without an ethics approval reference (a real project, approved by the board). */
const PURPOSE = ['DUO:0000006', 'DOID:1612'];
let project: string;

/** Research scopes and whether they permit PURPOSE, decided by hand from the DUO rules. */
const SCOPES: [Directive & { kind: 'research_use' }, boolean][] = [
  [{ kind: 'research_use', status: 'consented', scope: { permission: 'DUO:0000042', diseases: [], modifiers: [] } }, true], // GRU
  [{ kind: 'research_use', status: 'consented', scope: { permission: 'DUO:0000006', diseases: [], modifiers: [] } }, true], // HMB
  [{ kind: 'research_use', status: 'consented', scope: { permission: 'DUO:0000007', diseases: ['DOID:162'], modifiers: [] } }, true], // DS cancer: breast cancer is one
  [{ kind: 'research_use', status: 'consented', scope: { permission: 'DUO:0000007', diseases: ['DOID:10155'], modifiers: [] } }, false], // DS intestinal cancer
  [{ kind: 'research_use', status: 'consented', scope: { permission: 'DUO:0000011', diseases: [], modifiers: [] } }, false], // POA
  [{ kind: 'research_use', status: 'consented', scope: { permission: 'DUO:0000042', diseases: [], modifiers: [{ term: 'DUO:0000045' }] } }, true], // GRU NPU, not-for-profit
  [{ kind: 'research_use', status: 'consented', scope: { permission: 'DUO:0000006', diseases: [], modifiers: [{ term: 'DUO:0000021' }] } }, false], // HMB IRB, no approval
  [{ kind: 'research_use', status: 'withdrawn', mode: 'stop_future_use' }, false],
];

type Question = 'clinical' | 'research' | 'family' | 'insurer' | 'proxy';
const QUESTIONS: Question[] = ['clinical', 'research', 'family', 'insurer', 'proxy'];

interface Accounts {
  clinician: string;
  researcher: string;
  relative: string;
  insurer: string;
  proxy: string;
}

type Permits = Partial<Record<Question, boolean>>;
const option = (directive: Directive, permits: Permits) => ({ directive, permits });

/** The directives a step may record, each with what the model says it permits. */
function directiveArb(a: Accounts): fc.Arbitrary<{ directive: Directive; permits: Permits }> {
  const authorization = {
    discloser: 'Genetics Department',
    information: { categories: ['pharmacogenomic' as const], variants: [] },
    purposes: [{ code: 'claims' as const }],
    expiry: { on: '2027-06-30' },
    statements: { rightToRevoke: true, noConditioning: true, redisclosure: true },
  };
  const signature = { signedOn: '2026-01-15', signer: { type: 'patient' as const } };
  return fc.oneof(
    fc.constantFrom('permit' as const, 'deny' as const).map((decision) => option({ kind: 'clinical_use', decision }, { clinical: decision === 'permit' })),
    fc.constantFrom(...SCOPES).map(([directive, match]) => option(structuredClone(directive), { research: match })),
    fc.constant(option({ kind: 'family_sharing', relative: { accountId: a.relative, relationship: 'sibling' }, share: { categories: ['carrier_status'], variants: [] } }, { family: true })),
    fc.boolean().map((signed) =>
      option(
        { kind: 'insurer_release', recipient: { id: a.insurer, name: 'Lifeline Mutual', insurerType: 'life' }, ...authorization, signature: signed ? { reference: 'auth-1', ...signature } : signature },
        { insurer: signed },
      ),
    ),
    fc.subarray(['view_record', 'view_results', 'manage_consents'] as const, { minLength: 1 }).map((permissions) =>
      option({ kind: 'proxy', proxyKind: 'legal_representative', proxyAccountId: a.proxy, documentation: 'poa-1', permissions: [...permissions] }, { proxy: permissions.includes('view_record') }),
    ),
  );
}

interface InForce {
  directiveId: string;
  version: number;
  directive: Directive;
  permits: Permits;
}

describe('authorize() over generated populations and directive histories (real ledger, real service)', function () {
  this.timeout(300_000);
  const world = worldForSuite();
  let accounts: Accounts;

  /** Each question asked for its own purpose, or for `purpose` when given. */
  const questionOf = (q: Question, a: Accounts, patientId: string, purpose?: string): AccessRequest => {
    const ask = (userId: string, roles: string[], resource: AccessRequest['resource'], natural: string, extra: Partial<AccessRequest> = {}): AccessRequest => ({
      subject: { userId, roles, ...(roles.includes('insurer') ? { insurerType: 'life' as const } : {}) }, patientId, resource, action: 'read', purpose: purpose ?? natural, ...extra,
    });
    switch (q) {
      case 'clinical':
        return ask(a.clinician, ['clinician'], 'variants', 'treatment');
      case 'research':
        return ask(a.researcher, ['researcher'], 'research_data', 'research', { qualifiers: { projectId: project } });
      case 'family':
        return ask(a.relative, ['relative'], 'shared_findings', 'family');
      case 'insurer':
        return ask(a.insurer, ['insurer'], 'released_findings', 'insurance', { qualifiers: { releasePurpose: 'claims' } });
      case 'proxy':
        return ask(a.proxy, ['proxy'], 'record', 'self');
    }
  };

  before(async () => {
    const w = world.w;
    const researcher = w.accounts.researcher!.accountId;
    project = await approvedResearchProject(w, PURPOSE);
    const insurer = await enrolStaff(w.service, 'prop.insurer', ['insurer'], PASSWORD, 'life');
    accounts = { clinician: w.accounts.clin_a!.accountId, researcher, relative: w.accounts.relative!.accountId, insurer: insurer.accountId, proxy: w.accounts.proxy_a!.accountId };
  });

  it('agrees with the ledger after every step; research steps never move clinical decisions, clinical steps never research ones; nothing rests on a revoked directive', async () => {
    const w = world.w;
    let requests = 0;
    const decide = async (request: AccessRequest): Promise<Decision> => w.service.authorizer.authorize(request, { requestId: `prop-${(requests += 1)}` });
    // besides its own purpose, each step asks every question once more for a generated purpose
    const purposes = fc.array(fc.constantFrom(...PURPOSES), { minLength: QUESTIONS.length, maxLength: QUESTIONS.length });
    const steps = fc.array(fc.record({ patient: fc.nat(2), pick: directiveArb(accounts), revoke: fc.boolean(), purposes }), { minLength: 1, maxLength: 6 });

    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3 }), steps, async (size, generated) => {
        // a fresh population each run: patients nobody recorded anything for, on the clinician's care team
        const patients = Array.from({ length: size }, () => `p_${randomBytes(8).toString('hex')}`);
        for (const p of patients) await w.service.clinical.setCareTeam(p, accounts.clinician, true, 'property-test');
        const model = new Map<string, InForce[]>(patients.map((p) => [p, []]));
        const revoked = new Set<string>();

        const expected = (patientId: string, q: Question): boolean => {
          const inForce = model.get(patientId)!;
          if (q === 'clinical') return inForce.find((d) => d.directive.kind === 'clinical_use')?.permits.clinical ?? true; // hospital default: permit
          return inForce.some((d) => d.permits[q] === true);
        };
        const ask = async () => {
          const answers = new Map<string, Decision>();
          for (const p of patients) for (const q of QUESTIONS) answers.set(`${p}/${q}`, await decide(questionOf(q, accounts, p)));
          return answers;
        };

        let before = await ask();
        for (const step of generated) {
          const patientId = patients[step.patient % patients.length]!;
          const inForce = model.get(patientId)!;
          const { directive, permits } = step.pick;
          const key = exclusiveKey(directive);
          const same = inForce.find((d) => key !== null && exclusiveKey(d.directive) === key);
          const recordedBy = { accountId: 'acc_00000000000000a1', role: 'patient' as const };
          let changedKind = directive.kind;
          if (same && step.revoke) {
            await w.service.consents.revoke({ patientId, directiveId: same.directiveId, replaces: same.version, recordedBy });
            revoked.add(same.directiveId);
            inForce.splice(inForce.indexOf(same), 1);
            changedKind = same.directive.kind;
          } else if (same) {
            const record = await w.service.consents.amend({ patientId, directiveId: same.directiveId, replaces: same.version, directive, recordedBy });
            inForce.splice(inForce.indexOf(same), 1, { directiveId: record.directiveId, version: record.version, directive, permits });
          } else {
            const record = await w.service.consents.grant({ patientId, directive, recordedBy });
            inForce.push({ directiveId: record.directiveId, version: record.version, directive, permits });
          }

          const after = await ask();
          for (const p of patients) {
            for (const q of QUESTIONS) {
              const decision = after.get(`${p}/${q}`)!;
              assert.equal(decision.allowed, expected(p, q), `${q} for a patient after ${changedKind}: the ledger says ${expected(p, q)}`);
              for (const basis of decision.consentBasis) if ('directiveId' in basis) assert.ok(!revoked.has(basis.directiveId), 'a permit rested on a revoked directive');
              const moved = before.get(`${p}/${q}`)!.allowed !== decision.allowed;
              if (changedKind === 'research_use') assert.ok(!(q === 'clinical' && moved), 'a research step moved a clinical decision');
              if (changedKind === 'clinical_use') assert.ok(!(q === 'research' && moved), 'a clinical step moved a research decision');
              if (p !== patientId) assert.ok(!moved, "a step moved another patient's decision");
            }
          }
          for (const [i, q] of QUESTIONS.entries()) {
            const request = questionOf(q, accounts, patientId, step.purposes[i]);
            const natural = questionOf(q, accounts, patientId).purpose;
            const decision = await decide(request);
            assert.equal(decision.allowed, request.purpose === natural && expected(patientId, q), `${q} asked for ${request.purpose}`);
          }
          before = after;
        }
      }),
      { numRuns: 25 },
    );
  });
});
