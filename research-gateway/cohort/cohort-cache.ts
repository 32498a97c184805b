// What a project's cohort questions derive again and again from sources that rarely change: each
// patient's consent decision, who takes part, the build, the samples and the compiled SQL's cohort.
// An entry serves only while every source it was derived from reports the same version (a consent
// withdrawn, a record changed or a sample erased gives a new one, so the next query derives it
// afresh); a source that reports no version is never cached. Entries are few (one per project and
// filter set) and the least recently used is dropped first, both beyond a number of entries and
// beyond a number of patients held in all (each entry weighs the patients it lists: measured ~360
// bytes a patient, so the default 500,000 is ~170 MiB however large the cohorts).

/** The sources' versions an entry was derived under; null when a source has none (nothing cached). */
export type SourceVersions = readonly unknown[] | null;

interface Entry {
  versions: readonly unknown[];
  value: Promise<unknown>;
  /** patients the value lists, once derived */
  weight: number;
}

export class CohortCache {
  private readonly entries = new Map<string, Entry>();
  private weight = 0;

  constructor(
    private readonly capacity = 64,
    private readonly maxPatients = 500_000,
  ) {}

  /** Patients held by the values kept now. */
  get patientsHeld(): number {
    return this.weight;
  }

  /**
   * The value derived for `key` under these versions, derived now if there is none (a failed
   * derivation is not kept); `weigh` says how many patients a value lists.
   */
  get<T>(key: string, versions: SourceVersions, derive: () => Promise<T>, weigh: (value: T) => number = () => 0): Promise<T> {
    if (versions === null) return derive();
    const entry = this.entries.get(key);
    if (entry && sameVersions(entry.versions, versions)) {
      // most recently used last: the first key is the one dropped
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry.value as Promise<T>;
    }
    const value = derive();
    this.remove(key);
    const added: Entry = { versions, value, weight: 0 };
    this.entries.set(key, added);
    value.then(
      (derived) => {
        if (this.entries.get(key) !== added) return;
        added.weight = weigh(derived);
        this.weight += added.weight;
        this.shrink(added);
      },
      () => {
        if (this.entries.get(key) === added) this.remove(key);
      },
    );
    this.shrink(added);
    return value;
  }

  /** Drops the least recently used entries (never `keep`) while there are too many or they hold too many patients. */
  private shrink(keep: Entry): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.capacity && this.weight <= this.maxPatients) return;
      if (entry !== keep) this.remove(key);
    }
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.weight -= entry.weight;
    this.entries.delete(key);
  }
}

function sameVersions(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Every source's version, or null when any source reports none. */
export function versionsOf(sources: readonly ({ version?(): unknown } | undefined)[]): SourceVersions {
  const versions: unknown[] = [];
  for (const source of sources) {
    if (!source?.version) return null;
    versions.push(source.version());
  }
  return versions;
}
