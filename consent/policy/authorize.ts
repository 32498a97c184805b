// The one authorize() path: gather this request's relationship facts, let casbin decide, audit
// the decision, then answer. No decision leaves here unaudited: if the audit sink fails,
// authorize() fails too, and the caller must not serve the data.
import { fileURLToPath } from 'node:url';
import type { Enforcer } from 'casbin';
import { buildEnforcer } from './enforcer.ts';
import { explain } from './explain.ts';
import type { EnforcementSubject } from './matcher-functions.ts';
import { formatRuleLine, loadPolicyFile, type PolicyRule } from './policy-file.ts';
import { gatherRelations, type RelationSnapshot, type RelationshipFacts } from './relationship-facts.ts';
import type { Action, Resource } from './vocabulary.ts';

export interface AccessRequest {
  subject: { userId: string; roles: readonly string[] };
  /** whose data; null for requests about no patient (accounts, audit events, a new record) */
  patientId: string | null;
  resource: Resource;
  action: Action;
  /** purpose of use as the caller declared it; an unknown purpose is refused, not rejected */
  purpose: string;
}

export interface AuthorizationContext {
  requestId: string;
  /** where the request came from (the connection's peer address), recorded with the decision */
  sourceAddress?: string | null;
  /** the client's own request id, kept beside ours */
  clientRequestId?: string | null;
  /** the method and route pattern asked, e.g. `GET /v1/patients/:id` */
  route?: string | null;
}

export interface Decision {
  allowed: boolean;
  /** the policy line that decided (`p, id, role, ...`), or null when no rule matched */
  rule: string | null;
  /** permitted only through a break-glass grant: the caller must flag the access for review */
  breakGlass: boolean;
  /** one plain sentence for reviewers; holds no user or patient ids */
  explanation: string;
}

export interface AuthorizationAuditEvent {
  requestId: string;
  actorId: string;
  actorRoles: string[];
  action: string;
  resource: string;
  patientId: string | null;
  purpose: string;
  decision: 'permit' | 'deny';
  rule: string | null;
  /** true for break-glass access, which the ethics board reviews */
  flagged: boolean;
  sourceAddress?: string | null;
  clientRequestId?: string | null;
  route?: string | null;
}

export interface AuthorizerOptions {
  facts: RelationshipFacts;
  /** durably records one decision; authorize() answers only after it resolves */
  audit: (event: AuthorizationAuditEvent) => Promise<void>;
  policyPath?: string;
  modelPath?: string;
}

export interface Authorizer {
  authorize(request: AccessRequest, context: AuthorizationContext): Promise<Decision>;
  /** the loaded rules, in file order (for the policy review screen and docs) */
  readonly rules: readonly PolicyRule[];
}

export class AuthorizationRequestError extends Error {
  readonly code = 'authorization_request_invalid';
  constructor(readonly field: string) {
    super(`authorization request: ${field} is missing or malformed`);
    this.name = 'AuthorizationRequestError';
  }
}

export const DEFAULT_MODEL_PATH = fileURLToPath(new URL('./model.conf', import.meta.url));
export const DEFAULT_POLICY_PATH = fileURLToPath(new URL('./policy.csv', import.meta.url));

export async function createAuthorizer(options: AuthorizerOptions): Promise<Authorizer> {
  const rules = await loadPolicyFile(options.policyPath ?? DEFAULT_POLICY_PATH);
  const enforcer = await buildEnforcer(options.modelPath ?? DEFAULT_MODEL_PATH, rules);
  const rulesById = new Map(rules.map((rule) => [rule.id, rule]));
  const { facts, audit } = options;

  async function authorize(request: AccessRequest, context: AuthorizationContext): Promise<Decision> {
    checkRequest(request, context);
    const { userId, roles } = request.subject;
    const relations = await gatherRelations(facts, userId, request.patientId);
    const verdict = decide(enforcer, rulesById, request, relations);
    const decision: Decision = {
      allowed: verdict.allowed,
      rule: verdict.rule === null ? null : formatRuleLine(verdict.rule),
      breakGlass: verdict.breakGlass,
      explanation: explain(request, verdict),
    };
    await audit({
      requestId: context.requestId,
      actorId: userId,
      actorRoles: [...roles],
      action: request.action,
      resource: request.resource,
      patientId: request.patientId,
      purpose: request.purpose,
      decision: decision.allowed ? 'permit' : 'deny',
      rule: decision.rule,
      flagged: decision.breakGlass,
      ...origin(context),
    });
    return decision;
  }

  return { authorize, rules };
}

/** The request's origin fields the caller gave, and only those (older audit sinks never see them). */
function origin(context: AuthorizationContext): Pick<AuthorizationAuditEvent, 'sourceAddress' | 'clientRequestId' | 'route'> {
  const { sourceAddress, clientRequestId, route } = context;
  return {
    ...(sourceAddress !== undefined ? { sourceAddress } : {}),
    ...(clientRequestId !== undefined ? { clientRequestId } : {}),
    ...(route !== undefined ? { route } : {}),
  };
}

interface Verdict {
  allowed: boolean;
  rule: PolicyRule | null;
  breakGlass: boolean;
}

/**
 * Decides first as if the user held no break-glass grant; only if that refuses and a grant is
 * active does it decide again with the grant. So `breakGlass` means "the grant was needed",
 * whatever order the rules stand in, and a clinician on the care team is never flagged.
 */
function decide(
  enforcer: Enforcer,
  rulesById: ReadonlyMap<string, PolicyRule>,
  request: AccessRequest,
  relations: RelationSnapshot,
): Verdict {
  const ordinary = enforce(enforcer, rulesById, request, { ...relations, break_glass: false });
  if (ordinary.allowed || !relations.break_glass) return ordinary;
  const withGrant = enforce(enforcer, rulesById, request, relations);
  return withGrant.allowed ? { ...withGrant, breakGlass: true } : ordinary;
}

function enforce(
  enforcer: Enforcer,
  rulesById: ReadonlyMap<string, PolicyRule>,
  request: AccessRequest,
  relations: RelationSnapshot,
): Verdict {
  const subject: EnforcementSubject = {
    userId: request.subject.userId,
    roles: [...request.subject.roles],
    patientId: request.patientId,
    relations,
  };
  // The matcher functions are synchronous (the facts are already in the request), so the
  // synchronous enforce applies; measured twice the throughput of the async one.
  const [allowed, matched] = enforcer.enforceExSync(
    subject,
    request.patientId,
    request.resource,
    request.action,
    request.purpose,
  );
  const rule = matched[0] === undefined ? null : (rulesById.get(matched[0]) ?? null);
  // casbin reports the deciding line; a refusal is only ever explained by a deny line.
  const deciding = rule !== null && (rule.effect === 'allow') === allowed ? rule : null;
  return { allowed: allowed && deciding !== null, rule: deciding, breakGlass: false };
}

function checkRequest(request: AccessRequest, context: AuthorizationContext): void {
  const nonEmpty = (value: unknown): boolean => typeof value === 'string' && value.length > 0;
  if (!nonEmpty(context?.requestId)) throw new AuthorizationRequestError('context.requestId');
  if (!nonEmpty(request?.subject?.userId)) throw new AuthorizationRequestError('subject.userId');
  const roles: unknown = request.subject.roles;
  if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string')) {
    throw new AuthorizationRequestError('subject.roles');
  }
  if (request.patientId !== null && !nonEmpty(request.patientId)) throw new AuthorizationRequestError('patientId');
  for (const field of ['resource', 'action', 'purpose'] as const) {
    if (!nonEmpty(request[field])) throw new AuthorizationRequestError(field);
  }
}
