// The patient's research consent as the DUO matcher needs it: the current scope, or that the
// patient withdrew (and how), or that there is none. No consent means no research use.
import type { WithdrawalMode } from '../../schemas/consent/clinical-research.ts';
import type { ConsentScope } from '../../schemas/duo.ts';
import { directivesOf, type PatientConsents } from '../ledger/directive-view.ts';

export type ResearchConsent =
  | { status: 'consented'; scope: ConsentScope; directiveId: string; version: number }
  | { status: 'withdrawn'; mode: WithdrawalMode; directiveId: string }
  | { status: 'none' };

export function researchConsent(consents: PatientConsents): ResearchConsent {
  const [current] = directivesOf(consents, 'research_use');
  if (!current) return { status: 'none' };
  const d = current.directive;
  return d.status === 'consented'
    ? { status: 'consented', scope: d.scope, directiveId: current.directiveId, version: current.version }
    : { status: 'withdrawn', mode: d.mode, directiveId: current.directiveId };
}
