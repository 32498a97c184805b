// Named target sets: the capture kits' BED files a vault knows by name, so an upload over the API
// (which carries only the VCF) can say which assay covered which regions. Kept in the data
// directory as given (regions of the genome, no patient data), each checked as ingest reads it.
import { copyFile, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readTargetsBed } from './vcf/targets-bed.ts';

/** A set's name: what an upload's `targets` gives. */
export const TARGET_SET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const folderOf = (dataDir: string) => join(dataDir, 'targets');

/** The set's BED file, or null when the vault has no set of that name (or the name is not one). */
export async function targetSetPath(dataDir: string, name: string): Promise<string | null> {
  if (!TARGET_SET_NAME.test(name)) return null;
  const names = await listTargetSets(dataDir);
  return names.includes(name) ? join(folderOf(dataDir), `${name}.bed`) : null;
}

export async function listTargetSets(dataDir: string): Promise<string[]> {
  const files = await readdir(folderOf(dataDir)).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  return files.filter((f) => f.endsWith('.bed')).map((f) => f.slice(0, -4)).filter((n) => TARGET_SET_NAME.test(n)).sort();
}

/** Adds (or replaces) a set from a BED file, read first as ingest reads it; returns its regions' count. */
export async function addTargetSet(dataDir: string, name: string, bedFile: string): Promise<number> {
  if (!TARGET_SET_NAME.test(name)) throw new Error('a target set name is 1 to 64 letters, digits, . _ or -, starting with a letter or digit');
  const coverage = await readTargetsBed(bedFile);
  await mkdir(folderOf(dataDir), { recursive: true, mode: 0o700 });
  const staged = join(folderOf(dataDir), `.${name}.bed.new`);
  try {
    await copyFile(bedFile, staged);
    await rename(staged, join(folderOf(dataDir), `${name}.bed`));
  } finally {
    await rm(staged, { force: true });
  }
  return coverage.intervals.length;
}
