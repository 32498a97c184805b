// The one authorize() path: gather this request's relationship facts, let casbin decide under
// the active policy version, audit the decision, then answer. No decision leaves here
// unaudited: if the audit sink fails, authorize() fails too, and the caller must not serve the
// data. The active version can be switched while the service runs (`activate`): each decision
// takes the version active when it decides, and its audit entry names that version.
import { DEFAULT_MODEL_PATH, DEFAULT_POLICY_PATH, compilePolicyFile, type CompiledPolicy } from './compiled-policy.ts';
import { couldPermitForSomePatient, decideUnder } from './decide.ts';
import { explain } from './explain.ts';
import { formatRuleLine, type PolicyRule } from './policy-file.ts';
import { basesOfRelation, gatherRelations, type RelationshipFacts } from './relationship-facts.ts';
import { describeBasis, type AccessQualifiers, type ConsentBasis } from './consent-facts.ts';
import type { Action, Resource } from './vocabulary.ts';
import type { InsurerType } from '../../schemas/consent/release-authorization.ts';

export { DEFAULT_MODEL_PATH, DEFAULT_POLICY_PATH };

export interface AccessRequest {
  /** `insurerType` comes from the insurer's account (set when it was created), never from the request */
  subject: { userId: string; roles: readonly string[]; insurerType?: InsurerType };
  /** whose data; null for requests about no patient (accounts, audit events, a new record) */
  patientId: string | null;
  resource: Resource;
  action: Action;
  /** purpose of use as the caller declared it; an unknown purpose is refused, not rejected */
  purpose: string;
  /** what consent-gated rules need besides: the release purpose of an insurer or third party, the research project */
  qualifiers?: AccessQualifiers;
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
  /** the policy version that decided */
  policyVersion: number;
  /** the directives (and versions), or the hospital default, the deciding rule relied on; empty when it needs none */
  consentBasis: readonly ConsentBasis[];
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
  /** what a permit rested on in the patient's consents (`consent:<directive>:v<version>`) */
  reason?: string;
  sourceAddress?: string | null;
  clientRequestId?: string | null;
  route?: string | null;
  /** the policy version that decided */
  policyVersion: number;
  /**
   * Every relationship fact the decision was taken on (care team, break-glass, self, proxy and
   * any other fact the policy reads), so the decision can be replayed under another version.
   */
  relations: Record<string, boolean>;
}

export interface AuthorizerOptions {
  facts: RelationshipFacts;
  /** durably records one decision; authorize() answers only after it resolves */
  audit: (event: AuthorizationAuditEvent) => Promise<void>;
  /** the version to enforce; else the policy file at `policyPath` (the shipped one) as version 1 */
  policy?: CompiledPolicy;
  policyPath?: string;
  modelPath?: string;
}

export interface Authorizer {
  authorize(request: AccessRequest, context: AuthorizationContext): Promise<Decision>;
  /** the active version's rules, in file order */
  readonly rules: readonly PolicyRule[];
  /** the active version */
  readonly policy: CompiledPolicy;
  /** Makes `policy` the active version: every decision taken after this call uses it. */
  activate(policy: CompiledPolicy): void;
  /**
   * Role-level, under the active version: could any patient's facts make a line permit this for
   * these roles? Decides nothing and audits nothing: a caller refused here is refused through
   * authorize() (which audits) before anything it asks about is looked up.
   */
  couldPermitForSomePatient(request: Pick<AccessRequest, 'resource' | 'action' | 'purpose'> & { roles: readonly string[] }): boolean;
}

export class AuthorizationRequestError extends Error {
  readonly code = 'authorization_request_invalid';
  constructor(readonly field: string) {
    super(`authorization request: ${field} is missing or malformed`);
    this.name = 'AuthorizationRequestError';
  }
}

export async function createAuthorizer(options: AuthorizerOptions): Promise<Authorizer> {
  let active = options.policy ?? (await compilePolicyFile(options.policyPath ?? DEFAULT_POLICY_PATH, { version: 1, ...(options.modelPath !== undefined && { modelPath: options.modelPath }) }));
  const { facts, audit } = options;

  async function authorize(request: AccessRequest, context: AuthorizationContext): Promise<Decision> {
    checkRequest(request, context);
    const { userId, roles } = request.subject;
    const { relations, bases } = await gatherRelations(facts, request);
    // Taken after the await, with no await until the decision is made: the version that decides
    // is the one recorded, even when another is activated meanwhile.
    const policy = active;
    const verdict = decideUnder(policy, { ...request, userId, roles }, relations);
    const consentBasis = verdict.allowed && verdict.rule ? basesOfRelation(verdict.rule.relation, bases) : [];
    const decision: Decision = {
      allowed: verdict.allowed,
      rule: verdict.rule === null ? null : formatRuleLine(verdict.rule),
      breakGlass: verdict.breakGlass,
      explanation: explain(request, verdict),
      policyVersion: policy.version,
      consentBasis,
    };
    const reason = describeBasis(consentBasis);
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
      ...(reason !== null ? { reason } : {}),
      ...origin(context),
      policyVersion: policy.version,
      relations: { ...relations },
    });
    return decision;
  }

  return {
    authorize,
    get rules() {
      return active.rules;
    },
    get policy() {
      return active;
    },
    activate(policy: CompiledPolicy) {
      active = policy;
    },
    couldPermitForSomePatient(request) {
      return couldPermitForSomePatient(active, { userId: 'role-level', ...request });
    },
  };
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
