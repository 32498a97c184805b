// Files of changes not committed yet. A change prepares its files without the writer lock (an
// ingest may stream for minutes while the service serves and other changes commit), so it names
// each file in its marker (`.changes/<pid>-<id>`) before creating it. Clean-up, under the lock,
// removes what no committed catalog and no living change names: a crashed change's leftovers.
import { appendFile, mkdir, readdir, readFile, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { randomId } from './ids.ts';
import { isRunning } from '../fs/pid-lock.ts';

const MARKERS = '.changes';

export class ChangeMarker {
  private path: string | null = null;

  constructor(private readonly dataDir: string) {}

  /** Records `file` (relative to the data directory) before the change creates it. */
  async note(file: string): Promise<void> {
    const folder = join(this.dataDir, MARKERS);
    this.path ??= join(folder, `${process.pid}-${randomId('c')}`);
    // no fsync: after a crash the marker's process is dead, and its files are leftovers either way
    await appendFile(this.path, `${file}\n`, { mode: 0o600 }).catch(async (err: NodeJS.ErrnoException) => {
      // the folder is removed when its last marker goes (another change may just have done so)
      if (err.code !== 'ENOENT') throw err;
      await mkdir(folder, { recursive: true, mode: 0o700 });
      await appendFile(this.path!, `${file}\n`, { mode: 0o600 });
    });
  }

  /** The change committed or was abandoned: its files are the catalog's, or gone. */
  async remove(): Promise<void> {
    if (!this.path) return;
    await unlink(this.path).catch(() => undefined);
    this.path = null;
    // leave the data directory as it was before the change (rmdir refuses while other markers remain)
    await rmdir(join(this.dataDir, MARKERS)).catch(() => undefined);
  }
}

/** Files named by the markers of changes whose process still runs; markers of dead ones. */
async function markedFiles(dataDir: string): Promise<{ living: Set<string>; deadMarkers: string[] }> {
  const living = new Set<string>();
  const deadMarkers: string[] = [];
  for (const name of await readdir(join(dataDir, MARKERS)).catch(() => [] as string[])) {
    const pid = Number(name.split('-')[0]);
    const path = join(dataDir, MARKERS, name);
    if (!Number.isInteger(pid) || pid <= 0 || !isRunning(pid)) {
      deadMarkers.push(path);
      continue;
    }
    const text = await readFile(path, 'utf8').catch(() => '');
    for (const line of text.split('\n')) if (line) living.add(line);
  }
  return { living, deadMarkers };
}

/**
 * Removes files in the vault's data folders that neither `referenced` (the committed catalog) nor
 * a living change names. Run under the writer lock, so nothing commits meanwhile. Files are listed
 * before the markers are read: a change names a file before making it, so any file listed that a
 * living change owns is named by the time its marker is read.
 */
export async function removeLeftovers(dataDir: string, referenced: ReadonlySet<string>): Promise<void> {
  const found: { rel: string; dirs: string[] }[] = [];
  for (const dir of ['samples', 'alleles', 'packs', 'index', 'catalog']) {
    const entries = await readdir(join(dataDir, dir), { recursive: true, withFileTypes: true }).catch(() => []);
    const files = entries.filter((e) => e.isFile()).map((e) => join(dir, ...join(e.parentPath, e.name).slice(join(dataDir, dir).length + 1).split('/')));
    const dirs = entries.filter((e) => e.isDirectory()).map((e) => join(e.parentPath, e.name)).reverse();
    found.push(...files.map((rel) => ({ rel, dirs: [] })), { rel: '', dirs });
  }
  const { living, deadMarkers } = await markedFiles(dataDir);
  for (const { rel, dirs } of found) {
    if (rel && !referenced.has(rel) && !living.has(rel)) await unlink(join(dataDir, rel)).catch(() => undefined);
    // folders a crashed change made and left empty (rmdir refuses any that still hold files; a
    // living change that finds its folder gone makes it again)
    for (const dir of dirs) await rmdir(dir).catch(() => undefined);
  }
  for (const marker of deadMarkers) await unlink(marker).catch(() => undefined);
}
