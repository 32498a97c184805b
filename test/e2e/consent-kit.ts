// Consent directives recorded the way people record them (over the API, as the patient or a
// counselor), the directives the consent tests use, and a VCF whose variants fall in each
// findings category: BRCA1 (ACMG secondary findings), CFTR (carrier status and pharmacogenomic),
// CYP2C19 (pharmacogenomic), APOE (adult onset) and GAPDH (no category).
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { World } from './service-world.ts';
import type { HttpResult } from '../helpers/http-client.ts';
import type { Role } from '../../vault/identity/roles.ts';
import type { InsurerType } from '../../schemas/consent/release-authorization.ts';
import { PASSWORD } from './service-world.ts';
import { enrolStaff } from '../helpers/enrol-accounts.ts';

export const FINDINGS_VCF = { path: fileURLToPath(new URL('../fixtures/consent/findings-grch38.vcf', import.meta.url)), sample: 'SAMPLE1' };

/** The fixture's variants by gene, as the findings views must show or withhold them. */
export const SITES = {
  CFTR: { chrom: 'chr7', pos: 117559590, ref: 'ATCT', alt: 'A' },
  CYP2C19: { chrom: 'chr10', pos: 94781859, ref: 'G', alt: 'A' },
  GAPDH: { chrom: 'chr12', pos: 6534600, ref: 'A', alt: 'G' },
  BRCA1: { chrom: 'chr17', pos: 43045712, ref: 'C', alt: 'T' },
  APOE: { chrom: 'chr19', pos: 44908684, ref: 'T', alt: 'C' },
} as const;

export type DirectiveBody = Record<string, unknown> & { kind: string };

/** What the patient chooses not to learn: carrier status and adult-onset conditions. */
export const DECLINE_CARRIER_AND_ADULT_ONSET: DirectiveBody = {
  kind: 'findings_preferences',
  categories: { acmg_secondary: 'wish', carrier_status: 'decline', pharmacogenomic: 'wish', adult_onset: 'decline' },
};

const AUTHORIZATION = {
  discloser: 'Genetics Department, General Hospital',
  information: { categories: ['pharmacogenomic'] },
  purposes: [{ code: 'claims' }],
  expiry: { on: '2027-06-30' },
  signature: { reference: 'auth-form-881', signedOn: '2026-01-15', signer: { type: 'patient' } },
  statements: { rightToRevoke: true, noConditioning: true, redisclosure: true },
};

export function insurerRelease(recipientId: string, insurerType: InsurerType = 'life', overrides: Record<string, unknown> = {}): DirectiveBody {
  return { kind: 'insurer_release', recipient: { id: recipientId, name: 'Lifeline Mutual', insurerType }, ...AUTHORIZATION, ...overrides };
}

export function thirdPartyRelease(recipientId: string, overrides: Record<string, unknown> = {}): DirectiveBody {
  return { kind: 'third_party_release', recipient: { id: recipientId, name: 'Riverside Hospital', type: 'hospital' }, ...AUTHORIZATION, purposes: [{ code: 'continuing_care' }], ...overrides };
}

export function proxyDirective(proxyAccountId: string, overrides: Record<string, unknown> = {}): DirectiveBody {
  return { kind: 'proxy', proxyKind: 'legal_representative', proxyAccountId, documentation: 'poa-2025-17', permissions: ['view_record', 'view_results', 'view_access_log', 'manage_consents', 'authorize_releases'], ...overrides };
}

export function familyShare(relativeAccountId: string, share: Record<string, unknown>): DirectiveBody {
  return { kind: 'family_sharing', relative: { accountId: relativeAccountId, relationship: 'sibling' }, share };
}

export interface Recorded {
  directiveId: string;
  version: number;
}

/** Grants as whoever `token` belongs to; a counselor passes `evidence`. Fails the test unless 201. */
export async function grant(w: World, token: string, patientId: string, directive: DirectiveBody, evidence?: string): Promise<Recorded> {
  const r = await w.http<Recorded>(`/patients/${patientId}/consents`, { method: 'POST', token, body: { directive, ...(evidence ? { evidence: { reference: evidence } } : {}) } });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

export async function revoke(w: World, token: string, patientId: string, recorded: Recorded, evidence?: string): Promise<HttpResult<Recorded>> {
  const r = await w.http<Recorded>(`/patients/${patientId}/consents/${recorded.directiveId}/revoke`, {
    method: 'POST', token, body: { replaces: recorded.version, ...(evidence ? { evidence: { reference: evidence } } : {}) },
  });
  assert.equal(r.status, 200, r.text);
  return r;
}

/** proxy_a's directive for patient A (made at its enrolment), amended by the counsellor to these permissions, citing a court order; answers its id. */
export async function setProxyPermissions(w: World, counselorToken: string, permissions: string[]): Promise<Recorded> {
  const proxyAccountId = w.accounts.proxy_a!.accountId;
  const current = w.service.consents.current(w.patientA).directives.find((d) => d.directive.kind === 'proxy' && d.directive.proxyAccountId === proxyAccountId)!;
  const r = await w.http<Recorded>(`/patients/${w.patientA}/consents/${current.directiveId}`, {
    method: 'POST', token: counselorToken, body: { replaces: current.version, directive: proxyDirective(proxyAccountId, { permissions }), evidence: { reference: 'court-order-2026-9' } },
  });
  assert.equal(r.status, 200, r.text);
  return r.body;
}

/** A staff account made by the host for the test (an insurer records its type), logged in. */
export async function addStaff(w: World, username: string, role: Role, insurerType?: InsurerType): Promise<{ accountId: string; token: string }> {
  w.accounts[username] = await enrolStaff(w.service, username, [role], PASSWORD, insurerType);
  return { accountId: w.accounts[username].accountId, token: await w.login(username) };
}

/**
 * A research project the world's researcher proposes and the ethics board approves, through the
 * service's own research gateway: what the policy's research rules then learn its purpose from.
 */
export async function approvedResearchProject(w: World, purpose: string[], extra: Record<string, unknown> = {}): Promise<string> {
  const caller = (name: 'researcher' | 'ethics', roles: string[]) => ({ accountId: w.accounts[name]!.accountId, roles, requestId: `setup-${name}` });
  const proposed = await w.service.research.propose(caller('researcher', ['researcher']), {
    title: 'A consented cohort', purpose, forProfit: false, commercial: false, sensitive: [], commitments: [], country: 'US', members: [], level: 'count', start: '2026-01-01', end: '2026-12-31', ...extra,
  });
  await w.service.research.decide(caller('ethics', ['ethics_board']), proposed.projectId, { decision: 'approve', reason: 'approved for the test' });
  return proposed.projectId;
}
