// API tokens of service accounts. Admins list them (never the token or its hash) and revoke them;
// nobody issues one over the API: a token is a whole credential for its service, so tokens are
// issued on the vault host (`genovault users issue-token`), which holds the master key and the CA
// anyway. A service replaces the token it presents (the old one works on for the configured
// overlap), flagged for review, when the policy allows its role (resource `api_token`). Each step
// is audited with its outcome.
import { z } from 'zod';
import { defineRoute, defineRouteTable } from '../../http/route.ts';
import { AccountIdSchema, ApiTokenIdSchema, ApiTokenSummarySchema, IssuedApiTokenSchema, RotateApiTokenBodySchema } from '../../../schemas/api.ts';
import { adminAccountAction } from '../admin-account-action.ts';
import { principalOf, requestToken } from '../authenticate.ts';
import { auditedStep } from '../audit-outcome.ts';
import { mapIdentityErrors } from '../identity-errors-http.ts';
import { requestOrigin, requireAccess } from '../patient-access.ts';
import type { VaultService } from '../open-service.ts';

const AccountParams = z.object({ accountId: AccountIdSchema });
const TokenParams = z.object({ accountId: AccountIdSchema, tokenId: ApiTokenIdSchema });

export function apiTokenRoutes(service: VaultService) {
  return defineRouteTable('api-tokens', [
    defineRoute({
      method: 'get',
      path: '/users/:accountId/api-tokens',
      summary: 'List a service account\u2019s API tokens (admin): id, label, issued, expires, state; never the token',
      tags: ['accounts'],
      auth: 'session',
      touchesPatientData: false,
      request: { params: AccountParams },
      responses: { 200: { description: 'tokens, oldest first', schema: z.object({ items: z.array(ApiTokenSummarySchema) }) } },
      async handler({ params }, ctx) {
        const items = await adminAccountAction(service, ctx, { access: 'read', action: 'token.list', target: params.accountId }, (admin) => service.identity.listApiTokens(params.accountId, admin));
        return { items };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api-tokens/current/rotate',
      summary: 'Replace the API token this request presents (the service itself): the new one is shown once; the old one works on for the rotation overlap',
      description: 'Only a service holding a working token gets a new one. Tokens are issued on the vault host (genovault users issue-token), never over the API.',
      tags: ['accounts'],
      auth: 'session',
      touchesPatientData: false,
      request: { body: RotateApiTokenBodySchema },
      responses: {
        201: { description: 'the replacement, and when the old token stops', schema: IssuedApiTokenSchema.extend({ previous: z.object({ tokenId: z.string(), expiresAt: z.string() }) }) },
        403: { description: 'the policy does not let the caller rotate a token (only service roles), or the request presents no API token of its own (a person\u2019s session, a client certificate)' },
      },
      async handler({ body }, ctx) {
        const principal = principalOf(ctx.state);
        // its own resource in the policy: a line about `account` (an administrator's) never opens it
        await requireAccess(service, principal, { patientId: null, resource: 'api_token', action: 'update', purpose: 'operations' }, ctx.state);
        const request = body.expiresInDays === undefined ? {} : { lifetimeDays: body.expiresInDays };
        const rotated = await mapIdentityErrors(() =>
          auditedStep(
            service.audit,
            { ...requestOrigin(ctx.state), actor: principal, action: 'token.rotate', resource: 'account', flagged: true, target: principal.accountId },
            () => service.identity.rotatePresentedApiToken(requestToken(ctx) ?? '', request, principal),
            (r) => `${principal.accountId}/${r.tokenIdReplaced} ${r.tokenId}`,
          ),
        );
        ctx.status = 201;
        return { tokenId: rotated.tokenId, token: rotated.token, expiresAt: rotated.expiresAt, previous: { tokenId: rotated.tokenIdReplaced, expiresAt: rotated.previousExpiresAt } };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/users/:accountId/api-tokens/:tokenId',
      summary: 'Revoke an API token at once (admin)',
      tags: ['accounts'],
      auth: 'session',
      touchesPatientData: false,
      request: { params: TokenParams },
      responses: { 204: { description: 'revoked (also when it already was)' } },
      async handler({ params }, ctx) {
        const target = `${params.accountId}/${params.tokenId}`;
        await adminAccountAction(service, ctx, { access: 'delete', action: 'token.revoke', target }, (admin) => service.identity.revokeApiToken(params.tokenId, admin, params.accountId));
        ctx.status = 204;
        return undefined;
      },
    }),
  ]);
}
