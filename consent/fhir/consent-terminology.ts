// Every code system and code the consent export uses. Standard systems where one fits; the
// vault's own `urn:genovault:` systems for what no standard names (findings categories,
// withdrawal modes, identifiers of accounts, directives and documents).
import type { Coding } from './fhir-consent-types.ts';
import type { Relationship } from '../../schemas/consent/findings-family.ts';
import type { ProxyKind } from '../../schemas/consent/proxy.ts';
import type { ReleasePurpose } from '../../schemas/consent/release-authorization.ts';

export const SYSTEM = {
  consentScope: 'http://terminology.hl7.org/CodeSystem/consentscope',
  consentCategory: 'http://terminology.hl7.org/CodeSystem/consentcategorycodes',
  consentPolicy: 'http://terminology.hl7.org/CodeSystem/consentpolicycodes',
  consentAction: 'http://terminology.hl7.org/CodeSystem/consentaction',
  loinc: 'http://loinc.org',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  actReason: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  roleCode: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode',
  participationType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  duo: 'http://purl.obolibrary.org/obo/duo.owl',
  doid: 'http://purl.obolibrary.org/obo/doid.owl',
  mondo: 'http://purl.obolibrary.org/obo/mondo.owl',
  findingsCategory: 'urn:genovault:findings-category',
  withdrawalMode: 'urn:genovault:research-withdrawal-mode',
  releasePurpose: 'urn:genovault:release-purpose',
  directiveId: 'urn:genovault:consent-directive',
  accountId: 'urn:genovault:account-id',
  recipientId: 'urn:genovault:recipient-id',
  document: 'urn:genovault:document',
  variant: 'urn:genovault:variant',
} as const;

export const SCOPE = {
  research: { system: SYSTEM.consentScope, code: 'research', display: 'Research' },
  privacy: { system: SYSTEM.consentScope, code: 'patient-privacy', display: 'Privacy Consent' },
  treatment: { system: SYSTEM.consentScope, code: 'treatment', display: 'Treatment' },
} satisfies Record<string, Coding>;

export const CATEGORY = {
  patientConsent: { system: SYSTEM.loinc, code: '59284-0', display: 'Patient Consent' },
  releaseOfInformation: { system: SYSTEM.loinc, code: '64292-6', display: 'Release of information consent' },
  research: { system: SYSTEM.consentCategory, code: 'research', display: 'Research Information Access' },
} satisfies Record<string, Coding>;

export const POLICY_RULE = {
  optIn: { system: SYSTEM.actCode, code: 'OPTIN', display: 'opt-in' },
  optOut: { system: SYSTEM.actCode, code: 'OPTOUT', display: 'opt-out' },
  hipaaAuthorization: { system: SYSTEM.consentPolicy, code: 'hipaa-auth', display: 'HIPAA Authorization' },
} satisfies Record<string, Coding>;

export const ACTION = {
  access: { system: SYSTEM.consentAction, code: 'access', display: 'Access' },
  use: { system: SYSTEM.consentAction, code: 'use', display: 'Use' },
  disclose: { system: SYSTEM.consentAction, code: 'disclose', display: 'Disclose' },
} satisfies Record<string, Coding>;

export const PURPOSE = {
  treatment: { system: SYSTEM.actReason, code: 'TREAT', display: 'treatment' },
  research: { system: SYSTEM.actReason, code: 'HRESCH', display: 'healthcare research' },
} satisfies Record<string, Coding>;

/** v3-ActReason where it says the same thing; our own code where it does not. */
export const RELEASE_PURPOSE: Record<ReleasePurpose, Coding> = {
  underwriting: { system: SYSTEM.releasePurpose, code: 'underwriting' },
  claims: { system: SYSTEM.actReason, code: 'HPAYMT', display: 'healthcare payment' },
  continuing_care: PURPOSE.treatment,
  second_opinion: { system: SYSTEM.releasePurpose, code: 'second_opinion' },
  legal: { system: SYSTEM.releasePurpose, code: 'legal' },
  at_request_of_individual: { system: SYSTEM.actReason, code: 'PATRQT', display: 'patient requested' },
  other: { system: SYSTEM.releasePurpose, code: 'other' },
};

export const INFORMATION_RECIPIENT: Coding = { system: SYSTEM.participationType, code: 'IRCP', display: 'information recipient' };

export const RELATIONSHIP_ROLE: Record<Relationship, Coding> = {
  parent: { system: SYSTEM.roleCode, code: 'PRN', display: 'parent' },
  child: { system: SYSTEM.roleCode, code: 'CHILD', display: 'child' },
  sibling: { system: SYSTEM.roleCode, code: 'SIB', display: 'sibling' },
  half_sibling: { system: SYSTEM.roleCode, code: 'HSIB', display: 'half-sibling' },
  spouse: { system: SYSTEM.roleCode, code: 'SPS', display: 'spouse' },
  domestic_partner: { system: SYSTEM.roleCode, code: 'DOMPART', display: 'domestic partner' },
  grandparent: { system: SYSTEM.roleCode, code: 'GRPRN', display: 'grandparent' },
  grandchild: { system: SYSTEM.roleCode, code: 'GRNDCHILD', display: 'grandchild' },
  aunt: { system: SYSTEM.roleCode, code: 'AUNT', display: 'aunt' },
  uncle: { system: SYSTEM.roleCode, code: 'UNCLE', display: 'uncle' },
  niece: { system: SYSTEM.roleCode, code: 'NIECE', display: 'niece' },
  nephew: { system: SYSTEM.roleCode, code: 'NEPHEW', display: 'nephew' },
  cousin: { system: SYSTEM.roleCode, code: 'COUSN', display: 'cousin' },
  other_family: { system: SYSTEM.roleCode, code: 'FAMMEMB', display: 'family member' },
};

export const PROXY_ROLE: Record<ProxyKind, Coding> = {
  legal_representative: { system: SYSTEM.roleCode, code: 'POWATT', display: 'power of attorney' },
  parent_of_minor: { system: SYSTEM.roleCode, code: 'PRN', display: 'parent' },
  guardian: { system: SYSTEM.roleCode, code: 'GUARD', display: 'guardian' },
};
