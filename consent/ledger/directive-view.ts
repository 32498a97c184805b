// What the evaluations read about one directive, and what the ledger keeps about it.
import type { Directive, DirectiveKind } from '../../schemas/consent/directive.ts';
import type { Evidence, RecordedBy } from '../../schemas/consent/events.ts';

/** One directive in its latest version, as evaluation sees it. */
export interface DirectiveView<D extends Directive = Directive> {
  directiveId: string;
  patientId: string;
  /** the latest version (a revocation is a version too) */
  version: number;
  /** the content of the latest grant or amendment (kept after a revocation, for the record) */
  directive: D;
  grantedAt: string;
  updatedAt: string;
  /** set once revoked; it permits nothing from this moment on, and nothing before it is undone */
  revokedAt?: string;
  /** `legacy_proxy_link`: converted from a proxy link of the clinical log (see legacy-proxy-link.ts) */
  source: 'ledger' | 'legacy_proxy_link';
}

/** A directive as the ledger holds it: the view plus who recorded its latest version, from what. */
export interface DirectiveRecord<D extends Directive = Directive> extends DirectiveView<D> {
  kind: DirectiveKind;
  recordedBy: RecordedBy;
  evidence?: Evidence;
}

/** One patient's directives in force: the input of every evaluation. */
export interface PatientConsents {
  patientId: string;
  directives: readonly DirectiveView[];
}

export function directivesOf<K extends DirectiveKind>(consents: PatientConsents, kind: K): DirectiveView<Extract<Directive, { kind: K }>>[] {
  return consents.directives.filter((d): d is DirectiveView<Extract<Directive, { kind: K }>> => d.directive.kind === kind && d.revokedAt === undefined);
}
