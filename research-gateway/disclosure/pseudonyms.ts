// Per-project pseudonyms: HMAC-SHA-256 of the project id and the patient id under the vault's
// pseudonym key. Stable within a project (a researcher can follow one person across its answers),
// different in every project (two projects cannot join their records), and not reversible
// without the key.
import { createHmac } from 'node:crypto';

export function pseudonym(key: Uint8Array, projectId: string, patientId: string): string {
  return `ps_${createHmac('sha256', key).update(projectId).update('\0').update(patientId).digest('hex').slice(0, 20)}`;
}
