// bcftools as the oracle for region answers, and real vaults holding real files. bcftools is
// installed on the build machine; tests skip (saying so) where it is not.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Vault } from '../../../../vault/store/vault.ts';
import { newMasterKey } from '../../../../vault/crypto/master-key.ts';
import { ingestVcf, type IngestOptions } from '../../../../vault/ingest/ingest-vcf.ts';
import { openQueries, type PatientQueries } from '../../../../vault/store/patient-queries.ts';
import { carriedAlleles, scanVcf, scanVcfText, type ScannedRecord } from '../../ingest/vcf/vcf-scan.ts';

export const hasBcftools = spawnSync('bcftools', ['--version'], { stdio: 'ignore' }).status === 0;

export const realFile = (name: string): string => join(import.meta.dirname, '../../../fixtures/vcf/real', name);

/** A BGZF copy of the file with a tabix index, as `bcftools view -r` needs. */
export function indexedCopy(file: string, dir: string, name: string): string {
  const out = join(dir, `${name}.vcf.gz`);
  execFileSync('bcftools', ['view', '--no-version', '-Oz', '-o', out, file], { stdio: ['ignore', 'ignore', 'ignore'] });
  execFileSync('bcftools', ['index', '-f', '-t', out], { stdio: ['ignore', 'ignore', 'ignore'] });
  return out;
}

/** The records `bcftools view -r` returns for a region, parsed by the test's own line scanner. */
export function bcftoolsRegion(indexed: string, region: string): ScannedRecord[] {
  const text = execFileSync('bcftools', ['view', '--no-version', '-r', region, indexed], { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] }).toString('utf8');
  return scanVcfText(text).records;
}

/** bcftools decides a record with INFO/END by END; the vault by its REF (see docs/builds-regions-empties.md). */
export const hasInfoEnd = (r: ScannedRecord): boolean => /(^|;)END=/.test(r.info);

/** `chrom:pos:ref:alt` of every allele the sample carries in these records (the vault's rows). */
export function carriedKeys(records: readonly ScannedRecord[], sample: number): string[] {
  const keys: string[] = [];
  for (const r of records) for (const a of carriedAlleles(r, sample)) keys.push(`${r.chrom}:${r.pos}:${r.ref}:${r.alts[a - 1]}`);
  return keys.sort();
}

export interface LoadedVault {
  vault: Vault;
  queries: PatientQueries;
  /** sample column name → patient id */
  patientOf: Map<string, string>;
  close(): Promise<void>;
}

/** A new vault in `dir` holding each file, every sample its own patient (MRN = file tag + sample name). */
export async function vaultWith(dir: string, files: readonly { path: string; tag: string; options?: Omit<IngestOptions, 'map' | 'patient' | 'sample'> }[]): Promise<LoadedVault> {
  const kek = newMasterKey('test');
  await (await Vault.init(dir, kek)).close();
  const writer = await Vault.open(dir, kek, { write: true });
  const mrns = new Map<string, string>();
  try {
    for (const file of files) {
      const samples = scanVcf(file.path).samples;
      const map = new Map(samples.map((s, i) => [s, `${file.tag}-${i}`]));
      for (const [name, mrn] of map) mrns.set(`${file.tag}:${name}`, mrn);
      await ingestVcf(writer, file.path, { map, workers: 0, ...file.options });
    }
  } finally {
    await writer.close();
  }
  const vault = await Vault.open(dir, kek, { write: false });
  const queries = await openQueries(vault, { cacheBudgetMb: 256 });
  const patientOf = new Map([...mrns].map(([key, mrn]) => [key, vault.catalog.patientByMrn(mrn)!.patientId]));
  return { vault, queries, patientOf, close: async () => { await queries.close(); await vault.close(); } };
}
