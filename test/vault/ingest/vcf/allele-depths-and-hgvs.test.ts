// FORMAT AD is kept per call (reference reads, this allele's reads, the other ALT alleles' reads) and
// HGVS per allele from ANN (SnpEff) or CSQ (VEP). Real files are checked against an independent line
// scan; the annotated fixtures (test/fixtures/vcf-annotated) against values written by hand.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { readVcf } from '../../../../vault/ingest/vcf/read-vcf.ts';
import type { CallBatch, ParsedVcf } from '../../../../vault/ingest/call-columns.ts';
import { carriedAlleles, scanVcf } from './vcf-scan.ts';

const FIXTURES = join(import.meta.dirname, '../../../fixtures');
const MISSING = -1;

/** Each call of a sample as [pos, altIndex, adRef, adAlt, adOther], in file order. */
function depthsOf(parsed: ParsedVcf, sample: number): number[][] {
  const out: number[][] = [];
  for (const b of parsed.samples[sample]?.batches ?? []) {
    for (let i = 0; i < b.rows; i++) out.push([b.pos[i]!, b.altIndex[i]!, b.adRef?.[i] ?? NaN, b.adAlt?.[i] ?? NaN, b.adOther?.[i] ?? NaN]);
  }
  return out;
}

/** The same from a plain split of the text: AD wherever FORMAT puts it, '.' as missing. */
function expectedDepths(path: string, sample: number): number[][] {
  const out: number[][] = [];
  for (const record of scanVcf(path).records) {
    const at = record.format.indexOf('AD');
    const raw = at < 0 ? undefined : (record.samples[sample] ?? '').split(':')[at];
    const ad = raw === undefined || raw === '' ? [] : raw.split(',').map((v) => (v === '.' ? MISSING : Number(v)));
    for (const allele of carriedAlleles(record, sample)) {
      const others = ad.filter((_, j) => j > 0 && j !== allele && ad[j]! > 0).reduce((n, v) => n + v, 0);
      out.push([record.pos, allele, ad.length > 0 ? ad[0]! : MISSING, allele < ad.length ? ad[allele]! : MISSING, ad.length > 1 ? others : MISSING]);
    }
  }
  return out;
}

function batchAt(parsed: ParsedVcf, sample: number, chrom: string): CallBatch {
  const found = parsed.samples[sample]?.batches.find((b) => b.chrom === chrom);
  assert.ok(found, chrom);
  return found;
}

describe('FORMAT AD and HGVS as read', () => {
  for (const file of ['vcf/real/hapmap-exome_chr22_22samples.vcf.gz', 'vcf/real/1000g-nygc30x-grch38_chr22_100samples.vcf.gz', 'vcf/real/gatk-ug_chr22_7samples.vcf.gz', 'vcf/real/1000g-phase1_chr22_5samples_phased.vcf.gz']) {
    it(`${file}: every call's AD matches a plain split of the text, with or without workers`, async () => {
      const path = join(FIXTURES, file);
      const one = await readVcf(path, { workers: 0 });
      const two = await readVcf(path, { workers: 2, chunkBytes: 16_384 });
      const samples = scanVcf(path).samples.length;
      let withDepth = 0;
      for (let s = 0; s < samples; s++) {
        const expected = expectedDepths(path, s);
        assert.deepEqual(depthsOf(one, s), expected, `sample ${s}`);
        assert.deepEqual(depthsOf(two, s), expected, `sample ${s}, workers`);
        withDepth += expected.filter((d) => d[3]! >= 0).length;
      }
      // the phase 1 file has no AD: every depth is missing
      if (file.includes('phase1')) assert.equal(withDepth, 0);
      else assert.ok(withDepth > 0, 'the file has AD');
    });
  }

  it('SnpEff ANN: HGVS.c and HGVS.p per allele (a 1/2 call gets each allele its own); AD of each allele, "." and absent AD missing', async () => {
    const parsed = await readVcf(join(FIXTURES, 'vcf-annotated/ann-snpeff-AD.vcf'), { workers: 0 });
    const brca2 = batchAt(parsed, 0, 'chr13');
    assert.deepEqual([...brca2.altIndex], [1, 2]);
    assert.deepEqual(brca2.hgvsC, ['c.1114A>G', 'c.1114A>T']);
    assert.deepEqual(brca2.hgvsP, ['p.Asn372Asp', 'p.Asn372*']);
    assert.deepEqual([[...brca2.adRef!], [...brca2.adAlt!], [...brca2.adOther!]], [[3, 3], [10, 12], [12, 10]]);
    const brca1 = batchAt(parsed, 0, 'chr17');
    assert.deepEqual([...brca1.pos], [43045712, 43057062, 43093449]);
    assert.deepEqual(brca1.hgvsC, ['c.5113G>A', 'c.4308T>C', 'c.2433del']);
    assert.deepEqual([...brca1.adRef!], [20, MISSING, MISSING], "AD '.' and a record without AD are missing");
    assert.deepEqual([...brca1.adAlt!], [11, MISSING, MISSING]);
    const second = batchAt(parsed, 1, 'chr17');
    assert.deepEqual([[...second.adRef!], [...second.adAlt!], [...second.adOther!]], [[0, 7], [0, 5], [0, 0]]);
  });

  it('VEP CSQ: HGVSc and HGVSp by the header\'s Format list, matched by ALLELE_NUM, %3D read as =', async () => {
    const parsed = await readVcf(join(FIXTURES, 'vcf-annotated/csq-vep-AD.vcf'), { workers: 0 });
    const calls = batchAt(parsed, 0, 'chr17');
    assert.deepEqual(calls.hgvsC, ['ENST00000357654.9:c.5266dup', 'ENST00000357654.9:c.3548A>G', 'ENST00000357654.9:c.3548A>C']);
    assert.deepEqual(calls.hgvsP, ['ENSP00000350283.3:p.Gln1756ProfsTer74', 'ENSP00000350283.3:p.Lys1183=', 'ENSP00000350283.3:p.Lys1183Thr']);
    assert.deepEqual(calls.gene, ['BRCA1', 'BRCA1', 'BRCA1']);
    assert.deepEqual([...calls.adAlt!], [13, 9, 11]);
  });
});
