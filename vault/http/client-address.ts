// The client a request came from, as login throttling counts it: the peer's IPv4 address, or the
// /64 prefix of its IPv6 address (one host usually holds a whole /64, so counting single IPv6
// addresses would let it take a fresh one for every attempt). X-Forwarded-For is never read:
// behind a proxy every client is the proxy (docs/operations.md).
import { isIPv4, isIPv6 } from 'node:net';

export const UNKNOWN_CLIENT = 'unknown';

export function clientKeyOf(remoteAddress: string | undefined): string {
  if (!remoteAddress) return UNKNOWN_CLIENT;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(remoteAddress);
  if (mapped) return mapped[1]!;
  if (isIPv4(remoteAddress)) return remoteAddress;
  const address = remoteAddress.split('%')[0]!; // a zone id names the interface, not the host
  if (isIPv6(address)) return `${ipv6Prefix64(address)}::/64`;
  return UNKNOWN_CLIENT;
}

/** The first four groups of an IPv6 address, without leading zeros: `2001:db8:0:1`. */
function ipv6Prefix64(address: string): string {
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':');
}
