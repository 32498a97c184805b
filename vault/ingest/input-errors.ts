// Why a file could not be read, named by the file (base name only) like a VCF error is: the same
// words for ingest and for `genovault validate`.
import { basename } from 'node:path';
import { VcfFormatError } from './vcf/vcf-format-error.ts';
import { SampleMappingError } from './sample-mapping.ts';
import { IngestBuildError } from './ingest-build.ts';

export class IngestInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IngestInputError';
  }
}

/** The file's samples are already in the vault (same file bytes, same sample column): nothing is stored. */
export class DuplicateIngestError extends Error {
  readonly code = 'DUPLICATE_INGEST';
  /** the CLI's exit code for it, apart from other failures (1) and usage errors (2) */
  readonly exitCode = 3;
  constructor(
    file: string,
    readonly sha256: string,
    readonly already: readonly { name: string; sampleId: string; patientId: string }[],
  ) {
    const listed = already.slice(0, 5).map((s) => `${s.name} as ${s.sampleId} (patient ${s.patientId})`).join(', ');
    super(`${basename(file)} (sha256 ${sha256.slice(0, 16)}...) was already ingested: ${listed}${already.length > 5 ? ', ...' : ''}; nothing was stored`);
    this.name = 'DuplicateIngestError';
  }
}

/** Non-VCF failures (missing file, broken compression) named by the file, like VCF errors are. */
export function readFailure(file: string, err: unknown): Error {
  if (err instanceof VcfFormatError || err instanceof SampleMappingError || err instanceof IngestBuildError || err instanceof DuplicateIngestError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new IngestInputError(`${basename(file)}: no such file`);
  if (code === 'EACCES' || code === 'EISDIR') return new IngestInputError(`${basename(file)}: cannot be read (${code})`);
  const detail = err instanceof Error && /^[\w ,.'-]{1,80}$/.test(err.message) ? err.message : 'unreadable data';
  return new IngestInputError(`${basename(file)}: not a readable VCF (plain, gzip or BGZF): ${detail}`);
}
