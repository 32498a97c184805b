// Two refusals that protect a project's cohort from its own queries:
// - repeat lockout: the same query, asked `repeatLimit` times within the window, is refused until
//   the oldest of them leaves the window. Repeats learn nothing new (the noise is fixed per
//   cohort), but a script asking the same thing in a loop is stopped and shows up in the report;
// - differencing: an answer is refused when any set of patients it describes (its cohort, each
//   allele's carriers, who covered a position) differs from any set an earlier answer of the same
//   project described by 1 to threshold-1 patients: the two together would describe those few
//   patients (count{gene} minus one shown allele's carriers would count the carriers of withheld
//   rare alleles). Sets that are both below the threshold are left alone (both answers say only
//   "<threshold"), and so is a set described before (it gets the very same answer). Sets of one
//   answer are not compared with each other: an aggregate's rows never describe a difference alone.
//   Patients who gave or withdrew consent in between are left out of the comparison: that change
//   is theirs, not the researcher's, and would otherwise refuse every repeated question.
import type { ProjectState } from '../projects/project-state.ts';
import { genomeBuildOf } from '../../schemas/genome-build.ts';
import { canonicalChromosome } from '../../schemas/refseq-accessions.ts';
import type { DisclosureSettings } from './settings.ts';
import { describedSet, type DescribedSet } from '../projects/described-sets.ts';

/** A chromosome as one name whatever its spelling: chr17, CHR17 and 17 alike; chrM and MT alike. */
const chromosomeName = (chrom: string): string => canonicalChromosome(chrom) ?? chrom;

/**
 * What the repeat lockout counts a query as: its locus and build written one way, so respelling a
 * question (chr17 or 17, hg38 or GRCh38, bases or a gene in lower case) is still the same question.
 */
export function lockoutForm(query: unknown): unknown {
  if (typeof query !== 'object' || query === null) return query;
  const { variant, assembly, ...rest } = query as { variant?: Record<string, unknown>; assembly?: unknown };
  const out: Record<string, unknown> = { ...rest };
  if (typeof assembly === 'string') out.assembly = genomeBuildOf(assembly) ?? assembly;
  if (variant && typeof variant === 'object') {
    const v: Record<string, unknown> = { ...variant };
    if (typeof v.gene === 'string') v.gene = v.gene.toUpperCase();
    if (typeof v.chrom === 'string') v.chrom = chromosomeName(v.chrom);
    if (typeof v.ref === 'string') v.ref = v.ref.toUpperCase();
    if (typeof v.alt === 'string') v.alt = v.alt.toUpperCase();
    if (typeof v.region === 'string') v.region = v.region.replace(/^[^:]+/, (chrom) => chromosomeName(chrom));
    out.variant = v;
  }
  return out;
}

/** Seconds until the same query may be asked again, or null when it may be asked now. */
export function repeatLockout(state: ProjectState, fingerprint: string, now: number, settings: DisclosureSettings): number | null {
  const since = now - settings.repeatWindowMs;
  const times: number[] = [];
  // the fingerprint first: only this query's earlier askings have their time read
  for (const q of state.queries) {
    if (q.fingerprint !== fingerprint || q.outcome === 'repeat_lockout') continue;
    const at = Date.parse(q.at);
    if (at > since) times.push(at);
  }
  if (times.length < settings.repeatLimit) return null;
  const freedAt = Math.min(...times) + settings.repeatWindowMs;
  return Math.max(1, Math.ceil((freedAt - now) / 1000));
}

/** Earlier sets as compared now: over the patients taking part at both times. */
interface EarlierGroup {
  /** null: the group's universe is the current one, so its sets are compared as they are */
  common: ((id: string) => boolean) | null;
  sets: readonly DescribedSet[];
}

/** Per current universe (an object the gateway reuses while no consent changes), each older group's sets filtered to the common patients. */
const filteredGroups = new WeakMap<ReadonlySet<string>, Map<Map<string, DescribedSet>, { size: number; sets: DescribedSet[] }>>();

function earlierGroups(state: ProjectState, universe: ReadonlySet<string>, current: number | null): EarlierGroup[] {
  let memo = filteredGroups.get(universe);
  if (!memo) filteredGroups.set(universe, (memo = new Map<Map<string, DescribedSet>, { size: number; sets: DescribedSet[] }>()));
  const groups: EarlierGroup[] = [];
  for (const [number, described] of state.described) {
    if (number !== null && number === current) {
      groups.push({ common: null, sets: [...described.values()] });
      continue;
    }
    const then = number !== null ? state.universes.get(number) : undefined;
    const common = (id: string) => universe.has(id) && (!then || then.has(id));
    let filtered = memo.get(described);
    if (!filtered || filtered.size !== described.size) {
      memo.set(described, (filtered = { size: described.size, sets: [...described.values()].map((set) => describedSet(set.ids.filter(common))) }));
    }
    groups.push({ common, sets: filtered.sets });
  }
  return groups;
}

/**
 * Whether any of the sets differs from a set an earlier answer of the project described by 1 to
 * threshold-1 patients, both counted over the patients taking part at both times (`universe`: now;
 * `current`: its number when the project already recorded it as its latest universe). Every set an
 * answer describes lies within its universe (each is drawn from the patients taking part), which is
 * why sets answered in the current universe are compared as they are, unfiltered.
 */
export function differsByFew(state: ProjectState, mine: readonly DescribedSet[], universe: ReadonlySet<string>, current: number | null, threshold: number): boolean {
  const groups = earlierGroups(state, universe, current);
  /** my set as a group compares it: filtered to the common patients when the group's universe is an older one */
  const asCompared = (set: DescribedSet, group: EarlierGroup) => (group.common === null ? set : describedSet(set.ids.filter(group.common)));
  // a set described before, exactly, tells nothing new: a repeated answer is never refused
  const fresh = mine.filter((set) => !groups.some((g) => {
    const key = asCompared(set, g).key;
    return g.sets.some((other) => other.key === key);
  }));
  for (const g of groups) {
    const compared = fresh.map((set) => asCompared(set, g));
    for (const other of g.sets) if (compared.some((set) => closeSets(set, other, threshold))) return true;
  }
  return false;
}

/** Two sets, not both below the threshold, differing by 1 to threshold-1 patients. */
function closeSets(mine: DescribedSet, other: DescribedSet, threshold: number): boolean {
  const [a, b] = [mine.ids.length, other.ids.length];
  if (Math.max(a, b) < threshold || Math.abs(a - b) >= threshold) return false;
  const difference = symmetricDifference(mine, other, threshold);
  return difference > 0 && difference < threshold;
}

/** |a Δ b|, counted up to `limit` (beyond it the exact size does not matter). */
function symmetricDifference(a: DescribedSet, b: DescribedSet, limit: number): number {
  let n = 0;
  for (const id of b.ids) if (!a.members.has(id) && ++n >= limit) return n;
  for (const id of a.ids) if (!b.members.has(id) && ++n >= limit) return n;
  return n;
}
