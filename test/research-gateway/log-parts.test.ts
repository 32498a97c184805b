// Patient lists too long for one project-log entry are written in parts and read back whole: every
// entry stays within the log's 1 MiB, and replaying the parts gives the same universes and sets.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ENTRY_PATIENT_BYTES, idSlices, setEntries } from '../../research-gateway/projects/log-parts.ts';
import { applyProjectEvent, type ProjectState } from '../../research-gateway/projects/project-state.ts';
import type { ProjectEvent } from '../../research-gateway/projects/project-events.ts';
import { MAX_ENTRY_BYTES } from '../../vault/log/log-format.ts';
import { proposal } from './helpers/gateway-harness.ts';

const PROJECT = 'rp_00000000000000f1';
const id = (i: number) => `p_${i.toString(16).padStart(16, '0')}`;

function replay(events: ProjectEvent[]): ProjectState {
  const projects = new Map<string, ProjectState>();
  applyProjectEvent(projects, { type: 'project.proposed', projectId: PROJECT, by: 'acc_000000000000000a', at: '2026-01-01T00:00:00Z', proposal: proposal(['DUO:0000042']) }, 10);
  for (const e of events) applyProjectEvent(projects, e, 10);
  return projects.get(PROJECT)!;
}

describe('project log parts', () => {
  it('splits sets across entries within the budget and joins them back, for any sizes (fast-check)', () => {
    const sizes = fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 12 });
    fc.assert(fc.property(sizes, fc.integer({ min: 120, max: 2_000 }), (lengths, budget) => {
      let next = 0;
      const sets = lengths.map((n, i) => ({ set: i + 1, patients: Array.from({ length: n }, () => id(next++)) }));
      const entries = setEntries(sets, budget);
      for (const entry of entries) {
        const listed = entry.reduce((n, part) => n + 48 + part.patients.reduce((m, p) => m + p.length + 3, 0), 0);
        // an entry exceeds the budget only when one id alone does
        assert.ok(listed <= budget || entry.every((part) => part.patients.length <= 1), `${listed} bytes of ids in one entry, budget ${budget}`);
      }
      const state = replay(entries.map((e) => ({ type: 'cohort.sets', projectId: PROJECT, sets: e })));
      for (const { set, patients } of sets) assert.deepEqual(state.sets.get(set)?.ids, patients, `set ${set}`);
      assert.equal(state.lastSet, sets.length);
      assert.equal(state.parts.size, 0, 'no part left waiting');
    }), { numRuns: 200 });
  });

  it('writes a universe of 100,000 patients in entries each under the log\'s limit, and reads it back whole', () => {
    const patients = Array.from({ length: 100_000 }, (_, i) => id(i));
    const slices = idSlices(patients);
    assert.ok(slices.length > 1);
    const events: ProjectEvent[] = slices.map((slice, i) => ({ type: 'cohort.universe', projectId: PROJECT, universe: 1, patients: slice, ...(i < slices.length - 1 && { more: true as const }) }));
    for (const e of events) assert.ok(Buffer.byteLength(JSON.stringify(e)) < MAX_ENTRY_BYTES);
    const state = replay(events);
    assert.equal(state.universes.get(1)?.size, 100_000);
    assert.equal(state.lastUniverse, 1);
    // the same for one set that long
    const entries = setEntries([{ set: 1, patients }]);
    assert.ok(entries.length > 1);
    for (const e of entries) assert.ok(Buffer.byteLength(JSON.stringify({ type: 'cohort.sets', projectId: PROJECT, sets: e })) < MAX_ENTRY_BYTES);
    assert.equal(replay(entries.map((e) => ({ type: 'cohort.sets', projectId: PROJECT, sets: e }))).sets.get(1)?.ids.length, 100_000);
    assert.ok(ENTRY_PATIENT_BYTES < MAX_ENTRY_BYTES);
  });
});
