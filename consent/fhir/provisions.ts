// Each directive kind as a Consent's scope, category, policy rule and provision. Exceptions to
// a base rule are nested provisions: a declined findings category under "permit return of
// results", the recipient's permit under "deny disclosure".
import type { Directive, DirectiveOf } from '../../schemas/consent/directive.ts';
import type { FindingsCategory, ResultScope } from '../../schemas/consent/result-scope.ts';
import type { ConsentScope } from '../../schemas/duo.ts';
import { anniversary } from '../evaluation/calendar.ts';
import { modifierValue } from '../duo/parse-terms.ts';
import type { CodeableConcept, Coding, ConsentProvision, Reference } from './fhir-consent-types.ts';
import { ACTION, CATEGORY, INFORMATION_RECIPIENT, POLICY_RULE, PROXY_ROLE, PURPOSE, RELATIONSHIP_ROLE, RELEASE_PURPOSE, SCOPE, SYSTEM } from './consent-terminology.ts';
import { accountReference, recipientReference, relativeReference, variantReference } from './references.ts';

export interface ConsentShape {
  scope: Coding;
  category: Coding[];
  policyRule: Coding;
  provision: ConsentProvision;
  /** who agreed, when it is someone other than the patient (a proxy or a signing representative) */
  performer?: Reference;
  /** the document the directive rests on, if it names one */
  document?: string;
}

const concept = (coding: Coding): CodeableConcept => ({ coding: [coding] });

function categoryCodes(scope: Pick<ResultScope, 'categories'>): CodeableConcept[] {
  return scope.categories.map((category) => concept({ system: SYSTEM.findingsCategory, code: category }));
}

function resultData(scope: ResultScope): Pick<ConsentProvision, 'code' | 'data'> {
  const code = categoryCodes(scope);
  const data = scope.variants.map((variant) => ({ meaning: 'instance' as const, reference: variantReference(variant) }));
  return { ...(code.length ? { code } : {}), ...(data.length ? { data } : {}) };
}

/** A DUO term or disease id as a coding in its ontology's system; a modifier's value (date, countries...) as text. */
function researchTerm(id: string, value?: string): CodeableConcept {
  const system = id.startsWith('DOID:') ? SYSTEM.doid : id.startsWith('MONDO:') ? SYSTEM.mondo : SYSTEM.duo;
  return { coding: [{ system, code: id }], ...(value !== undefined ? { text: `${id}=${value}` } : {}) };
}

/** The scope's permission, diseases and modifiers, one code each (the consent date and free text are not terms). */
function researchCodes(scope: ConsentScope): CodeableConcept[] {
  return [researchTerm(scope.permission), ...scope.diseases.map((id) => researchTerm(id)), ...scope.modifiers.map((m) => researchTerm(m.term, modifierValue(m)))];
}

function clinicalUse(d: DirectiveOf<'clinical_use'>): ConsentShape {
  const permit = d.decision === 'permit';
  return {
    scope: SCOPE.treatment,
    category: [CATEGORY.patientConsent],
    policyRule: permit ? POLICY_RULE.optIn : POLICY_RULE.optOut,
    provision: { type: d.decision, action: [concept(ACTION.use)], purpose: [PURPOSE.treatment] },
  };
}

function researchUse(d: DirectiveOf<'research_use'>): ConsentShape {
  const shape = { scope: SCOPE.research, category: [CATEGORY.patientConsent, CATEGORY.research] };
  if (d.status === 'consented') {
    return { ...shape, policyRule: POLICY_RULE.optIn, provision: { type: 'permit', action: [concept(ACTION.use)], purpose: [PURPOSE.research], code: researchCodes(d.scope) } };
  }
  return {
    ...shape,
    policyRule: POLICY_RULE.optOut,
    provision: { type: 'deny', action: [concept(ACTION.use)], purpose: [PURPOSE.research], code: [concept({ system: SYSTEM.withdrawalMode, code: d.mode })] },
  };
}

function findingsPreferences(d: DirectiveOf<'findings_preferences'>): ConsentShape {
  const declined = (Object.entries(d.categories) as [FindingsCategory, string][]).filter(([, answer]) => answer === 'decline').map(([category]) => category);
  return {
    scope: SCOPE.privacy,
    category: [CATEGORY.patientConsent],
    policyRule: POLICY_RULE.optIn,
    provision: {
      type: 'permit',
      action: [concept(ACTION.disclose)],
      ...(declined.length ? { provision: declined.map((category) => ({ type: 'deny' as const, code: categoryCodes({ categories: [category] }) })) } : {}),
    },
  };
}

function familySharing(d: DirectiveOf<'family_sharing'>): ConsentShape {
  return {
    scope: SCOPE.privacy,
    category: [CATEGORY.patientConsent],
    policyRule: POLICY_RULE.optIn,
    provision: {
      type: 'deny',
      provision: [
        {
          type: 'permit',
          actor: [{ role: concept(RELATIONSHIP_ROLE[d.relative.relationship]), reference: relativeReference(d.relative) }],
          action: [concept(ACTION.disclose)],
          ...resultData(d.share),
        },
      ],
    },
  };
}

function release(d: DirectiveOf<'insurer_release'> | DirectiveOf<'third_party_release'>): ConsentShape {
  const recipientType = d.kind === 'third_party_release' && d.recipient?.type === 'physician' ? 'Practitioner' : 'Organization';
  const period = { ...(d.signature?.signedOn ? { start: d.signature.signedOn } : {}), ...(d.expiry?.on ? { end: d.expiry.on } : {}) };
  const signer = d.signature?.signer;
  const permit: ConsentProvision = {
    type: 'permit',
    ...(d.recipient ? { actor: [{ role: concept(INFORMATION_RECIPIENT), reference: recipientReference(d.recipient.id, d.recipient.name, recipientType) }] } : {}),
    action: [concept(ACTION.disclose)],
    ...(d.purposes ? { purpose: d.purposes.map((p) => RELEASE_PURPOSE[p.code]) } : {}),
    ...(Object.keys(period).length ? { period } : {}),
    ...(d.information ? resultData(d.information) : {}),
  };
  return {
    scope: SCOPE.privacy,
    category: [CATEGORY.releaseOfInformation],
    policyRule: POLICY_RULE.hipaaAuthorization,
    provision: { type: 'deny', provision: [permit] },
    ...(signer?.type === 'representative' ? { performer: signer.accountId ? accountReference(signer.accountId) : { type: 'RelatedPerson', ...(signer.name ? { display: signer.name } : {}) } } : {}),
    ...(d.signature?.reference ? { document: d.signature.reference } : {}),
  };
}

function proxy(d: DirectiveOf<'proxy'>, ageOfMajority: number): ConsentShape {
  const ends = [d.expiresOn, d.proxyKind === 'parent_of_minor' && d.patientBirthDate ? anniversary(d.patientBirthDate, ageOfMajority) : undefined].filter((x): x is string => !!x).sort()[0];
  const proxyRef = accountReference(d.proxyAccountId);
  return {
    scope: SCOPE.privacy,
    category: [CATEGORY.patientConsent],
    policyRule: POLICY_RULE.optIn,
    performer: proxyRef,
    document: d.documentation,
    provision: {
      type: 'permit',
      actor: [{ role: concept(PROXY_ROLE[d.proxyKind]), reference: proxyRef }],
      action: [concept(ACTION.access)],
      code: d.permissions.map((permission) => ({ text: permission })),
      ...(ends ? { period: { end: ends } } : {}),
    },
  };
}

/** `ageOfMajority` ends a parent's proxy period (18 unless the hospital's jurisdiction says otherwise). */
export function consentShape(d: Directive, ageOfMajority = 18): ConsentShape {
  switch (d.kind) {
    case 'clinical_use':
      return clinicalUse(d);
    case 'research_use':
      return researchUse(d);
    case 'findings_preferences':
      return findingsPreferences(d);
    case 'family_sharing':
      return familySharing(d);
    case 'insurer_release':
    case 'third_party_release':
      return release(d);
    case 'proxy':
      return proxy(d, ageOfMajority);
  }
}
