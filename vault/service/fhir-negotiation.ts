// Content negotiation for the routes that can answer FHIR: `Accept: application/fhir+json`
// (asked for by name, not reached through a wildcard) gets a FHIR R4 Bundle, anything else JSON.
import type { HttpRouterContext } from '../http/http-context.ts';

export const FHIR_JSON = 'application/fhir+json';

export function wantsFhir(ctx: HttpRouterContext): boolean {
  return ctx.accepts('application/json', FHIR_JSON) === FHIR_JSON && (ctx.get('accept') || '').includes(FHIR_JSON);
}
