// Query results for people and pipes: a JSON array, or TSV with one header line.
type Row = Record<string, unknown>;

function tsvCell(value: unknown): string {
  if (value === null || value === undefined) return '.';
  if (typeof value === 'number' && Number.isNaN(value)) return '.';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.replace(/[\t\r\n]/g, ' ');
}

export function formatRows(rows: readonly object[], format: 'json' | 'tsv'): string {
  if (format === 'json') return JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'number' && Number.isNaN(v) ? null : v), 2);
  const first = rows[0] as Row | undefined;
  if (!first) return '';
  const columns = Object.keys(first);
  const lines = [columns.join('\t')];
  for (const row of rows as Row[]) lines.push(columns.map((c) => tsvCell(row[c])).join('\t'));
  return lines.join('\n');
}
