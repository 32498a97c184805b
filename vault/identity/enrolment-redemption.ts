// Redeeming an enrolment: the person types their code (both halves when two people issued it),
// chooses a password and receives their own TOTP secret. Every refusal tells the client one
// thing; the reason is for the audit log. A wrong secret or a wrong username counts against the
// code (voided after the limit); a right half whose partner is missing, or not yet issued, does not.
import type { AccountState, AccountStore } from './account-store.ts';
import { requireAccount } from './account-store.ts';
import { principalOf } from './account-summary.ts';
import type { PatientLink } from './account-events.ts';
import { normalizeUsername } from './account-validation.ts';
import { enrolmentSecretMatches, hashEnrolmentSecret, parseEnrolmentCode, type ParsedEnrolmentCode } from './enrolment-code.ts';
import type { EnrolmentState } from './enrolment-book.ts';
import { enrolmentStatus } from './enrolment-book.ts';
import type { EnrolmentContext } from './enrolment-service.ts';
import { IdentityError, invalid } from './identity-errors.ts';
import { hashPassword } from './password-hash.ts';
import { assertPasswordPolicy } from './password-policy.ts';
import type { Principal } from './principal.ts';
import { newTotpSecret, otpauthUri } from './totp.ts';
import { randomId } from '../store/ids.ts';

/** The only thing a client is told about a refused code, whatever the reason. */
export const ENROLMENT_FAILED_MESSAGE = 'the enrolment code is not valid: it may be mistyped, expired, already used, or need its second half';

export interface RedeemInput {
  username: string;
  code: string;
  /** the other half, when two people each issued one */
  secondCode?: string;
  newPassword?: string;
}

export type EnrolmentFailureReason =
  | 'malformed_code'
  | 'unknown_code'
  | 'wrong_code'
  | 'wrong_username'
  | 'half_missing'
  | 'awaiting_approval'
  | 'redeemed'
  | 'superseded'
  | 'withdrawn'
  | 'expired'
  | 'voided';

export interface EnrolmentFailure {
  ok: false;
  /** for the audit log, never for the client */
  reason: EnrolmentFailureReason;
  message: typeof ENROLMENT_FAILED_MESSAGE;
  enrolmentId?: string;
  accountId?: string;
  patientId?: string;
  /** this attempt used up the code's last try */
  voidedNow: boolean;
}

export interface EnrolmentSuccess {
  ok: true;
  enrolmentId: string;
  principal: Principal;
  /** the person's own TOTP secret, when the enrolment sets one; confirmed by the first login */
  totp?: { secret: string; uri: string };
  /** the patient the enrolment concerns (a patient-linked account) */
  patientId?: string;
  /** for a new proxy or relative: the link the caller records beside the patient */
  link?: PatientLink;
  /** the account that issued the (first half of the) code */
  issuedBy: string;
}

const DUMMY_HASH = hashEnrolmentSecret('');

function failure(reason: EnrolmentFailureReason, enrolment?: EnrolmentState, voidedNow = false): EnrolmentFailure {
  return {
    ok: false,
    reason,
    message: ENROLMENT_FAILED_MESSAGE,
    ...(enrolment && { enrolmentId: enrolment.enrolmentId }),
    ...(enrolment?.accountId !== undefined && { accountId: enrolment.accountId }),
    ...(enrolment?.patientId !== undefined && { patientId: enrolment.patientId }),
    voidedNow,
  };
}

/** The codes typed, parsed; undefined if one is malformed or the two name different enrolments. */
function parseCodes(input: RedeemInput): ParsedEnrolmentCode[] | undefined {
  const texts = input.secondCode === undefined ? [input.code] : [input.code, input.secondCode];
  const parsed = texts.map(parseEnrolmentCode);
  if (parsed.some((p) => p === undefined)) return undefined;
  return parsed as ParsedEnrolmentCode[];
}

/**
 * Whether every secret given matches a half of its own (in either order), and whether the halves
 * given are all the enrolment has. Every comparison is made, so timing says nothing of which failed.
 */
function matchHalves(enrolment: EnrolmentState, secrets: readonly string[]): { allMatch: boolean; complete: boolean } {
  const hashes = [enrolment.secretHash.reveal(), ...(enrolment.approved ? [enrolment.approved.secretHash.reveal()] : [])];
  const used = new Set<number>();
  let allMatch = true;
  for (const secret of secrets) {
    const hits = hashes.map((hash) => enrolmentSecretMatches(secret, hash));
    const index = hits.findIndex((hit, i) => hit && !used.has(i));
    if (index < 0) allMatch = false;
    else used.add(index);
  }
  const needed = enrolment.approval === undefined ? 1 : 2;
  return { allMatch, complete: used.size === needed };
}

/** Password rules speak of `password`; here the field is `newPassword`. */
function assertNewPassword(password: string, username: string): void {
  try {
    assertPasswordPolicy(password, username);
  } catch (err) {
    if (err instanceof IdentityError) throw new IdentityError(err.code, err.kind, err.message, 'newPassword');
    throw err;
  }
}

/** A patient has one account of their own; a lost one is reset, not made again. */
export function refuseSecondPatientAccount(store: AccountStore, patientId: string): void {
  if (store.list().some((a) => a.patientId === patientId)) {
    throw new IdentityError('patient_account_exists', 'conflict', 'this patient already has an account: reset its credentials instead');
  }
}

export class EnrolmentRedemption {
  constructor(private readonly ctx: EnrolmentContext) {}

  async redeem(input: RedeemInput): Promise<EnrolmentSuccess | EnrolmentFailure> {
    const parsed = parseCodes(input);
    const enrolmentId = parsed?.[0]!.enrolmentId;
    const enrolment = enrolmentId === undefined ? undefined : this.ctx.store.enrolments.get(enrolmentId);
    if (!parsed || !enrolment) {
      enrolmentSecretMatches(parsed?.[0]!.secret ?? '', DUMMY_HASH); // the same work as a real check
      return failure(parsed ? 'unknown_code' : 'malformed_code');
    }
    return this.ctx.locks.run(enrolment.enrolmentId, async () => {
      const sameEnrolment = parsed.every((p) => p.enrolmentId === enrolment.enrolmentId);
      const refused = await this.refusal(enrolment, sameEnrolment ? parsed.map((p) => p.secret) : [], input.username);
      if (refused) return refused;
      return enrolment.accountId !== undefined ? this.redeemForAccount(enrolment, enrolment.accountId, input) : this.redeemNewAccount(enrolment, input);
    });
  }

  /** `secrets` is empty when the two halves typed belong to different enrolments: a wrong code. */
  private async refusal(enrolment: EnrolmentState, secrets: string[], username: string): Promise<EnrolmentFailure | undefined> {
    const now = this.ctx.now();
    const status = enrolmentStatus(enrolment, now, this.ctx.maxAttempts);
    if (status !== 'open' && status !== 'awaiting_approval') return failure(status, enrolment);
    const halves = secrets.length > 0 ? matchHalves(enrolment, secrets) : { allMatch: false, complete: false };
    const usernameOk = this.usernameFits(enrolment, username);
    if (halves.allMatch && usernameOk) {
      // a right half alone guesses nothing: refused, not counted against the code
      if (status === 'awaiting_approval') return failure('awaiting_approval', enrolment);
      return halves.complete ? undefined : failure('half_missing', enrolment);
    }
    await this.ctx.store.append({ type: 'enrolment.failed', enrolmentId: enrolment.enrolmentId, at: new Date(now).toISOString() });
    return failure(halves.allMatch ? 'wrong_username' : 'wrong_code', enrolment, enrolment.failedAttempts >= this.ctx.maxAttempts);
  }

  /** A code for an existing account is redeemed under that account's username only. */
  private usernameFits(enrolment: EnrolmentState, username: string): boolean {
    if (enrolment.accountId === undefined) return true; // the person chooses their username now
    try {
      return normalizeUsername(username) === this.ctx.store.get(enrolment.accountId)?.username;
    } catch {
      return false;
    }
  }

  private async redeemForAccount(enrolment: EnrolmentState, accountId: string, input: RedeemInput): Promise<EnrolmentSuccess> {
    return this.ctx.locks.run(accountId, async () => {
      const account = requireAccount(this.ctx.store, accountId);
      const credentials = await this.newCredentials(enrolment, input.newPassword, account.username);
      await this.ctx.store.append({ type: 'enrolment.redeemed', enrolmentId: enrolment.enrolmentId, accountId, at: new Date(this.ctx.now()).toISOString(), ...credentials });
      this.ctx.sessions.revokeAll(accountId);
      this.ctx.throttle.unlock(account.username); // the person has just proven themselves with the code
      return this.success(enrolment, account, credentials.totpSecret);
    });
  }

  private async redeemNewAccount(enrolment: EnrolmentState, input: RedeemInput): Promise<EnrolmentSuccess> {
    const link = enrolment.link!;
    const username = normalizeUsername(input.username);
    return this.ctx.locks.run(`username:${username}`, async () => {
      if (this.ctx.store.findByUsername(username)) throw new IdentityError('username_taken', 'conflict', 'that username is taken', 'username');
      if (link.role === 'patient') refuseSecondPatientAccount(this.ctx.store, link.patientId);
      const credentials = await this.newCredentials(enrolment, input.newPassword, username);
      const accountId = randomId('acc');
      const newAccount = { username, roles: [link.role], ...(link.role === 'patient' && { patientId: link.patientId }) };
      await this.ctx.store.append({ type: 'enrolment.redeemed', enrolmentId: enrolment.enrolmentId, accountId, at: new Date(this.ctx.now()).toISOString(), ...credentials, newAccount });
      this.ctx.throttle.unlock(username); // failed logins at a name nobody held until now
      return this.success(enrolment, requireAccount(this.ctx.store, accountId), credentials.totpSecret);
    });
  }

  /** What the enrolment sets: the person's password (checked against the policy) and a fresh TOTP secret. */
  private async newCredentials(enrolment: EnrolmentState, newPassword: string | undefined, username: string): Promise<{ passwordHash?: string; totpSecret?: string }> {
    if (enrolment.sets.password && newPassword === undefined) throw invalid('password_required', 'newPassword', 'choose a password');
    if (!enrolment.sets.password && newPassword !== undefined) throw invalid('password_not_allowed', 'newPassword', 'this enrolment keeps the current password');
    if (newPassword !== undefined) assertNewPassword(newPassword, username);
    return {
      ...(newPassword !== undefined && { passwordHash: await hashPassword(newPassword, this.ctx.scrypt) }),
      ...(enrolment.sets.totp && { totpSecret: newTotpSecret() }),
    };
  }

  private success(enrolment: EnrolmentState, account: AccountState, totpSecret: string | undefined): EnrolmentSuccess {
    return {
      ok: true,
      enrolmentId: enrolment.enrolmentId,
      issuedBy: enrolment.issuedBy,
      principal: principalOf(account),
      ...(totpSecret !== undefined && { totp: { secret: totpSecret, uri: otpauthUri(account.username, totpSecret) } }),
      ...(enrolment.patientId !== undefined && { patientId: enrolment.patientId }),
      ...(enrolment.link !== undefined && { link: { ...enrolment.link } }),
    };
  }
}
