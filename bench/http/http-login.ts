// Logs an account in over HTTP (POST /v1/sessions) and returns its bearer token. Sessions live
// in the server's memory, so a server in another process must issue the token itself.
import { currentTotp } from '../../vault/identity/totp.ts';

export interface Credentials {
  username: string;
  password: string;
  totpSecret: string;
}

/**
 * `atMs` picks the TOTP step. A step is accepted once per account, so logging in again (to a
 * restarted server, say) needs a later one; one step ahead of the clock is inside the window.
 */
export async function loginOverHttp(baseUrl: string, credentials: Credentials, atMs: number = Date.now()): Promise<string> {
  const response = await fetch(`${baseUrl}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: credentials.username, password: credentials.password, totp: currentTotp(credentials.totpSecret, atMs) }),
  });
  const body = (await response.json()) as { token?: unknown };
  if (response.status !== 201 || typeof body.token !== 'string') throw new Error(`login as ${credentials.username} failed with HTTP ${response.status}`);
  return body.token;
}
