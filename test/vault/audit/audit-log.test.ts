import { strict as assert } from 'node:assert';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { newKey } from '../../../vault/crypto/aead.ts';
import { AuditLog } from '../../../vault/audit/audit-log.ts';
import { AuditEventError } from '../../../vault/audit/audit-event.ts';
import type { AuditEvent } from '../../../vault/audit/audit-event.ts';
import { AuditQueryError } from '../../../vault/audit/audit-index.ts';
import { LogIntegrityError, verifyLog } from '../../../vault/log/sealed-append-log.ts';

function event(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    requestId: 'req-1',
    actorId: 'u_clin1',
    actorRoles: ['clinician'],
    action: 'read',
    resource: 'variants',
    patientId: 'p_0000000000000001',
    purpose: 'treatment',
    decision: 'permit',
    rule: 'p, clinician, variants, read, treatment, allow',
    ...overrides,
  };
}

describe('AuditLog', () => {
  let dir: { path: string; remove: () => Promise<void> };
  let path: string;
  const key = newKey();
  beforeEach(async () => {
    dir = await makeTempDir();
    path = join(dir.path, 'audit.log');
  });
  afterEach(() => dir.remove());

  it('records an event durably, sealed, and stamps its time', async () => {
    const audit = await AuditLog.open(path, { key });
    const entry = await audit.record(event());
    assert.equal(entry.seq, 1);
    assert.ok(entry.body.at && !Number.isNaN(Date.parse(entry.body.at)));
    const report = await verifyLog(path, { key, logId: 'audit' });
    assert.deepEqual([report.ok, report.entries], [true, 1]);
    const bytes = await readFile(path);
    assert.equal(bytes.includes('p_0000000000000001'), false, 'ids are sealed too');
    await audit.close();
  });

  it('answers queries newest first, with each filter and their combination', async () => {
    const audit = await AuditLog.open(path, { key });
    await audit.record(event({ requestId: 'r1' }));
    await audit.record(event({ requestId: 'r2', decision: 'deny', actorId: 'u_ins1', actorRoles: ['insurer'], purpose: 'insurance', rule: null }));
    await audit.record(event({ requestId: 'r3', patientId: 'p_0000000000000002' }));
    await audit.record(event({ requestId: 'r4', action: 'break_glass', resource: 'record', flagged: true, reason: 'emergency' }));
    await audit.record(event({ requestId: 'r5', action: 'login', resource: 'session', patientId: null, decision: 'success', rule: null, purpose: null }));
    const ids = async (filter: Parameters<AuditLog['query']>[0]) => (await audit.query(filter)).map((e) => e.body.requestId);
    assert.deepEqual(await ids({}), ['r5', 'r4', 'r3', 'r2', 'r1']);
    assert.deepEqual(await ids({ patientId: 'p_0000000000000001' }), ['r4', 'r2', 'r1']);
    assert.deepEqual(await ids({ actorId: 'u_ins1' }), ['r2']);
    assert.deepEqual(await ids({ decision: 'deny' }), ['r2']);
    assert.deepEqual(await ids({ flagged: true }), ['r4']);
    assert.deepEqual(await ids({ flagged: false, resource: 'variants' }), ['r3', 'r2', 'r1']);
    assert.deepEqual(await ids({ resource: 'session' }), ['r5']);
    assert.deepEqual(await ids({ patientId: 'p_0000000000000001', actorId: 'u_clin1', decision: 'permit' }), ['r4', 'r1']);
    assert.deepEqual(await ids({ limit: 2 }), ['r5', 'r4']);
    assert.deepEqual(await ids({ patientId: 'p_ffffffffffffffff' }), []);
    await audit.close();
  });

  it('filters by time range, inclusive', async () => {
    const audit = await AuditLog.open(path, { key });
    const first = await audit.record(event({ requestId: 'early' }));
    await new Promise((r) => setTimeout(r, 15));
    const second = await audit.record(event({ requestId: 'late' }));
    const ids = async (filter: Parameters<AuditLog['query']>[0]) => (await audit.query(filter)).map((e) => e.body.requestId);
    assert.deepEqual(await ids({ from: second.at }), ['late']);
    assert.deepEqual(await ids({ to: first.at }), ['early']);
    assert.deepEqual(await ids({ from: first.at, to: second.at }), ['late', 'early']);
    assert.deepEqual(await ids({ from: '2999-01-01' }), []);
    await audit.close();
  });

  it('rebuilds its index on open', async () => {
    const audit = await AuditLog.open(path, { key });
    for (let i = 0; i < 10; i++) await audit.record(event({ requestId: `r${i}`, patientId: i % 2 ? 'p_0000000000000001' : 'p_0000000000000002' }));
    await audit.close();
    const again = await AuditLog.open(path, { key });
    assert.equal(again.length, 10);
    assert.deepEqual((await again.query({ patientId: 'p_0000000000000002', limit: 3 })).map((e) => e.body.requestId), ['r8', 'r6', 'r4']);
    await again.close();
  });

  it('answers queries from memory, without reading the file again', async () => {
    const audit = await AuditLog.open(path, { key });
    await audit.record(event());
    await writeFile(path, Buffer.alloc(0)); // a query that re-read the file would now fail
    assert.equal((await audit.query({})).length, 1);
    await audit.close();
  });

  it('keeps query results immutable', async () => {
    const audit = await AuditLog.open(path, { key });
    await audit.record(event());
    const [entry] = await audit.query({});
    assert.throws(() => {
      (entry!.body as { decision: string }).decision = 'deny';
    }, TypeError);
    assert.equal((await audit.query({ decision: 'permit' })).length, 1);
    await audit.close();
  });

  it('records concurrent events with shared fsyncs and loses none', async () => {
    const audit = await AuditLog.open(path, { key });
    await Promise.all(Array.from({ length: 500 }, (_, i) => audit.record(event({ requestId: `r${i}` }))));
    const seqs = (await audit.query({ limit: 10_000 })).map((e) => e.seq);
    assert.deepEqual(seqs, Array.from({ length: 500 }, (_, i) => 500 - i));
    await audit.close();
    assert.equal((await verifyLog(path, { key, logId: 'audit' })).entries, 500);
  });

  it('refuses malformed events, naming the field but not its value, and records nothing', async () => {
    const audit = await AuditLog.open(path, { key });
    await audit.record(event());
    const size = (await stat(path)).size;
    const bad: [Record<string, unknown>, string][] = [
      [{ ...event(), decision: 'maybe' }, 'decision'],
      [{ ...event(), patientId: 'Jane Doe' }, 'patientId'],
      [{ ...event(), actorRoles: ['Clinician Smith'] }, 'actorRoles.0'],
      [{ ...event(), patientName: 'Jane Doe' }, 'patientName'],
      [{ ...event(), reason: 'line one\nline two' }, 'reason'],
      [{ ...event(), at: 'yesterday' }, 'at'],
      [{ ...event(), action: undefined }, 'action'],
      [{ ...event(), rule: 'x'.repeat(501) }, 'rule'],
    ];
    for (const [input, field] of bad) {
      await assert.rejects(audit.record(input as unknown as AuditEvent), (err: unknown) => {
        assert.ok(err instanceof AuditEventError, String(err));
        assert.equal(err.field, field);
        assert.ok(!err.message.includes('Jane') && !err.message.includes('line two'), err.message);
        return true;
      });
    }
    assert.equal(audit.length, 1);
    assert.equal((await stat(path)).size, size);
    await audit.close();
  });

  it('accepts every well-formed event and returns it as recorded (property)', async () => {
    const audit = await AuditLog.open(path, { key });
    const idArb = fc.stringMatching(/^[A-Za-z0-9_.:@-]{1,40}$/);
    const codeArb = fc.stringMatching(/^[a-z][a-z0-9_.:-]{0,20}$/);
    const eventArb = fc.record(
      {
        requestId: fc.option(idArb),
        actorId: fc.option(idArb),
        actorRoles: fc.array(codeArb, { maxLength: 3 }),
        action: codeArb,
        resource: codeArb,
        patientId: fc.option(idArb),
        purpose: fc.option(codeArb),
        decision: fc.constantFrom('permit', 'deny', 'success', 'failure'),
        rule: fc.option(fc.string({ maxLength: 80 }).filter((s) => !/\p{Cc}/u.test(s))),
        flagged: fc.boolean(),
      },
      { requiredKeys: ['requestId', 'actorId', 'actorRoles', 'action', 'resource', 'patientId', 'purpose', 'decision', 'rule'] },
    );
    await fc.assert(
      fc.asyncProperty(eventArb, async (e) => {
        const entry = await audit.record(e);
        const { at: _at, ...stored } = entry.body;
        assert.deepEqual(stored, JSON.parse(JSON.stringify(e)));
      }),
      { numRuns: 60 },
    );
    await audit.close();
  });

  it('refuses malformed query filters', async () => {
    const audit = await AuditLog.open(path, { key });
    await assert.rejects(audit.query({ from: 'last tuesday' }), AuditQueryError);
    await assert.rejects(audit.query({ limit: 0 }), AuditQueryError);
    await assert.rejects(audit.query({ limit: 10_001 }), AuditQueryError);
    await audit.close();
  });

  it('refuses to open a tampered audit log, and opens with a custom log id only under that id', async () => {
    const audit = await AuditLog.open(path, { key, logId: 'audit-site-a' });
    await audit.record(event());
    await audit.record(event());
    await audit.close();
    await assert.rejects(AuditLog.open(path, { key }), (err: unknown) => err instanceof LogIntegrityError && err.reason === 'wrong_key');
    const bytes = await readFile(path);
    bytes[bytes.length - 3]! ^= 0x10;
    await writeFile(path, bytes);
    await assert.rejects(AuditLog.open(path, { key, logId: 'audit-site-a' }), (err: unknown) => err instanceof LogIntegrityError && err.reason === 'tampered' && err.seq === 2);
  });
});
