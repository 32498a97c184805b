// Paging a patient's trail with repeated refusals collapsed: for any trail and page size, walking
// the pages shows every entry exactly once, never merges a permitted access, never puts more than
// `limit` items on a page, and a flood of one refusal takes one item.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { accessHistoryPage, isRefusal, type AccessHistoryItem } from '../../../vault/audit/access-history.ts';
import { AuditIndex } from '../../../vault/audit/audit-index.ts';
import type { AuditEvent } from '../../../vault/audit/audit-event.ts';
import type { LogEntry } from '../../../vault/log/log-format.ts';

const PATIENT = 'p_0000000000000001';

function entry(seq: number, body: Partial<AuditEvent>): LogEntry<AuditEvent> {
  const at = new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString();
  return {
    seq,
    at,
    hash: seq.toString(16).padStart(64, '0'),
    body: { requestId: `r${seq}`, actorId: 'acc_a', actorRoles: ['clinician'], action: 'read', resource: 'variants', patientId: PATIENT, purpose: 'treatment', decision: 'permit', rule: null, ...body },
  };
}

function indexOf(entries: LogEntry<AuditEvent>[]): AuditIndex {
  const index = new AuditIndex();
  for (const e of entries) index.add(e);
  return index;
}

function walk(index: AuditIndex, limit: number, maxScanned?: number): AccessHistoryItem[][] {
  const pages: AccessHistoryItem[][] = [];
  let start: number | undefined;
  for (;;) {
    const page = accessHistoryPage(index.newestFirst({ patientId: PATIENT }, start), { limit, ...(maxScanned ? { maxScanned } : {}) });
    pages.push(page.items);
    if (page.next === undefined) return pages;
    assert.ok(start === undefined || page.next < start, 'every page moves back in time');
    start = page.next;
  }
}

const eventArb = fc.record({
  actorId: fc.constantFrom('acc_a', 'acc_b', 'acc_c', null),
  resource: fc.constantFrom('record', 'variants'),
  decision: fc.constantFrom('permit', 'deny', 'success', 'failure'),
  patientId: fc.constantFrom(PATIENT, PATIENT, PATIENT, 'p_0000000000000002'),
}) as fc.Arbitrary<Partial<AuditEvent>>;

describe('accessHistoryPage', () => {
  it('shows every entry of the patient once over all pages, merges only identical refusals, and keeps pages within the limit (property)', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 120 }), fc.integer({ min: 1, max: 15 }), fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }), (events, limit, maxScanned) => {
        const entries = events.map((e, i) => entry(i + 1, e));
        const pages = walk(indexOf(entries), limit, maxScanned);
        const items = pages.flat();
        for (const page of pages) assert.ok(page.length <= limit);
        const mine = entries.filter((e) => e.body.patientId === PATIENT);
        assert.equal(items.reduce((n, i) => n + i.count, 0), mine.length, 'counts add up to the patient\u2019s entries');
        for (const item of items) {
          if (!isRefusal(item.entry.body)) assert.equal(item.count, 1, 'a permitted access is never merged');
          assert.ok(item.firstAt <= item.entry.at);
        }
        const seqs = items.map((i) => i.entry.seq);
        assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a), 'newest first');
      }),
      { numRuns: 300 },
    );
  });

  it('keeps permitted accesses on the first page whatever the flood of refusals around them', () => {
    const entries = [entry(1, { actorId: 'acc_clin' })];
    for (let seq = 2; seq <= 1001; seq++) entries.push(entry(seq, { actorId: 'acc_attacker', decision: 'deny' }));
    entries.push(entry(1002, { actorId: 'acc_clin', resource: 'record' }));
    const { items, next } = accessHistoryPage(indexOf(entries).newestFirst({ patientId: PATIENT }), { limit: 10 });
    assert.equal(next, undefined);
    assert.deepEqual(items.map((i) => [i.entry.body.actorId, i.entry.body.decision, i.count]), [['acc_clin', 'permit', 1], ['acc_attacker', 'deny', 1000], ['acc_clin', 'permit', 1]]);
    assert.equal(items[1]!.firstAt, entries[1]!.at);
    assert.equal(items[1]!.entry.at, entries[1000]!.at);
  });

  it('reads at most maxScanned entries for one page and says where to go on', () => {
    const entries = Array.from({ length: 50 }, (_, i) => entry(i + 1, { decision: 'deny' }));
    const page = accessHistoryPage(indexOf(entries).newestFirst({ patientId: PATIENT }), { limit: 10, maxScanned: 20 });
    assert.deepEqual([page.items.length, page.items[0]!.count, page.next], [1, 20, 30]);
  });

  it('leaves out what `skip` says, without ending the page early', () => {
    const entries = [entry(1, {}), entry(2, { resource: 'access_log' }), entry(3, {})];
    const { items } = accessHistoryPage(indexOf(entries).newestFirst({ patientId: PATIENT }), { limit: 2, skip: (e) => e.resource === 'access_log' });
    assert.deepEqual(items.map((i) => i.entry.seq), [3, 1]);
  });
});

describe('AuditIndex.newestFirst', () => {
  it('starts at the given seq, newest first, by patient or by actor', () => {
    const index = indexOf([entry(1, {}), entry(2, { patientId: null }), entry(3, { actorId: 'acc_b' }), entry(4, {}), entry(5, {})]);
    assert.deepEqual([...index.newestFirst({ patientId: PATIENT })].map((e) => e.seq), [5, 4, 3, 1]);
    assert.deepEqual([...index.newestFirst({ patientId: PATIENT }, 4)].map((e) => e.seq), [4, 3, 1]);
    assert.deepEqual([...index.newestFirst({ patientId: PATIENT }, 2)].map((e) => e.seq), [1]);
    assert.deepEqual([...index.newestFirst({ actorId: 'acc_a' }, 3)].map((e) => e.seq), [2, 1]);
    assert.deepEqual([...index.newestFirst({ patientId: PATIENT }, 0)], []);
  });
});
