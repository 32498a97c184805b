// The FHIR R4 shapes this exporter emits, and nothing more: a narrow type keeps us from
// adding a field by accident (every field in the output is one we chose to send).

import type { CodeableConcept, Coding } from '../../../schemas/fhir-datatypes.ts';

export type { CodeableConcept, Coding };

export interface Reference {
  /** always `urn:uuid:...`, resolved against an entry's fullUrl in the same Bundle */
  reference: string;
}

export interface Identifier {
  use: 'usual' | 'official';
  type: CodeableConcept;
  system: string;
  value: string;
}

export interface HumanName {
  use: 'official';
  family: string;
  given: string[];
}

export interface Address {
  postalCode: string;
}

export interface Quantity {
  value: number;
  /** UCUM, when the quantity has a unit (`system` http://unitsofmeasure.org) */
  unit?: string;
  system?: string;
  code?: string;
}

export interface Range {
  low: Quantity;
  high: Quantity;
}

export interface ObservationComponent {
  code: CodeableConcept;
  valueCodeableConcept?: CodeableConcept;
  valueString?: string;
  valueQuantity?: Quantity;
  valueRange?: Range;
}

export type AdministrativeGender = 'male' | 'female' | 'other' | 'unknown';

export interface Patient {
  resourceType: 'Patient';
  id: string;
  identifier: Identifier[];
  name: HumanName[];
  gender: AdministrativeGender;
  birthDate: string;
  address: Address[];
}

export interface Condition {
  resourceType: 'Condition';
  id: string;
  code: CodeableConcept;
  subject: Reference;
}

/** What the Observations and the DiagnosticReport share: a profile, a code, a category, a subject. */
interface ProfiledFinding {
  id: string;
  meta: { profile: string[]; security?: Coding[] };
  status: 'final';
  category: CodeableConcept[];
  code: CodeableConcept;
  subject: Reference;
}

export interface Observation extends ProfiledFinding {
  resourceType: 'Observation';
  valueCodeableConcept?: CodeableConcept;
  derivedFrom?: Reference[];
  component: ObservationComponent[];
  note?: { text: string }[];
}

export interface DiagnosticReport extends ProfiledFinding {
  resourceType: 'DiagnosticReport';
  /** when the report was produced (this export) */
  issued: string;
  result: Reference[];
  conclusion: string;
}

export type FhirResource = Patient | Condition | Observation | DiagnosticReport;

export interface BundleEntry {
  fullUrl: string;
  resource: FhirResource;
}

export interface Bundle {
  resourceType: 'Bundle';
  id: string;
  type: 'collection';
  timestamp: string;
  entry: BundleEntry[];
}
