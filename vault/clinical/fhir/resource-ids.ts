// Resource ids and fullUrls: stable (the same patient, condition or variant gets the same id in
// every export, so a receiving system can update instead of duplicating) and non-identifying
// (derived from the vault's internal patient id, never from the MRN or a name).
import { createHash, createHmac } from 'node:crypto';

const DOMAIN = 'genovault/fhir-resource-id/v1';

/**
 * A UUID (version 8, RFC 9562: application-defined) from SHA-256 of the parts. With `key`,
 * HMAC-SHA-256 instead: an id that embeds a variant's position could otherwise be confirmed by
 * someone who knows the patient id and guesses the variant; a vault secret closes that door.
 */
export function stableUuid(parts: readonly string[], key?: Uint8Array): string {
  const message = [DOMAIN, ...parts].join('\u0000');
  const digest = key ? createHmac('sha256', key).update(message).digest() : createHash('sha256').update(message).digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function fullUrlOf(id: string): string {
  return `urn:uuid:${id}`;
}

/**
 * Counts repeats of a key, so that two identical inputs (the same variant called in two samples
 * of one patient, a condition entered twice) still get distinct, stable ids: the n-th repeat in
 * input order gets occurrence n.
 */
export class OccurrenceCounter {
  private readonly seen = new Map<string, number>();

  next(key: string): number {
    const n = this.seen.get(key) ?? 0;
    this.seen.set(key, n + 1);
    return n;
  }
}
