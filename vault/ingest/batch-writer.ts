// Writes one ingest batch (one VCF) as it is parsed: when a chromosome ends, its allele table
// (sealed with the batch key) and one calls partition per stored sample (sealed with that
// sample's key) are encoded and written, so sealing overlaps parsing and memory holds one
// chromosome's calls at a time. Nothing is visible until the change commits; on an error the
// change is aborted and every file written here is removed.
import type { SampleCalls } from './call-columns.ts';
import { AlleleTableBuilder } from './allele-table-builder.ts';
import type { ChunkResult } from './vcf/chunk-result.ts';
import { encodeAlleleTable, type AlleleTable } from '../store/allele-table-codec.ts';
import { encodeCalls } from '../store/calls-codec.ts';
import type { NewPartition, VaultChange } from '../store/vault-change.ts';

/** One chunk's calls on one chromosome, as views into the chunk's arrays. */
interface Piece {
  sample: Int32Array;
  /** row in the chromosome's allele table; -1 for a sample that is not stored */
  allele: Int32Array;
  zygosity: Uint8Array;
  phased: Uint8Array;
  dp: Int32Array;
  gq: Int32Array;
  /** index into the batch's genotype strings */
  gt: Int32Array;
}

export class BatchWriter {
  private chrom: string | null = null;
  private alleles: AlleleTableBuilder | null = null;
  private pieces: Piece[] = [];
  private readonly genotypes: string[] = [];
  private readonly genotypeCodes = new Map<string, number>();
  /** allele row of each ALT index at the current site; reset per site */
  private readonly rowOfAlt = new Int32Array(256).fill(-1);
  private writing: Promise<void> = Promise.resolve();
  readonly calls: Int32Array;
  readonly partitions: Int32Array;

  /** `sampleIds[i]` is the stored sample of VCF column i, or null when that column is not ingested. */
  constructor(
    private readonly change: VaultChange,
    private readonly batchId: string,
    private readonly sampleIds: readonly (string | null)[],
    private readonly build: string | null,
  ) {
    this.calls = new Int32Array(sampleIds.length);
    this.partitions = new Int32Array(sampleIds.length);
  }

  async add(result: ChunkResult): Promise<void> {
    const n = result.callSample.length;
    if (n === 0) return;
    // coded on first use by a stored sample, so genotypes only other columns carry are never kept
    const genotype = new Int32Array(result.gtTable.length).fill(-1);
    const allele = new Int32Array(n);
    const gt = new Int32Array(n);
    const touched: number[] = [];
    this.rowOfAlt.fill(-1);
    let start = 0;
    let lastSite = -1;
    for (let c = 0; c < n; c++) {
      const site = result.callSite[c]!;
      if (site !== lastSite) {
        lastSite = site;
        for (const alt of touched) this.rowOfAlt[alt] = -1;
        touched.length = 0;
        const chrom = result.sites.chrom[site] ?? '';
        if (chrom !== this.chrom) {
          if (c > start) this.pieces.push(pieceOf(result, start, c, allele, gt));
          start = c;
          await this.flush();
          this.chrom = chrom;
          this.alleles = new AlleleTableBuilder(chrom);
        }
      }
      if (this.sampleIds[result.callSample[c]!] === null) {
        allele[c] = -1;
        continue;
      }
      const alt = result.callAlt[c]!;
      let row = this.rowOfAlt[alt]!;
      if (row < 0) {
        row = (this.alleles as AlleleTableBuilder).add(result.sites, site, alt);
        this.rowOfAlt[alt] = row;
        touched.push(alt);
      }
      allele[c] = row;
      const local = result.callGt[c]!;
      let code = genotype[local]!;
      if (code < 0) {
        code = this.genotypeCode(result.gtTable[local] ?? '');
        genotype[local] = code;
      }
      gt[c] = code;
    }
    this.pieces.push(pieceOf(result, start, n, allele, gt));
  }

  /** Writes what is left and waits for every write; rejects with the first failure. */
  async finish(): Promise<void> {
    await this.flush();
    await this.writing;
  }

  private genotypeCode(text: string): number {
    let code = this.genotypeCodes.get(text);
    if (code === undefined) {
      code = this.genotypes.length;
      this.genotypes.push(text);
      this.genotypeCodes.set(text, code);
    }
    return code;
  }

  /**
   * Seals the current chromosome as one pack: its allele table first, then each sample's calls.
   * The pack is written while the next chromosome is parsed; one write is in flight at a time.
   */
  private async flush(): Promise<void> {
    const builder = this.alleles;
    const pieces = this.pieces;
    this.alleles = null;
    this.pieces = [];
    if (!builder || builder.rows === 0) return;
    const table = builder.finish(this.genotypes);
    const span = positionSpan(table.pos, null);
    const alleleTableId = this.change.nextPartitionId(this.batchId);
    const segments: { entry: NewPartition; plaintext: Uint8Array }[] = [{
      entry: { sampleId: this.batchId, chrom: table.chrom, minPos: span.min, maxPos: span.max, rows: table.rows, build: this.build, kind: 'alleles' },
      plaintext: encodeAlleleTable(table),
    }];
    for (const [sample, calls] of bySample(pieces, this.sampleIds.length, table.chrom)) {
      const sampleId = this.sampleIds[sample];
      if (!sampleId) continue;
      const rowSpan = positionSpan(table.pos, calls.allele);
      this.calls[sample]! += calls.rows;
      this.partitions[sample]! += 1;
      segments.push({
        entry: { sampleId, chrom: table.chrom, minPos: rowSpan.min, maxPos: rowSpan.max, rows: calls.rows, build: this.build, kind: 'calls', alleles: alleleTableId },
        plaintext: encodeCalls(calls, table.rows),
      });
    }
    await this.writing;
    this.writing = this.change.writePack(this.batchId, segments).then((entries) => {
      if (entries[0]?.partitionId !== alleleTableId) throw new Error('allele table numbered out of turn');
    });
    this.writing.catch(() => undefined); // observed by the next flush or by finish()
  }
}

function pieceOf(result: ChunkResult, start: number, end: number, allele: Int32Array, gt: Int32Array): Piece {
  return {
    sample: result.callSample.subarray(start, end),
    allele: allele.subarray(start, end),
    zygosity: result.callZygosity.subarray(start, end),
    phased: result.callPhased.subarray(start, end),
    dp: result.callDp.subarray(start, end),
    gq: result.callGq.subarray(start, end),
    gt: gt.subarray(start, end),
  };
}

/** Regroups a chromosome's calls by sample (a counting sort, so each sample keeps file order). */
function* bySample(pieces: readonly Piece[], sampleCount: number, chrom: string): Generator<[number, SampleCalls]> {
  const counts = new Int32Array(sampleCount);
  let total = 0;
  for (const p of pieces) {
    for (let i = 0; i < p.sample.length; i++) {
      if (p.allele[i]! < 0) continue;
      counts[p.sample[i]!]!++;
      total++;
    }
  }
  const offsets = new Int32Array(sampleCount + 1);
  for (let s = 0; s < sampleCount; s++) offsets[s + 1] = offsets[s]! + counts[s]!;
  const next = offsets.slice(0, sampleCount);
  const allele = new Uint32Array(total);
  const zygosity = new Uint8Array(total);
  const phased = new Uint8Array(total);
  const dp = new Int32Array(total);
  const gq = new Int32Array(total);
  const gt = new Int32Array(total);
  for (const p of pieces) {
    for (let i = 0; i < p.sample.length; i++) {
      const row = p.allele[i]!;
      if (row < 0) continue;
      const at = next[p.sample[i]!]!++;
      allele[at] = row;
      zygosity[at] = p.zygosity[i]!;
      phased[at] = p.phased[i]!;
      dp[at] = p.dp[i]!;
      gq[at] = p.gq[i]!;
      gt[at] = p.gt[i]!;
    }
  }
  for (let s = 0; s < sampleCount; s++) {
    const from = offsets[s]!;
    const to = offsets[s + 1]!;
    if (to === from) continue;
    yield [s, {
      chrom, rows: to - from,
      allele: allele.subarray(from, to), zygosity: zygosity.subarray(from, to), phased: phased.subarray(from, to),
      dp: dp.subarray(from, to), gq: gq.subarray(from, to), gt: gt.subarray(from, to),
    }];
  }
}

function positionSpan(pos: AlleleTable['pos'], rows: Uint32Array | null): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  const n = rows ? rows.length : pos.length;
  for (let i = 0; i < n; i++) {
    const p = pos[rows ? rows[i]! : i]!;
    if (p < min) min = p;
    if (p > max) max = p;
  }
  return { min, max };
}
