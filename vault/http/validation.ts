// Request validation: a route declares zod schemas for params, query and body, and gets back
// typed values or a 400 whose errors name each bad field as `query.region`, `body.items.0`...
// Only declared names are named: an undeclared parameter's name is input too, and is not echoed;
// an unknown body field is named only when its name could not be data (letters only, short).
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

/** A key that reads as a field name (letters only, short) may be named; anything else could be data. */
const NAMEABLE_KEY = /^[A-Za-z_]{1,40}$/;

export function fieldErrorsOf(part: RequestPart, error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue): FieldError[] => {
    const at = [part, ...issue.path.map(String)];
    // zod's own message quotes every unknown key: name only those shaped like field names
    if (issue.code === 'unrecognized_keys') {
      const named = issue.keys.filter((key) => NAMEABLE_KEY.test(key)).map((key) => ({ path: [...at, key].join('.'), message: 'is not a field this request takes' }));
      const unnamed = issue.keys.length > named.length ? [{ path: at.join('.'), message: 'holds a field this request does not take (its name is not shown)' }] : [];
      return [...named, ...unnamed];
    }
    return [{ path: at.join('.'), message: issue.message }];
  });
}

export interface RawRequest {
  params: Record<string, string>;
  /** a name given more than once holds all its values */
  query: Record<string, string | string[]>;
  body: unknown;
}

/**
 * The query as one string per declared name. A parameter the route does not declare, or one
 * given twice, is refused rather than dropped or turned into an array.
 */
function checkQueryNames(schema: ObjectSchema | undefined, query: RawRequest['query']): { values: Record<string, string>; errors: FieldError[] } {
  const known = Object.keys(schema?.shape ?? {});
  const values: Record<string, string> = {};
  const errors: FieldError[] = [];
  let undeclared = false;
  for (const [key, value] of Object.entries(query)) {
    if (!known.includes(key)) undeclared = true;
    else if (Array.isArray(value)) errors.push({ path: `query.${key}`, message: 'given more than once' });
    else values[key] = value;
  }
  if (undeclared) {
    errors.push({ path: 'query', message: known.length > 0 ? `holds a parameter this route does not take (it takes ${known.join(', ')})` : 'this route takes no query parameters' });
  }
  return { values, errors };
}

/**
 * Parses every declared part and reports all failures at once.
 */
export function parseRequest<R extends RequestSchemas>(schemas: R, raw: RawRequest): ParsedRequest<R> {
  const parsed: Record<RequestPart, unknown> = { params: {}, query: {}, body: undefined };
  const query = checkQueryNames(schemas.query, raw.query);
  const errors: FieldError[] = [...query.errors];
  const input = { params: raw.params, query: query.values, body: raw.body };
  for (const part of ['params', 'query', 'body'] as const) {
    const schema = schemas[part];
    if (!schema) continue;
    const result = schema.safeParse(input[part]);
    if (result.success) parsed[part] = result.data;
    else errors.push(...fieldErrorsOf(part, result.error));
  }
  if (errors.length > 0) throw validationFailed(errors);
  return parsed as unknown as ParsedRequest<R>;
}
