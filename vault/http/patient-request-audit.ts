// Every request to a route that touches patient data leaves an audit entry, whatever became of
// it: a 400 on a bad filter, a 401, a 413, a 415, a 429 from a limiter, a 500. The route tables
// say which routes touch patient data and which path parameter names the patient, so no route
// can forget it. A request whose authorization decision was already audited is not logged again
// unless a permitted request then failed (the permit alone would read as a disclosure). A request
// no patient route matched (`/V1/PATIENTS/p_…`, a trailing slash, `//`) is audited as well when
// a segment of its path is a well-formed patient id: it names a patient although it reaches none.
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { z } from 'zod';
import { PROBLEM_CONTENT_TYPE } from '../../schemas/http/problem.ts';
import { ApiError } from './api-error.ts';
import type { AuditedDecision, HttpContext, HttpState } from './http-context.ts';
import type { MountedRoute } from './mount-routes.ts';
import { sendProblem } from './problem-response.ts';

export interface PatientRequestOutcome {
  /** the server's id for the request */
  requestId: string;
  clientRequestId: string | null;
  sourceAddress: string | null;
  /** the method asked and the route pattern its path matched, e.g. `GET /v1/patients/:id`; null when no route matched */
  route: string | null;
  /** the status answered */
  status: number;
  /** the problem code of an error answer (`validation_failed`, `unauthenticated`...), else null */
  code: string | null;
  /** the patient the path named, only when well formed */
  patientId: string | null;
  /** why patientId is null although the path names a patient */
  patientIdProblem: 'malformed_patient_id' | null;
  /** the authenticated caller, when authentication got that far */
  principal: unknown;
  /** the authorization decision already audited for this request, if any */
  decided: AuditedDecision | undefined;
}

/** Records one outcome durably; the response waits for it. */
export type PatientRequestAuditor = (outcome: PatientRequestOutcome) => Promise<void>;

/** Whether a (decoded) path segment is a well-formed patient id. */
export type PatientIdTest = (segment: string) => boolean;

/** Whether the request's outcome needs its own entry beside the decisions audited for it. */
export function needsOutcomeEntry(decided: AuditedDecision | undefined, status: number): boolean {
  if (decided === 'deny') return false; // the refusal is the entry; its 404 or 403 is implied
  if (decided === 'permit') return status >= 400; // permitted, but the answer was not the data
  return true;
}

interface PatientRouteMatch {
  mounted: MountedRoute;
  params: Record<string, string>;
}

/** The patient route the request's path matched (its method's route first, else any: a 405). */
function matchPatientRoute(router: Router<HttpState>, byPath: ReadonlyMap<string, MountedRoute[]>, ctx: HttpContext): PatientRouteMatch | undefined {
  const matched = router.match(ctx.path, ctx.method);
  const method = ctx.method === 'HEAD' ? 'GET' : ctx.method;
  for (const layers of [matched.pathAndMethod, matched.path]) {
    for (const layer of layers) {
      if (typeof layer.path !== 'string') continue;
      const routes = byPath.get(layer.path) ?? [];
      const mounted = routes.find((m) => m.route.method.toUpperCase() === method) ?? (layers === matched.path ? routes[0] : undefined);
      if (mounted) return { mounted, params: layer.params(ctx.path, layer.captures(ctx.path)) };
    }
  }
  return undefined;
}

function patientNamed(match: PatientRouteMatch): Pick<PatientRequestOutcome, 'patientId' | 'patientIdProblem'> {
  const { route } = match.mounted;
  if (route.patientParam === undefined) return { patientId: null, patientIdProblem: null };
  const value: string | undefined = match.params[route.patientParam];
  const schema: z.ZodType | undefined = route.request?.params?.shape[route.patientParam] as z.ZodType | undefined;
  const wellFormed = value !== undefined && schema !== undefined && schema.safeParse(value).success;
  return wellFormed ? { patientId: value, patientIdProblem: null } : { patientId: null, patientIdProblem: 'malformed_patient_id' };
}

/** The first segment of `path` that is a well-formed patient id, percent-decoded; else null. */
export function patientIdInPath(path: string, isPatientId: PatientIdTest): string | null {
  for (const segment of path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      continue;
    }
    if (isPatientId(decoded)) return decoded;
  }
  return null;
}

function problemCodeOf(ctx: HttpContext): string | null {
  if (ctx.response.type !== PROBLEM_CONTENT_TYPE) return null;
  const code = (ctx.body as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

const AUDIT_UNAVAILABLE = new ApiError({
  code: 'audit_unavailable',
  status: 503,
  title: 'Service unavailable',
  detail: 'the request could not be audited, so it is not answered; try again later',
});

/** What to record for this request, if anything: a patient route's outcome, or a path naming a patient that matched none. */
function outcomeOf(ctx: HttpContext, match: PatientRouteMatch | undefined, isPatientId: PatientIdTest | undefined, status: number): Pick<PatientRequestOutcome, 'route' | 'patientId' | 'patientIdProblem'> | undefined {
  if (!needsOutcomeEntry(ctx.state.auditedDecision, status)) return undefined;
  if (match) return { route: `${ctx.method} ${match.mounted.fullPath}`, ...patientNamed(match) };
  const patientId = isPatientId ? patientIdInPath(ctx.path, isPatientId) : null;
  return patientId === null ? undefined : { route: ctx.state.routePattern ?? null, patientId, patientIdProblem: null };
}

/**
 * Mounted outside the problem handler, so it sees the final status of every request, including
 * those refused before the router ran. If the entry cannot be written the answer becomes a 503.
 * `isPatientId` recognises a patient id in a path no patient route matched.
 */
export function patientRequestAuditMiddleware(router: Router<HttpState>, mounted: readonly MountedRoute[], audit: PatientRequestAuditor, isPatientId?: PatientIdTest): Middleware<HttpState> {
  const byPath = new Map<string, MountedRoute[]>();
  for (const m of mounted.filter((r) => r.route.touchesPatientData)) byPath.set(m.fullPath, [...(byPath.get(m.fullPath) ?? []), m]);
  return async (ctx, next) => {
    let thrown: { error: unknown } | undefined;
    try {
      await next();
    } catch (error) {
      thrown = { error };
    }
    const match = byPath.size > 0 ? matchPatientRoute(router, byPath, ctx) : undefined;
    const status = thrown ? 500 : ctx.status;
    const outcome = outcomeOf(ctx, match, isPatientId, status);
    if (outcome) {
      try {
        await audit({
          requestId: ctx.state.requestId,
          clientRequestId: ctx.state.clientRequestId,
          sourceAddress: ctx.state.sourceAddress,
          status,
          code: thrown ? 'internal_error' : problemCodeOf(ctx),
          ...outcome,
          principal: ctx.state.principal,
          decided: ctx.state.auditedDecision,
        });
      } catch (err) {
        ctx.state.log.error({ err, route: outcome.route }, 'a request naming a patient could not be audited');
        sendProblem(ctx, AUDIT_UNAVAILABLE);
        return;
      }
    }
    if (thrown) throw thrown.error;
  };
}
