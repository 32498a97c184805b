// The synthetic population generator: patients, their VCF and its target set. Deterministic:
// the same seed gives the same bytes. Used by the demo, the tests and the benchmark.
export { generatePatients, sexBySample, ageOn, type SyntheticPatient, type Sex, type PatientOptions } from './patients.ts';
export { writeSyntheticVcf, DEFAULT_VARIANTS_PER_SAMPLE, type SyntheticVcfOptions, type SyntheticVcfReport } from './write-vcf.ts';
export { writeTargetsBed, type TargetsBedOptions, type TargetsBedReport } from './targets-bed.ts';
export { createBgzfStream, BGZF_EOF } from './bgzf.ts';
export { SyntheticDataError, type SyntheticErrorCode } from './synthetic-error.ts';
export { KNOWN_GENES, CLINICAL_SIGNIFICANCE, type KnownGene, type ClinicalSignificance } from './known-genes.ts';
export { LOW_POPULATION_ZIP3 } from './zip-prefixes.ts';
export { CONDITIONS, type Condition } from './conditions.ts';
export { Prng } from './prng.ts';
export type { Build } from './genome-builds.ts';
