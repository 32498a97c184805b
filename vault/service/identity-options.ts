// The identity service's options from the one Config: sessions, login throttling, password
// hashing, API tokens and enrolment codes. The HTTP service and the CLI on the host open identity with the same.
import type { Config } from '../../schemas/config.ts';
import type { IdentityOptions } from '../identity/identity-service.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export function identityOptionsOf(config: Config): IdentityOptions {
  return {
    maxFailedLogins: config.lockoutThreshold,
    lockoutMs: config.lockoutMinutes * MINUTE,
    throttle: {
      failureDelayMs: config.loginFailureDelaySeconds * 1_000,
      clientAttemptsPerMinute: config.loginClientAttemptsPerMinute,
      attemptsPerMinute: config.loginAttemptsPerMinute,
      accountFailuresPerHour: config.loginAccountFailuresPerHour,
    },
    hashing: { concurrency: config.passwordHashConcurrency, maxWaiting: config.passwordHashQueue },
    apiTokens: { lifetimeMs: config.apiTokenDays * DAY, maxLifetimeMs: config.apiTokenMaxDays * DAY, rotationOverlapMs: config.apiTokenRotationOverlapMinutes * MINUTE },
    idleTimeoutMs: config.sessionIdleMinutes * MINUTE,
    absoluteLifetimeMs: config.sessionAbsoluteHours * 60 * MINUTE,
    enrolmentTtlMs: config.enrolmentCodeHours * 60 * MINUTE,
  };
}
