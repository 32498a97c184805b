// The service logger: pino, JSON lines. Redaction is the backstop, not the plan: code logs
// internal ids only, and these paths catch the PHI and secrets that slip through anyway.
import { pino } from 'pino';
import type { DestinationStream, Level, Logger } from 'pino';

/** Keys whose values never reach a log line, at any of the first three levels of an object. */
export const REDACTED_KEYS = [
  'name',
  'givenName',
  'familyName',
  'mrn',
  'birthDate',
  'dateOfBirth',
  'dob',
  'zip',
  'address',
  'phone',
  'email',
  'password',
  'newPassword',
  'totp',
  'totpCode',
  'totpSecret',
  'secret',
  'token',
  'apiToken',
  'sessionToken',
  'authorization',
  'cookie',
  'set-cookie',
  'variants',
  'genotype',
  'consent',
] as const;

export const REDACTION_CENSOR = '[redacted]';

function redactionPaths(): string[] {
  const paths: string[] = [];
  for (const key of REDACTED_KEYS) {
    // bracket notation keeps keys with dashes (set-cookie) valid paths
    const segment = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
    const join = (prefix: string) => (segment.startsWith('[') ? `${prefix}${segment}` : `${prefix}.${segment}`);
    paths.push(segment.startsWith('[') ? `headers${segment}` : segment, join('*'), join('*.*'));
  }
  return paths;
}

export interface LoggerOptions {
  level?: Level | 'silent';
  /** where lines go; stdout when absent (tests pass a sink to read them back) */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: undefined, // no hostname/pid: nothing about the machine in every line
      redact: { paths: redactionPaths(), censor: REDACTION_CENSOR },
      // an Error is logged by class and frames only: messages may echo input (values, query text)
      serializers: { err: serializeErrorWithoutMessage },
      hooks: { logMethod: keepErrorMessagesOut },
    },
    options.destination ?? process.stdout,
  );
}

/**
 * pino turns `log.error(err)` into a line whose msg is err.message; route such calls through the
 * `err` serializer instead, with a fixed message.
 */
function keepErrorMessagesOut(this: Logger, args: unknown[], method: (...a: unknown[]) => void): void {
  const [first, ...rest] = args;
  if (first instanceof Error) {
    method.apply(this, [{ err: first }, ...(rest.length > 0 ? rest : ['error'])]);
    return;
  }
  method.apply(this, args);
}

/** Name, code and stack frames of an error, never its message (which may quote PHI). */
export function serializeErrorWithoutMessage(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const frames = (err.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .map((line) => line.trim());
  const code = (err as { code?: unknown }).code;
  return {
    type: err.constructor.name,
    ...(typeof code === 'string' ? { code } : {}),
    stack: frames,
  };
}
