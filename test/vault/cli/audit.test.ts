// `genovault audit verify` through the real CLI: an intact vault verifies; an edited, reordered,
// truncated or deleted audit log is reported with the first broken entry and exit 1.
import { strict as assert } from 'node:assert';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashTree } from '../../helpers/hash-tree.ts';
import { frameSpans } from '../log/log-test-kit.ts';
import { makeCliVault, type CliVault } from './cli-vault-kit.ts';

describe('genovault audit verify', function () {
  this.timeout(120_000);
  let v: CliVault;
  let auditLog: string;
  before(async () => {
    // one vault whose audit log holds three entries (two user.create, one token.issue), copied per test
    v = await makeCliVault();
    auditLog = join(v.dataDir, 'logs', 'audit.gvl');
    for (const args of [['--role', 'admin', '--username', 'root.admin'], ['--role', 'ehr_service', '--username', 'ehr']]) {
      const r = await v.cli(['users', 'add', ...args]);
      assert.equal(r.code, 0, r.stderr);
    }
  });
  after(() => v.remove());

  let pristine: Buffer;
  beforeEach(async () => {
    pristine ??= await readFile(auditLog);
    await writeFile(auditLog, pristine);
  });

  async function edit(change: (bytes: Buffer, spans: ReturnType<typeof frameSpans>) => Buffer): Promise<void> {
    const bytes = Buffer.from(pristine);
    await writeFile(auditLog, change(bytes, frameSpans(bytes)));
  }

  it('verifies every log of an intact vault, read-only, and says what it checked', async () => {
    const before = await hashTree(v.dataDir);
    const r = await v.cli(['audit', 'verify']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^logs\/audit\.gvl: OK, 3 entries, chain and anchor verified$/m);
    assert.match(r.stdout, /^logs\/accounts\.gvl: OK, \d+ entries/m);
    assert.match(r.stdout, /^logs\/clinical\.gvl: not created yet/m);
    assert.match(r.stdout, /^logs\/policy\.gvl: not created yet/m);
    assert.match(r.stdout, /^logs\/consent\.gvl: not created yet/m);
    assert.match(r.stdout, /head hash: [0-9a-f]{64}/);
    assert.match(r.stdout, /all logs verified/);
    assert.deepEqual(await hashTree(v.dataDir), before, 'verifying changes nothing');
  });

  it('names the edited entry when one byte of it changes', async () => {
    await edit((bytes, spans) => {
      bytes[spans[1]!.end - 3]! ^= 0x40;
      return bytes;
    });
    const r = await v.cli(['audit', 'verify']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^logs\/audit\.gvl: BROKEN at entry 2: .*\(tampered\)$/m);
    assert.match(r.stdout, /entries verified before it: 1/);
    assert.match(r.stdout, /1 log\(s\) BROKEN/);
  });

  it('detects two entries swapped, a deleted middle entry and a truncated tail', async () => {
    const cases: [string, (b: Buffer, s: ReturnType<typeof frameSpans>) => Buffer, RegExp][] = [
      ['swap', (b, [a, c, d]) => Buffer.concat([b.subarray(0, a!.offset), b.subarray(c!.offset, c!.end), b.subarray(a!.offset, a!.end), b.subarray(d!.offset)]), /BROKEN at entry 1/],
      ['delete', (b, [, c]) => Buffer.concat([b.subarray(0, c!.offset), b.subarray(c!.end)]), /BROKEN at entry [23]/],
      ['truncate', (b, spans) => b.subarray(0, spans[2]!.offset), /BROKEN at entry 3/],
    ];
    for (const [name, change, expected] of cases) {
      await edit(change);
      const r = await v.cli(['audit', 'verify']);
      assert.equal(r.code, 1, `${name}: ${r.stdout}`);
      assert.match(r.stdout, expected, name);
    }
  });

  it('reports a deleted audit log as broken', async () => {
    await rm(auditLog);
    const r = await v.cli(['audit', 'verify']);
    await writeFile(auditLog, pristine);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^logs\/audit\.gvl: BROKEN/m);
  });

  it('refuses a wrong master key without verifying anything', async () => {
    const { newMasterKey } = await import('../../../vault/crypto/master-key.ts');
    const r = await v.cli(['audit', 'verify'], { GENOVAULT_MASTER_KEY: newMasterKey('other').bytes.toString('base64') });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: /m);
    assert.doesNotMatch(r.stdout, /OK|all logs verified/);
  });

  it('asks for a subcommand', async () => {
    const r = await v.cli(['audit']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /audit needs a subcommand: verify/);
  });
});

