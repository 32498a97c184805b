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
  /** consecutive failed logins from one client against one account before that client is locked out of it, and for how long */
  lockoutThreshold: positiveInt.default(5),
  lockoutMinutes: positiveInt.default(15),
  /** the wait after a client's first failed login against an account, in seconds; it doubles with each further failure */
  loginFailureDelaySeconds: z.coerce.number().min(0).max(60).default(1),
  /** login attempts one client address (an IPv6 /64) may make per minute, whatever the usernames */
  loginClientAttemptsPerMinute: positiveInt.default(20),
  /** login attempts the whole service admits per minute */
  loginAttemptsPerMinute: positiveInt.default(300),
  /** failed logins against one account per hour, from all clients, after which only clients that have not failed against it may try */
  loginAccountFailuresPerHour: positiveInt.default(100),
  /** logins checking a password at once (scrypt takes a thread of libuv's pool of 4), and how many may wait; beyond that 503 */
  passwordHashConcurrency: positiveInt.max(16).default(1),
  passwordHashQueue: z.coerce.number().int().min(0).max(1000).default(16),
  /** an API token's lifetime when none is asked for, and the longest that may be asked for, in days */
  apiTokenDays: positiveInt.default(90),
  apiTokenMaxDays: positiveInt.default(365),
  /** how long a rotated-out API token keeps working beside its replacement, in minutes (0: it stops at once) */
  apiTokenRotationOverlapMinutes: z.coerce.number().int().min(0).max(10_080).default(60),
  /** how long a break-glass grant lasts */
  breakGlassMinutes: positiveInt.default(60),
  /** how long a one-time enrolment code (new account or credential reset) stays redeemable */
  enrolmentCodeHours: positiveInt.default(72),
  /** research answers: a count below this, zero included, is shown as "<N"; variants carried by fewer patients are withheld */
  researchThreshold: z.coerce.number().int().min(2).max(1000).default(20),
  /** a research project's privacy budget (total epsilon) unless the ethics board sets another when it approves */
  researchBudget: z.coerce.number().positive().max(1000).default(50),
  /** the same query asked this many times by one project within researchRepeatHours is refused until the window passes */
  researchRepeatLimit: positiveInt.default(3),
  researchRepeatHours: positiveInt.default(24),
  /** the hospital's website, as the Beacon's GA4GH service-info names its organization (unset: the beacon's own info address) */
  beaconOrganizationUrl: z.url({ protocol: /^https?$/ }).max(500).optional(),
  /** the largest VCF accepted by POST /v1/ingests, in MiB (as sent: compressed if it is) */
  uploadMaxMb: positiveInt.default(2048),
  /** how long one request may take to arrive whole (an upload's body included), in minutes */
  requestTimeoutMinutes: positiveInt.default(30),
  /** clinical use of a patient's genomic data when the patient has no clinical-use directive (the hospital default) */
  clinicalUseDefault: z.enum(['permit', 'deny']).default('permit'),
}).refine((c) => c.apiTokenDays <= c.apiTokenMaxDays, { message: 'must not exceed apiTokenMaxDays', path: ['apiTokenDays'] });
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
  loginFailureDelaySeconds: 'GENOVAULT_LOGIN_FAILURE_DELAY_SECONDS',
  loginClientAttemptsPerMinute: 'GENOVAULT_LOGIN_CLIENT_ATTEMPTS_PER_MINUTE',
  loginAttemptsPerMinute: 'GENOVAULT_LOGIN_ATTEMPTS_PER_MINUTE',
  loginAccountFailuresPerHour: 'GENOVAULT_LOGIN_ACCOUNT_FAILURES_PER_HOUR',
  passwordHashConcurrency: 'GENOVAULT_PASSWORD_HASH_CONCURRENCY',
  passwordHashQueue: 'GENOVAULT_PASSWORD_HASH_QUEUE',
  apiTokenDays: 'GENOVAULT_API_TOKEN_DAYS',
  apiTokenMaxDays: 'GENOVAULT_API_TOKEN_MAX_DAYS',
  apiTokenRotationOverlapMinutes: 'GENOVAULT_API_TOKEN_ROTATION_OVERLAP_MINUTES',
  breakGlassMinutes: 'GENOVAULT_BREAK_GLASS_MINUTES',
  enrolmentCodeHours: 'GENOVAULT_ENROLMENT_CODE_HOURS',
  researchThreshold: 'GENOVAULT_RESEARCH_THRESHOLD',
  researchBudget: 'GENOVAULT_RESEARCH_BUDGET',
  researchRepeatLimit: 'GENOVAULT_RESEARCH_REPEAT_LIMIT',
  researchRepeatHours: 'GENOVAULT_RESEARCH_REPEAT_HOURS',
  beaconOrganizationUrl: 'GENOVAULT_BEACON_ORGANIZATION_URL',
  uploadMaxMb: 'GENOVAULT_UPLOAD_MAX_MB',
  requestTimeoutMinutes: 'GENOVAULT_REQUEST_TIMEOUT_MINUTES',
  clinicalUseDefault: 'GENOVAULT_CLINICAL_USE_DEFAULT',
};
