// One file of the cohort index bench's population, written in a child process so several files are
// generated at once (the generator is single-threaded). Run by cohort-population.ts as
// `node --import tsx generate-part.ts JSON`; prints the generator's report as one JSON line.
import { writeSyntheticVcf } from '../../vault/demo/synthetic/index.ts';

interface PartRequest {
  path: string;
  samples: string[];
  sexes: Record<string, 'female' | 'male'>;
  seed: number;
  poolSeed: number;
  variantsPerSample: number;
  chromosomes: string[];
}

const request = JSON.parse(process.argv[2] ?? '{}') as PartRequest;
const report = await writeSyntheticVcf(request.path, {
  samples: request.samples, sexes: request.sexes, seed: request.seed, poolSeed: request.poolSeed, variantsPerSample: request.variantsPerSample,
  chromosomes: request.chromosomes, gzip: 'bgzf', compressionLevel: 1,
});
console.log(JSON.stringify({ records: report.records, bytes: report.bytes, seconds: report.seconds }));
