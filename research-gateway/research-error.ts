// The one error type the gateway throws on purpose: a stable code naming the reason, the HTTP
// status the vault answers it with, and a message that says what is wrong without repeating the
// input or revealing anything about the patients behind a refusal.

export type ResearchErrorCode =
  /** the request is malformed in a way its schema cannot say (a bad purpose term, an unknown member) */
  | 'invalid_request'
  /** no such project, or not one the caller may see (the two look the same) */
  | 'not_found'
  /** the access policy does not let this role do this */
  | 'forbidden'
  /** a board member who is also a member of the project */
  | 'conflict_of_interest'
  /** this decision cannot follow the project's current state (reject an approved project...) */
  | 'decision_not_allowed'
  | 'project_pending'
  | 'project_rejected'
  | 'project_suspended'
  | 'project_expired'
  | 'project_not_started'
  /** the query asks for more than the project was approved for */
  | 'level_not_approved'
  /** the consented samples are on several builds: say which */
  | 'assembly_required'
  /** the caller belongs to several projects: pick one with datasetIds */
  | 'dataset_required'
  | 'unsupported_query'
  | 'budget_exhausted'
  | 'repeat_lockout'
  | 'differencing_refused';

/** Refusals that protect the cohort rather than check the request; each is audited with its code. */
export const DISCLOSURE_REFUSALS: readonly ResearchErrorCode[] = ['budget_exhausted', 'repeat_lockout', 'differencing_refused'];

const STATUS: Record<ResearchErrorCode, number> = {
  invalid_request: 400,
  not_found: 404,
  forbidden: 403,
  conflict_of_interest: 403,
  decision_not_allowed: 409,
  project_pending: 403,
  project_rejected: 403,
  project_suspended: 403,
  project_expired: 403,
  project_not_started: 403,
  level_not_approved: 403,
  assembly_required: 400,
  dataset_required: 400,
  unsupported_query: 400,
  budget_exhausted: 403,
  repeat_lockout: 429,
  differencing_refused: 403,
};

export class ResearchError extends Error {
  readonly status: number;

  constructor(
    readonly code: ResearchErrorCode,
    message: string,
    readonly options: { field?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'ResearchError';
    this.status = STATUS[code];
  }
}
