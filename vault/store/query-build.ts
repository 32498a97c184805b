// Every query is for one reference build: the one asked for, or the only one the samples in scope
// are on. Positions of two builds never meet in one answer; a patient (or vault) whose samples are
// on several builds must be asked with a build, and is told which it holds.
import { genomeBuildOf, GENOME_BUILD_NAMES_HELP, type GenomeBuildName } from '../../schemas/genome-build.ts';
import type { CatalogSample } from './catalog.ts';
import { QueryInputError } from './query-input-error.ts';
import { note, samplesText, type QueryNote } from './query-notes.ts';

export interface BuildChoice {
  build: GenomeBuildName;
  /** the samples the query reads */
  samples: CatalogSample[];
  /** samples left out because they are on another build */
  otherBuild: CatalogSample[];
  /** samples without a recorded build: read for a patient query that names the build, otherwise left out */
  unknownBuild: CatalogSample[];
  notes: QueryNote[];
}

/** The build a query parameter names; refuses names we do not know. */
export function parseBuildParameter(text: string): GenomeBuildName {
  const build = genomeBuildOf(text);
  if (!build) throw new QueryInputError(`build: not a reference build the vault knows; use ${GENOME_BUILD_NAMES_HELP}`, 'build');
  return build;
}

function buildsHeld(samples: readonly CatalogSample[]): string {
  const counts = new Map<string, number>();
  for (const s of samples) counts.set(s.build ?? 'no recorded build', (counts.get(s.build ?? 'no recorded build') ?? 0) + 1);
  return [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([build, n]) => `${build}: ${samplesText(n)}`).join(', ');
}

/**
 * Picks the build for `samples` (at least one). `scope` words the messages; a patient query that
 * names its build also reads samples with no recorded build (older vaults), and says so.
 */
export function chooseBuild(samples: readonly CatalogSample[], requested: string | undefined, scope: 'patient' | 'vault'): BuildChoice {
  const whose = scope === 'patient' ? "this patient's samples are" : "the vault's samples are";
  let build: GenomeBuildName;
  if (requested !== undefined) {
    build = parseBuildParameter(requested);
  } else {
    const known = [...new Set(samples.map((s) => s.build).filter((b): b is string => b !== null))];
    const unknown = samples.some((s) => s.build === null);
    if (known.length !== 1 || unknown) {
      const why = known.length === 0 ? `${whose} recorded without a reference build (ingested before builds were required)` : `${whose} on more than one reference build`;
      throw new QueryInputError(`build: ${why} (${buildsHeld(samples)}); say which build to query with --build (build= over HTTP)`, 'build');
    }
    build = parseBuildParameter(known[0]!);
  }
  const matching: CatalogSample[] = [];
  const otherBuild: CatalogSample[] = [];
  const unknownBuild: CatalogSample[] = [];
  for (const s of samples) {
    // ingest records the canonical name; the lookup only serves names written otherwise
    if (s.build === null) unknownBuild.push(s);
    else if (s.build === build || genomeBuildOf(s.build) === build) matching.push(s);
    else otherBuild.push(s);
  }
  const readUnknown = scope === 'patient' && requested !== undefined;
  const notes: QueryNote[] = [];
  if (readUnknown && unknownBuild.length > 0) {
    notes.push(note('build_unverified', `${samplesText(unknownBuild.length)} of this patient ${unknownBuild.length === 1 ? 'has' : 'have'} no recorded build (ingested before builds were required); read as ${build} because the query says so`));
  }
  const leftOut = otherBuild.length + (readUnknown ? 0 : unknownBuild.length);
  if (leftOut > 0) {
    const parts = [otherBuild.length > 0 ? `${otherBuild.length} on another build` : '', !readUnknown && unknownBuild.length > 0 ? `${unknownBuild.length} with no recorded build` : ''].filter(Boolean);
    notes.push(note('samples_left_out', `${samplesText(leftOut)} not queried: ${parts.join(', ')} (the query is for ${build})`));
  }
  return { build, samples: readUnknown ? [...matching, ...unknownBuild] : matching, otherBuild, unknownBuild, notes };
}
