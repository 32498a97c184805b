// No decision leaves authorize() unaudited, and malformed requests are refused loudly.
import assert from 'node:assert/strict';
import {
  AuthorizationRequestError,
  createAuthorizer,
  type AccessRequest,
  type AuthorizationAuditEvent,
} from '../../../consent/policy/authorize.ts';
import { InMemoryRelationships } from './helpers/relationships.ts';
import { NO_RELATIONS } from '../../../consent/policy/relationship-facts.ts';

const facts = () => new InMemoryRelationships().addToCareTeam('dr-a', 'p-1');
const permitted: AccessRequest = {
  subject: { userId: 'dr-a', roles: ['clinician'] },
  patientId: 'p-1',
  resource: 'variants',
  action: 'read',
  purpose: 'treatment',
};
const refused: AccessRequest = { ...permitted, subject: { userId: 'admin-a', roles: ['admin'] } };

/** Waits for `promise`, but fails after `ms` instead of waiting for ever. */
async function within<T>(promise: Promise<T>, ms: number, failure: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(failure)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('authorize(): auditing every decision', () => {
  it('answers only after the audit sink has finished recording', async () => {
    let finishAudit!: () => void;
    let auditCalled!: () => void;
    const called = new Promise<void>((resolve) => (auditCalled = resolve));
    const recorded: AuthorizationAuditEvent[] = [];
    const authorizer = await createAuthorizer({
      facts: facts(),
      audit: (event) =>
        new Promise<void>((resolve) => {
          recorded.push(event);
          finishAudit = resolve;
          auditCalled();
        }),
    });
    let settled = false;
    const pending = authorizer.authorize(permitted, { requestId: 'req-1' }).then((decision) => {
      settled = true;
      return decision;
    });
    await within(called, 2_000, 'authorize() never called the audit sink');
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(settled, false, 'authorize() answered before the audit entry was durable');
    finishAudit();
    assert.equal((await pending).allowed, true);
  });

  for (const [label, request] of [['permit', permitted], ['deny', refused]] as const) {
    it(`throws instead of answering when the audit sink fails (${label})`, async () => {
      const authorizer = await createAuthorizer({
        facts: facts(),
        audit: () => Promise.reject(new Error('audit log unavailable')),
      });
      await assert.rejects(authorizer.authorize(request, { requestId: 'req-2' }), /audit log unavailable/);
    });
  }

  it('records the request id, actor, roles, patient, resource, action, purpose, decision, rule, policy version and facts', async () => {
    const recorded: AuthorizationAuditEvent[] = [];
    const authorizer = await createAuthorizer({ facts: facts(), audit: (event) => Promise.resolve(void recorded.push(event)) });
    const decision = await authorizer.authorize(refused, { requestId: 'req-3' });
    assert.deepEqual(recorded, [
      {
        requestId: 'req-3',
        actorId: 'admin-a',
        actorRoles: ['admin'],
        action: 'read',
        resource: 'variants',
        patientId: 'p-1',
        purpose: 'treatment',
        decision: 'deny',
        rule: 'p, admin-never-touches-variants, admin, variants, *, *, any, deny',
        flagged: false,
        policyVersion: 1,
        relations: { ...NO_RELATIONS, clinical_use: true },
      },
    ]);
    assert.equal(decision.rule, recorded[0]?.rule);
    assert.equal(decision.policyVersion, 1);
  });

  it('records the facts the decision was taken on, as they were looked up for this request', async () => {
    const recorded: AuthorizationAuditEvent[] = [];
    const relationships = facts().grantBreakGlass('dr-a', 'p-2');
    const authorizer = await createAuthorizer({ facts: relationships, audit: (event) => Promise.resolve(void recorded.push(event)) });
    await authorizer.authorize(permitted, { requestId: 'req-4' });
    await authorizer.authorize({ ...permitted, patientId: 'p-2' }, { requestId: 'req-5' });
    assert.deepEqual(
      recorded.map((event) => event.relations),
      [
        { ...NO_RELATIONS, care_team: true, clinical_use: true },
        { ...NO_RELATIONS, break_glass: true, clinical_use: true },
      ],
    );
  });

  const malformed: [string, AccessRequest, string][] = [
    ['missing user id', { ...permitted, subject: { userId: '', roles: ['clinician'] } }, 'subject.userId'],
    ['roles not a list', { ...permitted, subject: { userId: 'dr-a', roles: 'clinician' as unknown as string[] } }, 'subject.roles'],
    ['a role not a string', { ...permitted, subject: { userId: 'dr-a', roles: [7 as unknown as string] } }, 'subject.roles'],
    ['empty patient id', { ...permitted, patientId: '' }, 'patientId'],
    ['missing purpose', { ...permitted, purpose: undefined as unknown as string }, 'purpose'],
    ['missing resource', { ...permitted, resource: '' as AccessRequest['resource'] }, 'resource'],
  ];
  for (const [label, request, field] of malformed) {
    it(`rejects a malformed request (${label}) with a typed error naming ${field}, and audits nothing`, async () => {
      const recorded: AuthorizationAuditEvent[] = [];
      const authorizer = await createAuthorizer({ facts: facts(), audit: (event) => Promise.resolve(void recorded.push(event)) });
      await assert.rejects(authorizer.authorize(request, { requestId: 'req-4' }), (error: unknown) => {
        assert.ok(error instanceof AuthorizationRequestError);
        assert.equal(error.field, field);
        assert.equal(error.code, 'authorization_request_invalid');
        return true;
      });
      assert.equal(recorded.length, 0);
    });
  }

  it('rejects a request without a request id, since its audit entry could not be traced', async () => {
    const authorizer = await createAuthorizer({ facts: facts(), audit: async () => {} });
    await assert.rejects(authorizer.authorize(permitted, { requestId: '' }), /context\.requestId/);
  });
});
