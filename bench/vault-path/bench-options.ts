// Sizes of the vault-path benchmark: the full run (figures for docs/performance.md) and the
// smoke run (a small data set that keeps the harness working inside the test suite).
import { CHROMOSOME_KEYS, exomeWeight } from '../../vault/demo/synthetic/genome-builds.ts';

export interface VaultBenchOptions {
  mode: 'full' | 'smoke';
  seed: number;
  /** the ingest file: a BGZF multi-sample VCF over every chromosome */
  ingestSamples: number;
  variantsPerSample: number;
  /** ingest runs per figure (ours and bcftools' in turn; the median is reported) */
  ingestRuns: number;
  /** the cohorts are generated on `cohortChromosomes` only */
  cohortChromosomes: readonly string[];
  /** calls per sample on those chromosomes (exome density kept: see chromosomeShare) */
  cohortVariantsPerSample: number;
  /** the cohort index figures: these population sizes (exome-size samples on `cohortChromosomes`), ingested as files of `samplesPerFile` */
  cohortSizes: readonly number[];
  samplesPerFile: number;
  /** fresh engines per cold figure, after one discarded warm-up engine */
  coldRepeats: number;
  /** timed repetitions per warm figure (and per baseline) */
  warmRepeats: number;
  /** rows for the chunk-loader vs appender figure */
  loadRows: number;
}

/** An exome-size sample: the generator's default, in the 30,000-50,000 range. */
const EXOME_VARIANTS = 40_000;

/** The share of an exome's calls that fall on these chromosomes (by the generator's gene density). */
export function chromosomeShare(chromosomes: readonly string[]): number {
  const total = CHROMOSOME_KEYS.reduce((sum, k) => sum + exomeWeight(k), 0);
  const keys = new Set(chromosomes.map((c) => c.replace(/^chr/i, '').toUpperCase()));
  return CHROMOSOME_KEYS.filter((k) => keys.has(k)).reduce((sum, k) => sum + exomeWeight(k), 0) / total;
}

// 1,000 whole exomes through the real ingest would be ~10 GB of VCF text (measured: 1,000 samples
// on one chromosome at 40k calls each is 1.86 GB and takes ~2 min just to generate), far past the
// 5-minute budget; a cohort query on BRCA1 only ever decrypts chr17, so the cohort is generated on
// chr17 with the calls an exome has there.
const COHORT_CHROMOSOMES = ['chr17'];

export const FULL: VaultBenchOptions = {
  mode: 'full',
  seed: 20250101,
  ingestSamples: 200,
  variantsPerSample: EXOME_VARIANTS,
  ingestRuns: 5,
  cohortChromosomes: COHORT_CHROMOSOMES,
  cohortVariantsPerSample: Math.round(EXOME_VARIANTS * chromosomeShare(COHORT_CHROMOSOMES)),
  cohortSizes: [1000, 10000],
  samplesPerFile: 1000,
  coldRepeats: 5,
  warmRepeats: 20,
  loadRows: 2_000_000,
};

export const SMOKE: VaultBenchOptions = {
  mode: 'smoke',
  seed: 20250101,
  ingestSamples: 10,
  variantsPerSample: 2_000,
  ingestRuns: 1,
  cohortChromosomes: COHORT_CHROMOSOMES,
  cohortVariantsPerSample: Math.round(2_000 * chromosomeShare(COHORT_CHROMOSOMES)),
  cohortSizes: [10, 20],
  samplesPerFile: 10,
  coldRepeats: 2,
  warmRepeats: 3,
  loadRows: 50_000,
};
