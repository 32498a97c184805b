// Situations one user can be in towards one patient: the people facts (care team, break-glass,
// own account) and the patient's directives in force, built as the ledger would hand them out.
// Each names the facts it is meant to make true, written out by hand, so a test can hold the
// facts the policy derives against the facts the situation was built for.
import type { Directive, DirectiveOf } from '../../../../schemas/consent/directive.ts';
import type { ResearchPurpose } from '../../../../schemas/duo.ts';
import type { DirectiveView } from '../../../../consent/ledger/directive-view.ts';
import { FACTS, type RelationFact } from '../../../../consent/policy/vocabulary.ts';
import { InMemoryRelationships } from './relationships.ts';
import { proxyDirective } from '../../evaluation/directive-examples.ts';

export const USER = 'acc_0000000000000001';
export const PATIENT = 'p_0000000000000001';
export const PROJECT = 'project-1';
/** The request every situation is asked with: an insurer of type life, for claims, in project-1. */
export const QUALIFIERS = { releasePurpose: 'claims', projectId: PROJECT } as const;
export const INSURER_TYPE = 'life' as const;
export const NOW_MS = Date.UTC(2026, 5, 1, 12);

export const GRU_PURPOSE: ResearchPurpose = { terms: ['DUO:0000042'], diseases: [], forProfit: false, commercial: false, sensitive: [], commitments: [] };

let next = 0;
export function view<D extends Directive>(directive: D, patientId = PATIENT): DirectiveView<D> {
  next += 1;
  return {
    directiveId: `cd_${next.toString(16).padStart(16, '0')}`,
    patientId,
    version: 1,
    directive,
    grantedAt: '2026-01-15T10:00:00.000Z',
    updatedAt: '2026-01-15T10:00:00.000Z',
    source: 'ledger',
  };
}

const authorization = {
  discloser: 'Genetics Department, General Hospital',
  information: { categories: ['pharmacogenomic' as const], variants: [] },
  purposes: [{ code: 'claims' as const }],
  expiry: { on: '2027-06-30' },
  signature: { reference: 'auth-form-881', signedOn: '2026-01-15', signer: { type: 'patient' as const } },
  statements: { rightToRevoke: true, noConditioning: true, redisclosure: true },
};

export function insurerRelease(overrides: Partial<DirectiveOf<'insurer_release'>> = {}): DirectiveOf<'insurer_release'> {
  return { kind: 'insurer_release', recipient: { id: USER, name: 'Lifeline Mutual', insurerType: INSURER_TYPE }, ...authorization, ...overrides };
}

export function thirdPartyRelease(overrides: Partial<DirectiveOf<'third_party_release'>> = {}): DirectiveOf<'third_party_release'> {
  return { kind: 'third_party_release', recipient: { id: USER, name: 'Riverside Hospital', type: 'hospital' }, ...authorization, ...overrides };
}

export function proxy(overrides: Partial<DirectiveOf<'proxy'>> = {}): DirectiveOf<'proxy'> {
  return proxyDirective({ proxyAccountId: USER, permissions: ['view_record', 'view_results', 'view_access_log', 'manage_consents', 'authorize_releases'], ...overrides });
}

export interface Situation {
  name: string;
  /** the facts this situation tests, made true or (expired, revoked...) meant to fail */
  about: readonly RelationFact[];
  /** the facts this situation is built to make true */
  facts: readonly RelationFact[];
  build(facts: InMemoryRelationships): void;
}

const withDirective = (directive: Directive) => (f: InMemoryRelationships) => void f.addDirective(view(directive));
export const PROXY_FACTS: RelationFact[] = ['proxy_view_record', 'proxy_view_results', 'proxy_view_access_log', 'proxy_manage_consents', 'proxy_authorize_releases'];

const CLINICAL: RelationFact[] = ['care_team', 'break_glass', 'clinical_use'];
const clinicalUseDenied = view({ kind: 'clinical_use', decision: 'deny' });
const researchConsent = view({ kind: 'research_use', status: 'consented', scope: { permission: 'DUO:0000042', diseases: [], modifiers: [] } });
/** General research with a collaboration requirement: against GRU_PURPOSE (no commitment to collaborate) DUO matching answers review. */
const reviewConsent = view({ kind: 'research_use', status: 'consented', scope: { permission: 'DUO:0000042', diseases: [], modifiers: [{ term: 'DUO:0000020' }] } });
const isReviewScope = (scope: { modifiers: readonly { term: string }[] }) => scope.modifiers.some((m) => m.term === 'DUO:0000020');
const familyShare = view({ kind: 'family_sharing', relative: { accountId: USER, relationship: 'sibling' }, share: { categories: ['carrier_status'], variants: [] } });

export const SITUATIONS: readonly Situation[] = [
  { name: 'stranger', about: [], facts: ['clinical_use'], build: () => undefined },
  {
    name: 'every fact at once',
    about: [...FACTS],
    facts: FACTS,
    build: (f) =>
      void f
        .addToCareTeam(USER, PATIENT)
        .grantBreakGlass(USER, PATIENT)
        .setOwnAccount(USER, PATIENT)
        .addDirective(view(proxy()))
        .addDirective(familyShare)
        .addDirective(view(insurerRelease()))
        .addDirective(view(thirdPartyRelease()))
        .addDirective(researchConsent)
        .setProject(USER, PROJECT, GRU_PURPOSE),
  },
  { name: 'care team', about: CLINICAL, facts: ['care_team', 'clinical_use'], build: (f) => void f.addToCareTeam(USER, PATIENT) },
  { name: 'care team, clinical use denied', about: CLINICAL, facts: ['care_team'], build: (f) => void f.addToCareTeam(USER, PATIENT).addDirective(clinicalUseDenied) },
  { name: 'break-glass', about: CLINICAL, facts: ['break_glass', 'clinical_use'], build: (f) => void f.grantBreakGlass(USER, PATIENT) },
  { name: 'break-glass, clinical use denied', about: CLINICAL, facts: ['break_glass'], build: (f) => void f.grantBreakGlass(USER, PATIENT).addDirective(clinicalUseDenied) },
  { name: 'own account', about: ['self'], facts: ['self', 'clinical_use'], build: (f) => void f.setOwnAccount(USER, PATIENT) },
  {
    name: 'proxy link from before the ledger',
    about: PROXY_FACTS,
    facts: ['proxy_view_record', 'proxy_view_results', 'proxy_view_access_log', 'clinical_use'],
    build: (f) => void f.setProxy(USER, PATIENT),
  },
  { name: 'proxy directive, every permission', about: PROXY_FACTS, facts: [...PROXY_FACTS, 'clinical_use'], build: withDirective(proxy()) },
  { name: 'proxy directive, view results only', about: PROXY_FACTS, facts: ['proxy_view_results', 'clinical_use'], build: withDirective(proxy({ permissions: ['view_results'] })) },
  { name: 'proxy directive, expired', about: PROXY_FACTS, facts: ['clinical_use'], build: withDirective(proxy({ expiresOn: '2026-03-01' })) },
  { name: "parent's proxy, the patient now 18", about: PROXY_FACTS, facts: ['clinical_use'], build: withDirective(proxy({ proxyKind: 'parent_of_minor', patientBirthDate: '2008-05-31' })) },
  { name: 'family sharing with this relative', about: ['family_share'], facts: ['family_share', 'clinical_use'], build: (f) => void f.addDirective(familyShare) },
  {
    name: 'family sharing with another relative',
    about: ['family_share'],
    facts: ['clinical_use'],
    build: withDirective({ kind: 'family_sharing', relative: { accountId: 'acc_00000000000000e9', relationship: 'cousin' }, share: { categories: ['carrier_status'], variants: [] } }),
  },
  { name: 'insurer authorization, valid', about: ['insurer_authorization'], facts: ['insurer_authorization', 'clinical_use'], build: withDirective(insurerRelease()) },
  {
    name: 'insurer authorization, unsigned',
    about: ['insurer_authorization'],
    facts: ['clinical_use'],
    build: withDirective(insurerRelease({ signature: { signedOn: '2026-01-15', signer: { type: 'patient' } } })),
  },
  { name: 'insurer authorization, expired', about: ['insurer_authorization'], facts: ['clinical_use'], build: withDirective(insurerRelease({ expiry: { on: '2026-05-31' } })) },
  { name: 'third-party authorization, valid', about: ['recipient_authorization'], facts: ['recipient_authorization', 'clinical_use'], build: withDirective(thirdPartyRelease()) },
  {
    name: 'third-party authorization, for another purpose',
    about: ['recipient_authorization'],
    facts: ['clinical_use'],
    build: withDirective(thirdPartyRelease({ purposes: [{ code: 'second_opinion' }] })),
  },
  {
    name: 'research consent matching the project',
    about: ['research_consent'],
    facts: ['research_consent', 'clinical_use'],
    build: (f) => void f.addDirective(researchConsent).setProject(USER, PROJECT, GRU_PURPOSE),
  },
  {
    name: 'research consent withdrawn',
    about: ['research_consent'],
    facts: ['clinical_use'],
    build: (f) => void f.addDirective(view({ kind: 'research_use', status: 'withdrawn', mode: 'stop_future_use' })).setProject(USER, PROJECT, GRU_PURPOSE),
  },
  {
    name: 'research consent that matching sends to review, included by the board for the project',
    about: ['research_consent'],
    facts: ['research_consent', 'clinical_use'],
    build: (f) => void f.addDirective(reviewConsent).setProject(USER, PROJECT, GRU_PURPOSE, isReviewScope),
  },
  {
    name: 'research consent that matching sends to review, not included by the board',
    about: ['research_consent'],
    facts: ['clinical_use'],
    build: (f) => void f.addDirective(reviewConsent).setProject(USER, PROJECT, GRU_PURPOSE, (scope) => !isReviewScope(scope)),
  },
  { name: 'research consent, not a member of the project', about: ['research_consent'], facts: ['clinical_use'], build: (f) => void f.addDirective(researchConsent) },
];

export function factsFor(situation: Situation): InMemoryRelationships {
  const facts = new InMemoryRelationships();
  facts.nowMs = NOW_MS;
  facts.birthDates.set(PATIENT, '2008-05-31');
  situation.build(facts);
  return facts;
}

/** Facts built so that exactly `wanted` hold (through directives where the fact is a consent fact). */
export function factsWith(wanted: Readonly<Record<RelationFact, boolean>>): InMemoryRelationships {
  const f = new InMemoryRelationships();
  f.nowMs = NOW_MS;
  if (wanted.care_team) f.addToCareTeam(USER, PATIENT);
  if (wanted.break_glass) f.grantBreakGlass(USER, PATIENT);
  if (wanted.self) f.setOwnAccount(USER, PATIENT);
  if (!wanted.clinical_use) f.addDirective(clinicalUseDenied);
  const permissions = PERMISSIONS.filter((permission) => wanted[`proxy_${permission}`]);
  if (permissions.length > 0) f.addDirective(view(proxy({ permissions })));
  if (wanted.family_share) f.addDirective(familyShare);
  if (wanted.insurer_authorization) f.addDirective(view(insurerRelease()));
  if (wanted.recipient_authorization) f.addDirective(view(thirdPartyRelease()));
  if (wanted.research_consent) f.addDirective(researchConsent).setProject(USER, PROJECT, GRU_PURPOSE);
  return f;
}

const PERMISSIONS = ['view_record', 'view_results', 'view_access_log', 'manage_consents', 'authorize_releases'] as const;
