// Why a governance step was refused (a stable code for the API and the audit entry), and the
// error for a policy log whose stored entries break the rules (the vault then does not open).

export const GOVERNANCE_REFUSALS = {
  unknown_proposal: 404,
  proposal_decided: 409,
  proposal_superseded: 409,
  own_proposal: 403,
  not_board_member: 403,
  not_approved: 409,
  policy_unchanged: 409,
  invalid_policy: 400,
  out_of_order: 409,
} as const;
export type GovernanceRefusal = keyof typeof GOVERNANCE_REFUSALS;

export class PolicyGovernanceError extends Error {
  constructor(
    readonly code: GovernanceRefusal,
    detail: string,
    /** for invalid_policy: the line of the proposal text at fault, and its column */
    readonly where?: { line: number; field: string },
  ) {
    super(detail);
    this.name = 'PolicyGovernanceError';
  }

  /** The HTTP status that fits. */
  get status(): number {
    return GOVERNANCE_REFUSALS[this.code];
  }
}

export class PolicyLogError extends Error {
  readonly code = 'policy_log_invalid';
  constructor(
    readonly seq: number,
    detail: string,
  ) {
    super(`policy log entry ${seq}: ${detail}`);
    this.name = 'PolicyLogError';
  }
}
