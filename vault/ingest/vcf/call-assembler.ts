// Gathers the calls of every chunk, in file order, into one CallBatch per sample and chromosome
// (the whole file in memory: for tests and tools; ingest streams through batch-writer.ts).
import type { CallBatch, ParsedSample } from '../call-columns.ts';
import { Grow, int32s, uint8s, type ChunkResult } from './chunk-result.ts';
import { CoverageAssembler } from './coverage-assembler.ts';

const float32s = (n: number): Float32Array => new Float32Array(n);

class BatchBuilder {
  readonly pos = new Grow(int32s, 64);
  readonly altIndex = new Grow(uint8s, 64);
  readonly zygosity = new Grow(uint8s, 64);
  readonly phased = new Grow(uint8s, 64);
  readonly dp = new Grow(int32s, 64);
  readonly gq = new Grow(int32s, 64);
  readonly adRef = new Grow(int32s, 64);
  readonly adAlt = new Grow(int32s, 64);
  readonly adOther = new Grow(int32s, 64);
  qual = float32s(64);
  readonly id: (string | null)[] = [];
  readonly ref: string[] = [];
  readonly alt: string[] = [];
  readonly filter: (string | null)[] = [];
  readonly gt: string[] = [];
  readonly gene: (string | null)[] = [];
  readonly consequence: (string | null)[] = [];
  readonly clnsig: (string | null)[] = [];
  readonly hgvsC: (string | null)[] = [];
  readonly hgvsP: (string | null)[] = [];

  constructor(readonly chrom: string) {}

  pushQual(value: number): void {
    const at = this.ref.length - 1;
    if (at >= this.qual.length) {
      const next = float32s(this.qual.length * 2);
      next.set(this.qual);
      this.qual = next;
    }
    this.qual[at] = value;
  }

  finish(): CallBatch {
    const rows = this.ref.length;
    return {
      chrom: this.chrom,
      rows,
      pos: this.pos.finish(),
      altIndex: this.altIndex.finish(),
      zygosity: this.zygosity.finish(),
      phased: this.phased.finish(),
      dp: this.dp.finish(),
      gq: this.gq.finish(),
      qual: this.qual.slice(0, rows),
      id: this.id,
      ref: this.ref,
      alt: this.alt,
      filter: this.filter,
      gt: this.gt,
      gene: this.gene,
      consequence: this.consequence,
      clnsig: this.clnsig,
      adRef: this.adRef.finish(),
      adAlt: this.adAlt.finish(),
      adOther: this.adOther.finish(),
      hgvsC: this.hgvsC,
      hgvsP: this.hgvsP,
    };
  }
}

export class CallAssembler {
  private readonly batches: Map<string, BatchBuilder>[];
  private readonly coverage: CoverageAssembler;

  constructor(private readonly samples: string[]) {
    this.batches = samples.map(() => new Map<string, BatchBuilder>());
    this.coverage = new CoverageAssembler(samples.length);
  }

  add(result: ChunkResult): void {
    this.addCalls(result);
    this.coverage.add(result);
  }

  private addCalls(result: ChunkResult): void {
    const sites = result.sites;
    for (let c = 0; c < result.callSample.length; c++) {
      const sample = result.callSample[c] ?? 0;
      const site = result.callSite[c] ?? 0;
      const alt = result.callAlt[c] ?? 1;
      const chrom = sites.chrom[site] ?? '';
      const byChrom = this.batches[sample];
      if (!byChrom) continue;
      let batch = byChrom.get(chrom);
      if (!batch) {
        batch = new BatchBuilder(chrom);
        byChrom.set(chrom, batch);
      }
      batch.pos.push(sites.pos[site] ?? 0);
      batch.altIndex.push(alt);
      batch.zygosity.push(result.callZygosity[c] ?? 0);
      batch.phased.push(result.callPhased[c] ?? 0);
      batch.dp.push(result.callDp[c] ?? -1);
      batch.gq.push(result.callGq[c] ?? -1);
      batch.adRef.push(result.callAdRef[c] ?? -1);
      batch.adAlt.push(result.callAdAlt[c] ?? -1);
      batch.adOther.push(result.callAdOther[c] ?? -1);
      batch.id.push(sites.id[site] ?? null);
      batch.ref.push(sites.ref[site] ?? '');
      batch.alt.push(sites.alts[site]?.[alt - 1] ?? '');
      batch.filter.push(sites.filter[site] ?? null);
      batch.gt.push(result.gtTable[result.callGt[c] ?? 0] ?? '');
      batch.gene.push(sites.gene[site]?.[alt - 1] ?? null);
      batch.consequence.push(sites.consequence[site]?.[alt - 1] ?? null);
      batch.clnsig.push(sites.clnsig[site] ?? null);
      batch.hgvsC.push(sites.hgvsC[site]?.[alt - 1] ?? null);
      batch.hgvsP.push(sites.hgvsP[site]?.[alt - 1] ?? null);
      batch.pushQual(sites.qual[site] ?? NaN);
    }
  }

  finish(): ParsedSample[] {
    return this.samples.map((name, i) => ({
      name,
      batches: [...(this.batches[i]?.values() ?? [])].map((b) => b.finish()),
      coverage: this.coverage.of(i),
    }));
  }
}
