// TOTP (RFC 6238) over HOTP (RFC 4226), computed with node:crypto HMAC: 30 s steps, 6 digits,
// SHA-1, as every authenticator app expects. Tests check it against the RFC's appendix B
// vectors and against otplib.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { base32Decode, base32Encode } from './base32.ts';

export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps either side of now that are accepted, for clocks that drift */
export const TOTP_WINDOW = 1;
export const TOTP_ISSUER = 'GenoVault';
/** 160 bits, the HMAC-SHA-1 block the RFC recommends */
const SECRET_BYTES = 20;

export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

/** HOTP value for `counter` (RFC 4226 section 5.3, dynamic truncation). */
export function hotp(key: Uint8Array, counter: number, digits = TOTP_DIGITS, algorithm: TotpAlgorithm = 'sha1'): string {
  if (!Number.isSafeInteger(counter) || counter < 0) throw new RangeError(`HOTP counter must be a non-negative integer, got ${counter}`);
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The time step that contains `atMs` (milliseconds since the epoch). */
export function totpStep(atMs: number): number {
  return Math.floor(atMs / 1000 / TOTP_STEP_SECONDS);
}

/** The code for a raw key at a time; digits and algorithm are open for the RFC's test vectors. */
export function totpFromKey(key: Uint8Array, atMs: number, digits = TOTP_DIGITS, algorithm: TotpAlgorithm = 'sha1'): string {
  return hotp(key, totpStep(atMs), digits, algorithm);
}

/** The current 6-digit code for a base32 secret (what `genovault totp SECRET` prints). */
export function currentTotp(secret: string, at: number = Date.now()): string {
  return totpFromKey(base32Decode(secret), at);
}

/** A fresh random secret, base32 without padding. */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(SECRET_BYTES));
}

/** The enrollment URI authenticator apps read (usually from a QR code). */
export function otpauthUri(username: string, secret: string): string {
  const label = `${TOTP_ISSUER}:${encodeURIComponent(username)}`;
  return `otpauth://totp/${label}?secret=${secret}&issuer=${TOTP_ISSUER}`;
}

/**
 * The latest step whose code equals `code` within ±TOTP_WINDOW of `nowMs`, or undefined. Every step in
 * the window is computed and compared in constant time, so timing does not reveal which matched.
 * Replay (a step already used) is the caller's check: it knows the account's last used step.
 */
export function matchTotpStep(secret: string, code: string, nowMs: number, window = TOTP_WINDOW): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const key = base32Decode(secret);
  const given = Buffer.from(code, 'ascii');
  const now = totpStep(nowMs);
  let matched: number | undefined;
  for (let step = now - window; step <= now + window; step++) {
    if (step < 0) continue;
    const equal = timingSafeEqual(Buffer.from(hotp(key, step), 'ascii'), given);
    if (equal) matched = step; // the latest match, so a rare collision with an older step cannot look like replay
  }
  return matched;
}
