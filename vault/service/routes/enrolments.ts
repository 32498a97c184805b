// Enrolment and credential resets. A person redeems a one-time code here, both halves of it (no
// session: they have no credentials yet); registration staff or a genetic counselor issue first
// halves for a patient's circle after checking identity in person; resets clear credentials and
// issue a new first half (an admin for staff, registration staff or a counselor for
// patient-linked accounts); a second person approves and receives the second half.
import { z } from 'zod';
import { defineRoute, defineRouteTable } from '../../http/route.ts';
import { ApiError, notFound } from '../../http/api-error.ts';
import { PatientIdSchema } from '../../../schemas/clinical.ts';
import { AccountIdSchema } from '../../../schemas/api.ts';
import {
  ApproveEnrolmentBodySchema, CredentialResetBodySchema, EnrolmentIdSchema, IssuedEnrolmentSchema, type CredentialReset, PatientEnrolmentBodySchema, RedeemEnrolmentBodySchema, RedeemedEnrolmentSchema,
} from '../../../schemas/enrolment.ts';
import type { IssuedEnrolment } from '../../identity/enrolment-service.ts';
import type { Principal } from '../../identity/principal.ts';
import { principalOf } from '../authenticate.ts';
import { requestOrigin, requireAccess, withPatientAccess } from '../patient-access.ts';
import { clientKeyOf } from '../../http/client-address.ts';
import { isLoginRefusal } from '../../identity/throttled-login.ts';
import { refuseThrottled } from '../login-refusal.ts';
import { mapIdentityErrors } from '../identity-errors-http.ts';
import { auditedStep, type AuditOrigin } from '../audit-outcome.ts';
import { approveEnrolment, isLinkedTo, issuePatientEnrolment, redeemEnrolment } from '../enrolments.ts';
import type { VaultService } from '../open-service.ts';

const issuedResponse = { 201: { description: 'the first half of the one-time code, shown once: hand it to the person; a second person approves and hands over the other half', schema: IssuedEnrolmentSchema } };

interface ResetAudit {
  origin: AuditOrigin;
  actor: Principal;
  accountId: string;
  credentials: CredentialReset;
  resource: 'account' | 'patient_account';
  patientId?: string;
  flagged: boolean;
}

/** A reset, audited with the account, the new enrolment and what was cleared; refusals as problems. */
function auditedReset(service: VaultService, about: ResetAudit, reset: () => Promise<IssuedEnrolment>): Promise<IssuedEnrolment> {
  const { origin, actor, resource, patientId, flagged } = about;
  return mapIdentityErrors(() =>
    auditedStep(service.audit, { ...origin, actor, action: 'credentials.reset', resource, patientId: patientId ?? null, flagged, target: about.accountId }, reset, (e) => `${about.accountId} ${e.enrolmentId} ${about.credentials}`),
  );
}

function enrolmentFailed(message: string): ApiError {
  return new ApiError({ code: 'enrolment_failed', status: 400, title: 'Bad Request', detail: message, errors: [{ path: 'body.code', message }] });
}

export function enrolmentRoutes(service: VaultService) {
  return defineRouteTable('enrolments', [
    defineRoute({
      method: 'post',
      path: '/enrolments',
      summary: 'Redeem a one-time enrolment code (both halves): set your password and receive your own TOTP secret (shown once)',
      description:
        'No session: the person has no credentials yet. A code issued by a person comes in two halves from two people: give one as code, the other as secondCode. ' +
        'Every refused code gets the same answer; a code is spent on success and void after repeated wrong attempts. ' +
        'Attempts count against the client address\u2019s per-minute limit it shares with logins. ' +
        'Patient data is not read here: the patient was decided when the code was issued.',
      tags: ['accounts'],
      auth: 'none',
      touchesPatientData: false,
      bodyLimitBytes: 4096,
      request: { body: RedeemEnrolmentBodySchema },
      responses: {
        201: { description: 'your account; log in with your password and a code from the TOTP secret', schema: RedeemedEnrolmentSchema },
        400: { description: 'the code is not valid, or the password breaks the rules' },
        429: { description: 'too many attempts (logins and redemptions) from this client; wait Retry-After seconds' },
      },
      async handler({ body }, ctx) {
        const origin = requestOrigin(ctx.state);
        const result = await mapIdentityErrors(() => redeemEnrolment(service, body, origin, clientKeyOf(ctx.req.socket.remoteAddress)));
        if (isLoginRefusal(result)) {
          return refuseThrottled(service, { ...origin, actorId: null, actorRoles: [], action: 'enrolment.throttle', resource: 'account', patientId: null, purpose: null, rule: null }, 'enrolment', result);
        }
        if (!result.ok) throw enrolmentFailed(result.message);
        ctx.status = 201;
        const { accountId, username, roles } = result.principal;
        return { account: { accountId, username, roles }, ...(result.totp ? { totp: result.totp } : {}) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/enrolments/:enrolmentId/approve',
      summary: 'Approve an enrolment as the second person and receive its second half, shown once (a privacy officer for staff; registration staff, a counsellor on the care team or a privacy officer for a patient\u2019s circle; never the issuer)',
      tags: ['accounts'],
      auth: 'session',
      touchesPatientData: true, // a patient's circle: every outcome is audited
      bodyLimitBytes: 4096,
      request: { params: z.object({ enrolmentId: EnrolmentIdSchema }), body: ApproveEnrolmentBodySchema },
      responses: {
        201: { description: 'the second half: hand it to the person, who types both halves', schema: IssuedEnrolmentSchema },
        403: { description: 'not a permitted approver (for a caller whose roles may approve no enrolment, whether the id exists or not), or the issuer, or the person enrolled' },
        409: { description: 'the enrolment is not waiting for approval (already approved, spent, withdrawn, expired, or a whole code)' },
      },
      async handler({ params, body }, ctx) {
        const issued = await approveEnrolment(service, principalOf(ctx.state), params.enrolmentId, body.evidence, ctx.state);
        ctx.status = 201;
        return issued;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/patients/:id/enrolments',
      summary: 'Issue the first half of a one-time code that creates a patient, proxy or relative account (registration staff; a genetic counselor on the care team)',
      tags: ['accounts', 'patients'],
      auth: 'session',
      touchesPatientData: true,
      patientParam: 'id',
      bodyLimitBytes: 4096,
      request: { params: z.object({ id: PatientIdSchema }), body: PatientEnrolmentBodySchema },
      responses: issuedResponse,
      async handler({ params, body }, ctx) {
        const issued = await issuePatientEnrolment(service, principalOf(ctx.state), params.id, body, ctx.state);
        ctx.status = 201;
        return issued;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/patients/:id/accounts/:accountId/reset',
      summary: 'Reset the password and/or TOTP of an account linked to this patient; returns the first half of a new one-time code (registration staff; a genetic counselor on the care team)',
      tags: ['accounts', 'patients'],
      auth: 'session',
      touchesPatientData: true,
      patientParam: 'id',
      request: { params: z.object({ id: PatientIdSchema, accountId: AccountIdSchema }), body: CredentialResetBodySchema },
      responses: issuedResponse,
      async handler({ params, body }, ctx) {
        const principal = principalOf(ctx.state);
        const intent = { patientId: params.id, resource: 'patient_account' as const, action: 'update' as const, purpose: 'operations' };
        const issued = await withPatientAccess(service, principal, intent, ctx.state, () => {
          if (!isLinkedTo(service, params.accountId, params.id)) throw notFound('no such account for this patient');
          const about = { origin: requestOrigin(ctx.state), actor: principal, accountId: params.accountId, credentials: body.credentials, resource: 'patient_account' as const, patientId: params.id, flagged: true };
          return auditedReset(service, about, () => service.identity.enrolments.resetPatientLinkedCredentials(params.accountId, params.id, body.credentials, principal));
        });
        ctx.status = 201;
        return issued;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/users/:accountId/reset',
      summary: 'Reset the password and/or TOTP of a staff account (admin); ends its sessions and returns the first half of a new one-time code (a privacy officer approves the second)',
      tags: ['accounts'],
      auth: 'session',
      touchesPatientData: false,
      request: { params: z.object({ accountId: AccountIdSchema }), body: CredentialResetBodySchema },
      responses: issuedResponse,
      async handler({ params, body }, ctx) {
        const principal = principalOf(ctx.state);
        await requireAccess(service, principal, { patientId: null, resource: 'account', action: 'update', purpose: 'operations' }, ctx.state);
        // every staff role reaches patient data or grants access to it, so every reset is reviewed
        const about = { origin: requestOrigin(ctx.state), actor: principal, accountId: params.accountId, credentials: body.credentials, resource: 'account' as const, flagged: true };
        const issued = await auditedReset(service, about, () => service.identity.enrolments.resetStaffCredentials(params.accountId, body.credentials, principal));
        ctx.status = 201;
        return issued;
      },
    }),
  ]);
}
