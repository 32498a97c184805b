// The benchmark harness stays runnable: `bench/run.ts --smoke` in a child process, as
// `npm run bench -- --smoke` runs it, must write a record with every section and only finite
// numbers, and must leave its temporary data behind nowhere. Speed is not asserted here.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { runNode, type CliResult } from '../helpers/run-cli.ts';
import { SECTIONS, type BenchResults } from '../../bench/vault-path/results-file.ts';
import type { Figure } from '../../bench/figure.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function runBench(args: string[], tmp: string): Promise<CliResult> {
  // TMPDIR points the bench's own temporary directory into this test's directory
  return runNode(['--import', 'tsx', join(ROOT, 'bench', 'run.ts'), ...args], { cwd: ROOT, env: { TMPDIR: tmp } });
}

/** What is left in the directory, minus tsx's compile cache (tsx's, not the bench's). */
async function ownEntries(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => !name.startsWith('tsx-')).sort();
}

function assertFigure(f: Figure): void {
  const where = `${f.section} / ${f.name}`;
  assert.ok(Number.isFinite(f.value), `${where}: value ${f.value} is not finite`);
  assert.ok(f.unit.length > 0, `${where}: no unit`);
  if (f.baseline === null) {
    // a baseline may be missing only when its peer tool is, and the figure says so
    assert.match(f.note ?? '', /not installed/, `${where}: baseline missing without a note`);
  } else {
    assert.ok(Number.isFinite(f.baseline), `${where}: baseline ${f.baseline} is not finite`);
    assert.ok(f.baselineName, `${where}: baseline has no name`);
    assert.ok(f.ratio === null || Number.isFinite(f.ratio), `${where}: ratio is not finite`);
  }
}

describe('bench: npm run bench -- --smoke', function () {
  this.timeout(60_000);
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;
  beforeEach(async () => {
    tmp = await makeTempDir('genovault-bench-smoke-');
  });
  afterEach(() => tmp.remove());

  it('writes every section with finite figures, machine info and timestamps, and cleans up', async () => {
    const out = join(tmp.path, 'results.json');
    const run = await runBench(['--smoke', '--out', out], tmp.path);
    assert.equal(run.code, 0, run.stderr);
    const results = JSON.parse(await readFile(out, 'utf8')) as BenchResults;
    assert.equal(results.mode, 'smoke');
    for (const section of SECTIONS) {
      const figures = results.sections[section];
      assert.ok(Array.isArray(figures) && figures.length > 0, `section ${section} is missing or empty`);
      figures.forEach(assertFigure);
    }
    assert.equal(results.figures.length, SECTIONS.reduce((n, s) => n + results.sections[s].length, 0));
    const names = results.figures.map((f) => f.name).join('\n');
    for (const expected of [/workers=0/, /cold/, /warm/, /carriers/, /allele counts/, /RSS/, /vs BCF/, /CLI wall time/, /count over BRCA1/, /aggregate over BRCA1/, /index queries/]) assert.match(names, expected);

    const m = results.machine;
    assert.ok(m.cpus > 0 && m.totalMemoryBytes > 0 && m.peakRssBytes > 0);
    assert.match(m.node, /^v\d+\./);
    for (const load of [m.loadAverageAtStart, m.loadAverageAtEnd]) assert.ok(load.length === 3 && load.every(Number.isFinite));
    assert.ok(Date.parse(results.startedAt) <= Date.parse(results.finishedAt));
    assert.ok(Number.isFinite(results.seconds) && results.seconds > 0);
    // the table goes to stdout; the data set went to a temporary directory that is gone
    assert.match(run.stdout, /section\s+figure\s+value/);
    assert.deepEqual(await ownEntries(tmp.path), ['results.json']);
  });

  it('refuses an unknown argument, writes no record and leaves nothing behind', async () => {
    const out = join(tmp.path, 'results.json');
    const run = await runBench(['--smoke', '--fast', '--out', out], tmp.path);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /unknown argument --fast/);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(await ownEntries(tmp.path), []);
  });
});
