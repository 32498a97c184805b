// The steps every account-management route takes: authorize() decides (and audits the decision)
// on resource `account` for purpose operations, then the action runs and is audited as a success
// or a failure with its code, with the request's origin. Identity errors become problem
// responses naming the field.
import type { HttpRouterContext } from '../http/http-context.ts';
import type { Action } from '../../consent/policy/vocabulary.ts';
import type { Principal } from '../identity/principal.ts';
import { principalOf } from './authenticate.ts';
import { auditedStep } from './audit-outcome.ts';
import { mapIdentityErrors } from './identity-errors-http.ts';
import type { VaultService } from './open-service.ts';
import { requestOrigin, requireAccess } from './patient-access.ts';

/** e.g. `user.disable`, `token.rotate` */
export type AccountAction = `user.${string}` | `token.${string}`;

export async function adminAccountAction<T>(
  service: VaultService,
  ctx: HttpRouterContext,
  /** `target`: the account id, or `acc_…/tok_…` for a token; the entry names nothing else */
  step: { access: Action; action: AccountAction; target: string },
  work: (admin: Principal) => Promise<T> | T,
): Promise<T> {
  const principal = principalOf(ctx.state);
  await requireAccess(service, principal, { patientId: null, resource: 'account', action: step.access, purpose: 'operations' }, ctx.state);
  const outcome = { ...requestOrigin(ctx.state), actor: principal, action: step.action, resource: 'account', target: step.target };
  return mapIdentityErrors(() => auditedStep(service.audit, outcome, () => work(principal), () => step.target));
}
