// A real identity service over a real sealed log in a fresh temp dir, with a clock tests move.
import { join } from 'node:path';
import { newKey } from '../../../vault/crypto/aead.ts';
import type { AccountEvent, PatientLink } from '../../../vault/identity/account-events.ts';
import type { IdentityOptions } from '../../../vault/identity/identity-service.ts';
import { IdentityService, openAccountLog } from '../../../vault/identity/identity-service.ts';
import { HOST_ACTOR, type Principal } from '../../../vault/identity/principal.ts';
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

/** The account as the actor it would be once signed in (actor checks read the store, not a session). */
export function actorOf(kit: Kit, accountId: string): Principal {
  const account = kit.identity.getAccount(accountId);
  if (!account) throw new Error(`no account ${accountId}`);
  return { accountId, username: account.username, kind: account.kind, roles: account.roles, ...(account.patientId !== undefined && { patientId: account.patientId }) };
}

/** Redeems `code` (and its `secondCode`, for two halves) as its person would, then confirms the TOTP secret and moves the clock one step on. */
export async function redeemAndConfirm(kit: Kit, username: string, code: string, secondCode?: string): Promise<{ accountId: string; secret: string }> {
  const redeemed = await kit.identity.enrolments.redeem({ username, code, ...(secondCode !== undefined && { secondCode }), newPassword: PASSWORD });
  if (!redeemed.ok || !redeemed.totp) throw new Error(`enrolment of ${username} refused: ${redeemed.ok ? 'no TOTP' : redeemed.reason}`);
  const { accountId } = redeemed.principal;
  await kit.identity.confirmTotp(accountId, currentTotp(redeemed.totp.secret, kit.clock.t), actorOf(kit, accountId));
  kit.clock.t += STEP;
  return { accountId, secret: redeemed.totp.secret };
}

/** A staff member the kit needs (registration staff, the privacy officer), made once by the host. */
export async function kitStaff(kit: Kit, username: string, role: string): Promise<Principal> {
  const existing = kit.identity.listAccounts().find((a) => a.username === username);
  if (existing) return actorOf(kit, existing.accountId);
  return actorOf(kit, (await addPerson(kit, username, [role])).accountId);
}

/** The second half of `enrolmentId`, approved by the kit's privacy officer. */
export async function kitApproval(kit: Kit, enrolmentId: string): Promise<string> {
  return (await kit.identity.enrolments.approve(enrolmentId, 'checked by the kit', await kitStaff(kit, 'kit.privacy', 'privacy_officer'))).code;
}

/**
 * Enrols a person as they would be in real use, with PASSWORD, and confirms their TOTP secret;
 * then moves the clock one step on, so the test's first login uses a step not yet spent. A staff
 * account is created by the host (a whole code); a patient, proxy or relative through a
 * registrar's patient enrolment for `patientId`, approved by the kit's privacy officer.
 */
export async function addPerson(kit: Kit, username: string, roles: string[] = ['clinician'], patientId?: string) {
  const [role] = roles;
  if (role === 'patient' || role === 'proxy' || role === 'relative') {
    const registrar = await kitStaff(kit, 'kit.registrar', 'registrar');
    const link: PatientLink = { patientId: patientId ?? 'pat_1', role, evidence: 'passport checked at the desk', ...(role === 'relative' && { relationship: 'sibling' as const }) };
    const { enrolmentId, code } = await kit.identity.enrolments.issuePatientEnrolment(link, registrar);
    return redeemAndConfirm(kit, username, code, await kitApproval(kit, enrolmentId));
  }
  const { enrolment } = await kit.identity.createAccount({ username, roles, kind: 'human', ...(roles.includes('insurer') ? { insurerType: 'life' } : {}) }, HOST_ACTOR);
  return redeemAndConfirm(kit, username, enrolment!.code);
}

/** The code for `secret` at the kit's clock, `steps` steps away. */
export function codeAt(kit: Kit, secret: string, steps = 0): string {
  return currentTotp(secret, kit.clock.t + steps * STEP);
}
