// Internal identifiers: random, meaningless outside the vault, safe for file names and logs.
import { randomBytes } from 'node:crypto';

export function randomId(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString('hex')}`;
}
