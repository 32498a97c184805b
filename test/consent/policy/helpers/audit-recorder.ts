// Collects the audit events authorize() emits, in order.
import type { AuthorizationAuditEvent } from '../../../../consent/policy/authorize.ts';

export function auditRecorder(): { events: AuthorizationAuditEvent[]; audit: (event: AuthorizationAuditEvent) => Promise<void> } {
  const events: AuthorizationAuditEvent[] = [];
  return {
    events,
    audit: async (event) => {
      await Promise.resolve();
      events.push(event);
    },
  };
}
