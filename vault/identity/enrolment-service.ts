// Enrolment: the only way a person gets a password and a TOTP secret. Whoever issues a code (an
// admin for staff, registration staff or a genetic counselor for a patient's circle) never sees
// the credentials; the person redeems the code, chooses their password and receives their own
// TOTP secret once. Resets are re-enrolments: they clear credentials, end sessions, issue a code.
import { PatientEnrolmentBodySchema, type CredentialReset } from '../../schemas/enrolment.ts';
import type { PatientLink } from './account-events.ts';
import type { AccountState, AccountStore } from './account-store.ts';
import { requireAccount } from './account-store.ts';
import { principalOf } from './account-summary.ts';
import { isPatientLinked, normalizeUsername } from './account-validation.ts';
import { requireAdmin, requireIdentityProofer } from './actor-checks.ts';
import { enrolmentSecretMatches, hashEnrolmentSecret, newEnrolmentCode, parseEnrolmentCode } from './enrolment-code.ts';
import type { EnrolmentState } from './enrolment-book.ts';
import { enrolmentStatus } from './enrolment-book.ts';
import { IdentityError, invalid } from './identity-errors.ts';
import type { KeyedMutex } from './keyed-mutex.ts';
import type { LoginThrottle } from './login-throttle.ts';
import type { ScryptParams } from './password-hash.ts';
import { hashPassword } from './password-hash.ts';
import { assertPasswordPolicy } from './password-policy.ts';
import type { Actor, Principal } from './principal.ts';
import { actorIdOf } from './principal.ts';
import type { SessionStore } from './session-store.ts';
import { throttleRefusal, type LoginRefusal } from './throttled-login.ts';
import { newTotpSecret, otpauthUri } from './totp.ts';
import { randomId } from '../store/ids.ts';

export const DEFAULT_ENROLMENT_TTL_MS = 72 * 3_600_000;
export const DEFAULT_MAX_ENROLMENT_ATTEMPTS = 5;
/** The only thing a client is told about a refused code, whatever the reason. */
export const ENROLMENT_FAILED_MESSAGE = 'the enrolment code is not valid: it may be mistyped, expired or already used';
export const ENROLMENT_THROTTLED_MESSAGE = 'too many attempts from this client; try again after the time in Retry-After';

export interface EnrolmentContext {
  store: AccountStore;
  sessions: SessionStore;
  locks: KeyedMutex;
  /** redemptions count against a client's per-minute attempts; a redemption forgets the name's failed logins */
  throttle: Pick<LoginThrottle, 'admitClient' | 'unlock'>;
  now: () => number;
  scrypt: ScryptParams;
  ttlMs: number;
  /** wrong attempts (wrong secret or username) after which a code is void */
  maxAttempts: number;
}

export interface IssuedEnrolment {
  enrolmentId: string;
  /** shown once, to be handed to the person; only its hash is kept */
  code: string;
  expiresAt: string;
}

export interface RedeemInput {
  username: string;
  code: string;
  newPassword?: string;
}

export type EnrolmentFailureReason = 'malformed_code' | 'unknown_code' | 'wrong_code' | 'wrong_username' | 'redeemed' | 'superseded' | 'expired' | 'voided';

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
}

const RESET_SETS: Record<CredentialReset, { password: boolean; totp: boolean }> = {
  password: { password: true, totp: false },
  totp: { password: false, totp: true },
  both: { password: true, totp: true },
};
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

/** Password rules speak of `password`; here the field is `newPassword`. */
function assertNewPassword(password: string, username: string): void {
  try {
    assertPasswordPolicy(password, username);
  } catch (err) {
    if (err instanceof IdentityError) throw new IdentityError(err.code, err.kind, err.message, 'newPassword');
    throw err;
  }
}

export class EnrolmentService {
  constructor(private readonly ctx: EnrolmentContext) {}

  /** The first code of a new staff account (`createAccount`, under its username lock). */
  issueForNewAccount(accountId: string, actor: Actor): Promise<IssuedEnrolment> {
    requireAdmin(this.ctx.store, actor);
    const account = this.humanAccount(accountId);
    if (account.passwordHash || account.totpSecret || isPatientLinked(account)) throw new IdentityError('not_permitted', 'forbidden', 'only a new staff account gets its first code this way');
    return this.issue({ accountId }, { password: true, totp: true }, actor);
  }

  /** A new enrolment; the caller holds the lock of the account or patient it is for. */
  private async issue(target: { accountId?: string; patientId?: string; link?: PatientLink }, sets: { password: boolean; totp: boolean }, actor: Actor): Promise<IssuedEnrolment> {
    let fresh = newEnrolmentCode();
    while (this.ctx.store.enrolments.get(fresh.enrolmentId)) fresh = newEnrolmentCode();
    const now = this.ctx.now();
    const expiresAt = new Date(now + this.ctx.ttlMs).toISOString();
    await this.ctx.store.append({ type: 'enrolment.issued', enrolmentId: fresh.enrolmentId, secretHash: fresh.secretHash, actorId: actorIdOf(actor), at: new Date(now).toISOString(), expiresAt, sets, ...target });
    if (target.accountId !== undefined) this.ctx.sessions.revokeAll(target.accountId);
    return { enrolmentId: fresh.enrolmentId, code: fresh.code, expiresAt };
  }

  /** An admin (or the host) re-enrols a staff member: never an account linked to a patient. */
  async resetStaffCredentials(accountId: string, reset: CredentialReset, actor: Actor): Promise<IssuedEnrolment> {
    requireAdmin(this.ctx.store, actor);
    return this.ctx.locks.run(accountId, async () => {
      const account = this.humanAccount(accountId);
      if (isPatientLinked(account)) {
        throw new IdentityError('patient_linked_account', 'forbidden', 'an account linked to a patient is reset by registration staff or a genetic counselor');
      }
      return this.issue({ accountId }, RESET_SETS[reset], actor);
    });
  }

  /**
   * Registration staff or a genetic counselor re-enrol an account of a patient's circle. The access
   * policy has already allowed the actor for `patientId`; the caller checked the account is linked to it.
   */
  async resetPatientLinkedCredentials(accountId: string, patientId: string, reset: CredentialReset, actor: Actor): Promise<IssuedEnrolment> {
    requireIdentityProofer(this.ctx.store, actor);
    return this.ctx.locks.run(accountId, async () => {
      const account = this.humanAccount(accountId);
      if (!isPatientLinked(account)) throw new IdentityError('not_permitted', 'forbidden', 'a staff account is reset by an admin');
      return this.issue({ accountId, patientId }, RESET_SETS[reset], actor);
    });
  }

  /** A code that creates a patient's, proxy's or relative's account, after identity proofing in person. */
  async issuePatientEnrolment(link: PatientLink, actor: Actor): Promise<IssuedEnrolment> {
    requireIdentityProofer(this.ctx.store, actor);
    const checked = PatientEnrolmentBodySchema.safeParse({ role: link.role, evidence: link.evidence, relationship: link.relationship });
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      throw invalid('invalid_enrolment', issue.path.join('.') || 'role', issue.message);
    }
    if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(link.patientId)) throw invalid('invalid_enrolment', 'patientId', 'not a patient id');
    return this.ctx.locks.run(`patient:${link.patientId}`, async () => {
      if (link.role === 'patient') this.refuseSecondPatientAccount(link.patientId);
      const { relationship, ...rest } = checked.data;
      const stored: PatientLink = { patientId: link.patientId, ...rest, ...(relationship !== undefined && { relationship }) };
      return this.issue({ patientId: link.patientId, link: stored }, { password: true, totp: true }, actor);
    });
  }

  /**
   * Redeems a code. A refusal says one thing to the client; its reason is for the audit log.
   * `client` is the network address it came from: one past its per-minute attempts (logins and
   * redemptions together) is refused before the code is looked at. Callers inside the vault (the
   * host CLI, the demo) give none and are not throttled.
   */
  redeem(input: RedeemInput): Promise<EnrolmentSuccess | EnrolmentFailure>;
  redeem(input: RedeemInput, client: string | undefined): Promise<EnrolmentSuccess | EnrolmentFailure | LoginRefusal>;
  async redeem(input: RedeemInput, client?: string): Promise<EnrolmentSuccess | EnrolmentFailure | LoginRefusal> {
    const throttled = client === undefined ? undefined : this.ctx.throttle.admitClient(client);
    if (throttled) return throttleRefusal(throttled, ENROLMENT_THROTTLED_MESSAGE);
    const parsed = parseEnrolmentCode(input.code);
    const enrolment = parsed && this.ctx.store.enrolments.get(parsed.enrolmentId);
    if (!parsed || !enrolment) {
      enrolmentSecretMatches(parsed?.secret ?? '', DUMMY_HASH); // the same work as a real check
      return failure(parsed ? 'unknown_code' : 'malformed_code');
    }
    return this.ctx.locks.run(enrolment.enrolmentId, async () => {
      const refused = await this.refusal(enrolment, parsed.secret, input.username);
      if (refused) return refused;
      return enrolment.accountId !== undefined ? this.redeemForAccount(enrolment, enrolment.accountId, input) : this.redeemNewAccount(enrolment, input);
    });
  }

  private async refusal(enrolment: EnrolmentState, secret: string, username: string): Promise<EnrolmentFailure | undefined> {
    const now = this.ctx.now();
    const status = enrolmentStatus(enrolment, now, this.ctx.maxAttempts);
    if (status !== 'open') return failure(status, enrolment);
    const secretOk = enrolmentSecretMatches(secret, enrolment.secretHash.reveal());
    if (secretOk && this.usernameFits(enrolment, username)) return undefined;
    await this.ctx.store.append({ type: 'enrolment.failed', enrolmentId: enrolment.enrolmentId, at: new Date(now).toISOString() });
    return failure(secretOk ? 'wrong_username' : 'wrong_code', enrolment, enrolment.failedAttempts >= this.ctx.maxAttempts);
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
      if (link.role === 'patient') this.refuseSecondPatientAccount(link.patientId);
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
      principal: principalOf(account),
      ...(totpSecret !== undefined && { totp: { secret: totpSecret, uri: otpauthUri(account.username, totpSecret) } }),
      ...(enrolment.patientId !== undefined && { patientId: enrolment.patientId }),
      ...(enrolment.link !== undefined && { link: { ...enrolment.link } }),
    };
  }

  private humanAccount(accountId: string): AccountState {
    const account = requireAccount(this.ctx.store, accountId);
    if (account.kind !== 'human') throw invalid('wrong_account_kind', 'accountId', 'a service account has no password or TOTP: issue it an API token');
    return account;
  }

  /** A patient has one account of their own; a lost one is reset, not made again. */
  private refuseSecondPatientAccount(patientId: string): void {
    if (this.ctx.store.list().some((a) => a.patientId === patientId)) {
      throw new IdentityError('patient_account_exists', 'conflict', "this patient already has an account: reset its credentials instead");
    }
  }
}
