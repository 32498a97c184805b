// Reads a VCF through every check ingest makes, storing nothing: what `genovault validate` runs. It is
// streamVcf with a sink that keeps nothing, so it accepts exactly what ingest accepts (same mode, same
// reader, same words for unreadable files).
import { streamVcf, type ReadVcfOptions, type VcfSummary } from './vcf/read-vcf.ts';
import { VcfFormatError } from './vcf/vcf-format-error.ts';
import { IngestInputError, readFailure } from './input-errors.ts';

export interface VcfCheck {
  /** true when ingest would accept the file */
  accepted: boolean;
  /** what the file is, when it was read to the end */
  summary: VcfSummary | null;
  /** each tolerated deviation, `file:line:column: what (accepted: why)` */
  warnings: string[];
  /** why the file is refused, `file:line:column: what` (or `file: what` when it cannot be read at all) */
  error: string | null;
}

export async function checkVcf(file: string, options: Pick<ReadVcfOptions, 'strict' | 'workers'> = {}): Promise<VcfCheck> {
  try {
    const summary = await streamVcf(file, { begin: () => undefined, add: () => undefined }, options);
    return { accepted: true, summary, warnings: summary.warnings, error: null };
  } catch (err) {
    const failure = readFailure(file, err);
    if (failure instanceof VcfFormatError) return { accepted: false, summary: null, warnings: failure.warnings, error: failure.message };
    if (failure instanceof IngestInputError) return { accepted: false, summary: null, warnings: [], error: failure.message };
    throw failure;
  }
}
