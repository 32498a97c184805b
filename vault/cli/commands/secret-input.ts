// Where a CLI command gets a new secret (a password, a PKCS#12 passphrase): a file, then an
// environment variable, else a strong random one that the command prints once. Never a flag
// value: command lines end up in shell history and in `ps`.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

export interface SecretInput {
  value: string;
  /** true when no secret was given and this one was generated: the caller must show it once */
  generated: boolean;
}

export class SecretInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretInputError';
  }
}

export interface SecretSources {
  /** path given with --password-file; its first line is the secret */
  file: string | undefined;
  /** name of the environment variable consulted next */
  envName: string;
  env: NodeJS.ProcessEnv;
  /** whether a generated candidate is acceptable (e.g. the password policy); retried until it is */
  accept?: (candidate: string) => boolean;
}

/** 144 random bits as 24 URL-safe characters: mixed case and digits in practice, checked anyway. */
export function generateSecret(accept: (candidate: string) => boolean = () => true): string {
  for (let attempt = 0; attempt < 100; attempt++) {
    const candidate = randomBytes(18).toString('base64url');
    if (accept(candidate)) return candidate;
  }
  throw new SecretInputError('could not generate an acceptable secret');
}

export async function readSecretInput(sources: SecretSources): Promise<SecretInput> {
  if (sources.file !== undefined) {
    const text = await readFile(sources.file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new SecretInputError(`cannot read ${basename(sources.file!)}: ${err.code ?? 'read error'}`);
    });
    const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
    if (firstLine === '') throw new SecretInputError(`${basename(sources.file)}: the first line is empty`);
    return { value: firstLine, generated: false };
  }
  const fromEnv = sources.env[sources.envName];
  if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, generated: false };
  return { value: generateSecret(sources.accept), generated: true };
}
