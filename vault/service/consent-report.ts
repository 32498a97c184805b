// What oversight (the ethics board, auditors, the privacy officer) sees of consents: counts of
// directives by kind and state, research consents by DUO permission and withdrawals by mode,
// clinical-use choices. Never a patient's directive, never a patient id.
import { DIRECTIVE_KINDS, type DirectiveKind } from '../../schemas/consent/directive.ts';
import { DUO_PERMISSION } from '../../schemas/duo.ts';
import type { ConsentLedger } from '../../consent/ledger/consent-ledger.ts';

const PERMISSION_NAME = new Map<string, string>(Object.entries(DUO_PERMISSION).map(([name, id]) => [id, name]));

export function consentReport(ledger: ConsentLedger, hospitalDefault: 'permit' | 'deny') {
  const counts = new Map<DirectiveKind, { inForce: number; revoked: number }>(DIRECTIVE_KINDS.map((kind) => [kind, { inForce: 0, revoked: 0 }]));
  const byPermission: Record<string, number> = {};
  const withdrawn: Record<string, number> = {};
  const clinicalUse = { permit: 0, deny: 0, hospitalDefault };
  const patients = ledger.patientIds();
  for (const patientId of patients) {
    for (const record of ledger.directives(patientId)) {
      const count = counts.get(record.kind)!;
      if (record.revokedAt !== undefined) {
        count.revoked += 1;
        continue;
      }
      count.inForce += 1;
      const d = record.directive;
      if (d.kind === 'clinical_use') clinicalUse[d.decision] += 1;
      if (d.kind === 'research_use' && d.status === 'consented') {
        const name = PERMISSION_NAME.get(d.scope.permission) ?? d.scope.permission;
        byPermission[name] = (byPermission[name] ?? 0) + 1;
      }
      if (d.kind === 'research_use' && d.status === 'withdrawn') withdrawn[d.mode] = (withdrawn[d.mode] ?? 0) + 1;
    }
  }
  return { patients: patients.length, byKind: [...counts].map(([kind, c]) => ({ kind, ...c })), research: { byPermission, withdrawn }, clinicalUse };
}
