// The cohort index bench's populations: 1,000 and 10,000 exome-size samples (on the cohort
// chromosomes only, see bench-options.ts), one site pool drawn as files of `samplesPerFile` samples
// each (a hospital ingests batches), generated in parallel child processes, every file ingested with
// the pool's targets BED. The first file alone is the smaller vault; the larger one is a copy of it
// with the other files ingested in turn (so its windows went through the index's merges). The
// vaults, with their throwaway bench master key, are kept under bench/results/ (git-ignored) and
// reused while the code's stored formats and the options are the same.
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { generatePatients, sexBySample, writeTargetsBed } from '../../vault/demo/synthetic/index.ts';
import { ingestVcf } from '../../vault/ingest/ingest-vcf.ts';
import { masterKeyFromBase64, newMasterKey, type MasterKey } from '../../vault/crypto/master-key.ts';
import { Vault } from '../../vault/store/vault.ts';
import { DEFAULT_WINDOW_WIDTH } from '../../vault/store/research-index/index-catalog.ts';
import type { VaultBenchOptions } from './bench-options.ts';

const execFileAsync = promisify(execFile);

/** Bumped whenever a stored format changes, so an old cache is not reused. */
const CACHE_FORMAT = 'index-1';

export interface CohortVault {
  samples: number;
  dataDir: string;
  kek: MasterKey;
}

export interface PopulationSetup {
  cached: boolean;
  files: number;
  /** wall time to write every file (in parallel) */
  generateSeconds: number;
  vcfBytes: number;
  /** wall time of each size's ingests (the larger includes the smaller's) */
  ingestSeconds: Record<number, number>;
}

export interface Population {
  vaults: CohortVault[];
  setup: PopulationSetup;
  /** the targets BED every sample was ingested with */
  targets: string;
}

interface CacheMeta {
  key: string;
  kek: string;
  setup: PopulationSetup;
}

export async function cohortPopulation(o: VaultBenchOptions, cacheRoot: string, work: string): Promise<Population> {
  const key = cacheKey(o);
  const dir = join(cacheRoot, `cohort-${key}`);
  const cached = await readFile(join(dir, 'meta.json'), 'utf8').then((t) => JSON.parse(t) as CacheMeta).catch(() => null);
  if (cached?.key === key) {
    const kek = masterKeyFromBase64(cached.kek, 'bench');
    const vaults = o.cohortSizes.map((samples) => ({ samples, dataDir: join(dir, `vault-${samples}`), kek }));
    if (await opens(vaults)) return { vaults, setup: { ...cached.setup, cached: true }, targets: join(dir, 'targets.bed') };
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const population = await build(o, dir, work);
  const meta: CacheMeta = { key, kek: population.vaults[0]!.kek.bytes.toString('base64'), setup: population.setup };
  await writeFile(join(dir, 'meta.json'), JSON.stringify(meta, null, 2), { mode: 0o600 });
  return population;
}

function cacheKey(o: VaultBenchOptions): string {
  const what = { CACHE_FORMAT, DEFAULT_WINDOW_WIDTH, sizes: o.cohortSizes, perFile: o.samplesPerFile, seed: o.seed, variants: o.cohortVariantsPerSample, chromosomes: o.cohortChromosomes };
  return createHash('sha256').update(JSON.stringify(what)).digest('hex').slice(0, 16);
}

async function opens(vaults: readonly CohortVault[]): Promise<boolean> {
  for (const v of vaults) {
    try {
      const vault = await Vault.open(v.dataDir, v.kek, { write: false });
      const ok = vault.catalog.data.samples.length === v.samples && vault.catalog.data.index !== undefined;
      await vault.close();
      if (!ok) return false;
    } catch {
      return false;
    }
  }
  return true;
}

async function build(o: VaultBenchOptions, dir: string, work: string): Promise<Population> {
  const largest = Math.max(...o.cohortSizes);
  const files = Math.ceil(largest / o.samplesPerFile);
  const patients = generatePatients(largest, o.seed + 1);
  const sexes = sexBySample(patients);
  const targets = join(dir, 'targets.bed');
  await writeTargetsBed(targets, { seed: o.seed + 1, variantsPerSample: o.cohortVariantsPerSample, chromosomes: o.cohortChromosomes });
  const parts = Array.from({ length: files }, (_, f) => {
    const slice = patients.slice(f * o.samplesPerFile, (f + 1) * o.samplesPerFile);
    return {
      path: join(work, `cohort-part-${f}.vcf.gz`),
      samples: slice.map((p) => p.sampleName),
      sexes: Object.fromEntries(slice.map((p) => [p.sampleName, sexes[p.sampleName]!])),
      seed: o.seed + 100 + f, poolSeed: o.seed + 1, variantsPerSample: o.cohortVariantsPerSample, chromosomes: [...o.cohortChromosomes],
      map: new Map(slice.map((p) => [p.sampleName, p.mrn])),
    };
  });
  const generated = performance.now();
  let vcfBytes = 0;
  await inParallel(parts, availableParallelism(), async (part) => {
    const { map: _map, ...request } = part;
    const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'generate-part.ts'), JSON.stringify(request)], { maxBuffer: 1 << 20 });
    vcfBytes += (JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { bytes: number }).bytes;
  });
  const generateSeconds = (performance.now() - generated) / 1000;

  const kek = newMasterKey('bench');
  const ingestSeconds: Record<number, number> = {};
  const vaults: CohortVault[] = [];
  const sizes = [...o.cohortSizes].sort((a, b) => a - b);
  let current: string | null = null;
  let ingested = 0;
  let elapsed = 0;
  for (const size of sizes) {
    const dataDir = join(dir, `vault-${size}`);
    if (current) await cp(current, dataDir, { recursive: true });
    else await (await Vault.init(dataDir, kek)).close();
    const vault = await Vault.open(dataDir, kek, { write: true });
    try {
      while (ingested * o.samplesPerFile < size) {
        const part = parts[ingested]!;
        const started = performance.now();
        await ingestVcf(vault, part.path, { map: part.map, targets, workers: availableParallelism() });
        elapsed += (performance.now() - started) / 1000;
        ingested++;
        await rm(part.path, { force: true });
      }
    } finally {
      await vault.close();
    }
    ingestSeconds[size] = elapsed;
    vaults.push({ samples: size, dataDir, kek });
    current = dataDir;
  }
  return { vaults, setup: { cached: false, files, generateSeconds, vcfBytes, ingestSeconds }, targets };
}

async function inParallel<T>(items: readonly T[], width: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(width, items.length)) }, async () => {
    while (next < items.length) await run(items[next++]!);
  });
  await Promise.all(lanes);
}
