// Who is calling: a session token (cookie or bearer), an API token (bearer), or a client
// certificate that our CA signed whose name is a service account's username.
import type { Authenticator } from '../http/mount-routes.ts';
import { unauthenticated } from '../http/api-error.ts';
import type { IdentityService } from '../identity/identity-service.ts';
import type { Principal } from '../identity/principal.ts';

export const SESSION_COOKIE = 'genovault_session';

function bearerToken(header: string | undefined): string | undefined {
  const match = header ? /^Bearer ([A-Za-z0-9_\-.~+/]+=*)$/.exec(header) : null;
  return match?.[1];
}

function cookieToken(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return rest.join('=');
  }
  return undefined;
}

function serviceAccountByCertificate(identity: IdentityService, commonName: string): Principal | null {
  const account = identity.listAccounts().find((a) => a.username === commonName.toLowerCase() && a.kind === 'service' && !a.disabled);
  if (!account) return null;
  return { accountId: account.accountId, username: account.username, kind: account.kind, roles: account.roles, ...(account.patientId ? { patientId: account.patientId } : {}) };
}

export function sessionAuthenticator(identity: IdentityService): Authenticator {
  return (ctx) => {
    const token = bearerToken(ctx.get('authorization') || undefined) ?? cookieToken(ctx.get('cookie') || undefined);
    let principal: Principal | null = token ? identity.authenticateToken(token) : null;
    if (!principal && !token && ctx.state.clientCertificate) principal = serviceAccountByCertificate(identity, ctx.state.clientCertificate.commonName);
    if (!principal) throw unauthenticated();
    ctx.state.principal = principal;
    return Promise.resolve();
  };
}

export function principalOf(state: { principal?: unknown }): Principal {
  const principal = state.principal as Principal | undefined;
  if (!principal) throw unauthenticated();
  return principal;
}
