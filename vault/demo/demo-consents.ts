// The demo's consent directives, recorded as the consent routes record them (the ledger, after
// the same checks of the people a directive names): by the patient for their own shares and
// releases, by a genetic counselor citing the signed form, by the proxy within their directive.
// Together they give every role something to be permitted and something to be refused:
//   the focus patient shares their BRCA1 finding with the relative, authorizes the demo (life)
//     insurer to receive it for underwriting, and the demo hospital to receive their ACMG
//     secondary findings for continuing care;
//   the proxy's patient, under a proxy directive (no power to authorize releases), declined to
//     learn ACMG secondary findings: clinicians see those rows masked, the proxy not at all;
//   another patient denied clinical use of their genome: clinicians read the record, not the variants;
//   a third signed an authorization for the demo insurer that has since expired.
import type { DirectiveInput } from '../../consent/ledger/consent-ledger.ts';
import { DirectiveSchema } from '../../schemas/consent/directive.ts';
import type { RecordedBy } from '../../schemas/consent/events.ts';
import type { ReleasePurpose } from '../../schemas/consent/release-authorization.ts';
import type { VariantRef } from '../../schemas/consent/result-scope.ts';
import { categoriesOfGene } from '../../consent/genes/gene-categories.ts';
import { checkNamedParties } from '../service/consent-recording.ts';
import type { VaultService } from '../service/open-service.ts';
import type { PatientVariant } from '../store/patient-variant.ts';
import type { Role } from '../identity/roles.ts';
import type { DemoAccount, DemoFocus } from './demo-accounts.ts';
import { isPathogenic } from './demo-report.ts';
import { KNOWN_GENES } from './synthetic/index.ts';

/** What the demo's directives are about, for the printed trials and their test. */
export interface DemoConsents {
  /** the focus patient's findings shared with the relative and released to the insurer */
  sharedVariants: VariantRef[];
  /** what the focus patient's authorization lets the insurer ask for */
  insurerPurpose: ReleasePurpose;
  /** what the authorization to the demo hospital names */
  recipientPurpose: ReleasePurpose;
  /** the proxy's patient, who declined to learn ACMG secondary findings */
  declinedFindingsPatientId: string;
  /** a gene in which that patient has calls (all the generator's annotated genes are ACMG genes) */
  declinedGene: string;
  /** denied clinical use of their genome */
  clinicalUseDeniedPatientId: string;
  /** holds an expired authorization for the demo insurer */
  expiredAuthorizationPatientId: string;
}

const DISCLOSER = 'Genetics Department, GenoVault demo hospital';
const STATEMENTS = { rightToRevoke: true, noConditioning: true, redisclosure: true };

/** `days` after (or before, when negative) the calendar date `day`. */
export function daysAfter(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const refOf = (v: PatientVariant): VariantRef => ({ build: 'GRCh38', chrom: v.chrom, pos: v.pos, ref: v.ref, alt: v.alt });

/** The focus patient's BRCA1 result: its pathogenic calls, else its first BRCA1 call. */
async function brca1Result(service: VaultService, patientId: string): Promise<VariantRef[]> {
  const calls = (await service.queries.variantsOfPatient(patientId, { gene: 'BRCA1' })).variants;
  const pathogenic = calls.filter(isPathogenic);
  const chosen = pathogenic.length > 0 ? pathogenic : calls.slice(0, 1);
  if (chosen.length === 0) throw new Error('the demo focus patient has no BRCA1 call to share');
  return chosen.map(refOf);
}

/** The first annotated gene in which the patient has a call in an ACMG secondary-findings gene. */
async function acmgGeneOf(service: VaultService, patientId: string): Promise<string> {
  for (const { symbol } of KNOWN_GENES) {
    if (!categoriesOfGene(symbol).includes('acmg_secondary')) continue;
    if ((await service.queries.variantsOfPatient(patientId, { gene: symbol })).variants.length > 0) return symbol;
  }
  throw new Error('the proxy\u2019s demo patient has no call in an ACMG secondary-findings gene');
}

/** Records the demo's directives; the accounts are the demo's, the patients those `focus` names. */
export async function recordDemoConsents(service: VaultService, accounts: readonly DemoAccount[], focus: DemoFocus): Promise<DemoConsents> {
  const idOf = (role: Role) => accounts.find((a) => a.role === role)!.accountId;
  const today = new Date(service.now()).toISOString().slice(0, 10);
  const counselor: RecordedBy = { accountId: idOf('genetic_counselor'), role: 'genetic_counselor' };
  const patient: RecordedBy = { accountId: idOf('patient'), role: 'patient' };
  const proxy: RecordedBy = { accountId: idOf('proxy'), role: 'proxy' };
  const record = async (patientId: string, directive: DirectiveInput, recordedBy: RecordedBy, evidence?: string) => {
    checkNamedParties(service, patientId, DirectiveSchema.parse(directive));
    await service.consents.grant({ patientId, directive, recordedBy, ...(evidence ? { evidence: { reference: evidence } } : {}) });
  };
  const signed = (reference: string, signedOn: string) => ({ reference, signedOn, signer: { type: 'patient' as const } });

  const focusId = focus.focusPatientId;
  const [proxyPatientId, clinicalUseDeniedPatientId, expiredAuthorizationPatientId] = [focus.proxyPatientId, focus.careTeamPatientIds[1]!, focus.careTeamPatientIds[2]!];
  const sharedVariants = await brca1Result(service, focusId);
  const declinedGene = await acmgGeneOf(service, proxyPatientId);

  await record(focusId, { kind: 'family_sharing', relative: { accountId: idOf('relative'), relationship: 'sibling' }, share: { variants: sharedVariants } }, patient);
  await record(focusId, {
    kind: 'insurer_release', recipient: { id: idOf('insurer'), name: 'Lifeline Mutual (demo life insurer)', insurerType: 'life' }, discloser: DISCLOSER,
    information: { variants: sharedVariants }, purposes: [{ code: 'underwriting' }], expiry: { on: daysAfter(today, 365) },
    signature: signed('demo-authorization-insurer-1', daysAfter(today, -7)), statements: STATEMENTS,
  }, patient);
  await record(focusId, {
    kind: 'third_party_release', recipient: { id: idOf('external_recipient'), name: 'Riverside Hospital (demo)', type: 'hospital' }, discloser: DISCLOSER,
    information: { categories: ['acmg_secondary'] }, purposes: [{ code: 'continuing_care' }], expiry: { event: 'end of the referral' },
    signature: signed('demo-authorization-riverside-1', daysAfter(today, -3)), statements: STATEMENTS,
  }, patient);

  // the proxy's enrolment recorded a view-only proxy directive; the counselor widens it from the power of attorney
  const proxyDirective: DirectiveInput = {
    kind: 'proxy', proxyKind: 'legal_representative', proxyAccountId: idOf('proxy'), documentation: 'demo-power-of-attorney-1',
    permissions: ['view_record', 'view_results', 'view_access_log', 'manage_consents'], expiresOn: daysAfter(today, 730),
  };
  const enrolled = service.consents.current(proxyPatientId).directives.find((d) => d.directive.kind === 'proxy' && d.directive.proxyAccountId === idOf('proxy'));
  if (enrolled) {
    checkNamedParties(service, proxyPatientId, DirectiveSchema.parse(proxyDirective));
    await service.consents.amend({ patientId: proxyPatientId, directiveId: enrolled.directiveId, replaces: enrolled.version, directive: proxyDirective, recordedBy: counselor, evidence: { reference: 'demo-power-of-attorney-1' } });
  } else await record(proxyPatientId, proxyDirective, counselor, 'demo-power-of-attorney-1');
  await record(proxyPatientId, { kind: 'findings_preferences', categories: { acmg_secondary: 'decline', carrier_status: 'wish', pharmacogenomic: 'wish', adult_onset: 'wish' } }, proxy);

  await record(clinicalUseDeniedPatientId, { kind: 'clinical_use', decision: 'deny' }, counselor, 'demo-clinical-use-form-1');
  await record(expiredAuthorizationPatientId, {
    kind: 'insurer_release', recipient: { id: idOf('insurer'), name: 'Lifeline Mutual (demo life insurer)', insurerType: 'life' }, discloser: DISCLOSER,
    information: { categories: ['acmg_secondary'] }, purposes: [{ code: 'underwriting' }], expiry: { on: daysAfter(today, -30) },
    signature: signed('demo-authorization-insurer-2', daysAfter(today, -400)), statements: STATEMENTS,
  }, counselor, 'demo-authorization-insurer-2');

  return {
    sharedVariants, insurerPurpose: 'underwriting', recipientPurpose: 'continuing_care',
    declinedFindingsPatientId: proxyPatientId, declinedGene, clinicalUseDeniedPatientId, expiredAuthorizationPatientId,
  };
}
