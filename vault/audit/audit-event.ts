// The body of an audit entry. It carries ids and codes only, never PHI: no names, no MRNs, no
// variant or consent contents. The schema is strict (unknown fields are refused) and limits
// every field to the shape of an id or a code, so free text cannot slip in by accident.
import { isIP } from 'node:net';
import { z } from 'zod';

export interface AuditEvent {
  /** when the audited thing happened; the entry's own `at` is when it became durable */
  at?: string;
  requestId: string | null;
  actorId: string | null;
  actorRoles: string[];
  /** e.g. 'read', 'login', 'logout', 'lockout', 'user.create', 'break_glass' */
  action: string;
  /** e.g. 'variants', 'record', 'session', 'account', 'audit' */
  resource: string;
  /** internal patient id (never an MRN) */
  patientId: string | null;
  /** treatment, research, insurance, family, self, operations */
  purpose: string | null;
  decision: 'permit' | 'deny' | 'success' | 'failure';
  /** the policy line that matched, for an authorization decision */
  rule: string | null;
  /** a reason code (break-glass reason, failure code); free text is the caller's responsibility */
  reason?: string | null;
  /** marks an entry for review, e.g. break-glass access */
  flagged?: boolean;
  // Where the request came from and what became of it. Optional: older entries lack them.
  /** the peer address of the HTTP connection (never a forwarded header) */
  sourceAddress?: string | null;
  /** the client's own X-Request-Id, kept beside the server's `requestId` */
  clientRequestId?: string | null;
  /** the method and route pattern asked, e.g. `GET /v1/patients/:id` (never the raw URL) */
  route?: string | null;
  /** the HTTP status answered */
  status?: number | null;
  /** a stable outcome code: the problem code of an error answer, or a command's result */
  outcome?: string | null;
  /** the command run on the vault host, e.g. `variants`, `keys.rotate` */
  command?: string | null;
  /** an internal id the action was about besides the patient, e.g. the sample erased */
  targetId?: string | null;
  /** sizes of what was answered or written, e.g. { rows: 12 } */
  counts?: Record<string, number>;
  // What an authorization decision rested on, so it can be replayed under another policy
  // version. Optional: entries written before policy versions existed lack them.
  /** the access policy version that decided */
  policyVersion?: number | null;
  /** every relationship fact the decision was taken on (care_team, break_glass, self, clinical_use, the proxy permissions...) */
  relations?: Record<string, boolean>;
}

export const AUDIT_DECISIONS = ['permit', 'deny', 'success', 'failure'] as const;

const id = z.string().regex(/^[A-Za-z0-9_.:@-]{1,128}$/, 'must be an id: 1 to 128 letters, digits or _.:@-');
const code = z.string().regex(/^[a-z][a-z0-9_.:-]{0,63}$/, 'must be a lowercase code of at most 64 characters');
// Printable text without control characters: a log line can never be split or forged through it.
const line = (max: number) => z.string().max(max, `must be at most ${max} characters`).regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

const sourceAddress = z.string().max(64).refine((value) => isIP(value) !== 0, 'must be an IP address');
const route = z.string().regex(/^[A-Z][A-Z-]{2,15} \/[A-Za-z0-9_/:.{}-]{0,200}$/, 'must be a method and a route pattern');
const relations = z.record(code, z.boolean()).refine((value) => Object.keys(value).length <= 32, 'must hold at most 32 facts');
const counts = z.record(code, z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)).refine((value) => Object.keys(value).length <= 16, 'must hold at most 16 counts');

export const AuditEventSchema = z.strictObject({
  at: z.iso.datetime({ offset: true, message: 'must be an ISO date-time' }).optional(),
  requestId: id.nullable(),
  actorId: id.nullable(),
  actorRoles: z.array(code).max(20, 'must list at most 20 roles'),
  action: code,
  resource: code,
  patientId: id.nullable(),
  purpose: code.nullable(),
  decision: z.enum(AUDIT_DECISIONS, { message: `must be one of ${AUDIT_DECISIONS.join(', ')}` }),
  rule: line(500).nullable(),
  reason: line(200).nullable().optional(),
  flagged: z.boolean().optional(),
  sourceAddress: sourceAddress.nullable().optional(),
  clientRequestId: id.nullable().optional(),
  route: route.nullable().optional(),
  status: z.number().int().min(100).max(599).nullable().optional(),
  outcome: code.nullable().optional(),
  command: code.nullable().optional(),
  targetId: id.nullable().optional(),
  counts: counts.optional(),
  policyVersion: z.number().int().min(1).max(1_000_000_000).nullable().optional(),
  relations: relations.optional(),
});

export class AuditEventError extends Error {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`audit event: ${field}: ${detail}`);
    this.name = 'AuditEventError';
  }
}

/** Checks an event before it is recorded. Messages name the field, never echo its value. */
export function parseAuditEvent(input: unknown): AuditEvent {
  const result = AuditEventSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  // a bad key of a record (counts) is itself the value: name the record, not the key
  const path = issue.code === 'invalid_key' ? issue.path.slice(0, -1) : issue.path;
  const field = path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '(event)');
  const detail =
    issue.code === 'unrecognized_keys' ? 'is not an audit event field' : issue.code === 'invalid_type' ? `must be ${issue.expected}` : issue.code === 'invalid_key' ? 'keys must be lowercase codes' : issue.message;
  throw new AuditEventError(field, detail);
}
