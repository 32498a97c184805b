// Turns one site of the pool into one VCF record: alleles, a genotype per sample (Hardy-Weinberg,
// ploidy by sex and chromosome, some phased, a few missing), then INFO computed from those calls.
// This is the hot loop of the generator: one random draw per non-carrier cell.
import type { Prng } from './prng.ts';
import { ploidyAt, type Build } from './genome-builds.ts';
import type { ChromosomeSites } from './site-pool.ts';
import { carrierGenotypes, referenceCells, type CarrierGenotypes, type ReferenceCell } from './genotype-model.ts';
import type { Sex } from './patients.ts';
import { ByteBuffer } from './byte-buffer.ts';

export interface RecordOptions {
  build: Build;
  sexes: readonly Sex[];
  annotate: boolean;
}

const MISSING_SHARE = 0.002;
const PHASED_SHARE = 0.1;
const LOW_QUAL_SHARE = 0.02;
const MULTI_ALLELIC_SHARE = 0.03;
const DELETION_SHARE = 0.07;
const INSERTION_SHARE = 0.03;
const BASES = ['A', 'C', 'G', 'T'] as const;
const TWO_POW_32 = 0x100000000;
/** reference cells are picked by the low 6 bits of the draw that decided "no carrier" */
const REFERENCE_CELL_MASK = 63;
/** the longest cell written: tab, '1|2', two colons, two 2-digit numbers */
const MAX_CELL_BYTES = 16;
const TAB = 0x09;
const COLON = 0x3a;
const NEWLINE = 0x0a;
const MISSING_CELL = { 1: Buffer.from('\t.', 'latin1'), 2: Buffer.from('\t./.', 'latin1') } as const;

export class SiteRecordWriter {
  /** non-reference genotypes written per sample so far */
  readonly carriedPerSample: Int32Array;
  private readonly referenceCellsByPloidy: Record<1 | 2, ReferenceCell[]>;
  private readonly diploid: Uint8Array;
  /** the current record's sample columns, written before INFO is known */
  private readonly cells = new ByteBuffer();
  private readonly sexChromosome: { X: Uint8Array; Y: Uint8Array };

  constructor(
    private readonly rng: Prng,
    private readonly options: RecordOptions,
  ) {
    const n = options.sexes.length;
    this.carriedPerSample = new Int32Array(n);
    this.referenceCellsByPloidy = { 1: referenceCells(1, REFERENCE_CELL_MASK + 1), 2: referenceCells(2, REFERENCE_CELL_MASK + 1) };
    this.diploid = new Uint8Array(n).fill(2);
    // outside the PARs; positions inside them use the diploid row
    this.sexChromosome = {
      X: Uint8Array.from(options.sexes, (sex) => (sex === 'male' ? 1 : 2)),
      Y: Uint8Array.from(options.sexes, (sex) => (sex === 'male' ? 1 : 0)),
    };
  }

  /**
   * Appends the record for site i (with its newline) to `out` and returns true, or appends
   * nothing and returns false when no sample carries it (as a joint caller would drop it).
   */
  writeLine(chrom: ChromosomeSites, i: number, out: ByteBuffer): boolean {
    const pos = chrom.pos[i] ?? 0;
    const gene = chrom.geneSites.get(i);
    const { ref, alts, afs } = this.drawAlleles(chrom.af[i] ?? 0, gene !== undefined);
    const ploidy = this.ploidyRow(chrom, pos);
    const forced = gene && gene.forcedCarriers > 0 ? this.chooseCarriers(gene.forcedCarriers, ploidy) : null;
    const calls = this.drawCalls(afs, ploidy, forced);
    const acTotal = calls.ac.reduce((s, v) => s + v, 0);
    if (acTotal === 0) return false;
    const qual = Math.min(99_999, 30 + acTotal * this.rng.int(20, 60) + this.rng.next()).toFixed(2);
    const filter = this.rng.chance(LOW_QUAL_SHARE) ? 'LowQual' : 'PASS';
    const af = calls.ac.map((c) => formatFrequency(c / calls.an)).join(',');
    let info = `AC=${calls.ac.join(',')};AN=${calls.an};AF=${af};DP=${calls.dp}`;
    if (gene && this.options.annotate) {
      if (gene.significance !== null) info += `;CLNSIG=${gene.significance}`;
      info += `;GENEINFO=${gene.gene.symbol}:${gene.gene.geneId}`;
    }
    out.ascii(`${chrom.name}\t${pos}\t.\t${ref}\t${alts.join(',')}\t${qual}\t${filter}\t${info}\tGT:DP:GQ`);
    out.append(this.cells);
    out.byte(NEWLINE);
    return true;
  }

  private ploidyRow(chrom: ChromosomeSites, pos: number): Uint8Array {
    if (chrom.key === 'Y') return this.sexChromosome.Y;
    if (chrom.key === 'X' && ploidyAt(this.options.build, 'X', pos, 'male') === 1) return this.sexChromosome.X;
    return this.diploid;
  }

  private drawAlleles(af: number, annotated: boolean): { ref: string; alts: string[]; afs: number[] } {
    const rng = this.rng;
    const refIndex = rng.int(0, 3);
    const ref = BASES[refIndex] ?? 'N';
    const otherBase = (): string => BASES[(refIndex + rng.int(1, 3)) % 4] ?? 'N';
    const kind = annotated ? 1 : rng.next();
    if (kind < MULTI_ALLELIC_SHARE) {
      const first = otherBase();
      let second = otherBase();
      while (second === first) second = otherBase();
      return { ref, alts: [first, second], afs: [af, Math.min(rng.logUniform(1e-4, 0.02), (1 - af) / 2)] };
    }
    if (kind < MULTI_ALLELIC_SHARE + DELETION_SHARE) return { ref: ref + randomBases(rng, rng.int(1, 5)), alts: [ref], afs: [af] };
    if (kind < MULTI_ALLELIC_SHARE + DELETION_SHARE + INSERTION_SHARE) return { ref, alts: [ref + randomBases(rng, rng.int(1, 5))], afs: [af] };
    return { ref, alts: [otherBase()], afs: [af] };
  }

  /** k distinct samples able to carry an allele here (ploidy above 0). */
  private chooseCarriers(k: number, ploidy: Uint8Array): Set<number> {
    const eligible: number[] = [];
    ploidy.forEach((p, s) => {
      if (p > 0) eligible.push(s);
    });
    const chosen = new Set<number>();
    while (chosen.size < Math.min(k, eligible.length)) chosen.add(this.rng.pick(eligible));
    return chosen;
  }

  /** Draws every sample's genotype into this.cells; returns the counts INFO needs. */
  private drawCalls(afs: number[], ploidy: Uint8Array, forced: Set<number> | null): { ac: number[]; an: number; dp: number } {
    const rng = this.rng;
    const cells = this.cells;
    cells.clear();
    const models: Record<1 | 2, CarrierGenotypes> = { 1: carrierGenotypes(afs, 1), 2: carrierGenotypes(afs, 2) };
    // hot loop: plain locals per ploidy instead of keyed lookups per cell
    const threshold1 = models[1].referenceChance * TWO_POW_32;
    const threshold2 = models[2].referenceChance * TWO_POW_32;
    const refCells1 = this.referenceCellsByPloidy[1];
    const refCells2 = this.referenceCellsByPloidy[2];
    const ac = afs.map(() => 0);
    let an = 0;
    let dp = 0;
    cells.reserve(ploidy.length * MAX_CELL_BYTES);
    for (let s = 0; s < ploidy.length; s++) {
      const p = ploidy[s] as 0 | 1 | 2;
      if (p === 0) {
        cells.bytes(MISSING_CELL[1]);
        continue;
      }
      const u = rng.nextUint32();
      const threshold = p === 2 ? threshold2 : threshold1;
      const carries = forced === null ? u >= threshold : forced.has(s);
      if (!carries) {
        if (forced === null && u < threshold * MISSING_SHARE) {
          cells.bytes(MISSING_CELL[p]);
          continue;
        }
        const cell = (p === 2 ? refCells2 : refCells1)[u & REFERENCE_CELL_MASK] as ReferenceCell;
        cells.bytes(cell.bytes);
        an += p;
        dp += cell.dp;
        continue;
      }
      const genotype = forced ? (p === 1 ? [1] : [0, 1]) : (models[p].alleles[rng.pickWeighted(models[p].cumulative)] ?? [1]);
      for (const a of genotype) if (a > 0) ac[a - 1] = (ac[a - 1] ?? 0) + 1;
      an += p;
      const depthAndQuality = rng.nextUint32();
      const cellDp = 8 + (depthAndQuality % 63);
      dp += cellDp;
      cells.byte(TAB);
      cells.ascii(this.genotypeText(genotype));
      cells.byte(COLON);
      cells.uint(cellDp);
      cells.byte(COLON);
      cells.uint(15 + ((depthAndQuality >>> 8) % 85));
      this.carriedPerSample[s] = (this.carriedPerSample[s] ?? 0) + 1;
    }
    return { ac, an, dp };
  }

  private genotypeText(genotype: number[]): string {
    const [a = 0, b] = genotype;
    if (b === undefined) return String(a);
    const v = this.rng.next();
    if (v >= PHASED_SHARE) return `${a}/${b}`;
    // a phased het says which haplotype holds the allele: either order
    return v < PHASED_SHARE / 2 ? `${a}|${b}` : `${b}|${a}`;
  }
}

function randomBases(rng: Prng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += rng.pick(BASES);
  return out;
}

/** At most 4 significant digits (JavaScript writes an exponent only below 1e-6, which VCF accepts). */
function formatFrequency(f: number): string {
  if (!Number.isFinite(f)) return '.';
  return String(Number(f.toPrecision(4)));
}
