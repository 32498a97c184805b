// The research gateway over HTTP: who the caller is (with the request, so the gateway's audit
// entries and authorize() decisions carry its origin), and its refusals as problems whose `code`
// names the reason, the field named and the value never repeated.
import { ApiError } from '../http/api-error.ts';
import type { HttpState } from '../http/http-context.ts';
import { principalOf } from './authenticate.ts';
import type { ResearchCaller } from '../../research-gateway/ports.ts';
import { ResearchError } from '../../research-gateway/research-error.ts';

/** The signed-in caller of this request, as the gateway sees it. */
export function researchCaller(state: HttpState): ResearchCaller {
  const principal = principalOf(state);
  return { accountId: principal.accountId, roles: principal.roles, requestId: state.requestId, request: state };
}

const TITLES: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 429: 'Too Many Requests' };

/** `part`: where the fields a refusal names were given (a Beacon GET takes them in the query string). */
export async function withResearchErrors<T>(work: () => Promise<T>, part: 'body' | 'query' = 'body'): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof ResearchError)) throw err;
    const { field, retryAfterSeconds } = err.options;
    throw new ApiError({
      code: err.code,
      status: err.status,
      title: TITLES[err.status] ?? 'Refused',
      detail: err.message,
      ...(field !== undefined && { errors: [{ path: `${part}.${field}`, message: err.message }] }),
      ...(retryAfterSeconds !== undefined && { headers: { 'Retry-After': String(retryAfterSeconds) } }),
    });
  }
}
