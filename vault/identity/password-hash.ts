// Password hashing with scrypt (memory-hard) from node:crypto. The encoded hash carries its own
// parameters, `$scrypt$ln=16,r=8,p=1$<salt>$<hash>` (PHC string style), so the cost can be raised
// later: old hashes still verify, and needsRehash() says when to upgrade one at the next login.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  /** log2 of the CPU/memory cost N; memory used is 128 * N * r bytes */
  log2N: number;
  r: number;
  p: number;
}

/** N = 2^16, r = 8, p = 1: 64 MiB and about 0.2 s per hash on a 2-core host (see README). */
export const DEFAULT_SCRYPT_PARAMS: Readonly<ScryptParams> = Object.freeze({ log2N: 16, r: 8, p: 1 });

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const PREFIX = '$scrypt$';

export class PasswordHashFormatError extends Error {
  constructor(detail: string) {
    super(`stored password hash is malformed: ${detail}`);
    this.name = 'PasswordHashFormatError';
  }
}

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.log2N;
  // Node refuses anything above maxmem (default 32 MiB); allow exactly what these parameters need.
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 256 * N * params.r };
  // NFKC so that the same password typed on different keyboards or platforms hashes the same.
  const input = Buffer.from(password.normalize('NFKC'), 'utf8');
  return new Promise((resolve, reject) => {
    scryptCallback(input, salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function checkParams(params: ScryptParams): void {
  const { log2N, r, p } = params;
  const ok = [log2N, r, p].every(Number.isInteger) && log2N >= 1 && log2N <= 22 && r >= 1 && r <= 32 && p >= 1 && p <= 16;
  if (!ok) throw new RangeError(`scrypt parameters out of range: ln=${log2N}, r=${r}, p=${p}`);
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): Promise<string> {
  checkParams(params);
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params);
  return `${PREFIX}ln=${params.log2N},r=${params.r},p=${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export interface ParsedPasswordHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

export function parsePasswordHash(encoded: string): ParsedPasswordHash {
  if (!encoded.startsWith(PREFIX)) throw new PasswordHashFormatError('not an scrypt hash');
  const [paramText, saltText, keyText, ...rest] = encoded.slice(PREFIX.length).split('$');
  if (paramText === undefined || saltText === undefined || keyText === undefined || rest.length > 0) {
    throw new PasswordHashFormatError('expected parameters, salt and hash');
  }
  const match = /^ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})$/.exec(paramText);
  if (!match) throw new PasswordHashFormatError('parameters are not ln=..,r=..,p=..');
  const params = { log2N: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  try {
    checkParams(params);
  } catch (error) {
    throw new PasswordHashFormatError((error as Error).message);
  }
  const salt = Buffer.from(saltText, 'base64');
  const key = Buffer.from(keyText, 'base64');
  if (salt.length < SALT_BYTES || key.length !== KEY_BYTES) throw new PasswordHashFormatError('salt or hash has the wrong length');
  return { params, salt, key };
}

/** True when `password` matches; the comparison takes the same time wherever the bytes differ. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const { params, salt, key } = parsePasswordHash(encoded);
  const candidate = await derive(password, salt, params);
  return timingSafeEqual(candidate, key);
}

/** True when the stored hash is weaker than `params` and should be replaced at the next login. */
export function needsRehash(encoded: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): boolean {
  const stored = parsePasswordHash(encoded).params;
  return stored.log2N < params.log2N || stored.r < params.r || stored.p < params.p;
}

/**
 * Spends the time a real verification would, for callers that have no hash to check (unknown
 * user, locked or disabled account), so response time does not tell them apart.
 */
export class DummyPasswordCheck {
  private hash: Promise<string> | undefined;

  constructor(private readonly params: ScryptParams = DEFAULT_SCRYPT_PARAMS) {}

  async run(password: string): Promise<void> {
    this.hash ??= hashPassword(randomBytes(18).toString('base64'), this.params);
    await verifyPassword(password, await this.hash);
  }
}
