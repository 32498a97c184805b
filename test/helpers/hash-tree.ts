// Hashes every file (path and bytes) under a directory, to prove a failed operation changed nothing.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

export async function hashTree(root: string, ignore: (rel: string) => boolean = (rel) => rel === '.lock' || rel.endsWith('/.lock')): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  for (const e of entries) {
    const full = join(e.parentPath, e.name);
    const rel = relative(root, full);
    if (ignore(rel)) continue;
    out[rel] = e.isFile() ? createHash('sha256').update(await readFile(full)).digest('hex') : 'dir';
  }
  return out;
}
