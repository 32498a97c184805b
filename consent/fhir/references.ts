// Logical references to the people and documents a directive names. Accounts, recipients and
// signed forms are not FHIR resources in the export: they are named by identifier and type.
import type { Relative } from '../../schemas/consent/findings-family.ts';
import type { VariantRef } from '../../schemas/consent/result-scope.ts';
import { variantKey } from '../evaluation/result-coverage.ts';
import type { Reference } from './fhir-consent-types.ts';
import { SYSTEM } from './consent-terminology.ts';

export function accountReference(accountId: string, type: 'RelatedPerson' | 'Organization' | 'Practitioner' = 'RelatedPerson'): Reference {
  return { type, identifier: { system: SYSTEM.accountId, value: accountId } };
}

export function relativeReference(relative: Relative): Reference {
  return 'accountId' in relative ? accountReference(relative.accountId) : { type: 'RelatedPerson', display: relative.name };
}

export function recipientReference(id: string, name: string, type: 'Organization' | 'Practitioner'): Reference {
  return { type, identifier: { system: SYSTEM.recipientId, value: id }, display: name };
}

export function documentReference(reference: string): Reference {
  return { type: 'DocumentReference', identifier: { system: SYSTEM.document, value: reference } };
}

export function variantReference(variant: VariantRef): Reference {
  return { type: 'Observation', identifier: { system: SYSTEM.variant, value: variantKey(variant) } };
}
