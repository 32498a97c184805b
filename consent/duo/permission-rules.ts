// The consent's permission term against the kinds of research the purpose does.
// GRU (and NRES) > HMB > DS; POA stands apart. Population and ancestry research is excluded from
// HMB (and so from DS) by DUO's definition, and sensitive under GRU or NRES.
import { DUO_PERMISSION as P, type ConsentScope, type DuoFinding } from '../../schemas/duo.ts';
import type { DiseaseCoverage } from './disease-coverage.ts';
import type { PurposeProfile } from './purpose-profile.ts';

const permit = (reason: string): DuoFinding => ({ rule: 'permission', outcome: 'permit', reason });
const deny = (reason: string): DuoFinding => ({ rule: 'permission', outcome: 'deny', reason });

const POPULATION_EXCLUDED: DuoFinding = {
  rule: 'population',
  outcome: 'deny',
  reason: 'The purpose is population origins or ancestry research, which DUO excludes from health, medical or biomedical research (HMB) and so from disease-specific research (DS).',
};

const POPULATION_SENSITIVE: DuoFinding = {
  rule: 'population',
  outcome: 'review',
  reason:
    'The purpose is population origins or ancestry research. DUO counts it within general research use, but on a consent not given for it (POA) it is a sensitive use, so a person on the ethics board decides.',
};

function broadFindings(scope: ConsentScope, profile: PurposeProfile): DuoFinding[] {
  const findings = [
    scope.permission === P.NRES
      ? permit('The consent places no restriction on use (NRES): every research purpose is allowed.')
      : permit('The consent allows general research use (GRU): every research purpose is allowed.'),
  ];
  if (profile.population) findings.push(POPULATION_SENSITIVE);
  return findings;
}

function healthFindings(profile: PurposeProfile): DuoFinding[] {
  if (profile.general) return [deny(`The consent allows health, medical or biomedical research (HMB) only, and the purpose is general research: ${profile.generalBecause}.`)];
  if (profile.population) return [POPULATION_EXCLUDED];
  return [permit('The consent allows health, medical or biomedical research (HMB), and the purpose is such research.')];
}

function diseaseFindings(scope: ConsentScope, profile: PurposeProfile, coverage: DiseaseCoverage): DuoFinding[] {
  const findings: DuoFinding[] = [];
  if (profile.general) findings.push(deny(`The consent allows research on specific diseases only (DS), and the purpose is general research: ${profile.generalBecause}.`));
  if (profile.population) findings.push(POPULATION_EXCLUDED);
  if (profile.purpose.diseases.length === 0) {
    if (!profile.general && !profile.population) findings.push(deny('The consent allows research on specific diseases only (DS), and the purpose names no disease.'));
    return findings;
  }
  const covered = coverage.findings(scope.diseases);
  if (findings.length === 0 && covered.every((f) => f.outcome === 'permit')) findings.push(permit('The consent allows research on specific diseases (DS), and every disease of the purpose is one of them or narrower.'));
  return [...findings, ...covered];
}

function populationFindings(profile: PurposeProfile): DuoFinding[] {
  const only = 'The consent allows population origins or ancestry research only (POA)';
  if (profile.general) return [deny(`${only}, and the purpose is general research: ${profile.generalBecause}.`)];
  if (!profile.population) return [deny(`${only}, and the purpose is not such research.`)];
  if (profile.health) return [deny(`${only}, and the purpose is also health or disease research, which POA does not cover.`)];
  return [permit(`${only}, and the purpose is such research.`)];
}

export function permissionFindings(scope: ConsentScope, profile: PurposeProfile, coverage: DiseaseCoverage): DuoFinding[] {
  switch (scope.permission) {
    case P.NRES:
    case P.GRU:
      return broadFindings(scope, profile);
    case P.HMB:
      return healthFindings(profile);
    case P.DS:
      return diseaseFindings(scope, profile, coverage);
    case P.POA:
      return populationFindings(profile);
  }
}
