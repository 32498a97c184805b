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
  dataDir: z.string().min(1, 'a data directory is required (--data-dir or GENOVAULT_DATA_DIR)'),
  /** base64 of 32 random bytes; takes precedence over masterKeyFile */
  masterKey: secretString.optional(),
  /** file holding the master key (base64); must be readable by its owner only (mode 0600) */
  masterKeyFile: z.string().min(1).optional(),
  /** memory the query cache may use for decrypted partitions, in MiB */
  cacheBudgetMb: positiveInt.default(1024),
  /** worker threads parsing VCF; 0 parses on the main thread */
  ingestWorkers: z.coerce.number().int().min(0).max(64).optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type Config = z.infer<typeof ConfigSchema>;

/** Environment variables that feed the schema, by config key. */
export const CONFIG_ENV: Record<keyof z.input<typeof ConfigSchema>, string> = {
  dataDir: 'GENOVAULT_DATA_DIR',
  masterKey: 'GENOVAULT_MASTER_KEY',
  masterKeyFile: 'GENOVAULT_MASTER_KEY_FILE',
  cacheBudgetMb: 'GENOVAULT_CACHE_BUDGET_MB',
  ingestWorkers: 'GENOVAULT_INGEST_WORKERS',
  logLevel: 'GENOVAULT_LOG_LEVEL',
};
