// Enrolment: the only way a person gets a password and a TOTP secret. Whoever issues a code (an
// admin for staff, registration staff or a genetic counselor for a patient's circle) never sees
// the credentials; the person redeems the code, chooses their password and receives their own
// TOTP secret once. Resets are re-enrolments: they clear credentials, end sessions, issue a code.
//
// Dual control: a code issued by a person is only the first half. A second, different person
// approves and receives the second half (the privacy officer for a staff account; registration
// staff, a counsellor on the care team or the privacy officer for a patient's circle); each half is
// shown once to its holder and kept only as a hash, and the person enrolling types both. Neither
// issuer can redeem alone. The host (which holds the master key) issues whole codes.
import { ApproveEnrolmentBodySchema, PatientEnrolmentBodySchema, type CredentialReset } from '../../schemas/enrolment.ts';
import type { ApprovalKind, PatientLink } from './account-events.ts';
import type { AccountState, AccountStore } from './account-store.ts';
import { requireAccount } from './account-store.ts';
import { isPatientLinked } from './account-validation.ts';
import { requireAdmin, requireApprover, requireIdentityProofer } from './actor-checks.ts';
import { newEnrolmentCode, newSecondHalf, parseEnrolmentCode } from './enrolment-code.ts';
import { enrolmentStatus, patientOfEnrolment, type EnrolmentState, type EnrolmentStatus } from './enrolment-book.ts';
import { EnrolmentRedemption, refuseSecondPatientAccount, type EnrolmentFailure, type EnrolmentSuccess, type RedeemInput } from './enrolment-redemption.ts';
import { IdentityError, invalid } from './identity-errors.ts';
import type { KeyedMutex } from './keyed-mutex.ts';
import type { LoginThrottle } from './login-throttle.ts';
import type { ScryptParams } from './password-hash.ts';
import { HOST_ACTOR, actorIdOf, type Actor } from './principal.ts';
import { PATIENT_ENROLMENT_CONFIRMING_ROLES, type Role } from './roles.ts';
import type { SessionStore } from './session-store.ts';
import { throttleRefusal, type LoginRefusal } from './throttled-login.ts';

export const DEFAULT_ENROLMENT_TTL_MS = 72 * 3_600_000;
export const DEFAULT_MAX_ENROLMENT_ATTEMPTS = 5;
export const ENROLMENT_THROTTLED_MESSAGE = 'too many attempts from this client; try again after the time in Retry-After';
export { ENROLMENT_FAILED_MESSAGE } from './enrolment-redemption.ts';
export type { EnrolmentFailure, EnrolmentFailureReason, EnrolmentSuccess, RedeemInput } from './enrolment-redemption.ts';

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
  /** `whole`: the code alone enrols; `first`: a second person must approve and hand over the `second` half */
  half: 'whole' | 'first' | 'second';
  /** for a first half: the roles one of which the approver must hold */
  approverRoles?: Role[];
}

/** What an approver (and the route deciding for them) may know of an enrolment: no secrets, no evidence. */
export interface EnrolmentOutline {
  enrolmentId: string;
  status: EnrolmentStatus;
  approval?: ApprovalKind;
  /** the patient a patient-linked enrolment concerns */
  patientId?: string;
}

const RESET_SETS: Record<CredentialReset, { password: boolean; totp: boolean }> = {
  password: { password: true, totp: false },
  totp: { password: false, totp: true },
  both: { password: true, totp: true },
};
const APPROVER_ROLES: Record<ApprovalKind, Role[]> = { privacy_officer: ['privacy_officer'], identity_check: [...PATIENT_ENROLMENT_CONFIRMING_ROLES] };

/** A person's staff enrolment needs the privacy officer; the host's does not. */
const staffApproval = (actor: Actor): ApprovalKind | undefined => (actor === HOST_ACTOR ? undefined : 'privacy_officer');

export class EnrolmentService {
  private readonly redemption: EnrolmentRedemption;

  constructor(private readonly ctx: EnrolmentContext) {
    this.redemption = new EnrolmentRedemption(ctx);
  }

  /** The first code of a new staff account (`createAccount`, under its username lock). */
  issueForNewAccount(accountId: string, actor: Actor): Promise<IssuedEnrolment> {
    requireAdmin(this.ctx.store, actor);
    const account = this.humanAccount(accountId);
    if (account.passwordHash || account.totpSecret || isPatientLinked(account)) throw new IdentityError('not_permitted', 'forbidden', 'only a new staff account gets its first code this way');
    return this.issue({ accountId }, { password: true, totp: true }, actor, staffApproval(actor));
  }

  /** A new enrolment; the caller holds the lock of the account or patient it is for. */
  private async issue(target: { accountId?: string; patientId?: string; link?: PatientLink }, sets: { password: boolean; totp: boolean }, actor: Actor, approval: ApprovalKind | undefined): Promise<IssuedEnrolment> {
    let fresh = newEnrolmentCode();
    while (this.ctx.store.enrolments.get(fresh.enrolmentId)) fresh = newEnrolmentCode();
    const now = this.ctx.now();
    const expiresAt = new Date(now + this.ctx.ttlMs).toISOString();
    const at = new Date(now).toISOString();
    await this.ctx.store.append({ type: 'enrolment.issued', enrolmentId: fresh.enrolmentId, secretHash: fresh.secretHash, actorId: actorIdOf(actor), at, expiresAt, sets, ...target, ...(approval && { approval }) });
    if (target.accountId !== undefined) this.ctx.sessions.revokeAll(target.accountId);
    const half = approval ? { half: 'first' as const, approverRoles: [...APPROVER_ROLES[approval]] } : { half: 'whole' as const };
    return { enrolmentId: fresh.enrolmentId, code: fresh.code, expiresAt, ...half };
  }

  /** An admin (or the host) re-enrols a staff member: never an account linked to a patient. */
  async resetStaffCredentials(accountId: string, reset: CredentialReset, actor: Actor): Promise<IssuedEnrolment> {
    requireAdmin(this.ctx.store, actor);
    return this.ctx.locks.run(accountId, async () => {
      const account = this.humanAccount(accountId);
      if (isPatientLinked(account)) {
        throw new IdentityError('patient_linked_account', 'forbidden', 'an account linked to a patient is reset by registration staff or a genetic counselor');
      }
      return this.issue({ accountId }, RESET_SETS[reset], actor, staffApproval(actor));
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
      return this.issue({ accountId, patientId }, RESET_SETS[reset], actor, 'identity_check');
    });
  }

  /** A code that creates a patient's, proxy's or relative's account, after identity proofing in person. */
  async issuePatientEnrolment(link: PatientLink, actor: Actor): Promise<IssuedEnrolment> {
    requireIdentityProofer(this.ctx.store, actor);
    const { role, evidence, relationship, proxyKind, proxyExpiresOn } = link;
    const checked = PatientEnrolmentBodySchema.safeParse({ role, evidence, relationship, proxyKind, proxyExpiresOn });
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      throw invalid('invalid_enrolment', issue.path.join('.') || 'role', issue.message);
    }
    if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(link.patientId)) throw invalid('invalid_enrolment', 'patientId', 'not a patient id');
    return this.ctx.locks.run(`patient:${link.patientId}`, async () => {
      if (link.role === 'patient') refuseSecondPatientAccount(this.ctx.store, link.patientId);
      const { relationship, ...rest } = checked.data;
      const stored: PatientLink = { patientId: link.patientId, ...rest, ...(relationship !== undefined && { relationship }) };
      return this.issue({ patientId: link.patientId, link: stored }, { password: true, totp: true }, actor, 'identity_check');
    });
  }

  /** What the approval route needs to decide who may approve; undefined for an unknown id. */
  outline(enrolmentId: string): EnrolmentOutline | undefined {
    const enrolment = this.ctx.store.enrolments.get(enrolmentId);
    if (!enrolment) return undefined;
    const patientId = patientOfEnrolment(enrolment);
    return {
      enrolmentId,
      status: enrolmentStatus(enrolment, this.ctx.now(), this.ctx.maxAttempts),
      ...(enrolment.approval !== undefined && { approval: enrolment.approval }),
      ...(patientId !== undefined && { patientId }),
    };
  }

  /**
   * The second person approves, after checking `evidence` (a reference, kept in the log), and
   * receives the second half, shown once. For a patient's circle the policy has already allowed
   * them for that patient.
   */
  async approve(enrolmentId: string, evidence: string, actor: Actor): Promise<IssuedEnrolment> {
    const reference = ApproveEnrolmentBodySchema.shape.evidence.safeParse(evidence);
    if (!reference.success) throw invalid('invalid_evidence', 'evidence', reference.error.issues[0]!.message);
    return this.ctx.locks.run(enrolmentId, async () => {
      const enrolment = this.ctx.store.enrolments.get(enrolmentId);
      if (!enrolment) throw new IdentityError('unknown_enrolment', 'not_found', 'no such enrolment', 'enrolmentId');
      if (enrolment.approval === undefined) throw new IdentityError('approval_not_needed', 'conflict', 'this code is whole: it needs no second half');
      requireApprover(this.ctx.store, actor, enrolment);
      if (enrolmentStatus(enrolment, this.ctx.now(), this.ctx.maxAttempts) !== 'awaiting_approval') {
        throw new IdentityError('enrolment_not_awaiting_approval', 'conflict', 'this enrolment is not waiting for approval (approved, spent, withdrawn or expired)');
      }
      const half = newSecondHalf(enrolmentId);
      await this.ctx.store.append({ type: 'enrolment.approved', enrolmentId, actorId: actorIdOf(actor), at: new Date(this.ctx.now()).toISOString(), secretHash: half.secretHash, evidence: reference.data });
      return { enrolmentId, code: half.code, expiresAt: new Date(enrolment.expiresAtMs).toISOString(), half: 'second' };
    });
  }

  /**
   * Someone left `patientId`'s care team: the enrolments for that patient they issued or approved,
   * and that nobody has redeemed yet, are withdrawn (their right to vouch ended with it). A link
   * already redeemed stands on the evidence both people checked. Returns the ids withdrawn.
   */
  async withdrawVouchedBy(accountId: string, patientId: string, actor: Actor): Promise<string[]> {
    const now = this.ctx.now();
    const vouched = (e: EnrolmentState) => e.issuedBy === accountId || e.approved?.by === accountId;
    const live = (e: EnrolmentState) => ['open', 'awaiting_approval'].includes(enrolmentStatus(e, now, this.ctx.maxAttempts));
    const withdrawn: string[] = [];
    for (const enrolment of this.ctx.store.enrolments.unspent().filter((e) => patientOfEnrolment(e) === patientId && vouched(e) && live(e))) {
      await this.ctx.locks.run(enrolment.enrolmentId, () =>
        this.ctx.store.append({ type: 'enrolment.withdrawn', enrolmentId: enrolment.enrolmentId, actorId: actorIdOf(actor), at: new Date(now).toISOString(), reason: 'care_team_left' }),
      );
      withdrawn.push(enrolment.enrolmentId);
    }
    return withdrawn;
  }

  /**
   * Redeems a code (both halves, when it has two). A refusal says one thing to the client; its
   * reason is for the audit log. `client` is the network address it came from: one past its
   * per-minute attempts (logins and redemptions together) is refused before the code is looked
   * at. Callers inside the vault (the host CLI, the demo) give none and are not throttled.
   */
  redeem(input: RedeemInput): Promise<EnrolmentSuccess | EnrolmentFailure>;
  redeem(input: RedeemInput, client: string | undefined): Promise<EnrolmentSuccess | EnrolmentFailure | LoginRefusal>;
  async redeem(input: RedeemInput, client?: string): Promise<EnrolmentSuccess | EnrolmentFailure | LoginRefusal> {
    const throttled = client === undefined ? undefined : this.ctx.throttle.admitClient(client);
    if (throttled) return throttleRefusal(throttled, ENROLMENT_THROTTLED_MESSAGE);
    return this.redemption.redeem(input);
  }

  /** The enrolment id a typed code names, if it is well formed (for the audit of a refusal). */
  static enrolmentIdOf(code: string): string | undefined {
    return parseEnrolmentCode(code)?.enrolmentId;
  }

  private humanAccount(accountId: string): AccountState {
    const account = requireAccount(this.ctx.store, accountId);
    if (account.kind !== 'human') throw invalid('wrong_account_kind', 'accountId', 'a service account has no password or TOTP: issue it an API token');
    return account;
  }
}
