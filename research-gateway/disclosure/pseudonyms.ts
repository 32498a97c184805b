// Per-project pseudonyms: HMAC-SHA-256 of the project id and the patient id under the vault's
// pseudonym key. Stable within a project (a researcher can follow one person across its answers),
// different in every project (two projects cannot join their records), and not reversible
// without the key.
import { createHmac } from 'node:crypto';

export function pseudonym(key: Uint8Array, projectId: string, patientId: string): string {
  return `ps_${createHmac('sha256', key).update(projectId).update('\0').update(patientId).digest('hex').slice(0, 20)}`;
}

/** Pseudonyms already computed, per key: a records answer names thousands of patients, mostly the same ones each time. */
const known = new WeakMap<Uint8Array, Map<string, string>>();
/** ~100 bytes each: at most ~30 MiB, then forgotten and computed again */
const KEPT = 300_000;

/** The same as pseudonym(), remembered. */
export function pseudonymOf(key: Uint8Array, projectId: string, patientId: string): string {
  let byProjectPatient = known.get(key);
  if (!byProjectPatient || byProjectPatient.size >= KEPT) known.set(key, (byProjectPatient = new Map<string, string>()));
  const slot = `${projectId}\0${patientId}`;
  let value = byProjectPatient.get(slot);
  if (value === undefined) byProjectPatient.set(slot, (value = pseudonym(key, projectId, patientId)));
  return value;
}
