// The benchmark's deterministic data: synthetic patients and their multi-sample BGZF VCF
// (same seed, same bytes), and real vaults (real master key, real crypto) filled by the real ingest.
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { generatePatients, sexBySample, writeSyntheticVcf, type SyntheticVcfReport } from '../../vault/demo/synthetic/index.ts';
import { ingestVcf, type IngestReport } from '../../vault/ingest/ingest-vcf.ts';
import { newMasterKey, type MasterKey } from '../../vault/crypto/master-key.ts';
import { Vault } from '../../vault/store/vault.ts';

export interface CohortVcf {
  path: string;
  report: SyntheticVcfReport;
  /** sample column name to MRN, as ingest's --map */
  map: Map<string, string>;
}

export interface CohortVcfRequest {
  samples: number;
  seed: number;
  variantsPerSample: number;
  chromosomes?: readonly string[];
}

export async function writeCohortVcf(path: string, request: CohortVcfRequest): Promise<CohortVcf> {
  const patients = generatePatients(request.samples, request.seed);
  const report = await writeSyntheticVcf(path, {
    samples: patients.map((p) => p.sampleName),
    seed: request.seed,
    variantsPerSample: request.variantsPerSample,
    gzip: 'bgzf',
    sexes: sexBySample(patients),
    ...(request.chromosomes ? { chromosomes: request.chromosomes } : {}),
  });
  return { path, report, map: new Map(patients.map((p) => [p.sampleName, p.mrn])) };
}

export interface IngestedVault {
  dataDir: string;
  kek: MasterKey;
  report: IngestReport;
  seconds: number;
  /** seconds until the reader reported its last parsed chunk; the rest is sealing and writing */
  parseSeconds: number;
}

/** A new vault holding the whole file, ingested with the given worker count (default: the reader's). */
export async function ingestIntoNewVault(dataDir: string, vcf: CohortVcf, workers?: number): Promise<IngestedVault> {
  const kek = newMasterKey('bench');
  await (await Vault.init(dataDir, kek)).close();
  const vault = await Vault.open(dataDir, kek, { write: true });
  try {
    const start = performance.now();
    let lastProgress = start;
    const report = await ingestVcf(vault, vcf.path, {
      map: vcf.map,
      ...(workers !== undefined ? { workers } : {}),
      onProgress: () => {
        lastProgress = performance.now();
      },
    });
    const end = performance.now();
    return { dataDir, kek, report, seconds: (end - start) / 1000, parseSeconds: (lastProgress - start) / 1000 };
  } finally {
    await vault.close();
  }
}

export async function openReadOnly(v: IngestedVault): Promise<Vault> {
  return Vault.open(v.dataDir, v.kek, { write: false });
}

/** Bytes of every file under a directory (a vault: sealed partitions, catalog, manifest). */
export async function directoryBytes(dir: string): Promise<{ bytes: number; files: number }> {
  let bytes = 0;
  let files = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    bytes += (await stat(join(entry.parentPath, entry.name))).size;
    files++;
  }
  return { bytes, files };
}

export async function freshDir(parent: string, name: string): Promise<string> {
  const dir = join(parent, name);
  await mkdir(dir, { recursive: true });
  return dir;
}
