// Durable file writes: temp file, fsync, rename, directory fsync. A reader sees the old
// file or the new one, never a torn mix, and a crash after return loses nothing.
import { open, rename, mkdir, unlink } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function writeFileAtomic(path: string, data: Uint8Array | string, mode = 0o600): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await handle.close();
  // a rename that fails (the target is a folder, the disk is read-only) must not leave the temp file behind
  await rename(temp, path).catch(async (err: unknown) => {
    await unlink(temp).catch(() => undefined);
    throw err;
  });
  await fsyncDir(dir);
}
