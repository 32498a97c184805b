// The one error a sealed log raises when its bytes are not what was committed. It names the
// file (base name only: paths are the operator's business), the entry and a stable reason code.

/** Why a log failed verification; stable codes for callers and the CLI. */
export type LogFailure =
  | 'not_a_log' // the file does not start like a sealed log
  | 'wrong_key' // the header does not open with this key and log id
  | 'tampered' // an entry failed authentication: edited, or not from this log
  | 'missing' // an authentic entry stands where an earlier one should be: entries were deleted
  | 'reordered' // entries are authentic but out of order
  | 'chain_broken' // an authentic entry does not follow its predecessor (a forked copy spliced in)
  | 'truncated' // fewer entries than the anchor records: cut short or rolled back
  | 'forked' // the entry the anchor records has another hash: the log was replaced
  | 'log_missing' // the anchor records entries but the log file is gone
  | 'anchor_missing' // the log exists without its anchor
  | 'anchor_damaged'; // neither anchor slot opens

export class LogIntegrityError extends Error {
  constructor(
    readonly file: string,
    readonly seq: number,
    readonly reason: LogFailure,
    readonly detail: string,
  ) {
    // seq 0 means the file as a whole (header, anchor), not one entry.
    super(`${file}: ${seq > 0 ? `entry ${seq}: ` : ''}${detail} (${reason})`);
    this.name = 'LogIntegrityError';
  }
}

/** Raised for an append the log refuses before anything is written. */
export class LogEntryError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'LogEntryError';
  }
}

/** Raised for appends to a closed log, or after a write failure left the file's state unknown. */
export class LogUnavailableError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'LogUnavailableError';
  }
}
