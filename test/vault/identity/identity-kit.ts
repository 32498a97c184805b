// A real identity service over a real sealed log in a fresh temp dir, with a clock tests move.
import { join } from 'node:path';
import { newKey } from '../../../vault/crypto/aead.ts';
import type { AccountEvent } from '../../../vault/identity/account-events.ts';
import type { IdentityOptions } from '../../../vault/identity/identity-service.ts';
import { IdentityService, openAccountLog } from '../../../vault/identity/identity-service.ts';
import { HOST_ACTOR } from '../../../vault/identity/principal.ts';
import { currentTotp } from '../../../vault/identity/totp.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';

/** Low scrypt cost so tests run fast; the cost does not change any decision. */
export const TEST_SCRYPT = { log2N: 8, r: 8, p: 1 };
export const START = Date.UTC(2025, 0, 6, 9, 0, 0);
export const STEP = 30_000;

export interface Kit {
  identity: IdentityService;
  clock: { t: number };
  /** the log file, to read its raw bytes */
  path: string;
  reopen(options?: IdentityOptions): Promise<IdentityService>;
  /** the event bodies in the log, in order */
  events(): Promise<AccountEvent[]>;
  /** appends an event as written by hand (e.g. in an older version's shape); reopen to replay it */
  appendRaw(event: AccountEvent): Promise<void>;
  close(): Promise<void>;
}

export async function openKit(options: IdentityOptions = {}): Promise<Kit> {
  const dir = await makeTempDir('genovault-identity-');
  const path = join(dir.path, 'accounts.log');
  const key = newKey();
  const clock = { t: START };
  const opts = { scrypt: TEST_SCRYPT, now: () => clock.t, ...options };
  let log = await openAccountLog(path, key);
  const kit: Kit = {
    identity: await IdentityService.open(log, opts),
    clock,
    path,
    async events() {
      const bodies: AccountEvent[] = [];
      for await (const entry of log.entries()) bodies.push(entry.body);
      return bodies;
    },
    async appendRaw(event) {
      await log.append(event);
    },
    async reopen(more = {}) {
      await log.close();
      log = await openAccountLog(path, key);
      kit.identity = await IdentityService.open(log, { ...opts, ...more });
      return kit.identity;
    },
    async close() {
      await log.close();
      await dir.remove();
    },
  };
  return kit;
}

export const PASSWORD = 'Tulip-harbour-42';

/**
 * Creates a human account and enrols and confirms its TOTP secret, as at a real enrollment; then
 * moves the clock one step on, so the test's first login uses a step not yet spent.
 */
export async function addPerson(kit: Kit, username: string, roles: string[] = ['clinician'], patientId?: string) {
  const account = await kit.identity.createAccount(
    { username, roles, kind: 'human', password: PASSWORD, ...(patientId !== undefined && { patientId }) },
    HOST_ACTOR,
  );
  const { secret } = await kit.identity.enrollTotp(account.accountId, HOST_ACTOR);
  await kit.identity.confirmTotp(account.accountId, currentTotp(secret, kit.clock.t), HOST_ACTOR);
  kit.clock.t += STEP;
  return { accountId: account.accountId, secret };
}

/** The code for `secret` at the kit's clock, `steps` steps away. */
export function codeAt(kit: Kit, secret: string, steps = 0): string {
  return currentTotp(secret, kit.clock.t + steps * STEP);
}
