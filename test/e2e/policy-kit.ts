// Shared by the policy governance tests: the shipped policy text and edits of it, signed-in
// requests by the world's users, and a board member an administrator created.
import { readFile } from 'node:fs/promises';
import { DEFAULT_POLICY_PATH } from '../../consent/policy/compiled-policy.ts';
import type { HttpResult } from '../helpers/http-client.ts';
import { PASSWORD, type World } from './service-world.ts';

export const shippedPolicy = (): Promise<string> => readFile(DEFAULT_POLICY_PATH, 'utf8');

/** The text without the line of rule `id` (which must be there). */
export function withoutRule(text: string, id: string): string {
  const lines = text.split('\n');
  const at = lines.findIndex((line) => line.startsWith(`p, ${id},`));
  if (at < 0) throw new Error(`no rule ${id}`);
  lines.splice(at, 1);
  return lines.join('\n');
}

/** The text with rule `id`'s line replaced by `line`. */
export function replacingRule(text: string, id: string, line: string): string {
  return text.split('\n').map((l) => (l.startsWith(`p, ${id},`) ? line : l)).join('\n');
}

export type Caller = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => Promise<HttpResult<T>>;

/** Requests as `username`, signing in once. */
export function callerFor(w: World, tokens: Map<string, string>, username: string): Caller {
  return async (method, path, body) => {
    let token = tokens.get(username);
    if (token === undefined) tokens.set(username, (token = await w.login(username)));
    return w.http(path, { method, token, ...(body !== undefined && { body }) });
  };
}

/** An ethics board account an administrator created over the API (the privacy officer approving), redeemed by the person. */
export async function boardMemberCreatedByAdmin(w: World, admin: Caller, username: string): Promise<{ accountId: string; secret: string }> {
  const created = await admin<{ account: { accountId: string }; enrolment: { code: string; enrolmentId: string } }>('POST', '/users', { username, roles: ['ethics_board'] });
  if (created.status !== 201) throw new Error(`create ${username}: ${created.status} ${created.text}`);
  // the privacy officer approves (dual control); the account is still one the proposer created
  const secondCode = await w.secondHalf(created.body.enrolment.enrolmentId);
  const redeemed = await w.http<{ totp: { secret: string } }>('/enrolments', { method: 'POST', body: { username, code: created.body.enrolment.code, secondCode, newPassword: PASSWORD } });
  if (redeemed.status !== 201) throw new Error(`redeem ${username}: ${redeemed.status} ${redeemed.text}`);
  return { accountId: created.body.account.accountId, secret: redeemed.body.totp.secret };
}
