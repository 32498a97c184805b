// Random populations for the research index's property tests: a few VCF files (batches), each
// with its samples, records over two chromosomes (SNVs, insertions, deletions long enough to reach
// across a small window, multi-allelic sites, haploid and missing calls, ClinVar significance) and
// one kind of coverage: none (whole genome assumed), a targets BED, or gVCF reference blocks.
import fc from 'fast-check';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Vault } from '../../../../../vault/store/vault.ts';
import { newMasterKey, type MasterKey } from '../../../../../vault/crypto/master-key.ts';
import { ingestVcf, type IngestOptions } from '../../../../../vault/ingest/ingest-vcf.ts';

export const CHROMS = ['chr1', 'chr2'] as const;
/** positions fall in [1, SPAN]; with the tests' 1,000-base windows that is six windows per chromosome */
export const SPAN = 6_000;
export const TEST_WINDOW = 1_000;

const REFS = ['A', 'C', 'G', 'T', 'AC', 'ACGT', 'ACGTACGTACGT'];
const SIGNIFICANCE = [null, 'Pathogenic', 'Benign', 'Likely_pathogenic', 'Pathogenic/Likely_pathogenic', 'Uncertain_significance', 'risk_factor'];

export interface RandomRecord {
  chrom: (typeof CHROMS)[number];
  pos: number;
  ref: string;
  alts: string[];
  clnsig: string | null;
  /** one GT per sample */
  gts: string[];
}

export interface RandomBatch {
  coverage: 'wgs' | 'targets' | 'gvcf';
  samples: number;
  records: RandomRecord[];
  /** targets BED intervals (1-based inclusive) when coverage is 'targets'; gVCF reference blocks when 'gvcf' */
  blocks: { chrom: (typeof CHROMS)[number]; start: number; end: number }[];
}

function altsFor(ref: string, n: number, pick: number): string[] {
  const pool = ['A', 'C', 'G', 'T', 'AT', 'CGG'].filter((a) => a !== ref);
  return Array.from({ length: n }, (_, i) => pool[(pick + i * 2) % pool.length]!);
}

/** A genotype over `alts` alleles, diploid or (rarely) haploid. */
const genotype = (alts: number) => fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('0/0', '0/0', '0/1', '1/1', '0|1', '1|0', './.', './1') },
  { weight: alts > 1 ? 2 : 0, arbitrary: fc.constantFrom('1/2', '2/2', '0/2') },
  { weight: 1, arbitrary: fc.constantFrom('1', '0', '.') },
);

const record = (samples: number) => fc.record({
  chrom: fc.constantFrom(...CHROMS),
  // a small pool of positions, so batches share sites and windows hold several samples' calls
  pos: fc.integer({ min: 1, max: SPAN / 25 }).map((p) => p * 25 - (p % 3)),
  ref: fc.constantFrom(...REFS),
  altCount: fc.integer({ min: 1, max: 2 }),
  altPick: fc.nat(10),
  clnsig: fc.constantFrom(...SIGNIFICANCE),
}).chain((r) => fc.array(genotype(r.altCount), { minLength: samples, maxLength: samples }).map((gts): RandomRecord => ({
  chrom: r.chrom, pos: r.pos, ref: r.ref, alts: altsFor(r.ref, r.altCount, r.altPick), clnsig: r.clnsig, gts,
})));

const interval = fc.record({ chrom: fc.constantFrom(...CHROMS), start: fc.integer({ min: 1, max: SPAN }), length: fc.integer({ min: 0, max: 1_500 }) })
  .map((i) => ({ chrom: i.chrom, start: i.start, end: i.start + i.length }));

export const batch: fc.Arbitrary<RandomBatch> = fc.record({ coverage: fc.constantFrom('wgs', 'targets', 'gvcf'), samples: fc.integer({ min: 1, max: 4 }) })
  .chain(({ coverage, samples }) => fc.record({
    coverage: fc.constant(coverage),
    samples: fc.constant(samples),
    records: fc.array(record(samples), { minLength: 1, maxLength: 25 }),
    blocks: coverage === 'wgs' ? fc.constant([]) : fc.array(interval, { minLength: 0, maxLength: 6 }),
  }));

export const population = fc.array(batch, { minLength: 1, maxLength: 6 });

/** Records sorted by chromosome and position, one record per position (the first drawn wins). */
function sortedRecords(b: RandomBatch): RandomRecord[] {
  const seen = new Set<string>();
  return [...b.records]
    .sort((x, y) => x.chrom.localeCompare(y.chrom) || x.pos - y.pos)
    .filter((r) => !seen.has(`${r.chrom}:${r.pos}`) && seen.add(`${r.chrom}:${r.pos}`));
}

/** The batch as VCF text; a gVCF gets its blocks as <NON_REF> reference records between the sites. */
export function vcfText(b: RandomBatch, names: readonly string[]): string {
  const lines = [
    '##fileformat=VCFv4.2',
    '##reference=GRCh38',
    ...CHROMS.map((c) => `##contig=<ID=${c},length=${c === 'chr1' ? 248956422 : 242193529}>`),
    '##INFO=<ID=END,Number=1,Type=Integer,Description="End of the reference block">',
    '##INFO=<ID=CLNSIG,Number=.,Type=String,Description="ClinVar significance">',
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
    '##ALT=<ID=NON_REF,Description="Any other allele">',
    `#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t${names.join('\t')}`,
  ];
  const body: { chrom: string; pos: number; line: string }[] = [];
  for (const r of sortedRecords(b)) {
    const alts = b.coverage === 'gvcf' ? [...r.alts, '<NON_REF>'] : r.alts;
    const info = r.clnsig ? `CLNSIG=${r.clnsig}` : '.';
    body.push({ chrom: r.chrom, pos: r.pos, line: `${r.chrom}\t${r.pos}\t.\t${r.ref}\t${alts.join(',')}\t50\tPASS\t${info}\tGT\t${r.gts.join('\t')}` });
  }
  if (b.coverage === 'gvcf') {
    b.blocks.forEach((blk, i) => {
      // each block is called in every sample but one in turn (a no-call covers nothing)
      const gts = Array.from({ length: b.samples }, (_, s) => (s === i % (b.samples + 1) ? './.' : '0/0'));
      body.push({ chrom: blk.chrom, pos: blk.start, line: `${blk.chrom}\t${blk.start}\t.\tN\t<NON_REF>\t.\t.\tEND=${blk.end}\tGT\t${gts.join('\t')}` });
    });
  }
  body.sort((x, y) => x.chrom.localeCompare(y.chrom) || x.pos - y.pos);
  return `${[...lines, ...body.map((l) => l.line)].join('\n')}\n`;
}

export function bedText(b: RandomBatch): string {
  return b.blocks.map((i) => `${i.chrom}\t${i.start - 1}\t${i.end}\n`).join('');
}

export interface PopulationVault {
  dir: string;
  kek: MasterKey;
  /** the MRN of each batch's samples, in column order */
  mrns: string[][];
}

/** Batch `i` written as a VCF (and its targets BED), with the ingest options that store every sample as patient `B<i>-S<n>`. */
export async function batchFiles(dir: string, i: number, b: RandomBatch): Promise<{ file: string; options: IngestOptions }> {
  const names = Array.from({ length: b.samples }, (_, s) => `S${s}`);
  const file = join(dir, `batch${i}.vcf`);
  // each file its own bytes: ingest refuses a file it has stored
  await writeFile(file, vcfText(b, names).replace('##fileformat=VCFv4.2\n', `##fileformat=VCFv4.2\n##source=batch${i}\n`));
  const options: IngestOptions = { map: new Map(names.map((n) => [n, `B${i}-${n}`])), workers: 0, build: 'GRCh38' };
  if (b.coverage === 'targets') {
    options.targets = join(dir, `batch${i}.bed`);
    await writeFile(options.targets, bedText(b));
  }
  return { file, options };
}

/** A new vault (1,000-base index windows) with each batch ingested in turn. */
export async function ingestPopulation(dir: string, batches: readonly RandomBatch[], options: { windowWidth?: number } = {}): Promise<PopulationVault> {
  const kek = newMasterKey('test');
  const data = join(dir, 'vault');
  await (await Vault.init(data, kek, { indexWindowWidth: options.windowWidth ?? TEST_WINDOW })).close();
  const vault = await Vault.open(data, kek, { write: true });
  const mrns: string[][] = [];
  try {
    for (const [i, b] of batches.entries()) {
      const { file, options } = await batchFiles(dir, i, b);
      mrns.push([...(options.map?.values() ?? [])]);
      await ingestVcf(vault, file, options);
    }
  } finally {
    await vault.close();
  }
  return { dir: data, kek, mrns };
}
