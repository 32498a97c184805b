// The enrolment codes as the replay of their events: which are open, waiting for their second
// half, spent, superseded, withdrawn, expired or voided by too many wrong attempts. Deciding what
// may be issued, approved or redeemed is the enrolment service's job; this only keeps the state.
import type { ApprovalKind, EnrolmentEvent, PatientLink } from './account-events.ts';
import { Secret } from './secret.ts';

export interface EnrolmentState {
  enrolmentId: string;
  /** the (first) half's secret hash */
  secretHash: Secret;
  issuedAt: string;
  issuedBy: string;
  expiresAtMs: number;
  sets: { password: boolean; totp: boolean };
  accountId?: string;
  patientId?: string;
  link?: PatientLink;
  /** who must give the second half; absent for a whole code */
  approval?: ApprovalKind;
  /** the second half, once given */
  approved?: { secretHash: Secret; by: string; at: string };
  failedAttempts: number;
  redeemedAt?: string;
  /** a newer enrolment for the same account (or the same patient's own account) replaced it */
  supersededAt?: string;
  withdrawnAt?: string;
}

export type EnrolmentStatus = 'open' | 'awaiting_approval' | 'redeemed' | 'superseded' | 'withdrawn' | 'expired' | 'voided';

export function enrolmentStatus(enrolment: EnrolmentState, nowMs: number, maxAttempts: number): EnrolmentStatus {
  if (enrolment.redeemedAt !== undefined) return 'redeemed';
  if (enrolment.supersededAt !== undefined) return 'superseded';
  if (enrolment.withdrawnAt !== undefined) return 'withdrawn';
  if (enrolment.failedAttempts >= maxAttempts) return 'voided';
  if (nowMs >= enrolment.expiresAtMs) return 'expired';
  if (enrolment.approval !== undefined && enrolment.approved === undefined) return 'awaiting_approval';
  return 'open';
}

/** The patient an enrolment concerns: the new account's, or the one a reset was issued under. */
export function patientOfEnrolment(enrolment: EnrolmentState): string | undefined {
  return enrolment.patientId ?? enrolment.link?.patientId;
}

/** Two enrolments compete when they would set the same account's credentials. */
function competes(a: EnrolmentState, b: EnrolmentState): boolean {
  if (a.accountId !== undefined) return a.accountId === b.accountId;
  return a.link?.role === 'patient' && b.link?.role === 'patient' && a.link.patientId === b.link.patientId;
}

export class EnrolmentBook {
  private readonly byId = new Map<string, EnrolmentState>();

  get(enrolmentId: string): EnrolmentState | undefined {
    return this.byId.get(enrolmentId);
  }

  /** Enrolments not yet redeemed, superseded or withdrawn (they may still have expired), newest last. */
  unspent(): EnrolmentState[] {
    return [...this.byId.values()].filter((e) => e.redeemedAt === undefined && e.supersededAt === undefined && e.withdrawnAt === undefined);
  }

  apply(e: EnrolmentEvent): void {
    if (e.type === 'enrolment.issued') {
      const issued: EnrolmentState = {
        enrolmentId: e.enrolmentId,
        secretHash: new Secret(e.secretHash),
        issuedAt: e.at,
        issuedBy: e.actorId,
        expiresAtMs: Date.parse(e.expiresAt),
        sets: { ...e.sets },
        ...(e.accountId !== undefined && { accountId: e.accountId }),
        ...(e.patientId !== undefined && { patientId: e.patientId }),
        ...(e.link !== undefined && { link: { ...e.link } }),
        ...(e.approval !== undefined && { approval: e.approval }),
        failedAttempts: 0,
      };
      for (const other of this.unspent()) if (competes(issued, other)) other.supersededAt = e.at;
      this.byId.set(e.enrolmentId, issued);
      return;
    }
    const enrolment = this.byId.get(e.enrolmentId);
    if (!enrolment) return;
    switch (e.type) {
      case 'enrolment.approved':
        enrolment.approved = { secretHash: new Secret(e.secretHash), by: e.actorId, at: e.at };
        break;
      case 'enrolment.withdrawn':
        enrolment.withdrawnAt = e.at;
        break;
      case 'enrolment.failed':
        enrolment.failedAttempts += 1;
        break;
      case 'enrolment.redeemed':
        enrolment.redeemedAt = e.at;
        enrolment.accountId = e.accountId;
        break;
    }
  }
}
