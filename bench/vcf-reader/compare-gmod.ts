// Throughput of our VCF reader (single thread and worker threads) against @gmod/vcf over lines from a
// gunzip stream, on the same BGZF file: a real multi-sample file's records repeated at increasing
// positions. Equal work is the fair test: ingest needs every sample's GT, DP and GQ, which @gmod/vcf
// gives through SAMPLES() (parseLine alone parses no sample column; GENOTYPES() only GT), while ours
// also validates every field against the header. Ours is measured as streamVcf hands out its typed
// columns (what ingest consumes). Prints MB/s (of uncompressed VCF) and records/s for each.
//   npx tsx bench/vcf-reader/compare-gmod.ts [targetMiB] [source.vcf.gz]
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import VCF from '@gmod/vcf';
import { streamVcf } from '../../vault/ingest/vcf/read-vcf.ts';
import { bgzf, largeVcfText } from '../../test/vault/ingest/vcf/synthetic-vcf.ts';

const targetMiB = Number(process.argv[2] ?? 200);
const source = process.argv[3] ?? join(import.meta.dirname, '../../test/fixtures/vcf/real/1000g-nygc30x-grch38_chr22_100samples.vcf.gz');

interface Figure {
  name: string;
  seconds: number;
  records: number;
}

type GmodWork = 'line' | 'genotypes' | 'samples';

/** @gmod/vcf: header lines collected, then parseLine per record, and GENOTYPES() or SAMPLES() when asked. */
async function gmod(path: string, work: GmodWork): Promise<number> {
  const lines = createInterface({ input: createReadStream(path).pipe(createGunzip()), crlfDelay: Infinity });
  const header: string[] = [];
  let parser: VCF | null = null;
  let records = 0;
  let sink = 0;
  for await (const line of lines) {
    if (parser === null) {
      header.push(line);
      if (line.startsWith('#CHROM')) parser = new VCF({ header: header.join('\n') });
      continue;
    }
    if (line === '') continue;
    const variant = parser.parseLine(line);
    if (work === 'genotypes') sink += Object.keys(variant.GENOTYPES()).length;
    if (work === 'samples') sink += Object.keys(variant.SAMPLES()).length;
    records++;
  }
  return records + sink * 0;
}

/** Our reader as ingest uses it: validated typed columns per chunk, counted and dropped. */
async function ours(path: string, workers: number): Promise<number> {
  let calls = 0;
  const summary = await streamVcf(path, { begin: () => undefined, add: (r) => void (calls += r.callSample.length) }, { workers });
  return summary.records + calls * 0;
}

async function time(name: string, run: () => Promise<number>): Promise<Figure> {
  const start = process.hrtime.bigint();
  const records = await run();
  return { name, seconds: Number(process.hrtime.bigint() - start) / 1e9, records };
}

const dir = mkdtempSync(join(tmpdir(), 'genovault-vcf-bench-'));
try {
  const text = largeVcfText(source, targetMiB << 20);
  const path = join(dir, 'bench.vcf.gz');
  writeFileSync(path, bgzf(text));
  const mb = text.length / 1e6;
  const workers = availableParallelism();
  const figures: Figure[] = [];
  figures.push(await time('@gmod/vcf parseLine + SAMPLES()', () => gmod(path, 'samples')));
  figures.push(await time('@gmod/vcf parseLine + GENOTYPES()', () => gmod(path, 'genotypes')));
  figures.push(await time('@gmod/vcf parseLine (no samples)', () => gmod(path, 'line')));
  figures.push(await time('genovault streamVcf, workers 0', () => ours(path, 0)));
  figures.push(await time(`genovault streamVcf, workers ${workers}`, () => ours(path, workers)));
  console.log(`file: ${mb.toFixed(0)} MB uncompressed (BGZF), source ${source.split('/').pop() ?? ''}, ${workers} cores`);
  for (const f of figures) {
    console.log(`${f.name.padEnd(40)} ${(mb / f.seconds).toFixed(1).padStart(7)} MB/s ${Math.round(f.records / f.seconds).toString().padStart(9)} records/s  (${f.records} records, ${f.seconds.toFixed(2)} s)`);
  }
  const [samples, genotypes, line] = figures.map((f) => f.seconds) as [number, number, number];
  for (const f of figures.slice(3)) {
    console.log(`${f.name}: ${(samples / f.seconds).toFixed(2)}x SAMPLES() (equal work), ${(genotypes / f.seconds).toFixed(2)}x GENOTYPES(), ${(line / f.seconds).toFixed(2)}x parseLine alone`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
