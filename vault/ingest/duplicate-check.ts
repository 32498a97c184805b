// The same file ingested twice would store its samples again and double every count: a sample column
// already stored from a file with the same bytes (SHA-256) is refused. Hashing the file before parsing
// costs a read, so it is done only when the vault already holds a sample of the same name.
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import type { CatalogData } from '../store/catalog.ts';
import { DuplicateIngestError } from './input-errors.ts';

/** Refuses when any of `names` was already stored from a file whose SHA-256 is `sha256`. */
export function refuseDuplicates(catalog: CatalogData, file: string, sha256: string, names: readonly string[]): void {
  const wanted = new Set(names);
  const already = catalog.samples
    .filter((s) => s.sourceSha256 === sha256 && wanted.has(s.name))
    .map((s) => ({ name: s.name, sampleId: s.sampleId, patientId: s.patientId }));
  if (already.length > 0) throw new DuplicateIngestError(file, sha256, already);
}

/** Before any parsing: refuses early when a sample of the same name was stored from this very file. */
export async function refuseDuplicatesEarly(catalog: CatalogData, file: string, names: readonly string[]): Promise<void> {
  const wanted = new Set(names);
  if (!catalog.samples.some((s) => wanted.has(s.name) && s.sourceSha256 !== '')) return;
  refuseDuplicates(catalog, file, await sha256Of(file), names);
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
