// Events of the clinical event log. Current state (records, care teams, grants) is derived by
// replaying them; every event names the account that caused it.
import type { PatientRecordInput } from '../../schemas/clinical.ts';

export type ClinicalEvent =
  | { type: 'patient.recorded'; patientId: string; record: PatientRecordInput; actorId: string }
  | { type: 'care_team.added'; patientId: string; userId: string; actorId: string }
  | { type: 'care_team.removed'; patientId: string; userId: string; actorId: string }
  | { type: 'break_glass.granted'; grantId: string; patientId: string; userId: string; reason: string; expiresAt: string; actorId: string }
  | { type: 'proxy.linked'; patientId: string; userId: string; actorId: string }
  | { type: 'proxy.unlinked'; patientId: string; userId: string; actorId: string };
