// A Secret never shows its value when serialised, printed or logged; only reveal() hands it out.
import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { pino } from 'pino';
import { REDACTED, Secret } from '../../../vault/identity/secret.ts';

const VALUE = 'JBSWY3DPEHPK3PXP-very-secret';

describe('Secret', () => {
  it('reveals its value only when asked', () => {
    assert.equal(new Secret(VALUE).reveal(), VALUE);
  });

  it('is redacted by JSON, string conversion, templates and inspect', () => {
    const holder = { account: 'acc_1', totp: new Secret(VALUE), nested: { hash: new Secret(VALUE) } };
    const renderings = [
      JSON.stringify(holder),
      String(holder.totp),
      // eslint-disable-next-line @typescript-eslint/restrict-template-expressions
      `${holder.totp}`,
      // eslint-disable-next-line @typescript-eslint/restrict-plus-operands
      'x' + holder.totp,
      inspect(holder, { depth: 10, showHidden: true }),
    ];
    for (const text of renderings) {
      assert.ok(!text.includes(VALUE), text);
      assert.ok(text.includes(REDACTED), text);
    }
  });

  it('is redacted in pino log lines', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino(sink);
    logger.info({ secret: new Secret(VALUE), account: { totp: new Secret(VALUE) } }, 'account loaded');
    assert.equal(lines.length, 1);
    assert.ok(!lines[0]!.includes(VALUE));
    const parsed = JSON.parse(lines[0]!) as { secret: string; account: { totp: string } };
    assert.equal(parsed.secret, REDACTED);
    assert.equal(parsed.account.totp, REDACTED);
  });
});
