// One benchmark figure beside its baseline, measured in the same run.
export interface Figure {
  section: string;
  name: string;
  value: number;
  unit: string;
  /** the same measure for the baseline, or null when there is none on this machine */
  baseline: number | null;
  baselineName: string | null;
  /** value / baseline (for times, >1 means slower than the baseline) */
  ratio: number | null;
  target?: string;
  note?: string;
}

export function figure(f: Omit<Figure, 'ratio'>): Figure {
  const ratio = f.baseline && f.baseline !== 0 ? f.value / f.baseline : null;
  return { ...f, ratio: ratio === null ? null : Math.round(ratio * 1000) / 1000 };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

export function formatTable(figures: Figure[]): string {
  const rows = figures.map((f) => [
    f.section,
    f.name,
    `${round(f.value)} ${f.unit}`,
    f.baseline === null ? '-' : `${round(f.baseline)} ${f.unit}`,
    f.baselineName ?? '-',
    f.ratio === null ? '-' : `${f.ratio}x`,
    f.target ?? '',
  ]);
  const header = ['section', 'figure', 'value', 'baseline', 'baseline is', 'ratio', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function round(n: number): string {
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}
