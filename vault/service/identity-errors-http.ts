// Maps account errors to problem responses: the code and the field, never the value.
import { ApiError } from '../http/api-error.ts';
import { IdentityError } from '../identity/identity-errors.ts';

const STATUS = { invalid: 400, conflict: 409, not_found: 404, forbidden: 403 } as const;

export async function mapIdentityErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof IdentityError) {
      throw new ApiError({
        code: err.code,
        status: STATUS[err.kind],
        title: err.kind === 'invalid' ? 'Bad Request' : err.kind === 'conflict' ? 'Conflict' : err.kind === 'not_found' ? 'Not Found' : 'Forbidden',
        detail: err.message,
        ...(err.field ? { errors: [{ path: `body.${err.field}`, message: err.message }] } : {}),
      });
    }
    throw err;
  }
}
