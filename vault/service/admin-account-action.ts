// The steps every account-management route takes: authorize() decides (and audits the decision)
// on resource `account` for purpose operations, then the action runs and is audited as a success
// or a failure. Identity errors become problem responses naming the field.
import type { HttpRouterContext } from '../http/http-context.ts';
import type { Action } from '../../consent/policy/vocabulary.ts';
import type { Principal } from '../identity/principal.ts';
import { principalOf } from './authenticate.ts';
import { auditedAccountAction, type AccountAction } from './audited-account-action.ts';
import { mapIdentityErrors } from './identity-errors-http.ts';
import type { VaultService } from './open-service.ts';
import { requireAccess } from './patient-access.ts';

export async function adminAccountAction<T>(
  service: VaultService,
  ctx: HttpRouterContext,
  step: { access: Action; action: AccountAction; target: string },
  work: (admin: Principal) => Promise<T> | T,
): Promise<T> {
  const principal = principalOf(ctx.state);
  const requestId = ctx.state.requestId;
  await requireAccess(service, principal, { patientId: null, resource: 'account', action: step.access, purpose: 'operations' }, requestId);
  return auditedAccountAction(service.audit, { actor: principal, requestId }, step.action, step.target, () => mapIdentityErrors(async () => work(principal)));
}
