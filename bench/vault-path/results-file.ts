// The JSON record of one run: every figure, grouped by section, with the machine and its load,
// so a reader can tell a slow machine or a busy one from a slow vault.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem, platform, arch, release } from 'node:os';
import { dirname } from 'node:path';
import type { Figure } from '../figure.ts';

export const SECTIONS = ['ingest', 'patient', 'cli', 'cohort', 'cohort-index', 'research-gateway', 'load', 'size', 'http'] as const;
export type Section = (typeof SECTIONS)[number];

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  node: string;
  platform: string;
  totalMemoryBytes: number;
  /** os.loadavg() (1, 5, 15 minutes) when the run started and when it ended */
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
  /** the bench process's peak resident set */
  peakRssBytes: number;
}

export interface BenchResults {
  mode: 'full' | 'smoke';
  startedAt: string;
  finishedAt: string;
  seconds: number;
  machine: MachineInfo;
  peers: Record<string, string | null>;
  notes: string[];
  sections: Record<Section, Figure[]>;
  figures: Figure[];
}

export function machineInfo(loadAverageAtStart: number[]): MachineInfo {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${platform()} ${release()} ${arch()}`,
    totalMemoryBytes: totalmem(),
    loadAverageAtStart,
    loadAverageAtEnd: loadavg(),
    // resourceUsage reports kilobytes
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

export function bySection(figures: readonly Figure[]): Record<Section, Figure[]> {
  const out = Object.fromEntries(SECTIONS.map((s) => [s, [] as Figure[]])) as Record<Section, Figure[]>;
  for (const f of figures) {
    if (!(SECTIONS as readonly string[]).includes(f.section)) throw new Error(`figure ${f.name}: unknown section ${f.section}`);
    out[f.section as Section].push(f);
  }
  return out;
}

export async function writeResults(path: string, results: BenchResults): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(results, null, 2) + '\n');
}
