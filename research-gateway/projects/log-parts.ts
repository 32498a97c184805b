// Patient lists in the project log in parts: a log entry holds at most 1 MiB, and a cohort of tens of
// thousands of patients, or an answer describing many new sets at once, can be more. A universe or
// a set too long for one entry continues in the next (`more: true` on every part but the last); the
// project state joins the parts back (project-state.ts).

/** What one entry's patient lists may take, as JSON text: half the log's limit, leaving room for the rest. */
export const ENTRY_PATIENT_BYTES = 512 * 1024;

/** An id as JSON text in a list: quotes and a comma. */
const bytesOf = (id: string) => Buffer.byteLength(id) + 3;
/** A part's own JSON around its ids: {"set":N,"patients":[],"more":true}, */
const PART_BYTES = 48;

/** The ids in consecutive slices, each within `budget` bytes (at least one id each). */
export function idSlices(ids: readonly string[], budget = ENTRY_PATIENT_BYTES): string[][] {
  const slices: string[][] = [];
  let slice: string[] = [];
  let used = 0;
  for (const id of ids) {
    if (slice.length > 0 && used + bytesOf(id) > budget) {
      slices.push(slice);
      slice = [];
      used = 0;
    }
    slice.push(id);
    used += bytesOf(id);
  }
  if (slice.length > 0 || slices.length === 0) slices.push(slice);
  return slices;
}

export interface SetPart {
  set: number;
  patients: string[];
  more?: true;
}

/** New sets packed into entries' lists, each within `budget` bytes; a set too long for what remains is split across entries. */
export function setEntries(sets: readonly { set: number; patients: readonly string[] }[], budget = ENTRY_PATIENT_BYTES): SetPart[][] {
  const entries: SetPart[][] = [];
  let entry: SetPart[] = [];
  let used = 0;
  for (const { set, patients } of sets) {
    let rest = patients;
    do {
      // a new entry when not even one more id fits in this one
      if (entry.length > 0 && used + PART_BYTES + (rest.length > 0 ? bytesOf(rest[0]!) : 0) > budget) {
        entries.push(entry);
        entry = [];
        used = 0;
      }
      // as many ids as fit in what remains of this entry (at least one)
      let take = 0;
      let bytes = PART_BYTES;
      while (take < rest.length && (take === 0 || used + bytes + bytesOf(rest[take]!) <= budget)) bytes += bytesOf(rest[take++]!);
      const more = take < rest.length;
      entry.push({ set, patients: rest.slice(0, take), ...(more && { more: true as const }) });
      used += bytes;
      rest = rest.slice(take);
    } while (rest.length > 0);
  }
  if (entry.length > 0) entries.push(entry);
  return entries;
}
