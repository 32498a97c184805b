// writeFileAtomic leaves either the old file or the new one, and nothing else: a rename that fails
// (here: a folder stands where the file goes) removes its temporary file.
import { strict as assert } from 'node:assert';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { writeFileAtomic } from '../../../vault/fs/atomic.ts';

describe('writeFileAtomic', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  beforeEach(async () => (dir = await makeTempDir()));
  afterEach(() => dir.remove());

  it('replaces a file whole', async () => {
    const path = join(dir.path, 'f');
    await writeFile(path, 'old');
    await writeFileAtomic(path, 'new');
    assert.equal(await readFile(path, 'utf8'), 'new');
    assert.deepEqual(await readdir(dir.path), ['f']);
  });

  it('leaves no temporary file behind when the rename fails', async () => {
    await mkdir(join(dir.path, 'taken'));
    await assert.rejects(writeFileAtomic(join(dir.path, 'taken'), 'data'));
    assert.deepEqual(await readdir(dir.path), ['taken']);
  });
});
