// How the research index's window width was chosen: `npx tsx bench/vault-path/window-width.ts
// [SAMPLES]` takes the cohort population the full bench cached under bench/results/ (run
// `npm run bench` first), copies its vault, and for each width rebuilds the index, then times cold
// and warm count and aggregate queries over a large gene (BRCA1, 126 kb) and a small one (TP53,
// 26 kb) for a consented 90% of the samples. Prints one JSON line per width.
import { cp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { masterKeyFromBase64 } from '../../vault/crypto/master-key.ts';
import { Vault } from '../../vault/store/vault.ts';
import { openQueries, type PatientQueries } from '../../vault/store/patient-queries.ts';
import { rebuildIndex } from '../../vault/store/research-index/index-rebuild.ts';
import { median } from '../figure.ts';
import { coldMedianMs } from './timing.ts';

const WIDTHS = [125_000, 250_000, 500_000, 1_000_000, 2_000_000, 4_000_000];
const samples = Number(process.argv[2] ?? 10_000);
const results = join(import.meta.dirname, '..', 'results');
const cache = (await readdir(results)).find((d) => d.startsWith('cohort-'));
if (!cache) throw new Error('no cached cohort population under bench/results/: run npm run bench first');
const meta = JSON.parse(await readFile(join(results, cache, 'meta.json'), 'utf8')) as { kek: string };
const kek = masterKeyFromBase64(meta.kek, 'bench');
const copy = join(tmpdir(), `genovault-window-width-${process.pid}`);
await cp(join(results, cache, `vault-${samples}`), copy, { recursive: true });
try {
  for (const width of WIDTHS) {
    const writer = await Vault.open(copy, kek, { write: true });
    const report = await rebuildIndex(writer, { windowWidth: width });
    await writer.close();
    const vault = await Vault.open(copy, kek, { write: false });
    const index = vault.catalog.data.index!;
    const files = [...new Set(index.segments.map((s) => s.file))];
    let bytes = 0;
    for (const f of files) bytes += (await stat(join(copy, f))).size;
    const ids = vault.catalog.data.samples.map((s) => s.sampleId).filter((_, i) => i % 10 !== 0);
    const open = () => openQueries(vault, { cacheBudgetMb: 1024 });
    const close = (q: PatientQueries) => q.close();
    const line: Record<string, number> = { width, rebuildSeconds: report.seconds, segments: index.segments.length, indexMB: bytes / 1e6 };
    for (const gene of ['BRCA1', 'TP53']) {
      const request = { build: 'GRCh38' as const, target: { gene }, sampleIds: ids };
      line[`${gene}ColdCountMs`] = (await coldMedianMs(open, (q) => q.cohortIndex!.count(request), close, 3)).ms;
      line[`${gene}ColdAggregateMs`] = (await coldMedianMs(open, (q) => q.cohortIndex!.aggregate(request), close, 3)).ms;
      const q = await open();
      await q.cohortIndex!.aggregate(request);
      const warm: number[] = [];
      for (let r = 0; r < 9; r++) {
        const t = performance.now();
        await q.cohortIndex!.aggregate(request);
        warm.push(performance.now() - t);
      }
      line[`${gene}WarmAggregateMs`] = median(warm);
      line[`${gene}WindowRows`] = q.cohortIndex!.engine.stats().cachedRows;
      await q.close();
    }
    await vault.close();
    console.log(JSON.stringify(line, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v)));
  }
} finally {
  await rm(copy, { recursive: true, force: true });
}
