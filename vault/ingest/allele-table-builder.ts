// Collects one chromosome's allele table during ingest: a row the first time any stored sample
// of the batch carries an allele, with what the VCF says of it once per site.
import { codeText } from '../store/arrow-columns.ts';
import type { AlleleTable } from '../store/allele-table-codec.ts';
import { Grow, int32s, uint8s, type SiteTable } from './vcf/chunk-result.ts';

export class AlleleTableBuilder {
  private readonly pos = new Grow(int32s);
  private readonly altIndex = new Grow(uint8s);
  private readonly qual: number[] = [];
  private readonly id: (string | null)[] = [];
  private readonly ref: string[] = [];
  private readonly alt: string[] = [];
  private readonly filter: (string | null)[] = [];
  private readonly gene: (string | null)[] = [];
  private readonly consequence: (string | null)[] = [];
  private readonly clnsig: (string | null)[] = [];
  private readonly hgvsC: (string | null)[] = [];
  private readonly hgvsP: (string | null)[] = [];

  constructor(readonly chrom: string) {}

  get rows(): number {
    return this.ref.length;
  }

  /** Adds allele `alt` (1-based) of chunk site `site`; returns its row. */
  add(sites: SiteTable, site: number, alt: number): number {
    this.pos.push(sites.pos[site] ?? 0);
    this.altIndex.push(alt);
    this.qual.push(sites.qual[site] ?? NaN);
    this.id.push(sites.id[site] ?? null);
    this.ref.push(sites.ref[site] ?? '');
    this.alt.push(sites.alts[site]?.[alt - 1] ?? '');
    this.filter.push(sites.filter[site] ?? null);
    this.gene.push(sites.gene[site]?.[alt - 1] ?? null);
    this.consequence.push(sites.consequence[site]?.[alt - 1] ?? null);
    this.clnsig.push(sites.clnsig[site] ?? null);
    this.hgvsC.push(sites.hgvsC[site]?.[alt - 1] ?? null);
    this.hgvsP.push(sites.hgvsP[site]?.[alt - 1] ?? null);
    return this.ref.length - 1;
  }

  /** The table, with the batch's genotype strings so far (a superset of those its calls name). */
  finish(genotypes: readonly string[]): AlleleTable {
    const rows = this.rows;
    return {
      genotypes: [...genotypes],
      chrom: this.chrom,
      rows,
      pos: this.pos.finish(),
      altIndex: this.altIndex.finish(),
      qual: Float32Array.from(this.qual),
      text: {
        id: codeText(this.id, rows),
        ref: codeText(this.ref, rows),
        alt: codeText(this.alt, rows),
        filter: codeText(this.filter, rows),
        gene: codeText(this.gene, rows),
        consequence: codeText(this.consequence, rows),
        clnsig: codeText(this.clnsig, rows),
        hgvs_c: codeText(this.hgvsC, rows),
        hgvs_p: codeText(this.hgvsP, rows),
      },
    };
  }
}
