// The throttling, hashing and API-token settings: documented defaults, taken from the
// environment, refused by name (never by value) when they make no sense.
import { strict as assert } from 'node:assert';
import { ConfigError, loadConfig } from '../../../vault/config/load-config.ts';
import { identityOptionsOf } from '../../../vault/service/identity-options.ts';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

describe('identityOptionsOf', () => {
  it('has the documented defaults', () => {
    assert.deepEqual(identityOptionsOf(loadConfig({ dataDir: 'd' }, {})), {
      maxFailedLogins: 5,
      lockoutMs: 15 * MIN,
      throttle: { failureDelayMs: 1_000, clientAttemptsPerMinute: 20, attemptsPerMinute: 300, accountFailuresPerHour: 100 },
      hashing: { concurrency: 1, maxWaiting: 16 },
      apiTokens: { lifetimeMs: 90 * DAY, maxLifetimeMs: 365 * DAY, rotationOverlapMs: 60 * MIN },
      idleTimeoutMs: 15 * MIN,
      absoluteLifetimeMs: 12 * 60 * MIN,
      enrolmentTtlMs: 72 * 60 * MIN,
    });
  });

  it('takes every setting from the environment', () => {
    const env = {
      GENOVAULT_DATA_DIR: 'd',
      GENOVAULT_LOCKOUT_THRESHOLD: '3',
      GENOVAULT_LOCKOUT_MINUTES: '30',
      GENOVAULT_LOGIN_FAILURE_DELAY_SECONDS: '2',
      GENOVAULT_LOGIN_CLIENT_ATTEMPTS_PER_MINUTE: '10',
      GENOVAULT_LOGIN_ATTEMPTS_PER_MINUTE: '120',
      GENOVAULT_LOGIN_ACCOUNT_FAILURES_PER_HOUR: '50',
      GENOVAULT_PASSWORD_HASH_CONCURRENCY: '2',
      GENOVAULT_PASSWORD_HASH_QUEUE: '0',
      GENOVAULT_API_TOKEN_DAYS: '30',
      GENOVAULT_API_TOKEN_MAX_DAYS: '60',
      GENOVAULT_API_TOKEN_ROTATION_OVERLAP_MINUTES: '0',
      GENOVAULT_ENROLMENT_CODE_HOURS: '24',
    };
    const options = identityOptionsOf(loadConfig({}, env));
    assert.deepEqual([options.maxFailedLogins, options.lockoutMs], [3, 30 * MIN]);
    assert.deepEqual(options.throttle, { failureDelayMs: 2_000, clientAttemptsPerMinute: 10, attemptsPerMinute: 120, accountFailuresPerHour: 50 });
    assert.deepEqual(options.hashing, { concurrency: 2, maxWaiting: 0 });
    assert.deepEqual(options.apiTokens, { lifetimeMs: 30 * DAY, maxLifetimeMs: 60 * DAY, rotationOverlapMs: 0 });
    assert.equal(options.enrolmentTtlMs, 24 * 60 * MIN);
  });

  it('refuses settings that make no sense, naming the setting only', () => {
    const refused = (env: Record<string, string>, setting: string) =>
      assert.throws(
        () => loadConfig({}, { GENOVAULT_DATA_DIR: 'd', ...env }),
        // values of three or more characters must not be echoed (shorter ones like 0 occur in any message)
        (e: unknown) => e instanceof ConfigError && e.message.includes(setting) && !Object.values(env).some((value) => value.length > 2 && e.message.includes(value)),
      );
    refused({ GENOVAULT_API_TOKEN_DAYS: '400' }, 'apiTokenDays: must not exceed apiTokenMaxDays');
    refused({ GENOVAULT_PASSWORD_HASH_CONCURRENCY: '0' }, 'passwordHashConcurrency');
    refused({ GENOVAULT_LOGIN_ATTEMPTS_PER_MINUTE: 'many' }, 'loginAttemptsPerMinute');
    refused({ GENOVAULT_API_TOKEN_ROTATION_OVERLAP_MINUTES: '-5' }, 'apiTokenRotationOverlapMinutes');
  });
});
