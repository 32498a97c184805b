// Events of the clinical event log. Current state (records, care teams, grants) is derived by
// replaying them; every event names the account that caused it.
import type { PatientRecordInput } from '../../schemas/clinical.ts';
import type { RelativeRelationship } from '../../schemas/enrolment.ts';

/** How a link to a patient was proven: the enrolment that made it and the evidence checked in person. */
export interface LinkProof {
  enrolmentId: string;
  evidence: string;
}

export type ClinicalEvent =
  | { type: 'patient.recorded'; patientId: string; record: PatientRecordInput; actorId: string }
  | { type: 'care_team.added'; patientId: string; userId: string; actorId: string }
  | { type: 'care_team.removed'; patientId: string; userId: string; actorId: string }
  | { type: 'break_glass.granted'; grantId: string; patientId: string; userId: string; reason: string; expiresAt: string; actorId: string }
  /** `proof` is absent in older vaults, where admins linked proxies directly */
  | { type: 'proxy.linked'; patientId: string; userId: string; actorId: string; proof?: LinkProof }
  | { type: 'proxy.unlinked'; patientId: string; userId: string; actorId: string }
  /** a relative known to the patient's record; it grants nothing until the patient shares a result */
  | { type: 'relative.linked'; patientId: string; userId: string; actorId: string; relationship: RelativeRelationship; proof: LinkProof };
