// The one configuration schema: every setting the vault reads, with its default and meaning.
// Parsed once at start (from CLI flags over environment variables) and passed down.
import { z } from 'zod';
import { Secret } from './secret.ts';

const positiveInt = z.coerce.number().int().positive();
const secretString = z
  .string()
  .min(1)
  .transform((s) => new Secret(s));

export const ConfigSchema = z.object({
  /** folder holding the sealed vault */
  dataDir: z.string({ error: 'a data directory is required (--data-dir or GENOVAULT_DATA_DIR)' }).min(1, 'a data directory is required (--data-dir or GENOVAULT_DATA_DIR)'),
  /** base64 of 32 random bytes; takes precedence over masterKeyFile */
  masterKey: secretString.optional(),
  /** file holding the master key (base64); must be readable by its owner only (mode 0600) */
  masterKeyFile: z.string().min(1).optional(),
  /** the replacement master key for `keys rotate` / `erase-sample`, base64 (else newMasterKeyFile, else a new key file) */
  newMasterKey: secretString.optional(),
  newMasterKeyFile: z.string().min(1).optional(),
  /** memory the query cache may use for decrypted partitions, in MiB */
  cacheBudgetMb: positiveInt.default(1024),
  /** worker threads parsing VCF; 0 parses on the main thread */
  ingestWorkers: z.coerce.number().int().min(0).max(64).optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** address the service listens on */
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(8443),
  /** serve plain HTTP; only behind a TLS-terminating proxy */
  plainHttp: z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
    .transform((v) => v === true || v === 'true' || v === '1')
    .default(false),
  /** extra DNS names for the server certificate, comma-separated (localhost is always included) */
  tlsHostnames: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)),
  /** a session ends after this many minutes without a request */
  sessionIdleMinutes: positiveInt.default(15),
  /** and after this many hours in any case */
  sessionAbsoluteHours: positiveInt.default(12),
  /** consecutive failed logins before an account locks, and for how long */
  lockoutThreshold: positiveInt.default(5),
  lockoutMinutes: positiveInt.default(15),
  /** how long a break-glass grant lasts */
  breakGlassMinutes: positiveInt.default(60),
  /** how long a one-time enrolment code (new account or credential reset) stays redeemable */
  enrolmentCodeHours: positiveInt.default(72),
});
export type Config = z.infer<typeof ConfigSchema>;

/** Environment variables that feed the schema, by config key. */
export const CONFIG_ENV: Record<keyof z.input<typeof ConfigSchema>, string> = {
  dataDir: 'GENOVAULT_DATA_DIR',
  masterKey: 'GENOVAULT_MASTER_KEY',
  masterKeyFile: 'GENOVAULT_MASTER_KEY_FILE',
  newMasterKey: 'GENOVAULT_NEW_MASTER_KEY',
  newMasterKeyFile: 'GENOVAULT_NEW_MASTER_KEY_FILE',
  cacheBudgetMb: 'GENOVAULT_CACHE_BUDGET_MB',
  ingestWorkers: 'GENOVAULT_INGEST_WORKERS',
  logLevel: 'GENOVAULT_LOG_LEVEL',
  host: 'GENOVAULT_HOST',
  port: 'GENOVAULT_PORT',
  plainHttp: 'GENOVAULT_PLAIN_HTTP',
  tlsHostnames: 'GENOVAULT_TLS_HOSTNAMES',
  sessionIdleMinutes: 'GENOVAULT_SESSION_IDLE_MINUTES',
  sessionAbsoluteHours: 'GENOVAULT_SESSION_ABSOLUTE_HOURS',
  lockoutThreshold: 'GENOVAULT_LOCKOUT_THRESHOLD',
  lockoutMinutes: 'GENOVAULT_LOCKOUT_MINUTES',
  breakGlassMinutes: 'GENOVAULT_BREAK_GLASS_MINUTES',
  enrolmentCodeHours: 'GENOVAULT_ENROLMENT_CODE_HOURS',
};
