// Coverage intervals (what an assay covered) are kept beside the calls, sealed with the same
// sample key: knowing where a patient was sequenced is itself patient data.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Coverage } from '../ingest/call-columns.ts';

export function encodeCoverage(coverage: Coverage): Uint8Array {
  return deflateRawSync(Buffer.from(JSON.stringify(coverage), 'utf8'), { level: 1 });
}

export function decodeCoverage(bytes: Uint8Array): Coverage {
  return JSON.parse(inflateRawSync(bytes).toString('utf8')) as Coverage;
}
