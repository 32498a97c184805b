// Request validation: a route declares zod schemas for params, query and body, and gets back
// typed values or a 400 whose errors name each bad field as `query.region`, `body.items.0`...
import type { z } from 'zod';
import type { FieldError } from '../../schemas/http/problem.ts';
import { validationFailed } from './api-error.ts';

/** Query and path schemas are objects (each key one parameter); a body may be any schema. */
export type ObjectSchema = z.ZodObject;

export interface RequestSchemas {
  params?: ObjectSchema;
  query?: ObjectSchema;
  body?: z.ZodType;
}

type OutputOr<S, Fallback> = S extends z.ZodType ? z.output<S> : Fallback;

/** The typed values a handler receives: what each schema outputs after parsing. */
export interface ParsedRequest<R extends RequestSchemas> {
  params: OutputOr<R['params'], Record<string, never>>;
  query: OutputOr<R['query'], Record<string, never>>;
  body: OutputOr<R['body'], undefined>;
}

export type RequestPart = 'params' | 'query' | 'body';

export function fieldErrorsOf(part: RequestPart, error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: [part, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

export interface RawRequest {
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}

/** Parameters the route does not declare are refused, not silently dropped. */
function unknownQueryParameters(schema: ObjectSchema | undefined, query: Record<string, string>): FieldError[] {
  const known = new Set(schema ? Object.keys(schema.shape) : []);
  return Object.keys(query)
    .filter((key) => !known.has(key))
    .map((key) => ({ path: `query.${key}`, message: 'not a parameter of this route' }));
}

/**
 * Parses every declared part and reports all failures at once. Query parameters the route does
 * not declare are refused.
 */
export function parseRequest<R extends RequestSchemas>(schemas: R, raw: RawRequest): ParsedRequest<R> {
  const errors: FieldError[] = [];
  const parsed: Record<RequestPart, unknown> = { params: {}, query: {}, body: undefined };
  errors.push(...unknownQueryParameters(schemas.query, raw.query));
  for (const part of ['params', 'query', 'body'] as const) {
    const schema = schemas[part];
    if (!schema) continue;
    const result = schema.safeParse(raw[part]);
    if (result.success) parsed[part] = result.data;
    else errors.push(...fieldErrorsOf(part, result.error));
  }
  if (errors.length > 0) throw validationFailed(errors);
  return parsed as unknown as ParsedRequest<R>;
}
