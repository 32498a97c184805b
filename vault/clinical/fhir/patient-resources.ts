// The clinical record → one Patient and one Condition per recorded condition. Only the fields
// named here leave the vault: the record's version, update time and author stay inside.
import type { PatientRecord } from '../../../schemas/clinical.ts';
import type { AdministrativeGender, Condition, Patient, Reference } from './fhir-types.ts';
import { MEDICAL_RECORD_NUMBER, SYSTEM } from './terminology.ts';

/** The parts of a PatientRecord the export reads; anything else on the record is never copied. */
export type ExportedRecord = Pick<PatientRecord, 'patientId' | 'mrn' | 'givenName' | 'familyName' | 'birthDate' | 'sex' | 'zip' | 'conditions'>;

export type RecordedCondition = ExportedRecord['conditions'][number];

// Our `sex` field uses the same four words as FHIR's administrative gender; the map keeps the
// two vocabularies apart in case either grows.
const GENDER: Record<ExportedRecord['sex'], AdministrativeGender> = { female: 'female', male: 'male', other: 'other', unknown: 'unknown' };

const CONDITION_SYSTEM: Record<RecordedCondition['system'], string> = { icd10: SYSTEM.icd10, hpo: SYSTEM.hpo };

export function patientResource(id: string, record: ExportedRecord, mrnSystem: string): Patient {
  return {
    resourceType: 'Patient',
    id,
    identifier: [{ use: 'usual', type: { coding: [{ ...MEDICAL_RECORD_NUMBER }] }, system: mrnSystem, value: record.mrn }],
    name: [{ use: 'official', family: record.familyName, given: [record.givenName] }],
    gender: GENDER[record.sex],
    birthDate: record.birthDate,
    address: [{ postalCode: record.zip }],
  };
}

export function conditionResource(id: string, condition: RecordedCondition, subject: Reference): Condition {
  const coding = { system: CONDITION_SYSTEM[condition.system], code: condition.code, ...(condition.display ? { display: condition.display } : {}) };
  return {
    resourceType: 'Condition',
    id,
    code: { coding: [coding], ...(condition.display ? { text: condition.display } : {}) },
    subject,
  };
}
