// `genovault users disable|enable|tokens|issue-token|rotate-token|revoke-token` through the real
// CLI on the host: each does to the account log what the API does, prints a token only when it
// makes one, and is audited as the host in the same audit log, failures included.
import { strict as assert } from 'node:assert';
import { makeCliVault, printed, type CliVault } from './cli-vault-kit.ts';

const TOKEN = /API token tok_[0-9a-f]{16} \(shown once, keep it secret\):/;

describe('genovault users lifecycle', function () {
  this.timeout(180_000);
  let v: CliVault;
  beforeEach(async () => {
    v = await makeCliVault();
  });
  afterEach(() => v.remove());

  const ok = async (args: string[]) => {
    const r = await v.cli(['users', ...args]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };

  it('issues, lists, rotates and revokes tokens, disables and enables, and audits each as the host', async () => {
    const added = await ok(['add', '--role', 'ehr_service', '--username', 'ehr-gateway']);
    const first = printed(added, /API token \(shown once, keep it secret\):/);
    assert.match(added, /it expires \d{4}-\d\d-\d\dT.*Z; replace it before then: genovault users rotate-token --username ehr-gateway --token-id tok_[0-9a-f]{16}/);
    const firstId = /--token-id (tok_[0-9a-f]{16})/.exec(added)![1]!;

    const issued = await ok(['issue-token', '--username', 'ehr-gateway', '--label', 'lab feed', '--expires-days', '7']);
    const second = printed(issued, TOKEN);
    const secondId = /API token (tok_[0-9a-f]{16})/.exec(issued)![1]!;
    const expires = /expires: (\S+)/.exec(issued)![1]!;
    assert.ok(Math.abs(Date.parse(expires) - Date.now() - 7 * 86_400_000) < 120_000, 'seven days from now');

    const rotated = await ok(['rotate-token', '--username', 'ehr-gateway', '--token-id', firstId]);
    const third = printed(rotated, TOKEN);
    assert.match(rotated, new RegExp(`the old token ${firstId} works until \\S+Z`));
    await ok(['revoke-token', '--username', 'ehr-gateway', '--token-id', secondId]);

    const listing = await ok(['tokens', '--username', 'ehr-gateway']);
    const rows = listing.trim().split('\n').map((line) => line.split('\t'));
    assert.deepEqual(rows[0], ['token_id', 'label', 'issued_at', 'expires_at', 'state', 'replaced_by', 'rotated_from']);
    assert.deepEqual(rows.slice(1).map((r) => [r[1], r[4]]), [['cli', 'active'], ['lab feed', 'revoked'], ['cli', 'active']]);
    for (const token of [first, second, third]) assert.ok(!listing.includes(token.slice(4)), 'a listing shows no token');

    await ok(['disable', '--username', 'ehr-gateway']);
    let service = await v.openService();
    try {
      for (const token of [first, second, third]) assert.equal(service.identity.authenticateToken(token), null, 'disabled: no token works');
    } finally {
      await service.close();
    }
    await ok(['enable', '--username', 'ehr-gateway']);
    service = await v.openService();
    try {
      assert.ok(service.identity.authenticateToken(first), 'the rotated-out token works for the overlap');
      assert.ok(service.identity.authenticateToken(third));
      assert.equal(service.identity.authenticateToken(second), null, 'revoked');
      const audit = (await service.audit.query({ actorId: 'host', limit: 100 })).map((e) => `${e.body.action} ${e.body.decision}`);
      for (const action of ['user.create', 'token.issue', 'token.rotate', 'token.revoke', 'token.list', 'user.disable', 'user.enable']) {
        assert.ok(audit.includes(`${action} success`), `${action} audited: ${audit.join(', ')}`);
      }
    } finally {
      await service.close();
    }
  });

  it('refuses bad input by name, and audits refused actions as failures without the name given', async () => {
    await ok(['add', '--role', 'ehr_service', '--username', 'ehr-gateway']);
    const badId = await v.cli(['users', 'revoke-token', '--username', 'ehr-gateway', '--token-id', 'nope']);
    assert.equal(badId.code, 2);
    assert.match(badId.stderr, /--token-id: a token id looks like tok_/);
    const tooLong = await v.cli(['users', 'issue-token', '--username', 'ehr-gateway', '--expires-days', '400']);
    assert.equal(tooLong.code, 1);
    assert.match(tooLong.stderr, /a token lives 1 to 365 whole days/);
    const nobody = await v.cli(['users', 'disable', '--username', 'ada.lovelace']);
    assert.equal(nobody.code, 1);
    assert.match(nobody.stderr, /no account with that name/);
    const service = await v.openService();
    try {
      const failures = (await service.audit.query({ actorId: 'host', decision: 'failure', limit: 100 })).map((e) => `${e.body.action} ${e.body.reason ?? ''}`);
      assert.ok(failures.includes('user.disable unknown unknown_account'), failures.join(', '));
      assert.ok(failures.some((f) => /^token\.issue acc_[0-9a-f]{16} invalid_token_lifetime$/.test(f)), failures.join(', '));
      assert.ok(!failures.join(' ').includes('ada.lovelace'), 'the name given is not in the audit log');
    } finally {
      await service.close();
    }
  });
});
