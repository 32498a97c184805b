// The research gateway's routes: projects (proposal, the ethics board's decisions, the board's
// report) and cohort queries, answered as JSON or as an Arrow IPC stream. The gateway decides and
// audits; this table only parses, names the caller and maps the gateway's refusals to problems.
import { z } from 'zod';
import { defineRoute, defineRouteTable } from '../../http/route.ts';
import { CohortQuerySchema, ProjectDecisionSchema, ProjectIdSchema, ProjectProposalSchema } from '../../../schemas/research.ts';
import { ARROW_STREAM } from '../../../research-gateway/answers/arrow-answer.ts';
import type { VaultService } from '../open-service.ts';
import { researchCaller, withResearchErrors } from '../research-http.ts';

const ProjectParams = z.object({ id: ProjectIdSchema });
const ProjectViewSchema = z.looseObject({ projectId: z.string(), status: z.string(), level: z.string(), members: z.array(z.string()) });
const CohortAnswerSchema = z.looseObject({
  queryId: z.string(),
  projectId: z.string(),
  level: z.string(),
  privacy: z.object({ epsilonCharged: z.number(), budget: z.object({ epsilon: z.number(), spent: z.number(), remaining: z.number() }) }),
});
const refusals = {
  400: { description: 'a bad query: the field is named, the value never repeated' },
  403: { description: 'refused: `code` names why (project_suspended, level_not_approved, budget_exhausted, differencing_refused...)' },
  404: { description: 'no such project, or not one of yours' },
  429: { description: 'repeat_lockout: the same query asked too often; Retry-After says when it may be asked again' },
};

/** The caller asked for Arrow (and not for JSON first). */
function wantsArrow(accept: string): boolean {
  return accept.split(',').some((part) => part.trim().split(';')[0]?.trim().toLowerCase() === ARROW_STREAM);
}

export function researchRoutes(service: VaultService) {
  const gateway = service.research;
  return defineRouteTable('research', [
    defineRoute({
      method: 'post',
      path: '/projects',
      summary: 'Propose a research project (researchers); the ethics board decides on it',
      tags: ['research'],
      auth: 'session',
      touchesPatientData: false,
      request: { body: ProjectProposalSchema },
      responses: { 201: { description: 'the project, awaiting the board', schema: ProjectViewSchema }, 400: refusals[400], 403: refusals[403] },
      async handler({ body }, ctx) {
        const view = await withResearchErrors(() => gateway.propose(researchCaller(ctx.state), body));
        ctx.status = 201;
        return view;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/projects',
      summary: 'Research projects: your own (researchers), or all of them (ethics board)',
      tags: ['research'],
      auth: 'session',
      touchesPatientData: false,
      responses: { 200: { description: 'projects', schema: z.object({ items: z.array(ProjectViewSchema) }) }, 403: refusals[403] },
      async handler(_input, ctx) {
        return { items: await withResearchErrors(() => gateway.projects(researchCaller(ctx.state))) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/projects/:id',
      summary: 'A research project: status, approval, budget; for the ethics board also the consents DUO matching sent to review',
      tags: ['research'],
      auth: 'session',
      touchesPatientData: false,
      request: { params: ProjectParams },
      responses: { 200: { description: 'the project', schema: ProjectViewSchema }, 404: refusals[404] },
      async handler({ params }, ctx) {
        return withResearchErrors(() => gateway.project(researchCaller(ctx.state), params.id));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/projects/:id/decision',
      summary: 'The ethics board approves, rejects, suspends or reinstates a project, or includes and excludes review groups of an approved one, with a reason',
      tags: ['research'],
      auth: 'session',
      touchesPatientData: false,
      request: { params: ProjectParams, body: ProjectDecisionSchema },
      responses: {
        200: { description: 'the project after the decision', schema: ProjectViewSchema },
        403: refusals[403],
        404: refusals[404],
        409: { description: 'decision_not_allowed: this decision cannot follow the project\u2019s state' },
      },
      async handler({ params, body }, ctx) {
        return withResearchErrors(() => gateway.decide(researchCaller(ctx.state), params.id, body));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/projects/:id/report',
      summary: 'The ethics board\u2019s report on a project: every query with its true cohort size, refusals, budget use, releases',
      tags: ['research'],
      auth: 'session',
      touchesPatientData: false,
      request: { params: ProjectParams },
      responses: { 200: { description: 'the report', schema: z.looseObject({ projectId: z.string() }) }, 403: refusals[403], 404: refusals[404] },
      async handler({ params }, ctx) {
        return withResearchErrors(() => gateway.report(researchCaller(ctx.state), params.id));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/projects/:id/cohort-queries',
      summary: 'Ask about the project\u2019s consented cohort: count, aggregates or de-identified records (JSON, or Arrow with Accept: application/vnd.apache.arrow.stream)',
      tags: ['research'],
      auth: 'session',
      touchesPatientData: true,
      request: { params: ProjectParams, body: CohortQuerySchema },
      responses: {
        200: { description: 'the answer', schema: CohortAnswerSchema },
        ...refusals,
      },
      async handler({ params, body }, ctx) {
        const arrow = wantsArrow(ctx.get('accept'));
        const answer = await withResearchErrors(() => gateway.cohortQuery(researchCaller(ctx.state), params.id, body, arrow ? 'arrow' : 'json'));
        if (!answer.arrow) return answer.json;
        ctx.type = ARROW_STREAM;
        return Buffer.from(answer.arrow);
      },
    }),
  ]);
}
