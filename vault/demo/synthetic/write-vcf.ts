// Writes a synthetic multi-sample VCF through a stream, record by record, so a 1,000-sample
// exome cohort never sits in memory: plain text, gzip, or BGZF that tabix and bcftools accept.
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Prng } from './prng.ts';
import { SyntheticDataError } from './synthetic-error.ts';
import { planSitePool } from './site-pool.ts';
import { SiteRecordWriter } from './site-records.ts';
import { vcfHeader } from './vcf-header.ts';
import { createBgzfStream } from './bgzf.ts';
import { ByteBuffer } from './byte-buffer.ts';
import type { Build } from './genome-builds.ts';
import type { Sex } from './patients.ts';

export interface SyntheticVcfOptions {
  /** sample column names, in column order */
  samples: readonly string[];
  seed: number;
  /** seed of the site pool (and so of the targets), when it differs from `seed`: files of one population drawn in batches share it */
  poolSeed?: number;
  /** non-reference genotypes each sample carries, roughly (exome size by default) */
  variantsPerSample?: number;
  build?: Build;
  /** true: gzip; 'bgzf': block gzip (indexable); false: plain text */
  gzip?: boolean | 'bgzf';
  /** zlib level 0-9 for gzip and BGZF (6 by default, as gzip and bgzip; 1 writes several times faster) */
  compressionLevel?: number;
  /** chromosomes to write ('chr17' or '17'); all of chr1-22, X, Y by default */
  chromosomes?: readonly string[];
  /** add CLNSIG and GENEINFO to the sites inside known genes (default true) */
  annotate?: boolean;
  /** each sample's sex, which sets chrX/chrY ploidy; samples not named get one drawn from the seed */
  sexes?: Readonly<Record<string, Sex>>;
}

export interface SyntheticVcfReport {
  path: string;
  records: number;
  /** uncompressed VCF bytes produced */
  bytes: number;
  /** bytes on disk */
  fileBytes: number;
  seconds: number;
  /** uncompressed megabytes (10^6) per second */
  megabytesPerSecond: number;
  /** non-reference genotypes written per sample, in column order */
  nonReferenceCalls: number[];
  sexes: Sex[];
}

export const DEFAULT_VARIANTS_PER_SAMPLE = 40_000;
const DEFAULT_COMPRESSION_LEVEL = 6;
/** records are handed to the stream in chunks of about this many bytes */
const CHUNK_BYTES = 1 << 20;

export async function writeSyntheticVcf(path: string, options: SyntheticVcfOptions): Promise<SyntheticVcfReport> {
  // planning the site pool counts too: it is part of what a caller waits for
  const started = process.hrtime.bigint();
  const samples = checkSamples(options.samples);
  const build = options.build ?? 'GRCh38';
  if (build !== 'GRCh38' && build !== 'GRCh37') throw new SyntheticDataError('bad_option', 'build', "must be 'GRCh38' or 'GRCh37'");
  const pool = planSitePool({ seed: options.poolSeed ?? options.seed, variantsPerSample: options.variantsPerSample ?? DEFAULT_VARIANTS_PER_SAMPLE, build, chromosomes: options.chromosomes });
  const sexes = resolveSexes(samples, options.seed, options.sexes ?? {});
  const annotate = options.annotate ?? true;
  const writer = new SiteRecordWriter(new Prng(options.seed, `records:${build}`), { build, sexes, annotate });
  let records = 0;
  let bytes = 0;

  function* chunks(): Generator<Buffer> {
    const out = new ByteBuffer(CHUNK_BYTES + (1 << 16));
    out.ascii(vcfHeader({ build, samples, seed: options.seed, annotate }));
    for (const chrom of pool) {
      for (let i = 0; i < chrom.pos.length; i++) {
        if (!writer.writeLine(chrom, i, out)) continue;
        records++;
        if (out.length >= CHUNK_BYTES) {
          bytes += out.length;
          yield out.take();
        }
      }
    }
    bytes += out.length;
    yield out.take();
  }

  const compressor = compressorFor(options.gzip ?? false, options.compressionLevel ?? DEFAULT_COMPRESSION_LEVEL);
  const file = createWriteStream(path, { mode: 0o644 });
  try {
    // a few chunks in flight at most: memory stays flat whatever the cohort size
    const source = Readable.from(chunks(), { highWaterMark: 2 });
    if (compressor) await pipeline(source, compressor, file);
    else await pipeline(source, file);
  } catch (err) {
    // a half-written VCF would look valid up to its cut: leave none behind
    await rm(path, { force: true });
    throw err;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    path,
    records,
    bytes,
    fileBytes: file.bytesWritten,
    seconds,
    megabytesPerSecond: bytes / 1e6 / Math.max(seconds, 1e-9),
    nonReferenceCalls: Array.from(writer.carriedPerSample),
    sexes,
  };
}

function compressorFor(gzip: boolean | 'bgzf', level: number): Transform | null {
  if (!Number.isInteger(level) || level < 0 || level > 9) throw new SyntheticDataError('bad_option', 'compressionLevel', 'must be an integer from 0 to 9');
  if (gzip === 'bgzf') return createBgzfStream({ level });
  if (gzip === true) return createGzip({ level });
  if (gzip === false) return null;
  throw new SyntheticDataError('bad_option', 'gzip', "must be true, false or 'bgzf'");
}

/** Sample names become VCF header columns: non-empty, unique, and free of whitespace. */
function checkSamples(samples: readonly string[]): string[] {
  if (samples.length === 0) throw new SyntheticDataError('bad_option', 'samples', 'must name at least one sample');
  const seen = new Set<string>();
  samples.forEach((name, i) => {
    if (typeof name !== 'string' || !/^[\x21-\x7e]+$/.test(name)) {
      throw new SyntheticDataError('bad_sample_name', `samples[${i}]`, 'must be printable ASCII without spaces or tabs');
    }
    if (seen.has(name)) throw new SyntheticDataError('bad_sample_name', `samples[${i}]`, 'repeats an earlier sample name');
    seen.add(name);
  });
  return samples.slice();
}

function resolveSexes(samples: string[], seed: number, given: Readonly<Record<string, Sex>>): Sex[] {
  const rng = new Prng(seed, 'sample-sex');
  return samples.map((name, i) => {
    const drawn: Sex = rng.chance(0.5) ? 'female' : 'male';
    const sex = Object.hasOwn(given, name) ? given[name] : drawn;
    if (sex !== 'female' && sex !== 'male') throw new SyntheticDataError('bad_option', `sexes[samples[${i}]]`, "must be 'female' or 'male'");
    return sex;
  });
}
