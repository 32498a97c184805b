// The exome-like target set: valid BED that covers every site of the VCF made with the same options.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { writeSyntheticVcf, writeTargetsBed } from '../../../vault/demo/synthetic/index.ts';
import { scanVcf } from './scan-vcf.ts';

describe('writeTargetsBed', function () {
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  beforeEach(async () => {
    temp = await makeTempDir();
  });
  afterEach(() => temp.remove());

  for (const build of ['GRCh38', 'GRCh37'] as const) {
    it(`covers every site of the ${build} VCF made with the same seed, in sorted, non-overlapping intervals`, async function () {
      const options = { seed: 9, variantsPerSample: 1500, build };
      await writeSyntheticVcf(join(temp.path, 'c.vcf'), { ...options, samples: ['A', 'B', 'C', 'D', 'E'] });
      const report = await writeTargetsBed(join(temp.path, 't.bed'), options);
      const vcf = scanVcf(await readFile(join(temp.path, 'c.vcf'), 'latin1'));
      const order = [...vcf.contigs.keys()];
      const rows = (await readFile(join(temp.path, 't.bed'), 'latin1')).trimEnd().split('\n').map((l) => l.split('\t'));
      assert.equal(rows.length, report.intervals);
      const byChrom = new Map<string, [number, number][]>();
      let previous: { chrom: string; end: number } | null = null;
      for (const [chrom, start, end, ...rest] of rows) {
        assert.equal(rest.length, 0);
        const s = Number(start);
        const e = Number(end);
        assert.ok(Number.isInteger(s) && Number.isInteger(e) && s >= 0 && e > s && e <= (vcf.contigs.get(chrom!) ?? 0), `${chrom}:${start}-${end}`);
        if (previous && previous.chrom === chrom) assert.ok(s > previous.end, 'sorted and not touching');
        else if (previous) assert.ok(order.indexOf(chrom!) > order.indexOf(previous.chrom), 'contigs in header order');
        previous = { chrom: chrom!, end: e };
        byChrom.set(chrom!, [...(byChrom.get(chrom!) ?? []), [s, e]]);
      }
      for (const r of vcf.records) {
        // BED is 0-based, half-open: a 1-based POS p lies in [start, end) when start < p <= end
        const hit = (byChrom.get(r.chrom) ?? []).some(([s, e]) => s < r.pos && r.pos + r.ref.length - 1 <= e);
        assert.ok(hit, `${r.chrom}:${r.pos} is inside a target`);
      }
      const bedAgain = await writeTargetsBed(join(temp.path, 't2.bed'), options);
      assert.deepEqual({ ...bedAgain, path: '' }, { ...report, path: '' });
      assert.equal(await readFile(join(temp.path, 't2.bed'), 'latin1'), await readFile(join(temp.path, 't.bed'), 'latin1'));
    });
  }
});
