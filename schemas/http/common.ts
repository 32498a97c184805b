// Small schemas shared by many routes: identifiers and pagination.
import { z } from 'zod';

/** Internal identifiers are UUIDs: they carry no PHI, so they may appear in URLs and logs. */
export const IdSchema = z.uuid().meta({ id: 'Id', description: 'an internal identifier (UUID)' });

export const IdParamsSchema = z.object({ id: IdSchema });

/** Accepted for an incoming `X-Request-Id`: short, printable, nothing that could smuggle log lines. */
export const RequestIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{8,128}$/)
  .meta({ id: 'RequestId' });

export const MAX_PAGE_SIZE = 1000;

/** Query-string pagination: an opaque cursor from the previous page and a page size. */
export const PaginationQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(100),
  cursor: z.string().min(1).max(512).optional(),
});
export type PaginationQuery = z.infer<typeof PaginationQuerySchema>;

/** Wraps a list response: the items and the cursor for the next page, if any. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().optional() });
}
