// Builds the Config from CLI flags over environment variables, parsed once by the zod schema.
import { ConfigSchema, CONFIG_ENV, type Config } from '../../schemas/config.ts';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function loadConfig(flags: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): Config {
  const input: Record<string, unknown> = {};
  for (const [key, envName] of Object.entries(CONFIG_ENV)) {
    const fromFlag = flags[key];
    const fromEnv = env[envName];
    if (fromFlag !== undefined) input[key] = fromFlag;
    else if (fromEnv !== undefined && fromEnv !== '') input[key] = fromEnv;
  }
  const parsed = ConfigSchema.safeParse(input);
  if (!parsed.success) {
    // Issue messages name the setting, never its value (a value may be a secret).
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}
