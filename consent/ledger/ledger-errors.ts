// Why the ledger refuses an entry. Messages name the rule, never a directive's content.

export const REFUSAL_CODES = [
  'invalid_event',
  'evidence_required',
  'unknown_directive',
  'directive_exists',
  'directive_revoked',
  'stale_version',
  'kind_changed',
  'party_changed',
  'already_in_force',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export class ConsentLedgerError extends Error {
  override readonly name = 'ConsentLedgerError';
  constructor(
    readonly code: RefusalCode,
    message: string,
    /** the field of the submitted entry at fault, when there is one */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The stored log holds an entry the rules refuse: it was not written by this ledger. */
export class ConsentLogError extends Error {
  override readonly name = 'ConsentLogError';
  constructor(
    readonly seq: number,
    readonly code: RefusalCode,
  ) {
    super(`consent log entry ${seq} breaks the ledger's rules (${code}); the log was not written by this ledger`);
  }
}

/** An earlier append failed: the ledger refuses entries until it is reopened from its store. */
export class ConsentLedgerUnavailableError extends Error {
  override readonly name = 'ConsentLedgerUnavailableError';
  constructor() {
    super('an append to the consent log failed; reopen the ledger to continue');
  }
}
