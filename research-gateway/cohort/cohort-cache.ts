// What a project's cohort questions derive again and again from sources that rarely change: each
// patient's consent decision, who takes part, the build, the samples and the compiled SQL's cohort.
// An entry serves only while every source it was derived from reports the same version (a consent
// withdrawn, a record changed or a sample erased gives a new one, so the next query derives it
// afresh); a source that reports no version is never cached. Entries are few (one per project and
// filter set) and the oldest is dropped first.

/** The sources' versions an entry was derived under; null when a source has none (nothing cached). */
export type SourceVersions = readonly unknown[] | null;

interface Entry {
  versions: readonly unknown[];
  value: Promise<unknown>;
}

export class CohortCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly capacity = 64) {}

  /** The value derived for `key` under these versions, derived now if there is none (a failed derivation is not kept). */
  get<T>(key: string, versions: SourceVersions, derive: () => Promise<T>): Promise<T> {
    if (versions === null) return derive();
    const entry = this.entries.get(key);
    if (entry && sameVersions(entry.versions, versions)) {
      // most recently used last: the first key is the one dropped
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry.value as Promise<T>;
    }
    const value = derive();
    this.entries.delete(key);
    this.entries.set(key, { versions, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return value;
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
