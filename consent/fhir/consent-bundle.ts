// A patient's directives as a FHIR R4 Bundle of Consent resources, for
// `Accept: application/fhir+json` on the consents route. A pure function: no I/O, no logging;
// the caller has already passed authorize() and audited the read.
import { createHash } from 'node:crypto';
import type { DirectiveRecord, DirectiveView } from '../ledger/directive-view.ts';
import type { Consent, ConsentBundle, Reference } from './fhir-consent-types.ts';
import { SYSTEM } from './consent-terminology.ts';
import { consentShape } from './provisions.ts';
import { documentReference } from './references.ts';

export interface ConsentExportInput {
  /** how the Consents point at the patient (e.g. the Patient entry's urn:uuid in a combined export) */
  patient: Reference;
  /** the directives to export: in force, and revoked ones too if the reader should see them (as inactive) */
  directives: readonly (DirectiveView | DirectiveRecord)[];
  /** the hospital's consent policy, cited on every Consent */
  policyUri?: string;
  ageOfMajority?: number;
}

/** A stable UUID (version 8) per directive version: a receiver can update instead of duplicating. */
function consentUuid(directiveId: string, version: number): string {
  const bytes = createHash('sha256').update(`genovault/fhir-consent-id/v1\u0000${directiveId}\u0000${version}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Who agreed: the patient, unless a proxy recorded it or a representative signed it. */
function performerOf(view: DirectiveView | DirectiveRecord, patient: Reference, shapePerformer: Reference | undefined): Reference[] {
  if (shapePerformer) return [shapePerformer];
  if ('recordedBy' in view && view.recordedBy.role === 'proxy') return [{ type: 'RelatedPerson', identifier: { system: SYSTEM.accountId, value: view.recordedBy.accountId } }];
  return [patient];
}

export function consentResource(view: DirectiveView | DirectiveRecord, input: Omit<ConsentExportInput, 'directives'>): Consent {
  const shape = consentShape(view.directive, input.ageOfMajority);
  const evidence = 'evidence' in view ? view.evidence?.reference : undefined;
  const document = shape.document ?? evidence;
  return {
    resourceType: 'Consent',
    id: consentUuid(view.directiveId, view.version),
    meta: { versionId: String(view.version), lastUpdated: view.updatedAt },
    identifier: [{ system: SYSTEM.directiveId, value: view.directiveId }],
    status: view.revokedAt === undefined ? 'active' : 'inactive',
    scope: { coding: [shape.scope] },
    category: shape.category.map((coding) => ({ coding: [coding] })),
    patient: input.patient,
    dateTime: view.updatedAt,
    performer: performerOf(view, input.patient, shape.performer),
    ...(document ? { sourceReference: documentReference(document) } : {}),
    ...(input.policyUri ? { policy: [{ uri: input.policyUri }] } : {}),
    policyRule: { coding: [shape.policyRule] },
    provision: shape.provision,
  };
}

export function consentBundle(input: ConsentExportInput): ConsentBundle {
  const entry = input.directives.map((view) => {
    const resource = consentResource(view, input);
    return { fullUrl: `urn:uuid:${resource.id}`, resource };
  });
  const id = consentUuid(`bundle\u0000${entry.map((e) => e.resource.id).join('\u0000')}`, 0);
  return { resourceType: 'Bundle', id, type: 'collection', entry };
}
