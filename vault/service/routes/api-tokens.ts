// API tokens of service accounts, for admins: list (never the token or its hash), issue (shown
// once, with its expiry), rotate (a replacement; the old token works on for the configured
// overlap), revoke. Each is decided by the policy and audited with its outcome.
import { z } from 'zod';
import { defineRoute, defineRouteTable } from '../../http/route.ts';
import { AccountIdSchema, ApiTokenIdSchema, ApiTokenSummarySchema, ApiTokenRequestSchema, IssuedApiTokenSchema, RotateApiTokenBodySchema } from '../../../schemas/api.ts';
import { adminAccountAction } from '../admin-account-action.ts';
import type { VaultService } from '../open-service.ts';

const AccountParams = z.object({ accountId: AccountIdSchema });
const TokenParams = z.object({ accountId: AccountIdSchema, tokenId: ApiTokenIdSchema });
const lifetime = (days: number | undefined) => (days === undefined ? {} : { lifetimeDays: days });

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
      path: '/users/:accountId/api-tokens',
      summary: 'Issue an API token for a service account (admin); shown once, with its expiry',
      tags: ['accounts'],
      auth: 'session',
      touchesPatientData: false,
      request: { params: AccountParams, body: ApiTokenRequestSchema },
      responses: { 201: { description: 'the token', schema: IssuedApiTokenSchema } },
      async handler({ params, body }, ctx) {
        const issued = await adminAccountAction(service, ctx, { access: 'create', action: 'token.issue', target: params.accountId }, (admin) =>
          service.identity.issueApiToken(params.accountId, { label: body.label, ...lifetime(body.expiresInDays) }, admin),
        );
        ctx.status = 201;
        return issued;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/users/:accountId/api-tokens/:tokenId/rotate',
      summary: 'Replace an active API token (admin): the new one is shown once; the old one works on for the rotation overlap',
      tags: ['accounts'],
      auth: 'session',
      touchesPatientData: false,
      request: { params: TokenParams, body: RotateApiTokenBodySchema },
      responses: { 201: { description: 'the replacement, and when the old token stops', schema: IssuedApiTokenSchema.extend({ previous: z.object({ tokenId: z.string(), expiresAt: z.string() }) }) } },
      async handler({ params, body }, ctx) {
        const target = `${params.accountId}/${params.tokenId}`;
        const rotated = await adminAccountAction(service, ctx, { access: 'update', action: 'token.rotate', target }, (admin) =>
          service.identity.rotateApiToken(params.accountId, params.tokenId, lifetime(body.expiresInDays), admin),
        );
        ctx.status = 201;
        return { tokenId: rotated.tokenId, token: rotated.token, expiresAt: rotated.expiresAt, previous: { tokenId: params.tokenId, expiresAt: rotated.previousExpiresAt } };
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
