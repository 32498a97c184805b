// Which reference build an ingested file's samples are recorded under: the one its header names,
// or `--build` when the header names none. A file whose build cannot be told is refused without
// `--build`, and a `--build` the header contradicts is refused: coordinates of one build read as
// another's point at unrelated bases, and nothing later could tell.
import { genomeBuildOf, GENOME_BUILD_NAMES_HELP, type GenomeBuildName } from '../../schemas/genome-build.ts';

export class IngestBuildError extends Error {
  readonly code = 'INGEST_BUILD';
  constructor(message: string) {
    super(message);
    this.name = 'IngestBuildError';
  }
}

/** The `--build` value as a build name; refuses a name we do not know. */
export function parseBuildOption(text: string): GenomeBuildName {
  const build = genomeBuildOf(text);
  if (!build) throw new IngestBuildError(`--build: not a reference build we know; use ${GENOME_BUILD_NAMES_HELP}`);
  return build;
}

/** The build to record, from the header's (build-detect.ts) and the one given at ingest. */
export function decideBuild(file: string, header: { build: string | null; buildSource: string | null }, given: GenomeBuildName | undefined): GenomeBuildName {
  const named = header.build === null ? null : genomeBuildOf(header.build);
  if (named && given && named !== given) {
    throw new IngestBuildError(`${file}: --build ${given} contradicts the header, whose ${header.buildSource ?? 'lines'} say ${named}; nothing was stored`);
  }
  const build = named ?? given;
  if (!build) {
    throw new IngestBuildError(
      `${file}: the header does not say which reference build the positions are on (no ##reference, ##assembly, ##contig assembly= ` +
        `or primary contig length we recognise); give --build GRCh37 or GRCh38. Nothing was stored`,
    );
  }
  return build;
}
