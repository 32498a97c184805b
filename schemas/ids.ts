// Ids the vault issues, as every schema that names one checks them.
import { z } from 'zod';

/** An account id as the vault issues them. */
export const AccountIdSchema = z.string().regex(/^acc_[0-9a-f]{16}$/, 'an account id looks like acc_ followed by 16 hex digits');
