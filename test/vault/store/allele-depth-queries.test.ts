// A patient's variants carry FORMAT AD (reference and allele reads), the variant allele fraction and
// HGVS: ingested into a real vault and queried through the engine, checked against bcftools on the
// real HapMap exome file (VAF = this allele's AD / sum of AD) and against the annotated fixtures.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Vault } from '../../../vault/store/vault.ts';
import { newMasterKey } from '../../../vault/crypto/master-key.ts';
import { ingestVcf } from '../../../vault/ingest/ingest-vcf.ts';
import { openQueries, type PatientVariant } from '../../../vault/store/patient-queries.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures');
const HAPMAP = join(FIXTURES, 'vcf/real/hapmap-exome_chr22_22samples.vcf.gz');
const SAMPLE = 'NA07034@1099927558';

async function variantsOf(file: string, sample: string, mrn: string): Promise<PatientVariant[]> {
  const dir = await makeTempDir();
  try {
    const kek = newMasterKey('test');
    await (await Vault.init(dir.path, kek)).close();
    const vault = await Vault.open(dir.path, kek, { write: true });
    try {
      await ingestVcf(vault, file, { workers: 0, patient: mrn, sample });
      const queries = await openQueries(vault, { cacheBudgetMb: 64 });
      try {
        const patient = vault.catalog.patientByMrn(mrn);
        assert.ok(patient);
        return (await queries.variantsOfPatient(patient.patientId, {})).variants;
      } finally {
        await queries.close();
      }
    } finally {
      await vault.close();
    }
  } finally {
    await dir.remove();
  }
}

describe('variant answers carry allele depths, VAF and HGVS', function () {
  this.timeout(120_000);

  it('HapMap exome: AD and VAF of every stored call equal what bcftools reports', async function () {
    if (spawnSync('bcftools', ['--version'], { stdio: 'ignore' }).status !== 0) this.skip();
    const rows = await variantsOf(HAPMAP, SAMPLE, 'MRN1');
    // one line per record: POS, ALT list, GT and AD of this sample, as bcftools reads them
    const text = execFileSync('bcftools', ['query', '-s', SAMPLE, '-f', '%POS\t%ALT\t[%GT]\t[%AD]\n', HAPMAP], { encoding: 'utf8' });
    const expected: [number, string, number | null, number | null, number | null][] = [];
    for (const line of text.trim().split('\n')) {
      const [pos, altList, gt, adText] = line.split('\t') as [string, string, string, string];
      const alts = altList.split(',');
      const ad = adText === '.' ? [] : adText.split(',').map((v) => (v === '.' ? null : Number(v)));
      const carried = [...new Set(gt.split(/[/|]/).filter((a) => a !== '.' && a !== '0').map(Number))];
      for (const allele of carried) {
        const refReads = ad[0] ?? null;
        const altReads = ad[allele] ?? null;
        const total = ad.reduce<number>((n, v) => n + (v ?? 0), 0);
        const vaf = refReads === null || altReads === null || total === 0 ? null : Math.round((altReads / total) * 10_000) / 10_000;
        expected.push([Number(pos), alts[allele - 1] ?? '', refReads, altReads, vaf]);
      }
    }
    expected.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
    const got = rows.map((r): [number, string, number | null, number | null, number | null] => [r.pos, r.alt, r.adRef, r.adAlt, r.vaf]).sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
    assert.ok(expected.length > 100);
    assert.deepEqual(got, expected);
    assert.ok(rows.some((r) => r.vaf !== null && r.vaf > 0 && r.vaf < 1), 'some heterozygous fractions');
  });

  it('annotated file: HGVS per allele, VAF of a 1/2 call over all of AD, null VAF for AD 0,0 and AD "."', async () => {
    const one = await variantsOf(join(FIXTURES, 'vcf-annotated/ann-snpeff-AD.vcf'), 'PATIENT1', 'MRN1');
    const at = (rows: PatientVariant[], pos: number, alt: string) => rows.find((r) => r.pos === pos && r.alt === alt);
    assert.deepEqual(
      [at(one, 32340300, 'G'), at(one, 32340300, 'T')].map((r) => [r?.hgvsC, r?.hgvsP, r?.adRef, r?.adAlt, r?.vaf]),
      [['c.1114A>G', 'p.Asn372Asp', 3, 10, 0.4], ['c.1114A>T', 'p.Asn372*', 3, 12, 0.48]],
    );
    assert.deepEqual([at(one, 43045712, 'T')?.vaf, at(one, 43057062, 'A')?.vaf, at(one, 43093449, 'T')?.vaf], [0.3548, null, null]);
    const two = await variantsOf(join(FIXTURES, 'vcf-annotated/ann-snpeff-AD.vcf'), 'PATIENT2', 'MRN2');
    assert.deepEqual([at(two, 43045712, 'T')?.adRef, at(two, 43045712, 'T')?.adAlt, at(two, 43045712, 'T')?.vaf], [0, 0, null], 'AD 0,0: no fraction');
  });
});
