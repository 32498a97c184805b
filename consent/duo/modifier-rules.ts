// Each modifier of the consent against the project's attributes. A modifier the attributes can
// settle is permitted or denied; one they cannot settle goes to a person (review).
import { DUO_MODIFIER as M, type ConsentScope, type DuoFinding, type DuoModifier, type DuoOutcome } from '../../schemas/duo.ts';
import { addDuration, dayBefore, describeDuration } from './dates.ts';
import { ruleCode } from './duo-terms.ts';
import type { PurposeProfile } from './purpose-profile.ts';

type Term = DuoModifier['term'];
type Check<T extends Term = Term> = (modifier: Extract<DuoModifier, { term: T }>, profile: PurposeProfile, on: string, scope: ConsentScope) => [DuoOutcome, string];

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
const countryName = (code: string) => regionNames.of(code) ?? code;
const noted = (m: DuoModifier) => ('note' in m && m.note ? ` (${m.note})` : '');

const PERSON = 'a person decides';

function notForProfit<T extends Term>(shorthand: string, words: string, refuseForProfit: boolean, refuseCommercial: boolean): Check<T> {
  return (_m, { purpose }) => {
    const head = `The consent limits use to ${words} (${shorthand})`;
    if (refuseForProfit && purpose.forProfit) return ['deny', `${head}, and the requester is a for-profit organisation.`];
    if (refuseCommercial && purpose.commercial) return ['deny', `${head}, and the use is commercial.`];
    const facts = [refuseForProfit ? 'the requester is not-for-profit' : '', refuseCommercial ? 'the use is not commercial' : ''].filter(Boolean);
    return ['permit', `${head}, and ${facts.join(' and ')}.`];
  };
}

const moratorium: Check<typeof M.MOR> = (m, { purpose }, on) => {
  const head = `The consent bars publication before ${m.until} (MOR)`;
  if (on >= m.until) return ['permit', `${head}; that day has come.`];
  if (purpose.publishAfter === undefined) return ['review', `${head}, and the project has not said when it will publish: a person confirms it will wait.`];
  if (purpose.publishAfter >= m.until) return ['permit', `${head}, and the project will publish from ${purpose.publishAfter}.`];
  return ['deny', `${head}, and the project plans to publish from ${purpose.publishAfter}.`];
};

const timeLimit: Check<typeof M.TS> = (m, _p, on, scope) => {
  if (!scope.consentedOn) return ['review', `The consent limits use to ${describeDuration(m.duration)} (TS) but gives no consent date to count from: ${PERSON}.`];
  const lastDay = dayBefore(addDuration(scope.consentedOn, m.duration));
  const head = `The consent allows use for ${describeDuration(m.duration)} from ${scope.consentedOn} (TS), through ${lastDay}`;
  return on <= lastDay ? ['permit', `${head}; the request is dated ${on}.`] : ['deny', `${head}; the request is dated ${on}, after that.`];
};

const geography: Check<typeof M.GS> = (m, { purpose }) => {
  const head = `The consent limits use to ${m.countries.map(countryName).join(', ')} (GS)`;
  if (purpose.country === undefined) return ['review', `${head}, and the project has not said where the data will be used: ${PERSON}.`];
  return m.countries.includes(purpose.country) ? ['permit', `${head}, and the project is in ${countryName(purpose.country)}.`] : ['deny', `${head}, and the project is in ${countryName(purpose.country)}.`];
};

const ethicsApproval: Check<typeof M.IRB> = (_m, { purpose }) => {
  const head = 'The consent requires ethics (IRB/ERB) approval (IRB)';
  return purpose.irbReference ? ['permit', `${head}, and the project gives an approval reference.`] : ['deny', `${head}, and the project gives no approval reference.`];
};

const project: Check<typeof M.PS> = (m, { purpose }) => {
  if (m.project === undefined) return ['review', `The consent limits use to an approved project (PS) without naming it: ${PERSON}.`];
  const head = `The consent limits use to project ${m.project} (PS)`;
  if (purpose.projectId === undefined) return ['review', `${head}, and the purpose names no project: ${PERSON}.`];
  return purpose.projectId === m.project ? ['permit', `${head}, which is this project.`] : ['deny', `${head}; this is another project.`];
};

function commitment<T extends Term>(kind: 'collaboration' | 'publication' | 'return-data', words: string, shorthand: string): Check<T> {
  return (m, { purpose }) => {
    const head = `The consent requires ${words}${noted(m)} (${shorthand})`;
    return purpose.commitments.includes(kind) ? ['permit', `${head}, and the project has committed to it.`] : ['review', `${head}, and the project has not committed to it: ${PERSON}.`];
  };
}

const personChecks = <T extends Term>(words: string, shorthand: string): Check<T> => (m) => ['review', `The consent limits use to ${words}${noted(m)} (${shorthand}): ${PERSON}.`];

const noGeneralMethods: Check<typeof M.NMDS> = (_m, { methods, purpose }) => {
  const head = 'The consent rules out general methods development (NMDS)';
  if (!methods) return ['permit', `${head}, and the purpose is not methods development.`];
  return purpose.diseases.length > 0
    ? ['permit', `${head}; the purpose's methods development is tied to the diseases it names.`]
    : ['deny', `${head}, and the purpose is methods development tied to no disease.`];
};

const geneticOnly: Check<typeof M.GSO> = (_m, { genetic }) => {
  const head = 'The consent limits use to genetic studies (GSO)';
  return genetic ? ['permit', `${head}, and the purpose is genetic research.`] : ['review', `${head}, and the purpose does not say it is genetic research (DUO:0000038): ${PERSON}.`];
};

const noPopulation: Check<typeof M.NPOA> = (_m, { population }) => {
  const head = 'The consent prohibits population origins or ancestry research (NPOA)';
  return population ? ['deny', `${head}, and the purpose is such research.`] : ['permit', `${head}, and the purpose is not such research.`];
};

const CHECKS: { readonly [T in Term]: Check<T> } = {
  [M.NPUNCU]: notForProfit('NPUNCU', 'not-for-profit organisations and non-commercial use', true, true),
  [M.NPU]: notForProfit('NPU', 'not-for-profit organisations', true, false),
  [M.NCU]: notForProfit('NCU', 'non-commercial use', false, true),
  [M.MOR]: moratorium,
  [M.TS]: timeLimit,
  [M.GS]: geography,
  [M.IRB]: ethicsApproval,
  [M.PS]: project,
  [M.COL]: commitment('collaboration', 'collaboration with the original study investigators', 'COL'),
  [M.PUB]: commitment('publication', 'results to be made available to the scientific community', 'PUB'),
  [M.RTN]: commitment('return-data', 'derived or enriched data to be returned to the vault', 'RTN'),
  [M.US]: personChecks('approved users', 'US'),
  [M.IS]: personChecks('approved institutions', 'IS'),
  [M.RS]: personChecks('a certain type of research', 'RS'),
  [M.NMDS]: noGeneralMethods,
  [M.GSO]: geneticOnly,
  [M.NPOA]: noPopulation,
  [M.CC]: () => ['permit', 'The consent also allows clinical care use (CC); that has no bearing on research use.'],
};

export function modifierFindings(scope: ConsentScope, profile: PurposeProfile, on: string): DuoFinding[] {
  return scope.modifiers.map((modifier) => {
    const check = CHECKS[modifier.term] as Check;
    const [outcome, reason] = check(modifier, profile, on, scope);
    return { rule: ruleCode(modifier.term), outcome, reason };
  });
}
