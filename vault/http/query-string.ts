// Query strings as flat maps: one string per name, or every value of a name given more than
// once, which validation then refuses rather than letting a schema (or a later reader) meet an
// array it did not expect.

export function parseQueryString(querystring: string): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [key, value] of new URLSearchParams(querystring)) {
    const seen = values[key];
    values[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return values;
}
