// "Did you mean": the known names nearest a misspelt one, by edit distance (case-insensitive).
// Used for gene symbols here, and by the query layer for significance terms and contig names.

/** Up to `limit` names within a third of the word's length in edits (at least 1, at most 3), nearest first. */
export function closestNames(word: string, names: Iterable<string>, limit = 3): string[] {
  const target = word.toUpperCase();
  const budget = Math.min(3, Math.max(1, Math.floor(target.length / 3)));
  const found: { name: string; distance: number; unlike: number }[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name) || Math.abs(name.length - target.length) > budget) continue;
    seen.add(name);
    const upper = name.toUpperCase();
    const distance = editDistance(target, upper, budget);
    if (distance <= budget) found.push({ name, distance, unlike: classChanges(target, upper) });
  }
  // at equal distance, a letter for a letter reads closer than a digit for a letter (chrZ: chrX before chr1)
  found.sort((a, b) => a.distance - b.distance || a.unlike - b.unlike || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return found.slice(0, limit).map((f) => f.name);
}

/** Levenshtein distance with adjacent transpositions counted as one edit; stops early above `budget`. */
export function editDistance(a: string, b: string, budget = Infinity): number {
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1);
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > budget) return best;
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/** Positions where one word has a digit and the other a letter (or the other way round). */
function classChanges(a: string, b: string): number {
  let n = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (isDigit(a.charCodeAt(i)) !== isDigit(b.charCodeAt(i))) n++;
  return n;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
