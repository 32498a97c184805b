import { strict as assert } from 'node:assert';
import { ConsentLedgerError, ConsentLedgerUnavailableError, ConsentLogError } from '../../../consent/ledger/ledger-errors.ts';
import { COUNSELOR, OTHER_PATIENT, PATIENT, PATIENT_ACCOUNT, RELATIVE_ACCOUNT, openLedgerWorld, type LedgerWorld } from './ledger-kit.ts';

const permit = { kind: 'clinical_use', decision: 'permit' } as const;
const deny = { kind: 'clinical_use', decision: 'deny' } as const;

async function refusal(promise: Promise<unknown>): Promise<ConsentLedgerError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ConsentLedgerError, `expected a ConsentLedgerError, got ${String(err)}`);
    return err;
  }
  assert.fail('the ledger accepted an entry it must refuse');
}

describe('ConsentLedger', () => {
  let world: LedgerWorld;
  beforeEach(async () => {
    world = await openLedgerWorld();
  });
  afterEach(() => world.close());

  it('grants a directive, derives the current state, and derives the same state again by replay', async () => {
    const granted = await world.ledger.grant({ patientId: PATIENT, directive: permit, recordedBy: PATIENT_ACCOUNT });
    assert.match(granted.directiveId, /^cd_[0-9a-f]{16}$/);
    assert.equal(granted.version, 1);
    assert.deepEqual(world.ledger.current(PATIENT).directives.map((d) => d.directiveId), [granted.directiveId]);
    assert.deepEqual(world.ledger.current(OTHER_PATIENT).directives, []);
    const replayed = await world.reopen();
    assert.deepEqual(replayed.current(PATIENT), world.ledger.current(PATIENT));
    assert.deepEqual(replayed.directive(PATIENT, granted.directiveId), granted);
  });

  it('amends by appending a new version that names the one it replaces; the history keeps both', async () => {
    const v1 = await world.ledger.grant({ patientId: PATIENT, directive: permit, recordedBy: PATIENT_ACCOUNT });
    const v2 = await world.ledger.amend({ patientId: PATIENT, directiveId: v1.directiveId, replaces: 1, directive: deny, recordedBy: PATIENT_ACCOUNT });
    assert.equal(v2.version, 2);
    assert.equal(v2.grantedAt, v1.grantedAt);
    assert.deepEqual(v2.directive, deny);
    const history = world.ledger.history(PATIENT);
    assert.deepEqual(history.map((h) => [h.event.type, h.version]), [['granted', 1], ['amended', 2]]);
    assert.deepEqual(history[0]!.event.type === 'granted' && history[0]!.event.directive, permit);
    assert.equal(history[1]!.event.type === 'amended' && history[1]!.event.replaces, 1);
    assert.ok(history[1]!.seq > history[0]!.seq);
  });

  it('refuses to amend or revoke a version that is no longer current, and appends nothing', async () => {
    const v1 = await world.ledger.grant({ patientId: PATIENT, directive: permit, recordedBy: PATIENT_ACCOUNT });
    await world.ledger.amend({ patientId: PATIENT, directiveId: v1.directiveId, replaces: 1, directive: deny, recordedBy: PATIENT_ACCOUNT });
    const before = world.log.length;
    const stale = await refusal(world.ledger.amend({ patientId: PATIENT, directiveId: v1.directiveId, replaces: 1, directive: permit, recordedBy: PATIENT_ACCOUNT }));
    assert.equal(stale.code, 'stale_version');
    assert.equal(stale.field, 'replaces');
    assert.equal((await refusal(world.ledger.revoke({ patientId: PATIENT, directiveId: v1.directiveId, replaces: 1, recordedBy: PATIENT_ACCOUNT }))).code, 'stale_version');
    assert.equal(world.log.length, before);
    assert.deepEqual(world.ledger.directive(PATIENT, v1.directiveId)?.directive, deny);
  });

  it('refuses an amendment that changes the kind', async () => {
    const v1 = await world.ledger.grant({ patientId: PATIENT, directive: permit, recordedBy: PATIENT_ACCOUNT });
    const err = await refusal(
      world.ledger.amend({ patientId: PATIENT, directiveId: v1.directiveId, replaces: 1, directive: { kind: 'research_use', status: 'withdrawn', mode: 'stop_future_use' }, recordedBy: PATIENT_ACCOUNT }),
    );
    assert.equal(err.code, 'kind_changed');
  });

  it('revokes: the directive leaves the current state, stays in the history, and can be neither amended nor revoked again', async () => {
    const v1 = await world.ledger.grant({ patientId: PATIENT, directive: permit, recordedBy: PATIENT_ACCOUNT });
    const revoked = await world.ledger.revoke({ patientId: PATIENT, directiveId: v1.directiveId, replaces: 1, recordedBy: PATIENT_ACCOUNT, reason: 'patient_request' });
    assert.equal(revoked.version, 2);
    assert.ok(revoked.revokedAt);
    assert.deepEqual(revoked.directive, permit, 'the revoked content stays on record');
    assert.deepEqual(world.ledger.current(PATIENT).directives, []);
    assert.equal(world.ledger.directives(PATIENT).length, 1);
    assert.equal((await refusal(world.ledger.amend({ patientId: PATIENT, directiveId: v1.directiveId, replaces: 2, directive: deny, recordedBy: PATIENT_ACCOUNT }))).code, 'directive_revoked');
    assert.equal((await refusal(world.ledger.revoke({ patientId: PATIENT, directiveId: v1.directiveId, replaces: 2, recordedBy: PATIENT_ACCOUNT }))).code, 'directive_revoked');
    const replayed = await world.reopen();
    assert.deepEqual(replayed.directive(PATIENT, v1.directiveId), revoked);
  });

  it('refuses staff entries without evidence; accepts them with it, and patients without it', async () => {
    const err = await refusal(world.ledger.grant({ patientId: PATIENT, directive: permit, recordedBy: COUNSELOR }));
    assert.equal(err.code, 'evidence_required');
    assert.equal(err.field, 'evidence');
    const recorded = await world.ledger.grant({ patientId: PATIENT, directive: permit, recordedBy: COUNSELOR, evidence: { reference: 'form-2025-0042' } });
    assert.deepEqual(recorded.recordedBy, COUNSELOR);
    assert.deepEqual(recorded.evidence, { reference: 'form-2025-0042' });
    assert.equal((await refusal(world.ledger.revoke({ patientId: PATIENT, directiveId: recorded.directiveId, replaces: 1, recordedBy: COUNSELOR }))).code, 'evidence_required');
    await world.ledger.revoke({ patientId: PATIENT, directiveId: recorded.directiveId, replaces: 1, recordedBy: PATIENT_ACCOUNT });
  });

  it('keeps one directive in force per subject: a second clinical-use grant, or a second share with one relative, is refused', async () => {
    const first = await world.ledger.grant({ patientId: PATIENT, directive: permit, recordedBy: PATIENT_ACCOUNT });
    assert.equal((await refusal(world.ledger.grant({ patientId: PATIENT, directive: deny, recordedBy: PATIENT_ACCOUNT }))).code, 'already_in_force');
    await world.ledger.grant({ patientId: OTHER_PATIENT, directive: deny, recordedBy: { accountId: 'acc_00000000000000b2', role: 'patient' } });
    await world.ledger.revoke({ patientId: PATIENT, directiveId: first.directiveId, replaces: 1, recordedBy: PATIENT_ACCOUNT });
    await world.ledger.grant({ patientId: PATIENT, directive: deny, recordedBy: PATIENT_ACCOUNT });

    const share = (accountId: string) => ({
      kind: 'family_sharing' as const,
      relative: { accountId, relationship: 'sibling' as const },
      share: { categories: ['acmg_secondary' as const] },
    });
    const sister = await world.ledger.grant({ patientId: PATIENT, directive: share(RELATIVE_ACCOUNT), recordedBy: PATIENT_ACCOUNT });
    await world.ledger.grant({ patientId: PATIENT, directive: share('acc_00000000000000e2'), recordedBy: PATIENT_ACCOUNT });
    assert.equal((await refusal(world.ledger.grant({ patientId: PATIENT, directive: share(RELATIVE_ACCOUNT), recordedBy: PATIENT_ACCOUNT }))).code, 'already_in_force');
    const moved = await refusal(world.ledger.amend({ patientId: PATIENT, directiveId: sister.directiveId, replaces: 1, directive: share('acc_00000000000000e3'), recordedBy: PATIENT_ACCOUNT }));
    assert.equal(moved.code, 'party_changed');
  });

  it("answers another patient's directive as unknown", async () => {
    const theirs = await world.ledger.grant({ patientId: OTHER_PATIENT, directive: permit, recordedBy: PATIENT_ACCOUNT });
    const err = await refusal(world.ledger.revoke({ patientId: PATIENT, directiveId: theirs.directiveId, replaces: 1, recordedBy: PATIENT_ACCOUNT }));
    assert.equal(err.code, 'unknown_directive');
    assert.equal(world.ledger.directive(PATIENT, theirs.directiveId), undefined);
    assert.equal(world.ledger.current(OTHER_PATIENT).directives.length, 1);
  });

  it('refuses a directive its schema refuses, naming the field and never the value', async () => {
    const err = await refusal(
      world.ledger.grant({ patientId: PATIENT, directive: { kind: 'family_sharing', relative: { name: 'Ann\u202eSmith', relationship: 'sibling' }, share: { categories: ['acmg_secondary'] } }, recordedBy: PATIENT_ACCOUNT }),
    );
    assert.equal(err.code, 'invalid_event');
    assert.equal(err.field, 'directive.relative.name');
    assert.ok(!err.message.includes('Ann') && !err.message.includes('Smith'), err.message);
    const extra = await refusal(world.ledger.grant({ patientId: PATIENT, directive: { ...permit, secretField: 'x' } as never, recordedBy: PATIENT_ACCOUNT }));
    assert.equal(extra.code, 'invalid_event');
    assert.ok(!extra.message.includes('secretField'), extra.message);
    assert.equal(world.log.length, 0);
  });

  it('lets exactly one of two concurrent amendments of the same version through', async () => {
    const v1 = await world.ledger.grant({ patientId: PATIENT, directive: permit, recordedBy: PATIENT_ACCOUNT });
    const outcomes = await Promise.allSettled([
      world.ledger.amend({ patientId: PATIENT, directiveId: v1.directiveId, replaces: 1, directive: deny, recordedBy: PATIENT_ACCOUNT }),
      world.ledger.amend({ patientId: PATIENT, directiveId: v1.directiveId, replaces: 1, directive: permit, recordedBy: PATIENT_ACCOUNT }),
    ]);
    assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'rejected']);
    assert.equal(world.ledger.directive(PATIENT, v1.directiveId)?.version, 2);
  });

  it('lets concurrent entries share the log\'s fsyncs, and shows a reader only what is durable', async () => {
    const before = world.log.groupCommits;
    const inFlight = Array.from({ length: 50 }, (_, i) =>
      world.ledger.grant({ patientId: `p_${(0xa000 + i).toString(16).padStart(16, '0')}`, directive: permit, recordedBy: PATIENT_ACCOUNT }),
    );
    assert.deepEqual(world.ledger.current('p_000000000000a000').directives, [], 'not durable yet, not visible');
    const records = await Promise.all(inFlight);
    assert.ok(world.log.groupCommits - before <= 3, `50 concurrent grants took ${world.log.groupCommits - before} commits`);
    assert.deepEqual(world.ledger.current('p_000000000000a000').directives.map((d) => d.directiveId), [records[0]!.directiveId]);
    assert.deepEqual(records.map((r) => world.ledger.history(r.patientId)[0]!.seq), records.map((_, i) => i + 1), 'committed in the order accepted');
  });

  it('refuses every entry after an append fails, and keeps the failed one out of the state', async () => {
    await world.ledger.grant({ patientId: PATIENT, directive: permit, recordedBy: PATIENT_ACCOUNT });
    await world.log.close();
    await assert.rejects(world.ledger.grant({ patientId: OTHER_PATIENT, directive: permit, recordedBy: PATIENT_ACCOUNT }), /closed/);
    await assert.rejects(world.ledger.grant({ patientId: OTHER_PATIENT, directive: deny, recordedBy: PATIENT_ACCOUNT }), ConsentLedgerUnavailableError);
    assert.deepEqual(world.ledger.current(OTHER_PATIENT).directives, []);
    assert.equal(world.ledger.current(PATIENT).directives.length, 1);
    const reopened = await world.reopen();
    assert.deepEqual(reopened.current(OTHER_PATIENT).directives, []);
    await reopened.grant({ patientId: OTHER_PATIENT, directive: deny, recordedBy: PATIENT_ACCOUNT });
  });

  it('shows the consents as they stood at an earlier moment', async () => {
    const v1 = await world.ledger.grant({ patientId: PATIENT, directive: permit, recordedBy: PATIENT_ACCOUNT });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const revoked = await world.ledger.revoke({ patientId: PATIENT, directiveId: v1.directiveId, replaces: 1, recordedBy: PATIENT_ACCOUNT });
    assert.deepEqual(world.ledger.asOf(PATIENT, v1.updatedAt).directives.map((d) => d.directiveId), [v1.directiveId]);
    assert.deepEqual(world.ledger.asOf(PATIENT, revoked.updatedAt).directives, []);
    assert.deepEqual(world.ledger.asOf(PATIENT, '2000-01-01T00:00:00.000Z').directives, []);
  });

  it('refuses to open a log holding an entry that breaks the rules', async () => {
    const v1 = await world.ledger.grant({ patientId: PATIENT, directive: permit, recordedBy: PATIENT_ACCOUNT });
    // Written past the ledger, straight into the log: an amendment of a version that never existed.
    await world.log.append({ type: 'amended', directiveId: v1.directiveId, patientId: PATIENT, replaces: 7, recordedBy: PATIENT_ACCOUNT, directive: deny });
    await assert.rejects(world.reopen(), (err: unknown) => err instanceof ConsentLogError && err.seq === 2 && err.code === 'stale_version');
  });

  it('refuses to open a log holding an entry its schema refuses', async () => {
    await world.log.append({ type: 'granted', directiveId: 'cd_0000000000000001', patientId: PATIENT, recordedBy: PATIENT_ACCOUNT, directive: { kind: 'clinical_use', decision: 'maybe' } } as never);
    await assert.rejects(world.reopen(), (err: unknown) => err instanceof ConsentLogError && err.seq === 1 && err.code === 'invalid_event');
  });

  it('hands out frozen snapshots, so a caller cannot change the state it was given', async () => {
    await world.ledger.grant({ patientId: PATIENT, directive: permit, recordedBy: PATIENT_ACCOUNT });
    const snapshot = world.ledger.current(PATIENT);
    assert.throws(() => {
      (snapshot.directives[0]!.directive as { decision: string }).decision = 'deny';
    }, TypeError);
  });
});
