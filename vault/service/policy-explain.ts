// POST /policy/explain: permit or deny, the rule and a sentence, for a request described by its
// subject, patient, resource, action and purpose. The relationship facts are either given (a
// hypothetical question that reads nothing stored; resource `policy`, action `explain`) or looked
// up fresh for a real account and patient, as authorize() would. That lookup reveals how a person
// relates to a patient, so it is decided for that patient (resource `decision_facts`) before the
// account is looked at, refused as any patient access is, audited under the patient, and its
// answer shows only the facts the request's rules read.
import type { z } from 'zod';
import type { ExplainBodySchema } from '../../schemas/policy/api.ts';
import { explainDecision, factsReadFor } from '../../consent/governance/explain-decision.ts';
import { gatherRelations, type RelationSnapshot } from '../../consent/policy/relationship-facts.ts';
import type { ConsentGrounds } from '../../consent/governance/explain-decision.ts';
import { FACTS, type RelationFact } from '../../consent/policy/vocabulary.ts';
import { ApiError, notFound } from '../http/api-error.ts';
import type { Principal } from '../identity/principal.ts';
import { recordOutcome } from './audit-outcome.ts';
import { currentVault, patientExists, requestOrigin, requireAccess, type AuditedRequest } from './patient-access.ts';
import type { VaultService } from './open-service.ts';

type ExplainBody = z.infer<typeof ExplainBodySchema>;

/** Given facts as a full snapshot: every fact the policy knows, false unless given true. */
function givenFacts(given: Record<string, boolean>): RelationSnapshot {
  if (Object.keys(given).some((name) => !(FACTS as readonly string[]).includes(name))) {
    throw new ApiError({ code: 'validation_failed', status: 400, title: 'The request is not valid', detail: `body.relations: names a fact the policy does not know (known: ${FACTS.join(', ')})`, errors: [{ path: 'body.relations', message: `known facts: ${FACTS.join(', ')}` }] });
  }
  return Object.fromEntries(FACTS.map((fact) => [fact, given[fact] === true])) as RelationSnapshot;
}

export async function explainRequest(service: VaultService, principal: Principal, body: ExplainBody, request: AuditedRequest) {
  const { accountId } = body.subject;
  const lookUp = accountId !== undefined && body.patientId !== null;
  await requireAccess(service, principal, lookUp ? { patientId: body.patientId, resource: 'decision_facts', action: 'read', purpose: 'operations' } : { patientId: null, resource: 'policy', action: 'explain', purpose: 'operations' }, request);
  let roles: readonly string[];
  let relations: RelationSnapshot;
  let grounds: ConsentGrounds = { bases: [], bars: [] };
  if (lookUp) {
    // after the permit, so only those allowed to look up learn whether the patient exists
    await currentVault(service);
    if (!patientExists(service, body.patientId!)) throw notFound('no such patient');
    const account = service.identity.getAccount(accountId);
    if (!account) throw notFound('no such account');
    roles = body.subject.roles ?? account.roles;
    const subject = { userId: accountId, ...(account.insurerType !== undefined && { insurerType: account.insurerType }) };
    const qualifiers = body.releasePurpose !== undefined ? { qualifiers: { releasePurpose: body.releasePurpose } } : {};
    const gathered = await gatherRelations(service.facts, { subject, patientId: body.patientId, ...qualifiers });
    relations = gathered.relations;
    grounds = { bases: gathered.bases, bars: gathered.bars };
    await recordOutcome(service.audit, {
      ...requestOrigin(request), actor: principal, action: 'policy.explain_lookup', resource: 'policy',
      patientId: body.patientId, targetId: accountId, decision: 'success', reason: 'relationship_facts_looked_up',
    });
  } else {
    roles = body.subject.roles ?? [];
    relations = givenFacts(body.relations ?? {});
  }
  const input = { userId: accountId ?? 'explained-subject', roles, patientId: body.patientId, resource: body.resource, action: body.action, purpose: body.purpose };
  const active = service.governance.activePolicy;
  const proposal = body.proposalId === undefined ? undefined : await service.governance.compiledProposal(body.proposalId);
  const underProposal = proposal && { proposalId: body.proposalId!, ...explainDecision(proposal, input, relations, grounds) };
  // looked-up facts: only those the rules written for this request read, under either version
  const shown = lookUp ? new Set([...factsReadFor(active, input), ...(proposal ? factsReadFor(proposal, input) : [])]) : undefined;
  return {
    policyVersion: active.version,
    ...explainDecision(active, input, relations, grounds),
    relations: Object.fromEntries(Object.entries(relations).filter(([fact]) => shown === undefined || shown.has(fact as RelationFact))),
    factsFrom: lookUp ? ('lookup' as const) : ('request' as const),
    ...(underProposal && { underProposal }),
  };
}
