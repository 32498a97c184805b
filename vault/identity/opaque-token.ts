// Bearer tokens: 32 random bytes, base64url, handed out once. Only their SHA-256 is kept; a
// fast hash is enough because the token itself has 256 bits of entropy (nothing to brute-force).
import { createHash, randomBytes } from 'node:crypto';

const TOKEN_BYTES = 32;
/** API tokens carry a prefix so they can be told from session tokens (and spotted by secret scanners). */
export const API_TOKEN_PREFIX = 'gvt_';

export function newSessionToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

export function newApiToken(): string {
  return API_TOKEN_PREFIX + randomBytes(TOKEN_BYTES).toString('base64url');
}

export function isApiToken(token: string): boolean {
  return token.startsWith(API_TOKEN_PREFIX);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
