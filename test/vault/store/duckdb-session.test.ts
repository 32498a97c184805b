import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSecureDuckDB } from '../../../vault/store/duckdb-session.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';

const MiB = 1024 * 1024;
// sorting 3 M rows of 32-character hashes needs ~150 MB of working memory
const BIG_SORT = 'SELECT count(*) FROM (SELECT i, md5(i::VARCHAR) AS h FROM range(3000000) t(i) ORDER BY h LIMIT 3000000)';

async function listing(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

describe('DuckDB session: plaintext never reaches the disk', () => {
  it('a query that would spill fails with out-of-memory, and no file appears', async () => {
    const beforeCwd = await listing(process.cwd());
    const beforeTmp = await listing(tmpdir());
    const session = await openSecureDuckDB({ memoryLimitBytes: 32 * MiB, threads: 1 });
    try {
      await assert.rejects(session.connection.run(BIG_SORT), /Out of Memory/i);
    } finally {
      session.close();
    }
    assert.deepEqual(await listing(process.cwd()), beforeCwd);
    const newInTmp = (await listing(tmpdir())).filter((f) => !beforeTmp.includes(f));
    assert.deepEqual(newInTmp.filter((f) => /duckdb|\.tmp/i.test(f)), []);
  });

  it('the same query succeeds with enough memory (so the failure above is the spill being refused)', async () => {
    const session = await openSecureDuckDB({ memoryLimitBytes: 2048 * MiB, threads: 2 });
    try {
      const result = await session.connection.runAndReadAll(BIG_SORT);
      assert.equal(Number(result.getRowsJS()[0]?.[0]), 3_000_000);
    } finally {
      session.close();
    }
  });

  it('refuses to re-enable spilling or to touch files, whatever SQL runs later', async () => {
    const dir = await makeTempDir();
    const session = await openSecureDuckDB({ memoryLimitBytes: 64 * MiB });
    try {
      const settings = await session.connection.runAndReadAll(
        "SELECT current_setting('temp_directory') AS t, current_setting('max_temp_directory_size') AS m, current_setting('enable_external_access') AS e",
      );
      assert.deepEqual(settings.getRowObjectsJS(), [{ t: '', m: '0 bytes', e: false }]);
      await assert.rejects(session.connection.run(`SET temp_directory='${join(dir.path, 'spill')}'`), /locked/);
      await assert.rejects(session.connection.run(`SET enable_external_access=true`), /locked|cannot/i);
      await assert.rejects(session.connection.run(`COPY (SELECT 42) TO '${join(dir.path, 'out.csv')}'`), /disabled|Permission/i);
      await writeFile(join(dir.path, 'in.csv'), 'a\n1\n');
      await assert.rejects(session.connection.run(`SELECT * FROM read_csv('${join(dir.path, 'in.csv')}')`), /disabled|Permission/i);
      assert.deepEqual(await listing(dir.path), ['in.csv']);
    } finally {
      session.close();
      await dir.remove();
    }
  });
});
