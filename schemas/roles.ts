// The roles an account can hold: one list for accounts, the access policy and the API.
import { z } from 'zod';

export const ROLES = [
  'clinician',
  'genetic_counselor',
  'patient',
  'proxy',
  'researcher',
  'ethics_board',
  'insurer',
  'relative',
  'admin',
  'auditor',
  /** registration staff: register patients, assign care teams, proof identities for patient accounts */
  'registrar',
  /** reviews disclosures and patient-linked account creations (HIPAA privacy official) */
  'privacy_officer',
  /** the EHR integration's service account (API token or mutual TLS) */
  'ehr_service',
  /** the sequencing laboratory's service account: uploads VCFs, reads nothing */
  'lab_service',
  /** a named outside recipient (another hospital, a physician) of releases the patient authorized */
  'external_recipient',
] as const;
export type Role = (typeof ROLES)[number];

/**
 * The roles of service accounts: every role named `*_service`, and only those. A service account
 * holds nothing else, and a person never holds one of them. Derived from the name so that a new
 * integration role (`lab_service`...) falls on the right side without a second list to keep.
 */
export const SERVICE_ROLES: readonly Role[] = ROLES.filter((role) => role.endsWith('_service'));

export const RoleSchema = z.enum(ROLES);
