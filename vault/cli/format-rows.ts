// Query results for people and pipes: JSON, or TSV as bcftools writes it: one `#` header line
// with VCF's own columns first, in VCF order and spelling (#CHROM POS ID REF ALT QUAL FILTER), then
// ours under their JSON names. An empty result still prints its header, so scripts see the columns.
type Row = Record<string, unknown>;

const VCF_COLUMNS: readonly (readonly [string, string])[] = [
  ['chrom', 'CHROM'], ['pos', 'POS'], ['id', 'ID'], ['ref', 'REF'], ['alt', 'ALT'], ['qual', 'QUAL'], ['filter', 'FILTER'],
];

function tsvCell(value: unknown): string {
  if (value === null || value === undefined) return '.';
  if (typeof value === 'number' && Number.isNaN(value)) return '.';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.replace(/[\t\r\n]/g, ' ');
}

/** The fields in TSV order: VCF's columns first, then the others as listed. */
export function tsvColumns(fields: readonly string[]): { field: string; title: string }[] {
  const vcf = VCF_COLUMNS.filter(([field]) => fields.includes(field)).map(([field, title]) => ({ field, title }));
  const ours = fields.filter((f) => !VCF_COLUMNS.some(([field]) => field === f)).map((field) => ({ field, title: field }));
  return [...vcf, ...ours];
}

export function formatTsv(rows: readonly object[], fields: readonly string[]): string {
  const columns = tsvColumns(fields);
  const lines = [`#${columns.map((c) => c.title).join('\t')}`];
  for (const row of rows as Row[]) lines.push(columns.map((c) => tsvCell(row[c.field])).join('\t'));
  return lines.join('\n');
}

export function formatJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && Number.isNaN(v) ? null : v), 2);
}
