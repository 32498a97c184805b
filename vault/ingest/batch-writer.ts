// Writes one ingest batch (one VCF) as it is parsed: when a chromosome ends, its allele table
// (sealed with the batch key) and one calls partition per stored sample (sealed with that
// sample's key) are encoded and written, so sealing overlaps parsing and memory holds at most
// three chromosomes' calls (one being written, one being encoded, one being parsed). Nothing is visible until the change commits; on an error the
// change is aborted and every file written here is removed.
import { AlleleTableBuilder } from './allele-table-builder.ts';
import { joinPieces, positionSpan, type CallPiece } from './chromosome-calls.ts';
import type { CallsEncoder } from './calls-encoder.ts';
import type { ChunkResult } from './vcf/chunk-result.ts';
import { StringIndex } from './vcf/string-index.ts';
import { encodeAlleleTable } from '../store/allele-table-codec.ts';
import type { NewPartition, VaultChange } from '../store/vault-change.ts';

/** One chunk's calls on one chromosome, as views into the chunk's arrays. */
type Piece = CallPiece;

export class BatchWriter {
  private chrom: string | null = null;
  private alleles: AlleleTableBuilder | null = null;
  private pieces: Piece[] = [];
  /** the batch's genotype strings, numbered as its calls name them */
  private readonly genotypes = new StringIndex();
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
    private readonly build: string,
    private readonly encoder: CallsEncoder,
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
    let start = 0;
    while (start < n) {
      const chrom = result.sites.chrom[result.callSite[start]!] ?? '';
      if (chrom !== this.chrom) {
        await this.flush();
        this.chrom = chrom;
        this.alleles = new AlleleTableBuilder(chrom);
      }
      const end = this.numberCalls(result, start, genotype, allele, gt);
      this.pieces.push(pieceOf(result, start, end, allele, gt));
      start = end;
    }
  }

  /**
   * Numbers the calls from `start` while the chromosome stays the same (allele rows, genotype
   * codes); returns where it changes. Kept apart from the async add() so this hot loop is
   * optimised once, not re-entered on stack replacement after every await.
   */
  private numberCalls(result: ChunkResult, start: number, genotype: Int32Array, allele: Int32Array, gt: Int32Array): number {
    const n = result.callSample.length;
    const alleles = this.alleles as AlleleTableBuilder;
    const rowOfAlt = this.rowOfAlt;
    const touched: number[] = [];
    rowOfAlt.fill(-1);
    let lastSite = -1;
    for (let c = start; c < n; c++) {
      const site = result.callSite[c]!;
      if (site !== lastSite) {
        if (lastSite >= 0 && result.sites.chrom[site] !== this.chrom) return c;
        lastSite = site;
        for (const alt of touched) rowOfAlt[alt] = -1;
        touched.length = 0;
      }
      if (this.sampleIds[result.callSample[c]!] === null) {
        allele[c] = -1;
        continue;
      }
      const alt = result.callAlt[c]!;
      let row = rowOfAlt[alt]!;
      if (row < 0) {
        row = alleles.add(result.sites, site, alt);
        rowOfAlt[alt] = row;
        touched.push(alt);
      }
      allele[c] = row;
      const local = result.callGt[c]!;
      let code = genotype[local]!;
      if (code < 0) {
        code = this.genotypes.numberOf(result.gtTable[local] ?? '');
        genotype[local] = code;
      }
      gt[c] = code;
    }
    return n;
  }

  /** Writes what is left and waits for every write; rejects with the first failure. */
  async finish(): Promise<void> {
    await this.flush();
    await this.writing;
  }

  /**
   * Seals the current chromosome as one pack: its allele table first, then each sample's calls
   * (encoded by the encoder, possibly on another thread). The pack is written while the next
   * chromosome is parsed; flush returns once the previous chromosome's pack is written, so one
   * chromosome waits at most.
   */
  private async flush(): Promise<void> {
    const builder = this.alleles;
    const pieces = this.pieces;
    this.alleles = null;
    this.pieces = [];
    if (!builder || builder.rows === 0) return;
    const table = builder.finish(this.genotypes.values);
    const tableBytes = encodeAlleleTable(table);
    const span = positionSpan(table.pos, null);
    // the longest REF of the chromosome bounds how far past its last start any sample's rows reach
    const reach = longestText(table.text.ref.values) - 1;
    // table.pos is handed over (a worker encoder takes the arrays): nothing below reads the table's positions
    const encoding = this.encoder.encode({ chrom: table.chrom, alleleRows: table.rows, rowPos: table.pos, sampleCount: this.sampleIds.length, ...joinPieces(pieces) });
    encoding.catch(() => undefined); // observed in the write below
    const previous = this.writing;
    this.writing = (async () => {
      await previous;
      const encoded = await encoding;
      const alleleTableId = this.change.nextPartitionId(this.batchId);
      const segments: { entry: NewPartition; plaintext: Uint8Array }[] = [{
        entry: { sampleId: this.batchId, chrom: table.chrom, minPos: span.min, maxPos: span.max, maxEnd: span.max + reach, rows: table.rows, build: this.build, kind: 'alleles' },
        plaintext: tableBytes,
      }];
      for (const calls of encoded) {
        const sampleId = this.sampleIds[calls.sample];
        if (!sampleId) continue;
        this.calls[calls.sample]! += calls.rows;
        this.partitions[calls.sample]! += 1;
        segments.push({
          entry: {
            sampleId, chrom: table.chrom, minPos: calls.minPos, maxPos: calls.maxPos, maxEnd: calls.maxPos + reach, rows: calls.rows, build: this.build, kind: 'calls', alleles: alleleTableId,
          },
          plaintext: calls.plaintext,
        });
      }
      const entries = await this.change.writePack(this.batchId, segments);
      if (entries[0]?.partitionId !== alleleTableId) throw new Error('allele table numbered out of turn');
    })();
    this.writing.catch(() => undefined); // observed by the next flush or by finish()
    await previous;
  }
}

function longestText(values: readonly string[]): number {
  let longest = 1;
  for (const v of values) if (v.length > longest) longest = v.length;
  return longest;
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
    adRef: result.callAdRef.subarray(start, end),
    adAlt: result.callAdAlt.subarray(start, end),
    adOther: result.callAdOther.subarray(start, end),
  };
}
