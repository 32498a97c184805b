// The events of the account log. Replayed in order they give every account's current state.
// Secrets travel here as plain strings: the log is sealed, and these bodies are never logged.
// (In memory they are wrapped in Secret at once.) `at` is the service clock, in ISO 8601.
import type { ProxyKind } from '../../schemas/consent/proxy.ts';
import type { PatientLinkRole, RelativeRelationship } from '../../schemas/enrolment.ts';
import type { AccountKind, Role } from './roles.ts';
import type { InsurerType } from '../../schemas/consent/release-authorization.ts';

interface Attributed {
  accountId: string;
  /** account id of the admin who acted, `host` for the CLI on the vault host, or the account itself */
  actorId: string;
  at: string;
}

/** Who a patient enrolment makes an account for, and the identity proofing behind it. */
export interface PatientLink {
  patientId: string;
  role: PatientLinkRole;
  /** reference to the identity document or proxy documentation checked in person */
  evidence: string;
  relationship?: RelativeRelationship;
  /** a proxy's authority and its end, recorded as the proxy directive when the code is redeemed */
  proxyKind?: ProxyKind;
  proxyExpiresOn?: string;
}

/**
 * Who gives an enrolment's second half: the privacy officer (a staff account an admin made or
 * reset), or a second identity check (a patient's circle: registration staff, a counsellor on the
 * care team or the privacy officer). Absent: one whole code (the host, or an older log).
 */
export type ApprovalKind = 'privacy_officer' | 'identity_check';

/**
 * One-time enrolment codes: issued, approved (the second half), withdrawn, failed attempts,
 * redeemed. Only the secrets' hashes are kept.
 */
export type EnrolmentEvent =
  | {
      type: 'enrolment.issued';
      enrolmentId: string;
      secretHash: string;
      actorId: string;
      at: string;
      expiresAt: string;
      /** what the redemption sets; for an existing account these are cleared now (a reset) */
      sets: { password: boolean; totp: boolean };
      /** the existing account it is for (a new staff account or a reset); absent for a patient enrolment */
      accountId?: string;
      /** the patient it concerns: the new account's patient, or the patient a reset was issued under */
      patientId?: string;
      /** for a patient enrolment: the account to create on redemption */
      link?: PatientLink;
      /** set when the code is a first half: who must approve before it can be redeemed */
      approval?: ApprovalKind;
    }
  | {
      type: 'enrolment.approved';
      enrolmentId: string;
      /** the second person, never the issuer */
      actorId: string;
      at: string;
      /** the second half's secret, hashed */
      secretHash: string;
      /** reference to what the second person checked (HR record, identity document) */
      evidence: string;
    }
  /** the basis of the issuer's or approver's right ended before redemption (they left the care team) */
  | { type: 'enrolment.withdrawn'; enrolmentId: string; actorId: string; at: string; reason: 'care_team_left' }
  | { type: 'enrolment.failed'; enrolmentId: string; at: string }
  | {
      type: 'enrolment.redeemed';
      enrolmentId: string;
      accountId: string;
      at: string;
      passwordHash?: string;
      totpSecret?: string;
      /** a patient enrolment creates its account here, in the same event as the code is spent */
      newAccount?: { username: string; roles: Role[]; patientId?: string };
    };

export type AccountEvent =
  | (Attributed & {
      type: 'account.created';
      username: string;
      kind: AccountKind;
      roles: Role[];
      /** an insurer's kind, fixed when its account is made */
      insurerType?: InsurerType;
      /** older vaults only: patient accounts now come from a patient enrolment */
      patientId?: string;
      /** older vaults only: people now set their own password by enrolment */
      passwordHash?: string;
    })
  | (Attributed & { type: 'account.password_changed'; passwordHash: string; reason: 'set' | 'rehash' })
  | (Attributed & { type: 'account.roles_changed'; roles: Role[] })
  | (Attributed & { type: 'account.disabled' })
  | (Attributed & { type: 'account.enabled' })
  /** a new secret, pending until a code from it is confirmed */
  | (Attributed & { type: 'totp.enrolled'; secret: string })
  | (Attributed & { type: 'totp.confirmed'; step: number })
  /** written by versions that counted failures in this log; replayed as nothing (the login throttle counts now) */
  | { type: 'login.failed'; accountId: string; at: string; lockedUntil?: string }
  /** records the TOTP step used so it is never accepted again */
  | { type: 'login.succeeded'; accountId: string; at: string; totpStep?: number }
  /** `expiresAt` is absent only in logs written before tokens expired (see AccountStore) */
  | (Attributed & { type: 'api_token.issued'; tokenId: string; tokenHash: string; label: string; expiresAt?: string })
  /** a replacement for `tokenId`, which now expires at `oldExpiresAt` (the overlap) */
  | (Attributed & { type: 'api_token.rotated'; tokenId: string; oldExpiresAt: string; newTokenId: string; tokenHash: string; label: string; expiresAt: string })
  | (Attributed & { type: 'api_token.revoked'; tokenId: string })
  | EnrolmentEvent;

export type AccountEventType = AccountEvent['type'];
