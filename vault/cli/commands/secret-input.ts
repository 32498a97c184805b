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

/** The secret from the file's first line, else the environment variable; undefined if neither gives one. */
export async function givenSecret(sources: Pick<SecretSources, 'file' | 'envName' | 'env'>): Promise<string | undefined> {
  if (sources.file !== undefined) {
    const text = await readFile(sources.file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new SecretInputError(`cannot read ${basename(sources.file!)}: ${err.code ?? 'read error'}`);
    });
    const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
    if (firstLine === '') throw new SecretInputError(`${basename(sources.file)}: the first line is empty`);
    return firstLine;
  }
  const fromEnv = sources.env[sources.envName];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined;
}

export async function readSecretInput(sources: SecretSources): Promise<SecretInput> {
  const given = await givenSecret(sources);
  return given !== undefined ? { value: given, generated: false } : { value: generateSecret(sources.accept), generated: true };
}

/** Asks on the terminal without echoing what is typed (stderr for the question, stdin raw). */
export function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return void (finish(), resolve(value));
        if (ch === '\u0003' || ch === '\u0004') return void (finish(), reject(new SecretInputError('cancelled')));
        value = ch === '\u007f' || ch === '\b' ? value.slice(0, -1) : value + ch;
      }
    };
    stdin.on('data', onData);
  });
}
