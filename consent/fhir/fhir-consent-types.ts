// The FHIR R4 shapes the consent export emits, and nothing more: every field in the output is
// one we chose to send.

import type { CodeableConcept, Coding } from '../../schemas/fhir-datatypes.ts';

export type { CodeableConcept, Coding };

/** Logical references only (identifier and type): accounts and recipients are not resources here. */
export interface Reference {
  reference?: string;
  type?: 'Patient' | 'RelatedPerson' | 'Organization' | 'Practitioner' | 'DocumentReference' | 'Observation';
  identifier?: { system: string; value: string };
  display?: string;
}

export interface Period {
  start?: string;
  end?: string;
}

export interface ConsentProvision {
  type?: 'deny' | 'permit';
  period?: Period;
  actor?: { role: CodeableConcept; reference: Reference }[];
  action?: CodeableConcept[];
  purpose?: Coding[];
  code?: CodeableConcept[];
  data?: { meaning: 'instance' | 'related' | 'dependents' | 'authoredby'; reference: Reference }[];
  provision?: ConsentProvision[];
}

export interface Consent {
  resourceType: 'Consent';
  id: string;
  meta: { versionId: string; lastUpdated: string };
  identifier: { system: string; value: string }[];
  status: 'active' | 'inactive';
  scope: CodeableConcept;
  category: CodeableConcept[];
  patient: Reference;
  dateTime: string;
  performer?: Reference[];
  sourceReference?: Reference;
  policy?: { uri: string }[];
  policyRule?: CodeableConcept;
  provision: ConsentProvision;
}

export interface ConsentBundle {
  resourceType: 'Bundle';
  id: string;
  type: 'collection';
  entry: { fullUrl: string; resource: Consent }[];
}
