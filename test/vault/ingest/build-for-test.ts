// Test helper: the `build` option a test file needs to be ingested or validated. Headers that name
// their build need none; the conformance suite's files name none and are read as GRCh38. What counts
// as naming a build is tested on its own (ingest-build.test.ts).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseHeader } from '../../../vault/ingest/vcf/vcf-header.ts';

export function buildForTest(path: string): { build?: 'GRCh38' } {
  const raw = readFileSync(path);
  const text = (raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString('utf8');
  const lines: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    lines.push(line);
    if (!line.startsWith('##')) break;
  }
  try {
    return parseHeader(lines, false).build === null ? { build: 'GRCh38' } : {};
  } catch {
    return {}; // a broken header is refused before the build is asked
  }
}
