// Who is calling: a session token (cookie or bearer), an API token (bearer), or a client
// certificate that our CA signed whose name is a service account's username.
import type { Authenticator } from '../http/mount-routes.ts';
import { unauthenticated } from '../http/api-error.ts';
import type { IdentityService } from '../identity/identity-service.ts';
import type { Principal } from '../identity/principal.ts';

export const SESSION_COOKIE = 'genovault_session';

/** RFC 6750 2.1; the scheme name is case-insensitive (RFC 9110 11.1), so `bearer` is as good. */
function bearerToken(header: string | undefined): string | undefined {
  const match = header ? /^Bearer +([A-Za-z0-9_\-.~+/]+=*)$/i.exec(header) : null;
  return match?.[1];
}

function cookieToken(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return rest.join('=');
  }
  return undefined;
}

/** The session or API token the request carries: a bearer token, else the session cookie. */
export function requestToken(ctx: { get(field: string): string }): string | undefined {
  return bearerToken(ctx.get('authorization') || undefined) ?? cookieToken(ctx.get('cookie') || undefined);
}

export function sessionAuthenticator(identity: IdentityService): Authenticator {
  return (ctx) => {
    const token = requestToken(ctx);
    let principal: Principal | null = token ? identity.authenticateToken(token) : null;
    if (!principal && !token && ctx.state.clientCertificate) principal = identity.authenticateCertificate(ctx.state.clientCertificate.commonName);
    if (!principal) {
      const tokenRefused = token !== undefined || /^bearer(\s|$)/i.test(ctx.get('authorization'));
      throw unauthenticated(tokenRefused ? 'the token is not valid (malformed, expired, ended or unknown); sign in again' : 'sign in first', { tokenRefused });
    }
    ctx.state.principal = principal;
    return Promise.resolve();
  };
}

export function principalOf(state: { principal?: unknown }): Principal {
  const principal = state.principal as Principal | undefined;
  if (!principal) throw unauthenticated();
  return principal;
}
