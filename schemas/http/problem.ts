// RFC 9457 problem details: the one body every error response carries.
import { z } from 'zod';

export const FieldErrorSchema = z
  .object({
    /** where the bad value is, e.g. `query.region` or `body.items.0.gene` */
    path: z.string(),
    message: z.string(),
  })
  .meta({ id: 'FieldError' });
export type FieldError = z.infer<typeof FieldErrorSchema>;

export const ProblemSchema = z
  .object({
    /** a URI naming the kind of problem; `about:blank` when the status says it all */
    type: z.string(),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string().optional(),
    /** stable, machine-readable reason, e.g. `validation_failed` */
    code: z.string(),
    /** the request id, to find the matching log line */
    instance: z.string(),
    errors: z.array(FieldErrorSchema).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json)' });
export type Problem = z.infer<typeof ProblemSchema>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
