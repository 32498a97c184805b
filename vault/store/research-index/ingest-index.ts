// What ingest hands the research index: each finished chromosome's alleles and calls (copied before
// the calls go to the encode worker, which takes their buffers), and at the end what each sample's
// assay covered. The index's writes join the ingest's change, so they commit (or vanish) with it.
import type { AlleleTable } from '../allele-table-codec.ts';
import type { CodedText } from '../arrow-columns.ts';
import type { Coverage } from '../../ingest/call-columns.ts';
import type { IndexChange } from './index-change.ts';
import type { CoverageProfile } from './coverage-build.ts';
import type { CallRows, VariantTable } from './segment-build.ts';
import { significanceMask } from './significance-mask.ts';

/** One chromosome's calls of a batch: VCF sample column, allele table row, zygosity, genotype code. */
export interface BatchCalls {
  sample: Int32Array;
  allele: Int32Array;
  zygosity: Uint8Array;
  gt: Int32Array;
}

export class IngestIndex {
  /** sample number of each VCF column; -1 where the column is not stored */
  private readonly numbers: Int32Array;

  constructor(
    private readonly index: IndexChange,
    private readonly build: string,
    columns: readonly (string | null)[],
  ) {
    this.numbers = new Int32Array(columns.length).fill(-1);
    const stored = columns.map((id, column) => ({ id, column })).filter((c): c is { id: string; column: number } => c.id !== null);
    index.registerSamples(stored.map((s) => s.id)).forEach((n, i) => (this.numbers[stored[i]!.column] = n));
  }

  numberOf(column: number): number {
    return this.numbers[column] ?? -1;
  }

  /** Copies what the index needs now; the returned work builds and writes the windows later. */
  chromosome(table: AlleleTable, calls: BatchCalls): () => Promise<void> {
    const rows = table.rows;
    const significance = new Int32Array(rows);
    const masks = table.text.clnsig.values.map((v) => significanceMask(v));
    for (let r = 0; r < rows; r++) {
      const code = table.text.clnsig.codes[r]!;
      significance[r] = code < 0 ? 0 : masks[code]!;
    }
    const variants: VariantTable = { pos: table.pos.slice(), ref: texts(table.text.ref), alt: texts(table.text.alt), significance };
    const n = calls.sample.length;
    const sample = new Int32Array(n);
    for (let i = 0; i < n; i++) sample[i] = calls.allele[i]! < 0 ? -1 : (this.numbers[calls.sample[i]!] ?? -1);
    const rowsOfCalls: CallRows = { variant: calls.allele.slice(), sample, zygosity: calls.zygosity.slice(), gt: calls.gt.slice(), genotypes: table.genotypes };
    return () => this.index.addCalls(this.build, table.chrom, variants, rowsOfCalls);
  }

  /** Each stored sample's coverage by VCF column: samples sharing one intervals list (a targets BED) share a profile. */
  async coverage(byColumn: ReadonlyMap<number, Coverage>): Promise<void> {
    const profiles = new Map<Coverage['intervals'], number[]>();
    for (const [column, coverage] of byColumn) {
      const n = this.numberOf(column);
      if (n < 0 || coverage.source === 'assumed_wgs') continue;
      const list = profiles.get(coverage.intervals) ?? [];
      list.push(n);
      profiles.set(coverage.intervals, list);
    }
    const list: CoverageProfile[] = [...profiles].map(([intervals, samples]) => ({ intervals, samples }));
    await this.index.addCoverage(this.build, list);
  }

  finish(): Promise<void> {
    return this.index.finish();
  }
}

function texts(column: CodedText): string[] {
  const out = new Array<string>(column.codes.length);
  for (let i = 0; i < out.length; i++) {
    const code = column.codes[i]!;
    out[i] = code < 0 ? '' : column.values[code]!;
  }
  return out;
}
