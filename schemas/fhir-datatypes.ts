// FHIR R4 datatypes every exporter here shares (the clinical record's and the consents'); each
// exporter declares its own resources on top, narrow, so no field is sent by accident.

export interface Coding {
  system: string;
  code: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}
