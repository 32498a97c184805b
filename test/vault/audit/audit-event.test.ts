// The audit event's origin and outcome fields: optional (entries written before them still
// parse), shaped so that nothing but an address, an id, a route pattern, a status, a code or a
// count can be written there.
import { strict as assert } from 'node:assert';
import { parseAuditEvent, AuditEventError, type AuditEvent } from '../../../vault/audit/audit-event.ts';

const base: AuditEvent = {
  requestId: '6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f',
  actorId: 'acc_0123456789abcdef',
  actorRoles: ['clinician'],
  action: 'request',
  resource: 'http',
  patientId: 'p_0123456789abcdef',
  purpose: null,
  decision: 'failure',
  rule: null,
};

describe('audit event origin and outcome fields', () => {
  it('accepts an entry without them, as older entries are', () => {
    assert.deepEqual(parseAuditEvent(base), base);
  });

  it('accepts addresses, ids, route patterns, statuses, codes and counts', () => {
    const full: AuditEvent = {
      ...base,
      sourceAddress: '::ffff:127.0.0.1',
      clientRequestId: 'proxy-req-000123',
      route: 'PATCH /v1/patients/:id',
      status: 415,
      outcome: 'unsupported_media_type',
      command: 'keys.rotate',
      targetId: 's_0123456789abcdef',
      counts: { rows: 12, samples: 0 },
      policyVersion: 3,
      relations: { care_team: true, break_glass: false, clinical_consent: true },
    };
    assert.deepEqual(parseAuditEvent(full), full);
    assert.equal(parseAuditEvent({ ...base, sourceAddress: '10.0.0.7' }).sourceAddress, '10.0.0.7');
    assert.equal(parseAuditEvent({ ...base, route: 'M-SEARCH /v1/patients/:id' }).route, 'M-SEARCH /v1/patients/:id', 'any method node accepts');
  });

  it('refuses anything else there, naming the field without its value', () => {
    const bad: [Partial<Record<keyof AuditEvent, unknown>>, string][] = [
      [{ sourceAddress: 'evil.example.com' }, 'sourceAddress'],
      [{ sourceAddress: '127.0.0.1\n{"forged":true}' }, 'sourceAddress'],
      [{ clientRequestId: 'id with spaces' }, 'clientRequestId'],
      [{ route: '/v1/patients/MRN-123?name=Ada Lovelace' }, 'route'],
      [{ route: 'GET /v1/patients/p_1?mrn=MRN-123' }, 'route'],
      [{ status: 42 }, 'status'],
      [{ outcome: 'Bad Thing' }, 'outcome'],
      [{ command: 'variants --patient MRN-123' }, 'command'],
      [{ counts: { rows: -1 } }, 'counts.rows'],
      [{ counts: { 'Jane Doe': 1 } }, 'counts'],
      [{ policyVersion: 0 }, 'policyVersion'],
      [{ policyVersion: 1.5 }, 'policyVersion'],
      [{ relations: { care_team: 'yes' } }, 'relations.care_team'],
      [{ relations: { 'Jane Doe': true } }, 'relations'],
      [{ relations: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`fact_${i}`, true])) }, 'relations'],
    ];
    for (const [fields, field] of bad) {
      assert.throws(
        () => parseAuditEvent({ ...base, ...fields }),
        (err: unknown) => err instanceof AuditEventError && err.field.startsWith(field) && !/MRN|Ada|Jane|evil|forged/.test(err.message),
        JSON.stringify(fields),
      );
    }
  });
});
