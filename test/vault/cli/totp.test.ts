// `genovault totp SECRET`: the code the vault itself would accept now, alone on stdout.
import { strict as assert } from 'node:assert';
import { runCli } from '../../helpers/run-cli.ts';
import { matchTotpStep, newTotpSecret, totpStep } from '../../../vault/identity/totp.ts';

describe('genovault totp', function () {
  this.timeout(60_000);

  it('prints a code the vault accepts for that secret, and only the code', async () => {
    const secret = newTotpSecret();
    const r = await runCli(['totp', secret]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\d{6}\n$/);
    const step = matchTotpStep(secret, r.stdout.trim(), Date.now());
    assert.ok(step !== undefined && Math.abs(step - totpStep(Date.now())) <= 1, 'the code belongs to the current step');
  });

  it('reads the secret from GENOVAULT_TOTP_SECRET, lower case and spaced as people copy it', async () => {
    const secret = newTotpSecret();
    const spaced = secret.toLowerCase().replace(/(.{4})/g, '$1 ').trim();
    const r = await runCli(['totp'], { env: { GENOVAULT_TOTP_SECRET: spaced } });
    assert.equal(r.code, 0, r.stderr);
    assert.notEqual(matchTotpStep(secret, r.stdout.trim(), Date.now()), undefined);
  });

  it('refuses no secret, a short one and one outside the base32 alphabet', async () => {
    const none = await runCli(['totp'], { env: { GENOVAULT_TOTP_SECRET: '' } });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /give the TOTP secret/);
    const short = await runCli(['totp', 'ABCDEFGH']);
    assert.equal(short.code, 2);
    assert.match(short.stderr, /at least 16 base32 characters/);
    const bad = await runCli(['totp', 'ABCDEFGH1JKLMNOPQRST']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /invalid base32: character 9 is not in the base32 alphabet/);
    for (const r of [none, short, bad]) assert.equal(r.stdout.match(/^\d{6}$/m), null, 'no code printed on refusal');
  });
});
