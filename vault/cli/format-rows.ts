// Query results for people and pipes: a JSON array, or TSV with one header line.
type Row = Record<string, unknown>;

function tsvCell(value: unknown): string {
  if (value === null || value === undefined) return '.';
  if (typeof value === 'number' && Number.isNaN(value)) return '.';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.replace(/[\t\r\n]/g, ' ');
}

export function formatRows(rows: readonly object[], format: 'json' | 'tsv', columns?: readonly string[]): string {
  if (format === 'json') return JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'number' && Number.isNaN(v) ? null : v), 2);
  // An empty result still prints its header line, so scripts see the columns.
  const names = columns ?? Object.keys((rows[0] as Row | undefined) ?? {});
  const lines = [names.join('\t')];
  for (const row of rows as Row[]) lines.push(names.map((c) => tsvCell(row[c])).join('\t'));
  return lines.join('\n');
}
