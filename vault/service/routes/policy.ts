// The access policy's governance: the active version and its history, proposals by the privacy
// officer or an administrator, the what-if replay, the ethics board's decision (never by the
// proposer), and explanations of decisions. Every route first asks authorize() (resource
// `policy`), and every step that changes or reveals something is audited with its outcome.
import { z } from 'zod';
import { defineRoute, defineRouteTable } from '../../http/route.ts';
import { ApiError, notFound } from '../../http/api-error.ts';
import {
  DecisionBodySchema, ExplainAnswerSchema, ExplainBodySchema, PolicyVersionViewSchema, ProposalBodySchema, ProposalParamsSchema,
  ProposalSummarySchema, ProposalViewSchema, PolicyDiffSchema, VersionParamsSchema, WhatIfReportSchema,
} from '../../../schemas/policy/api.ts';
import { PolicyGovernanceError } from '../../../consent/governance/governance-errors.ts';
import { HOST_PROPOSER } from '../../../consent/governance/policy-governance.ts';
import type { Principal } from '../../identity/principal.ts';
import type { Action } from '../../../consent/policy/vocabulary.ts';
import { principalOf } from '../authenticate.ts';
import { requestOrigin, requireAccess, type AuditedRequest } from '../patient-access.ts';
import { recordOutcome, type Outcome } from '../audit-outcome.ts';
import { policyViews } from '../policy-views.ts';
import { recordedDecisions } from '../policy-log.ts';
import { explainRequest } from '../policy-explain.ts';
import type { VaultService } from '../open-service.ts';

const ROUTE = { tags: ['policy'], auth: 'session' as const };
const problem = (description: string) => ({ description });

export function policyRoutes(service: VaultService) {
  const views = policyViews(service.governance, service.identity);
  const mayAct = (principal: Principal, action: Action, request: AuditedRequest) =>
    requireAccess(service, principal, { patientId: null, resource: 'policy', action, purpose: 'operations' }, request);

  /** Runs a governance step; audits its success (`reasonOf`) or its refusal (the code), answering the refusal as a problem. */
  async function audited<T>(request: AuditedRequest, principal: Principal, outcome: Pick<Outcome, 'action' | 'targetId'> & Partial<Outcome>, step: () => Promise<T>, after: (result: T) => Partial<Outcome>): Promise<T> {
    const base = { ...requestOrigin(request), actor: principal, resource: 'policy', ...outcome };
    let result: T;
    try {
      result = await step();
    } catch (err) {
      if (!(err instanceof PolicyGovernanceError)) throw err;
      await recordOutcome(service.audit, { ...base, decision: 'failure', reason: err.code, flagged: err.status === 403 });
      throw governanceProblem(err);
    }
    await recordOutcome(service.audit, { ...base, decision: 'success', reason: 'done', ...after(result) });
    return result;
  }

  return defineRouteTable('policy', [
    defineRoute({
      method: 'get', path: '/policy', ...ROUTE, touchesPatientData: false,
      summary: 'The active access policy: its version, who approved it and when, each rule in plain words (ethics board, auditors, privacy officer, admin)',
      responses: { 200: { description: 'the active version', schema: PolicyVersionViewSchema }, 403: problem('not permitted') },
      async handler(_input, ctx) {
        await mayAct(principalOf(ctx.state), 'read', ctx.state);
        return views.version(service.governance.history.active!);
      },
    }),
    defineRoute({
      method: 'get', path: '/policy/versions/:version', ...ROUTE, touchesPatientData: false,
      summary: 'One version of the access policy, active or past (whoever may read the policy)',
      request: { params: VersionParamsSchema },
      responses: { 200: { description: 'the version', schema: PolicyVersionViewSchema }, 404: problem('no such version') },
      async handler({ params }, ctx) {
        await mayAct(principalOf(ctx.state), 'read', ctx.state);
        const record = service.governance.history.version(params.version);
        if (!record) throw notFound('no such policy version');
        return views.version(record);
      },
    }),
    defineRoute({
      method: 'get', path: '/policy/proposals', ...ROUTE, touchesPatientData: false,
      summary: 'Every proposal, newest first, with its status and decision (whoever may read the policy)',
      responses: { 200: { description: 'proposals', schema: z.object({ items: z.array(ProposalSummarySchema) }) } },
      async handler(_input, ctx) {
        await mayAct(principalOf(ctx.state), 'read', ctx.state);
        return { items: service.governance.history.proposals().map(views.summary) };
      },
    }),
    defineRoute({
      method: 'get', path: '/policy/proposals/:proposalId', ...ROUTE, touchesPatientData: false,
      summary: 'One proposal: its text, what it changes against the version it was made for, its status and decision',
      request: { params: ProposalParamsSchema },
      responses: { 200: { description: 'the proposal', schema: ProposalViewSchema }, 404: problem('no such proposal') },
      async handler({ params }, ctx) {
        await mayAct(principalOf(ctx.state), 'read', ctx.state);
        const proposal = service.governance.history.proposal(params.proposalId);
        if (!proposal) throw notFound('no such proposal');
        return views.proposal(proposal);
      },
    }),
    defineRoute({
      method: 'post', path: '/policy/proposals', ...ROUTE, touchesPatientData: false, bodyLimitBytes: 512 * 1024,
      summary: 'Propose a new version of the policy: the whole file and why (privacy officer, admin)',
      request: { body: ProposalBodySchema },
      responses: {
        201: { description: 'recorded; what it changes', schema: z.object({ proposalId: z.string(), basedOn: z.number(), diff: PolicyDiffSchema }) },
        400: problem('the text does not read as a policy: the error names the line and column, never the text'),
        409: problem('the text is the active version'),
      },
      async handler({ body }, ctx) {
        const principal = principalOf(ctx.state);
        await mayAct(principal, 'propose', ctx.state);
        const proposedBy = { accountId: principal.accountId, roles: [...principal.roles] };
        const { proposal, diff } = await audited(ctx.state, principal, { action: 'policy.propose' }, () => service.governance.propose({ ...body, proposedBy }), ({ proposal }) => ({ targetId: proposal.proposalId }));
        ctx.status = 201;
        return { proposalId: proposal.proposalId, basedOn: proposal.basedOn, diff };
      },
    }),
    defineRoute({
      method: 'post', path: '/policy/proposals/:proposalId/what-if', ...ROUTE, touchesPatientData: true,
      summary: 'Replay the last 30 days of audited decisions under the proposal: which would change, by rule, role and resource, with examples (ethics board, privacy officer)',
      request: { params: ProposalParamsSchema },
      responses: { 200: { description: 'the replay', schema: WhatIfReportSchema }, 404: problem('no such proposal') },
      async handler({ params }, ctx) {
        const principal = principalOf(ctx.state);
        await mayAct(principal, 'replay', ctx.state);
        const until = Date.now(); // the audit log stamps entries with the wall clock
        const report = await audited(ctx.state, principal, { action: 'policy.what_if', targetId: params.proposalId }, () => service.governance.whatIf(params.proposalId, recordedDecisions(service.audit, until), until), (r) => ({ counts: { examined: r.examined, replayed: r.replayed, changed: r.changed } }));
        return { proposalId: params.proposalId, activeVersion: service.governance.activePolicy.version, ...report };
      },
    }),
    defineRoute({
      method: 'post', path: '/policy/proposals/:proposalId/decision', ...ROUTE, touchesPatientData: false,
      summary: 'Approve or reject a proposal, with the reason (an ethics board member other than the proposer); an approved proposal becomes the active version at once',
      request: { params: ProposalParamsSchema, body: DecisionBodySchema },
      responses: {
        200: { description: 'decided', schema: ProposalSummarySchema },
        403: problem('not a board member, the proposer, or an account the proposer created'),
        404: problem('no such proposal'),
        409: problem('decided already, or superseded by another version'),
      },
      async handler({ params, body }, ctx) {
        const principal = principalOf(ctx.state);
        await mayAct(principal, 'decide', ctx.state);
        const decision = body.decision === 'approve' ? ('approved' as const) : ('rejected' as const);
        const decidedBy = { accountId: principal.accountId, roles: [...principal.roles] };
        const { proposal, activated } = await audited(
          ctx.state, principal, { action: 'policy.decide', targetId: params.proposalId },
          async () => {
            refuseIfVouchedByProposer(service, params.proposalId, principal);
            return service.governance.decide({ proposalId: params.proposalId, decision, reason: body.reason, decidedBy });
          },
          () => ({ reason: decision }),
        );
        if (activated) await recordOutcome(service.audit, { ...requestOrigin(ctx.state), actor: principal, action: 'policy.activate', resource: 'policy', decision: 'success', reason: 'approved', targetId: proposal.proposalId, counts: { version: activated.version } });
        return views.summary(proposal);
      },
    }),
    defineRoute({
      method: 'post', path: '/policy/explain', ...ROUTE, touchesPatientData: true,
      summary: 'Would this request be permitted, and by which rule? Under the active version, and optionally a proposal (ethics board, auditors, on given facts; auditors and the privacy officer, on facts looked up for a real account and patient, decided for that patient)',
      request: { body: ExplainBodySchema },
      responses: {
        200: { description: 'the decision, explained', schema: ExplainAnswerSchema },
        403: problem('not permitted to explain on given facts'),
        404: problem('no such account or proposal, or not permitted to look facts up for that patient'),
      },
      async handler({ body }, ctx) {
        const principal = principalOf(ctx.state);
        // decided inside: on given facts (policy, explain), or for the patient when facts are looked up
        try {
          return await explainRequest(service, principal, body, ctx.state);
        } catch (err) {
          if (err instanceof PolicyGovernanceError) throw governanceProblem(err);
          throw err;
        }
      },
    }),
  ]);
}

/**
 * Separation of duties beyond the policy: an administrator proposes, and could also create an
 * account with the board role and redeem its code; that account may not decide the proposal.
 */
function refuseIfVouchedByProposer(service: VaultService, proposalId: string, principal: Principal): void {
  const { proposedBy } = service.governance.proposal(proposalId);
  if (proposedBy.accountId === HOST_PROPOSER.accountId) return; // the release's own policy file: no person proposed it
  if (service.identity.getAccount(principal.accountId)?.createdBy === proposedBy.accountId) {
    throw new PolicyGovernanceError('own_proposal', 'an account the proposer created may not decide on the proposal');
  }
}

const TITLES: Record<number, string> = { 400: 'The proposal is not a valid policy', 403: 'Forbidden', 404: 'Not found', 409: 'Conflict' };

function governanceProblem(err: PolicyGovernanceError): ApiError {
  return new ApiError({
    code: err.code,
    status: err.status,
    title: TITLES[err.status] ?? 'Refused',
    detail: err.message,
    ...(err.where && { errors: [{ path: 'body.text', message: `line ${err.where.line} (${err.where.field}): ${err.message.replace(/^line \d+: /, '')}` }] }),
  });
}
