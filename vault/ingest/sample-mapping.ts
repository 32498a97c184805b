// Which patient (by MRN) each VCF sample belongs to: one --patient for a single sample, or a
// two-column TSV (sample name, MRN) for multi-sample files, naming all of them or a subset.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

export class SampleMappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SampleMappingError';
  }
}

export interface MappingRequest {
  patient?: string;
  sample?: string;
  map?: ReadonlyMap<string, string>;
}

export async function readSampleMap(path: string): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  const lines = (await readFile(path, 'utf8')).split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    const cols = line.split('\t');
    if (cols.length !== 2 || !cols[0] || !cols[1]) {
      throw new SampleMappingError(`${basename(path)}:${i + 1}: expected two tab-separated columns: sample name, MRN`);
    }
    if (map.has(cols[0])) throw new SampleMappingError(`${basename(path)}:${i + 1}: sample listed twice`);
    map.set(cols[0], cols[1].trim());
  });
  return map;
}

/** Decides, for the samples in the file, which to ingest and for which MRN; samples left out are skipped. */
export function mapSamples(sampleNames: readonly string[], request: MappingRequest): Map<string, string> {
  const result = new Map<string, string>();
  if (request.map) {
    if (request.patient) throw new SampleMappingError('give either --patient or --map, not both');
    // a map may name a subset (a joint-called cohort holds non-patients); what it names must be in the file
    const inFile = new Set(sampleNames);
    const absent = [...request.map.keys()].filter((n) => !inFile.has(n));
    if (absent.length > 0) throw new SampleMappingError(`the map names ${absent.length} sample(s) the file does not have: ${absent.slice(0, 5).join(', ')}${absent.length > 5 ? ', ...' : ''}`);
    for (const name of sampleNames) {
      const mrn = request.map.get(name);
      if (mrn !== undefined) result.set(name, mrn);
    }
    return result;
  }
  if (!request.patient) throw new SampleMappingError('name the patient (--patient MRN) or map samples to patients (--map FILE.tsv)');
  if (request.sample !== undefined) {
    if (!sampleNames.includes(request.sample)) throw new SampleMappingError(`the file has no sample named ${request.sample}`);
    result.set(request.sample, request.patient);
    return result;
  }
  if (sampleNames.length !== 1) {
    throw new SampleMappingError(`the file has ${sampleNames.length} samples: choose one with --sample NAME, or use --map FILE.tsv`);
  }
  result.set(sampleNames[0] ?? '', request.patient);
  return result;
}
