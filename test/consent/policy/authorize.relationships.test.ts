// Relationships change between requests; every decision must see the state at that moment.
import assert from 'node:assert/strict';
import { createAuthorizer, type AccessRequest, type Authorizer } from '../../../consent/policy/authorize.ts';
import { auditRecorder } from './helpers/audit-recorder.ts';
import { InMemoryRelationships } from './helpers/relationships.ts';

const readVariants = (userId: string, patientId: string, purpose = 'treatment'): AccessRequest => ({
  subject: { userId, roles: ['clinician'] },
  patientId,
  resource: 'variants',
  action: 'read',
  purpose,
});

describe('authorize(): care team and break-glass, looked up fresh on every request', () => {
  let facts: InMemoryRelationships;
  let recorder: ReturnType<typeof auditRecorder>;
  let authorizer: Authorizer;
  const ask = (request: AccessRequest) => authorizer.authorize(request, { requestId: `req-${recorder.events.length}` });

  beforeEach(async () => {
    facts = new InMemoryRelationships();
    recorder = auditRecorder();
    authorizer = await createAuthorizer({ facts, audit: recorder.audit });
  });

  it('refuses a clinician off the care team, permits once added, refuses again right after removal', async () => {
    assert.equal((await ask(readVariants('dr-a', 'p-1'))).allowed, false);
    facts.addToCareTeam('dr-a', 'p-1');
    assert.equal((await ask(readVariants('dr-a', 'p-1'))).allowed, true);
    facts.removeFromCareTeam('dr-a', 'p-1');
    assert.equal((await ask(readVariants('dr-a', 'p-1'))).allowed, false);
    assert.deepEqual(recorder.events.map((event) => event.decision), ['deny', 'permit', 'deny']);
  });

  it('permits with an active break-glass grant, marks and flags it, and refuses after revocation', async () => {
    const before = await ask(readVariants('dr-b', 'p-2'));
    assert.equal(before.allowed, false);

    facts.grantBreakGlass('dr-b', 'p-2');
    const during = await ask(readVariants('dr-b', 'p-2'));
    assert.equal(during.allowed, true);
    assert.equal(during.breakGlass, true);
    assert.match(during.rule ?? '', /clinician-reads-variants-by-break-glass/);
    assert.match(during.explanation, /break-glass/);

    facts.revokeBreakGlass('dr-b', 'p-2');
    const after = await ask(readVariants('dr-b', 'p-2'));
    assert.equal(after.allowed, false);
    assert.equal(after.breakGlass, false);

    assert.deepEqual(
      recorder.events.map((event) => [event.decision, event.flagged]),
      [['deny', false], ['permit', true], ['deny', false]],
    );
  });

  it('refuses once the break-glass grant has expired', async () => {
    facts.grantBreakGlass('dr-c', 'p-3', 3_600_000);
    facts.nowMs += 3_599_999;
    assert.equal((await ask(readVariants('dr-c', 'p-3'))).breakGlass, true);
    facts.nowMs += 1;
    assert.equal((await ask(readVariants('dr-c', 'p-3'))).allowed, false);
  });

  it('does not flag a care-team clinician who also holds a grant (the grant was not needed)', async () => {
    facts.addToCareTeam('dr-d', 'p-4').grantBreakGlass('dr-d', 'p-4');
    const decision = await ask(readVariants('dr-d', 'p-4'));
    assert.equal(decision.allowed, true);
    assert.equal(decision.breakGlass, false);
    assert.match(decision.rule ?? '', /clinician-reads-variants-on-care-team/);
    assert.equal(recorder.events[0]?.flagged, false);
  });

  it('does not let break-glass stretch to another purpose or another patient', async () => {
    facts.grantBreakGlass('dr-e', 'p-5');
    assert.equal((await ask(readVariants('dr-e', 'p-5', 'research'))).allowed, false);
    assert.equal((await ask(readVariants('dr-e', 'p-6'))).allowed, false);
    const update = await authorizer.authorize(
      { ...readVariants('dr-e', 'p-5'), resource: 'record', action: 'update' },
      { requestId: 'req-update' },
    );
    assert.equal(update.allowed, false);
  });

  it('asks the relationship facts again on every request (nothing cached)', async () => {
    facts.addToCareTeam('dr-f', 'p-7');
    await ask(readVariants('dr-f', 'p-7'));
    const afterFirst = facts.lookups;
    await ask(readVariants('dr-f', 'p-7'));
    assert.ok(afterFirst > 0);
    assert.equal(facts.lookups, afterFirst * 2);
  });

  it('keeps concurrent decisions apart: each sees only its own user and patient', async () => {
    for (let i = 0; i < 50; i += 2) facts.addToCareTeam(`dr-${i}`, `p-${i}`);
    const requests = Array.from({ length: 50 }, (_, i) => readVariants(`dr-${i}`, `p-${i}`));
    const decisions = await Promise.all(requests.map((request, i) => authorizer.authorize(request, { requestId: `c-${i}` })));
    decisions.forEach((decision, i) => assert.equal(decision.allowed, i % 2 === 0, `request ${i}`));
    const byRequest = new Map(recorder.events.map((event) => [event.requestId, event.decision]));
    for (let i = 0; i < 50; i += 1) assert.equal(byRequest.get(`c-${i}`), i % 2 === 0 ? 'permit' : 'deny');
  });

  it('fails, without a decision or an audit entry, when a relationship lookup fails', async () => {
    const broken = await createAuthorizer({
      facts: {
        isOnCareTeam: () => Promise.reject(new Error('care-team store unavailable')),
        hasActiveBreakGlass: () => Promise.resolve(false),
        isSelf: () => Promise.resolve(false),
      },
      audit: recorder.audit,
    });
    await assert.rejects(broken.authorize(readVariants('dr-g', 'p-8'), { requestId: 'r' }), /care-team store unavailable/);
    assert.equal(recorder.events.length, 0);
  });

  it('counts only a literal true as a relationship (a sloppy fact source fails closed)', async () => {
    const sloppy = await createAuthorizer({
      facts: {
        isOnCareTeam: () => Promise.resolve('yes' as unknown as boolean),
        hasActiveBreakGlass: () => Promise.resolve(1 as unknown as boolean),
        isSelf: () => Promise.resolve(false),
      },
      audit: recorder.audit,
    });
    assert.equal((await sloppy.authorize(readVariants('dr-h', 'p-9'), { requestId: 'r' })).allowed, false);
  });
});
