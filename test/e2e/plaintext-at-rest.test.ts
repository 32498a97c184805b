// Plaintext never reaches the disk: ingest a VCF full of unique marker strings, query it, then
// search every byte under the data directory, the working directory (DuckDB's default temp
// location) and the process's temp directory for the markers.
import { strict as assert } from 'node:assert';
import { readdir, readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { runCli } from '../helpers/run-cli.ts';

const MARKERS = ['GVMARKSAMPLEqz7', 'rsGVMARKIDqz7', 'GVMARKGENEqz7', 'GVMARKFILTERqz7'];

/** `run` makes each file's bytes its own: the vault refuses the same file twice. */
function markerVcf(run: number): string {
  const lines = [
    '##fileformat=VCFv4.2',
    `##source=marker-run-${run}`,
    '##reference=GRCh38',
    '##contig=<ID=chr17,length=83257441>',
    `##FILTER=<ID=${MARKERS[3]},Description="marker filter">`,
    '##INFO=<ID=GENEINFO,Number=1,Type=String,Description="gene">',
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
    `#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t${MARKERS[0]}`,
  ];
  for (let i = 0; i < 200; i++) {
    lines.push(`chr17\t${43044300 + i * 10}\t${MARKERS[1]}${i}\tA\tG\t50\t${MARKERS[3]}\tGENEINFO=${MARKERS[2]}:1\tGT\t0/1`);
  }
  return lines.join('\n') + '\n';
}

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath, e.name);
    if (await stat(path).catch(() => null)) out.push(path);
  }
  return out;
}

function entropyBitsPerByte(bytes: Buffer): number {
  const counts = new Array<number>(256).fill(0);
  for (const b of bytes) counts[b]!++;
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / bytes.length) * Math.log2(c / bytes.length);
  return h;
}

describe('plaintext never reaches the disk', function () {
  this.timeout(120_000);
  let dir: { path: string; remove: () => Promise<void> };
  before(async () => (dir = await makeTempDir()));
  after(() => dir.remove());

  // the second ingest runs the parse and encode workers, the path every large file takes
  it('leaves no marker string in the data directory, the working directory or the temp directory', async () => {
    const input = join(dir.path, 'input');
    await mkdir(input);
    const vcf = join(input, 'markers.vcf');
    await writeFile(vcf, markerVcf(1));
    const again = join(input, 'markers-2.vcf');
    await writeFile(again, markerVcf(2));
    const data = join(dir.path, 'vault');
    const work = join(dir.path, 'work');
    await mkdir(work);
    // The CLI gets a temp directory of its own, so the scan below sees everything it wrote there
    // and nothing another process wrote.
    const ownTmp = join(dir.path, 'tmp');
    await mkdir(ownTmp);
    const env = { GENOVAULT_DATA_DIR: data, TMPDIR: ownTmp };
    for (const args of [['init'], ['ingest', '--patient', 'MRN0000042', vcf], ['ingest', '--patient', 'MRN0000043', '--workers', '2', again], ['variants', '--patient', 'MRN0000042', '--gene', MARKERS[2]!, '--format', 'json'], ['variants', '--patient', 'MRN0000042', '--region', 'chr17:1-90000000']]) {
      const r = await runCli(args, { cwd: work, env });
      assert.equal(r.code, 0, `${args[0]} failed: ${r.stderr}`);
      if (args[0] === 'variants') assert.ok(r.stdout.includes(MARKERS[1]!), 'the query sees the data (so the markers did pass through memory)');
    }
    const scanned = [
      ...(await filesUnder(data)),
      ...(await filesUnder(work)),
      ...(await filesUnder(ownTmp)),
      `${data}.master-key`,
    ];
    assert.ok(scanned.length >= 4);
    for (const file of scanned) {
      const bytes = await readFile(file).catch(() => null);
      if (!bytes) continue;
      for (const marker of MARKERS) assert.ok(!bytes.includes(Buffer.from(marker)), `${marker} found in ${file}`);
    }
    // And the sealed files are ciphertext, not merely compressed text: near 8 bits of entropy per byte.
    for (const file of await filesUnder(join(data, 'samples'))) {
      const bytes = await readFile(file);
      if (bytes.length > 2048) assert.ok(entropyBitsPerByte(bytes.subarray(256)) > 7.5, `${file} does not look encrypted`);
    }
  });
});
