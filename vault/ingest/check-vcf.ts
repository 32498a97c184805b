// Reads a VCF through every check ingest makes, storing nothing: what `genovault validate` runs. It is
// streamVcf with a sink that keeps nothing, so it accepts exactly what ingest accepts (same mode, same
// reader, the same build decision, same words for unreadable files); unlike ingest it goes on after an
// error to report them all (up to 100; a header with errors is not read further).
import { basename } from 'node:path';
import { streamVcf, type ReadVcfOptions, type VcfSummary } from './vcf/read-vcf.ts';
import { MAX_ERRORS } from './vcf/chunk-parser.ts';
import { VcfFormatError } from './vcf/vcf-format-error.ts';
import type { VcfHeader } from './vcf/vcf-header.ts';
import { IngestInputError, readFailure } from './input-errors.ts';
import { decideBuild, IngestBuildError } from './ingest-build.ts';
import type { GenomeBuildName } from '../../schemas/genome-build.ts';
export { MAX_ERRORS };

export interface VcfCheckOptions extends Pick<ReadVcfOptions, 'strict' | 'workers' | 'chunkBytes'> {
  /** the build given with --build, as ingest takes it */
  build?: GenomeBuildName;
}

export interface VcfCheck {
  /** true when ingest would accept the file */
  accepted: boolean;
  /** the build ingest would record the samples under, and what said so; null when it cannot be told */
  build: { name: GenomeBuildName; from: string } | null;
  /** what the file is, when it was read to the end */
  summary: VcfSummary | null;
  /** each tolerated deviation, `file:line:column: what (accepted: why)` */
  warnings: string[];
  /** why the file is refused, in file order, `file:line:column: what` (or `file: what` for the whole file: unreadable, or no build); empty when accepted */
  errors: string[];
}

export async function checkVcf(file: string, options: VcfCheckOptions = {}): Promise<VcfCheck> {
  const { build: given, ...readOptions } = options;
  // ingest refuses a file whose build it cannot tell at the header; validate says so and reads on
  const decided: { build: VcfCheck['build']; refusal: string | null } = { build: null, refusal: null };
  const begin = (header: VcfHeader): void => {
    try {
      const name = decideBuild(basename(file), header, given);
      decided.build = { name, from: header.build !== null ? `the header's ${header.buildSource ?? 'lines'}` : '--build' };
    } catch (err) {
      if (!(err instanceof IngestBuildError)) throw err;
      decided.refusal = err.message;
    }
  };
  const before = (): string[] => (decided.refusal === null ? [] : [decided.refusal]);
  try {
    const summary = await streamVcf(file, { begin, add: () => undefined }, { ...readOptions, allErrors: true });
    const errors = before();
    return { accepted: errors.length === 0, build: decided.build, summary, warnings: summary.warnings, errors };
  } catch (err) {
    const failure = readFailure(file, err);
    if (failure instanceof VcfFormatError) {
      return { accepted: false, build: decided.build, summary: null, warnings: failure.warnings, errors: [...before(), failure.message, ...failure.more].slice(0, MAX_ERRORS) };
    }
    if (failure instanceof IngestInputError) return { accepted: false, build: null, summary: null, warnings: [], errors: [failure.message] };
    throw failure;
  }
}
