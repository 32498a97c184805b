// The demo population: synthetic patients with a generated multi-sample exome VCF (GRCh38, BGZF,
// with its target BED), and a real 1000 Genomes chr22 extract mapped to five more synthetic
// patients. Deterministic: the same seed always gives the same people and the same calls.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePatients, sexBySample, writeSyntheticVcf, writeTargetsBed, type SyntheticPatient } from './synthetic/index.ts';
import { ingestVcf, type IngestReport } from '../ingest/ingest-vcf.ts';
import type { Vault } from '../store/vault.ts';

export const DEMO_SEED = 20_250_101;
export const SYNTHETIC_PATIENTS = 24;
export const VARIANTS_PER_SAMPLE = 20_000;

/** Phase 1 of the 1000 Genomes Project, chr22, five samples (see test/fixtures/README.md); GRCh37, which its header does not say. */
export const REAL_VCF = fileURLToPath(new URL('../../test/fixtures/vcf/real/1000g-phase1_chr22_5samples_phased.vcf.gz', import.meta.url));
export const REAL_SAMPLES = ['HG00096', 'HG00097', 'HG00099', 'HG00100', 'HG00101'] as const;

export interface DemoPatient {
  person: SyntheticPatient;
  /** which file the genome came from */
  source: 'synthetic' | '1000 Genomes';
  /** the sample column name in that file */
  sampleName: string;
}

export interface DemoPopulation {
  patients: DemoPatient[];
  reports: IngestReport[];
  seconds: { generate: number; ingest: number };
}

const since = (start: number) => (performance.now() - start) / 1000;

/** Generates the files under `workDir` and ingests them into `vault` (opened for writing). */
export async function buildPopulation(vault: Vault, workDir: string): Promise<DemoPopulation> {
  const people = generatePatients(SYNTHETIC_PATIENTS + REAL_SAMPLES.length, DEMO_SEED);
  const synthetic = people.slice(0, SYNTHETIC_PATIENTS);
  const forReal = people.slice(SYNTHETIC_PATIENTS);

  let start = performance.now();
  const vcf = join(workDir, 'demo-exomes.vcf.gz');
  const bed = join(workDir, 'demo-exomes.targets.bed');
  const shape = { seed: DEMO_SEED, variantsPerSample: VARIANTS_PER_SAMPLE, build: 'GRCh38' as const };
  // compression level 1: the file is read once, right away; writing is several times faster
  await writeSyntheticVcf(vcf, { ...shape, samples: synthetic.map((p) => p.sampleName), sexes: sexBySample(synthetic), gzip: 'bgzf', compressionLevel: 1 });
  await writeTargetsBed(bed, shape);
  const generate = since(start);

  start = performance.now();
  const syntheticMap = new Map(synthetic.map((p) => [p.sampleName, p.mrn]));
  const realMap = new Map(REAL_SAMPLES.map((sample, i) => [sample, forReal[i]!.mrn]));
  const reports = [await ingestVcf(vault, vcf, { map: syntheticMap, targets: bed }), await ingestVcf(vault, REAL_VCF, { map: realMap, build: 'GRCh37' })];
  const patients: DemoPatient[] = [
    ...synthetic.map((person) => ({ person, source: 'synthetic' as const, sampleName: person.sampleName })),
    ...forReal.map((person, i) => ({ person, source: '1000 Genomes' as const, sampleName: REAL_SAMPLES[i]! })),
  ];
  return { patients, reports, seconds: { generate, ingest: since(start) } };
}
