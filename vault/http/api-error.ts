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

export function unauthenticated(detail = 'sign in first'): ApiError {
  return new ApiError({ code: 'unauthenticated', status: 401, title: 'Authentication required', detail });
}

export function clientCertificateRejected(): ApiError {
  return new ApiError({
    code: 'client_certificate_rejected',
    status: 401,
    title: 'Client certificate not accepted',
    detail: 'the client certificate was not issued by this vault',
  });
}
