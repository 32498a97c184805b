// Disabling, enabling and unlocking accounts: admins only, each decided by the policy and
// audited with its outcome. Disabling ends the account's sessions and stops its API tokens and
// client certificate; enabling lets its unexpired, unrevoked tokens work again; unlocking forgets
// the failed logins and locks the login throttle holds against the account, from every client.
import { z } from 'zod';
import { defineRoute, defineRouteTable } from '../../http/route.ts';
import { AccountIdSchema } from '../../../schemas/api.ts';
import { adminAccountAction } from '../admin-account-action.ts';
import type { VaultService } from '../open-service.ts';

const AccountParams = z.object({ accountId: AccountIdSchema });
type Change = 'disable' | 'enable' | 'unlock';

const SUMMARIES: Record<Change, string> = {
  disable: 'Disable an account (admin): its sessions end, its API tokens and certificate stop working',
  enable: 'Enable a disabled account again (admin); also unlocks it',
  unlock: 'Unlock an account (admin): forget its failed logins and locks, from every client',
};

export function accountLifecycleRoutes(service: VaultService) {
  const change = (what: Change) =>
    defineRoute({
      method: 'post',
      path: `/users/:accountId/${what}`,
      summary: SUMMARIES[what],
      tags: ['accounts'],
      auth: 'session',
      touchesPatientData: false,
      request: { params: AccountParams },
      responses: { 204: { description: 'done' } },
      async handler({ params }, ctx) {
        await adminAccountAction(service, ctx, { access: 'update', action: `user.${what}`, target: params.accountId }, (admin) => {
          if (what === 'disable') return service.identity.disableAccount(params.accountId, admin);
          if (what === 'enable') return service.identity.enableAccount(params.accountId, admin);
          return service.identity.unlockAccount(params.accountId, admin);
        });
        ctx.status = 204;
        return undefined;
      },
    });
  return defineRouteTable('account-lifecycle', [change('disable'), change('enable'), change('unlock')]);
}
