// Reads a VCF through every check ingest makes, storing nothing: what `genovault validate` runs. It is
// streamVcf with a sink that keeps nothing, so it accepts exactly what ingest accepts (same mode, same
// reader, same words for unreadable files); unlike ingest it goes on after an error to report them all
// (up to 100; a header with errors is not read further).
import { streamVcf, type ReadVcfOptions, type VcfSummary } from './vcf/read-vcf.ts';
export { MAX_ERRORS } from './vcf/chunk-parser.ts';
import { VcfFormatError } from './vcf/vcf-format-error.ts';
import { IngestInputError, readFailure } from './input-errors.ts';

export interface VcfCheck {
  /** true when ingest would accept the file */
  accepted: boolean;
  /** what the file is, when it was read to the end */
  summary: VcfSummary | null;
  /** each tolerated deviation, `file:line:column: what (accepted: why)` */
  warnings: string[];
  /** why the file is refused, in file order, `file:line:column: what` (or `file: what` when it cannot be read at all); empty when accepted */
  errors: string[];
}

export async function checkVcf(file: string, options: Pick<ReadVcfOptions, 'strict' | 'workers' | 'chunkBytes'> = {}): Promise<VcfCheck> {
  try {
    const summary = await streamVcf(file, { begin: () => undefined, add: () => undefined }, { ...options, allErrors: true });
    return { accepted: true, summary, warnings: summary.warnings, errors: [] };
  } catch (err) {
    const failure = readFailure(file, err);
    if (failure instanceof VcfFormatError) return { accepted: false, summary: null, warnings: failure.warnings, errors: [failure.message, ...failure.more] };
    if (failure instanceof IngestInputError) return { accepted: false, summary: null, warnings: [], errors: [failure.message] };
    throw failure;
  }
}
