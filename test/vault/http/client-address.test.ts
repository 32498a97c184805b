// The client key login throttling counts by: an IPv4 address as it is, IPv4-mapped IPv6 as the
// IPv4 address, any other IPv6 address by its /64, and nothing trusted from headers.
import { strict as assert } from 'node:assert';
import { clientKeyOf, UNKNOWN_CLIENT } from '../../../vault/http/client-address.ts';

describe('clientKeyOf', () => {
  it('keeps an IPv4 address, and unwraps one mapped into IPv6', () => {
    assert.equal(clientKeyOf('127.0.0.2'), '127.0.0.2');
    assert.equal(clientKeyOf('::ffff:10.1.2.3'), '10.1.2.3');
    assert.equal(clientKeyOf('::FFFF:10.1.2.3'), '10.1.2.3');
  });

  it('counts an IPv6 address by its /64, however it is written', () => {
    const key = '2001:db8:0:1::/64';
    for (const address of ['2001:db8:0:1::1', '2001:db8:0:1:ffff:ffff:ffff:ffff', '2001:0db8:0000:0001:0:0:0:2', '2001:db8::1:0:0:0:3', '2001:db8:0:1::9%eth0']) {
      assert.equal(clientKeyOf(address), key, address);
    }
    assert.notEqual(clientKeyOf('2001:db8:0:2::1'), key);
    assert.equal(clientKeyOf('::1'), '0:0:0:0::/64');
    assert.equal(clientKeyOf('fe80::1%eth0'), 'fe80:0:0:0::/64');
  });

  it('gives one key to what is not an address', () => {
    for (const value of [undefined, '', 'localhost', '1.2.3', 'x::y']) assert.equal(clientKeyOf(value), UNKNOWN_CLIENT, String(value));
  });
});
