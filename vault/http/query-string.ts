// Query strings as flat string maps. A parameter given twice is refused rather than turned
// into an array that a schema (or a later reader) did not expect.
import type { FieldError } from '../../schemas/http/problem.ts';
import { validationFailed } from './api-error.ts';

export function parseQueryString(querystring: string): Record<string, string> {
  const values: Record<string, string> = Object.create(null) as Record<string, string>;
  const repeated: FieldError[] = [];
  for (const [key, value] of new URLSearchParams(querystring)) {
    if (Object.hasOwn(values, key)) {
      if (!repeated.some((e) => e.path === `query.${key}`)) {
        repeated.push({ path: `query.${key}`, message: 'given more than once' });
      }
      continue;
    }
    values[key] = value;
  }
  if (repeated.length > 0) throw validationFailed(repeated);
  return values;
}
