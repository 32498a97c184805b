// The shared pool of variant sites every generated sample draws from: exome-like targets per
// chromosome (in proportion to gene density), sites inside them with allele frequencies, and a
// handful of annotated sites inside known genes. The same options always give the same pool,
// so a VCF and its targets BED agree.
import { Prng, cumulativeWeights } from './prng.ts';
import { SyntheticDataError } from './synthetic-error.ts';
import { CHROMOSOME_KEYS, chromosomeKeyOf, chromosomeLength, contigName, exomeWeight, pseudoAutosomalRegions, type Build, type ChromosomeKey } from './genome-builds.ts';
import { CLINICAL_SIGNIFICANCE, KNOWN_GENES, isRareFinding, type ClinicalSignificance, type KnownGene } from './known-genes.ts';
import { diploidCarrierChance, drawAlleleFrequency } from './allele-frequency.ts';

export interface SitePoolOptions {
  seed: number;
  variantsPerSample: number;
  build: Build;
  /** which chromosomes to use ('chr17' or '17'); all of chr1-22, X, Y by default */
  chromosomes?: readonly string[] | undefined;
}

/** A target interval, 1-based and inclusive. */
export interface Target {
  start: number;
  end: number;
}

export interface GeneSite {
  gene: KnownGene;
  /** null for a site that merely falls inside the gene: it gets GENEINFO but no CLNSIG */
  significance: ClinicalSignificance | null;
  /** how many samples carry it (heterozygous) regardless of frequency; 0 when the frequency decides */
  forcedCarriers: number;
}

export interface ChromosomeSites {
  key: ChromosomeKey;
  /** the contig name the build writes, e.g. 'chr17' or '17' */
  name: string;
  targets: Target[];
  /** site positions, ascending and distinct */
  pos: Int32Array;
  /** alternate allele frequency per site */
  af: Float64Array;
  /** annotated sites inside known genes, by site index */
  geneSites: Map<number, GeneSite>;
}

export const MAX_VARIANTS_PER_SAMPLE = 5_000_000;
const TARGET_LENGTH = { min: 120, max: 320 } as const;
/** bases kept free at each end of a target, so a short deletion stays inside it */
const TARGET_MARGIN = 8;
const SITES_PER_TARGET = 3;
const SITES_PER_GENE = 6;
const TELOMERE = 10_000;

export function planSitePool(options: SitePoolOptions): ChromosomeSites[] {
  const { seed, variantsPerSample, build } = options;
  if (!Number.isSafeInteger(seed)) throw new SyntheticDataError('bad_option', 'seed', 'must be a safe integer');
  if (!Number.isInteger(variantsPerSample) || variantsPerSample < 1 || variantsPerSample > MAX_VARIANTS_PER_SAMPLE) {
    throw new SyntheticDataError('bad_option', 'variantsPerSample', `must be an integer from 1 to ${MAX_VARIANTS_PER_SAMPLE}`);
  }
  const keys = resolveChromosomes(options.chromosomes);
  const rng = new Prng(seed, `site-pool:${build}`);
  const background = drawBackground(rng, keys, variantsPerSample);
  const totalTargets = Math.max(keys.length, Math.ceil(background.count / SITES_PER_TARGET));
  const weightTotal = keys.reduce((sum, k) => sum + exomeWeight(k), 0);

  return keys.map((key, c) => {
    const targets = drawTargets(rng, build, key, Math.max(1, Math.round((totalTargets * exomeWeight(key)) / weightTotal)));
    const genes = KNOWN_GENES.filter((g) => g.chromosome === key);
    const sites: { pos: number; af: number; gene?: GeneSite }[] = [];
    for (const af of background.afByChromosome[c] ?? []) {
      const t = rng.pick(targets);
      const pos = rng.int(t.start + TARGET_MARGIN, t.end - TARGET_MARGIN);
      // annotations must agree with coordinates: a site inside a known gene names it
      const gene = genes.find((g) => pos >= g.location[build].start && pos <= g.location[build].end);
      sites.push(gene ? { pos, af, gene: { gene, significance: null, forcedCarriers: 0 } } : { pos, af });
    }
    for (const gene of genes) {
      for (const site of drawGeneSites(rng, build, gene)) {
        sites.push(site);
        targets.push({ start: site.pos - TARGET_LENGTH.min / 2, end: site.pos + TARGET_LENGTH.min / 2 });
      }
    }
    return assemble(key, contigName(build, key), targets, sites);
  });
}

/** The chromosomes in VCF order, or a refusal naming the one that is not chr1-22, X or Y. */
export function resolveChromosomes(requested: readonly string[] | undefined): ChromosomeKey[] {
  if (requested === undefined) return [...CHROMOSOME_KEYS];
  if (requested.length === 0) throw new SyntheticDataError('bad_option', 'chromosomes', 'must name at least one chromosome');
  const wanted = new Set<ChromosomeKey>();
  requested.forEach((name, i) => {
    const key = chromosomeKeyOf(name);
    if (key === null) throw new SyntheticDataError('unknown_chromosome', `chromosomes[${i}]`, 'must be one of chr1-chr22, chrX, chrY');
    wanted.add(key);
  });
  return CHROMOSOME_KEYS.filter((k) => wanted.has(k));
}

/** Draws site frequencies until a diploid sample is expected to carry variantsPerSample of them. */
function drawBackground(rng: Prng, keys: ChromosomeKey[], variantsPerSample: number): { count: number; afByChromosome: number[][] } {
  const cumulative = cumulativeWeights(keys.map((k) => exomeWeight(k)));
  const afByChromosome: number[][] = keys.map(() => []);
  let expected = 0;
  let count = 0;
  while (expected < variantsPerSample) {
    const af = drawAlleleFrequency(rng);
    afByChromosome[rng.pickWeighted(cumulative)]?.push(af);
    expected += diploidCarrierChance(af);
    count++;
  }
  return { count, afByChromosome };
}

function drawTargets(rng: Prng, build: Build, key: ChromosomeKey, count: number): Target[] {
  const [lo, hi] = placeableRange(build, key);
  const targets: Target[] = [];
  for (let i = 0; i < count; i++) {
    const start = rng.int(lo, hi - TARGET_LENGTH.max);
    targets.push({ start, end: start + rng.int(TARGET_LENGTH.min, TARGET_LENGTH.max) - 1 });
  }
  return targets;
}

/** Where sites may go: off the telomeres, and on chrY only in the male-specific region. */
function placeableRange(build: Build, key: ChromosomeKey): [number, number] {
  if (key === 'Y') {
    const [par1, par2] = pseudoAutosomalRegions(build, 'Y');
    // the long arm's heterochromatin (Yq12) holds no genes: stop well before it
    return [(par1?.[1] ?? TELOMERE) + 1, Math.min((par2?.[0] ?? chromosomeLength(build, key)) - 1, 26_000_000)];
  }
  return [TELOMERE, chromosomeLength(build, key) - TELOMERE];
}

/** One site of each significance per gene; pathogenic ones are carried by a few samples only. */
function drawGeneSites(rng: Prng, build: Build, gene: KnownGene): { pos: number; af: number; gene: GeneSite }[] {
  const { start, end } = gene.location[build];
  return CLINICAL_SIGNIFICANCE.slice(0, SITES_PER_GENE).map((significance) => {
    const rare = isRareFinding(significance);
    const common = significance === 'Benign' || significance === 'Likely_benign';
    const af = rare ? 0 : common ? 0.1 + rng.next() * 0.4 : rng.logUniform(2e-3, 0.03);
    const pos = rng.int(start + TARGET_LENGTH.min, end - TARGET_LENGTH.min);
    return { pos, af, gene: { gene, significance, forcedCarriers: rare ? rng.int(1, 3) : 0 } };
  });
}

/** Sorts sites, keeps one per position (a classified gene site wins), and merges overlapping targets. */
function assemble(key: ChromosomeKey, name: string, targets: Target[], sites: { pos: number; af: number; gene?: GeneSite }[]): ChromosomeSites {
  const rank = (s: { gene?: GeneSite }): number => (s.gene?.significance ? 0 : 1);
  sites.sort((a, b) => a.pos - b.pos || rank(a) - rank(b));
  const kept = sites.filter((s, i) => i === 0 || s.pos !== sites[i - 1]?.pos);
  const geneSites = new Map<number, GeneSite>();
  kept.forEach((s, i) => {
    if (s.gene) geneSites.set(i, s.gene);
  });
  return {
    key,
    name,
    targets: mergeTargets(targets),
    pos: Int32Array.from(kept, (s) => s.pos),
    af: Float64Array.from(kept, (s) => s.af),
    geneSites,
  };
}

function mergeTargets(targets: Target[]): Target[] {
  const sorted = [...targets].sort((a, b) => a.start - b.start);
  const merged: Target[] = [];
  for (const t of sorted) {
    const last = merged[merged.length - 1];
    if (last && t.start <= last.end + 1) last.end = Math.max(last.end, t.end);
    else merged.push({ ...t });
  }
  return merged;
}
