// The research index's parts on their own: the merge plan keeps every window to a few segments per
// size tier; segments round-trip through their stored form and refuse damaged bytes; ClinVar bits
// decide as the text rule does; coverage profiles cut into windows cover what SampleCoverage covers.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { FANOUT, planMerges } from '../../../../vault/store/research-index/merge-plan.ts';
import { decodeCallsSegment, decodeCoverageSegment, encodeCallsSegment, encodeCoverageSegment, type CallsSegment } from '../../../../vault/store/research-index/segment-codec.ts';
import { buildCallsSegments, mergeCallsSegments } from '../../../../vault/store/research-index/segment-build.ts';
import { buildCoverageSegments, mergeCoverageSegments } from '../../../../vault/store/research-index/coverage-build.ts';
import { significanceMask, termsMask } from '../../../../vault/store/research-index/significance-mask.ts';
import { matchesSignificance, normaliseSignificanceTerms, CLINVAR_SIGNIFICANCE_TERMS } from '../../../../vault/store/significance.ts';
import { SampleCoverage } from '../../../../vault/store/coverage-index.ts';
import { rangesOf, unionRanges, windowOf } from '../../../../vault/store/research-index/index-catalog.ts';

const tier = (rows: number): number => Math.floor(Math.log(Math.max(rows, 1)) / Math.log(FANOUT) + 1e-9);

describe('research index parts', function () {
  this.timeout(60_000);
  it('merge plan: groups are disjoint, and after them no size tier holds FANOUT segments', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 100_000 }), { maxLength: 40 }), (rows) => {
      const groups = planMerges(rows);
      const used = groups.flat();
      assert.equal(new Set(used).size, used.length);
      for (const g of groups) assert.ok(g.length >= 2);
      const after = [...rows.filter((_, i) => !used.includes(i)), ...groups.map((g) => g.reduce((n, i) => n + rows[i]!, 0))];
      const perTier = new Map<number, number>();
      for (const r of after) perTier.set(tier(r), (perTier.get(tier(r)) ?? 0) + 1);
      for (const count of perTier.values()) assert.ok(count < FANOUT);
    }));
  });

  it('merge plan: one segment at a time, a window never holds more than FANOUT - 1 per tier', () => {
    let window: number[] = [];
    for (let i = 0; i < 500; i++) {
      window.push(1 + (i % 7) * 50);
      const groups = planMerges(window);
      const used = new Set(groups.flat());
      window = [...window.filter((_, j) => !used.has(j)), ...groups.map((g) => g.reduce((n, j) => n + window[j]!, 0))];
      assert.ok(window.length < FANOUT * 8, `${window.length} segments after ${i + 1} ingests`);
    }
  });

  const callsSegment = fc.record({
    rows: fc.array(fc.record({ pos: fc.integer({ min: 1, max: 999 }), ref: fc.constantFrom('A', 'CG', 'TTTTTTTT'), alt: fc.constantFrom('C', 'G', 'AT'), sample: fc.integer({ min: 0, max: 70_000 }), zygosity: fc.integer({ min: 1, max: 4 }), gt: fc.constantFrom('0/1', '1|1', '1'), sig: fc.integer({ min: 0, max: (1 << 23) - 1 }) }), { maxLength: 60 }),
  }).map(({ rows }): CallsSegment[] => buildCallsSegments({ build: 'GRCh38', chrom: 'chr2' }, 1_000, {
    pos: Int32Array.from(rows, (r) => r.pos), ref: rows.map((r) => r.ref), alt: rows.map((r) => r.alt), significance: Int32Array.from(rows, (r) => r.sig),
  }, {
    variant: Int32Array.from(rows, (_, i) => i), sample: Int32Array.from(rows, (r) => r.sample), zygosity: Uint8Array.from(rows, (r) => r.zygosity),
    gt: Int32Array.from(rows, (r) => ['0/1', '1|1', '1'].indexOf(r.gt)), genotypes: ['0/1', '1|1', '1'],
  }));

  const rowsOf = (s: CallsSegment) => Array.from({ length: s.rows }, (_, i) => `${s.pos[i]}:${s.alleles[s.ref[i]!]}:${s.alleles[s.alt[i]!]}:${s.sample[i]}:${s.zygosity[i]}:${s.genotypes[s.gt[i]!]}:${s.significance[i]}`);

  it('calls segments: sorted by position, REF, ALT and sample; stored and read back alike; merged without loss', () => {
    fc.assert(fc.property(callsSegment, callsSegment, (a, b) => {
      for (const s of [...a, ...b]) {
        const keys = rowsOf(s);
        for (let i = 1; i < s.rows; i++) {
          const [p0, r0, a0, s0] = keys[i - 1]!.split(':');
          const [p1, r1, a1, s1] = keys[i]!.split(':');
          assert.ok(Number(p0) < Number(p1) || (p0 === p1 && (r0! < r1! || (r0 === r1 && (a0! < a1! || (a0 === a1 && Number(s0) <= Number(s1)))))), `row ${i} out of order`);
        }
        assert.deepEqual(rowsOf(decodeCallsSegment(encodeCallsSegment(s))), keys);
      }
      const merged = mergeCallsSegments([...a, ...b].map((s) => ({ ...s, window: 0 })));
      assert.deepEqual((merged ? rowsOf(merged) : []).sort(), [...a, ...b].flatMap(rowsOf).sort());
      // erasure's filter: a sample's rows go, nothing else does
      const drop = a[0]?.sample[0];
      if (drop !== undefined) {
        const left = mergeCallsSegments(a.map((s) => ({ ...s, window: 0 })), new Set([drop]));
        assert.deepEqual((left ? rowsOf(left) : []).sort(), a.flatMap(rowsOf).filter((r) => r.split(':')[3] !== String(drop)).sort());
      }
    }));
  });

  it('segments refuse damaged bytes and the wrong kind', () => {
    const [s] = buildCallsSegments({ build: 'GRCh38', chrom: 'chr1' }, 1000, { pos: Int32Array.of(5), ref: ['A'], alt: ['G'], significance: Int32Array.of(0) }, { variant: Int32Array.of(0), sample: Int32Array.of(3), zygosity: Uint8Array.of(1), gt: Int32Array.of(0), genotypes: ['0/1'] });
    const bytes = encodeCallsSegment(s!);
    const cut = bytes.slice(0, bytes.length - 3);
    assert.throws(() => decodeCallsSegment(cut), /corrupt/);
    assert.throws(() => decodeCoverageSegment(bytes), /not a coverage segment/);
    const flipped = bytes.slice();
    flipped[0] = 0x41;
    assert.throws(() => decodeCallsSegment(flipped), /bad magic/);
  });

  it('ClinVar bits match as the text rule does, for every known term and any stored value', () => {
    const part = fc.oneof(fc.constantFrom(...CLINVAR_SIGNIFICANCE_TERMS), fc.constantFrom('Pathogenic', 'Likely pathogenic', '_Benign_', 'other_thing', ''));
    const value = fc.array(part, { minLength: 1, maxLength: 3 }).chain((parts) => fc.constantFrom('/', '|', ',').map((sep) => parts.join(sep)));
    fc.assert(fc.property(value, fc.array(fc.constantFrom(...CLINVAR_SIGNIFICANCE_TERMS), { minLength: 1, maxLength: 3 }), (stored, asked) => {
      const terms = normaliseSignificanceTerms(asked);
      assert.equal((significanceMask(stored) & termsMask(terms)) !== 0, matchesSignificance(stored, terms), `${stored} / ${terms.join(',')}`);
    }));
    assert.equal(significanceMask(null), 0);
  });

  it('coverage cut into windows covers exactly what SampleCoverage covers, profiles shared and merged', () => {
    const interval = fc.record({ chrom: fc.constantFrom('chr1', 'chr2'), start: fc.integer({ min: 1, max: 5000 }), length: fc.integer({ min: 0, max: 2500 }) }).map((i) => ({ chrom: i.chrom, start: i.start, end: i.start + i.length }));
    fc.assert(fc.property(fc.array(fc.array(interval, { maxLength: 5 }), { minLength: 1, maxLength: 4 }), fc.array(fc.integer({ min: 1, max: 8000 }), { maxLength: 20 }), (profiles, positions) => {
      const width = 1000;
      const segments = buildCoverageSegments('GRCh38', width, profiles.map((intervals, p) => ({ intervals, samples: [p * 10, p * 10 + 1] })));
      for (const s of segments) assert.deepEqual(decodeCoverageSegment(encodeCoverageSegment(s)), s, 'stored and read back alike');
      const byKey = new Map<string, typeof segments>();
      for (const s of segments) byKey.set(`${s.chrom}:${s.window}`, [...(byKey.get(`${s.chrom}:${s.window}`) ?? []), s]);
      // two halves merged give the same as built at once
      const half = buildCoverageSegments('GRCh38', width, profiles.map((intervals, p) => ({ intervals, samples: [p * 10] })));
      const other = buildCoverageSegments('GRCh38', width, profiles.map((intervals, p) => ({ intervals, samples: [p * 10 + 1] })));
      profiles.forEach((intervals, p) => {
        const truth = new SampleCoverage(intervals);
        for (const chrom of ['chr1', 'chr2']) {
          for (const pos of positions) {
            const seg = byKey.get(`${chrom}:${windowOf(pos, width)}`)?.[0];
            const mergedSeg = mergeCoverageSegments([...half, ...other].filter((s) => s.chrom === chrom && s.window === windowOf(pos, width)));
            for (const s of [seg, mergedSeg]) {
              let covered = false;
              if (s) {
                const at = s.memberSample.indexOf(p * 10 + 1);
                const profile = at < 0 ? -1 : s.memberProfile[at]!;
                for (let i = 0; i < s.profile.length; i++) if (s.profile[i] === profile && s.start[i]! <= pos && pos <= s.end[i]!) covered = true;
              }
              assert.equal(covered, truth.covers(chrom, pos), `profile ${p} ${chrom}:${pos}`);
            }
          }
        }
      });
    }));
  });

  it('sample ranges merge and hold what they are made of', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 20 }), { maxLength: 5 }), (lists) => {
      const union = unionRanges(lists.map((l) => rangesOf(l)));
      const all = new Set(lists.flat());
      for (let n = 0; n <= 201; n++) assert.equal(union.some(([a, b]) => a <= n && n <= b), all.has(n));
      for (let i = 1; i < union.length; i++) assert.ok(union[i]![0] > union[i - 1]![1] + 1, 'ranges are apart');
    }));
  });
});
