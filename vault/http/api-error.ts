// The one error type a route throws on purpose. Its fields are safe to show the client;
// anything else that is thrown is treated as a bug and answered with a generic 500.
import type { FieldError } from '../../schemas/http/problem.ts';

export interface ApiErrorInit {
  /** stable, machine-readable reason (snake_case), e.g. `validation_failed` */
  code: string;
  status: number;
  title: string;
  detail?: string;
  errors?: FieldError[];
  /** response headers the client needs, e.g. `Allow` on 405 */
  headers?: Record<string, string>;
}

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;

  constructor(init: ApiErrorInit) {
    super(init.detail ?? init.title);
    this.name = 'ApiError';
    this.code = init.code;
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    this.errors = init.errors;
    this.headers = init.headers ?? {};
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

// The errors the HTTP machinery itself raises, so their codes stay the same everywhere.

export function validationFailed(errors: FieldError[]): ApiError {
  return new ApiError({
    code: 'validation_failed',
    status: 400,
    title: 'The request is not valid',
    detail: errors.map((e) => `${e.path}: ${e.message}`).join('; '),
    errors,
  });
}

export function malformedJson(detail: string): ApiError {
  return new ApiError({ code: 'malformed_json', status: 400, title: 'The request body is not valid JSON', detail });
}

export function unsupportedMediaType(expected: string): ApiError {
  return new ApiError({
    code: 'unsupported_media_type',
    status: 415,
    title: 'Unsupported media type',
    detail: `the request body must be ${expected}`,
  });
}

export function payloadTooLarge(limitBytes: number): ApiError {
  return new ApiError({
    code: 'payload_too_large',
    status: 413,
    title: 'The request body is too large',
    detail: `the limit for this route is ${limitBytes} bytes`,
  });
}

export function notFound(detail?: string): ApiError {
  return new ApiError({ code: 'not_found', status: 404, title: 'Not found', ...(detail ? { detail } : {}) });
}

export function methodNotAllowed(allowed: string[]): ApiError {
  return new ApiError({
    code: 'method_not_allowed',
    status: 405,
    title: 'Method not allowed',
    detail: `this resource accepts ${allowed.join(', ')}`,
    headers: { Allow: allowed.join(', ') },
  });
}

/** The challenge every 401 carries (RFC 9110 11.6.1, RFC 6750 3). */
export const AUTH_REALM = 'genovault';
export const BEARER_CHALLENGE = `Bearer realm="${AUTH_REALM}"`;
/** RFC 6750 3.1: a token was presented and refused (expired, revoked, unknown). */
export const INVALID_TOKEN_CHALLENGE = `${BEARER_CHALLENGE}, error="invalid_token"`;

export function unauthenticated(detail = 'sign in first', options: { tokenRefused?: boolean } = {}): ApiError {
  return new ApiError({
    code: 'unauthenticated',
    status: 401,
    title: 'Authentication required',
    detail,
    headers: { 'WWW-Authenticate': options.tokenRefused ? INVALID_TOKEN_CHALLENGE : BEARER_CHALLENGE },
  });
}

export function clientCertificateRejected(): ApiError {
  return new ApiError({
    code: 'client_certificate_rejected',
    status: 401,
    title: 'Client certificate not accepted',
    detail: 'the client certificate was not issued by this vault',
    headers: { 'WWW-Authenticate': BEARER_CHALLENGE },
  });
}

export function methodNotImplemented(): ApiError {
  return new ApiError({ code: 'method_not_implemented', status: 501, title: 'Method not implemented', detail: 'this API does not implement this request method' });
}

// Requests node's HTTP parser refuses before the app sees them (see client-error.ts).

export function headersTooLarge(limitBytes: number): ApiError {
  return new ApiError({
    code: 'headers_too_large',
    status: 431,
    title: 'Request header fields too large',
    detail: `the request line and headers together must stay under ${limitBytes} bytes`,
  });
}

export function malformedRequest(): ApiError {
  return new ApiError({ code: 'malformed_request', status: 400, title: 'Malformed request', detail: 'the request is not valid HTTP/1.1 or uses a method this server does not know' });
}
