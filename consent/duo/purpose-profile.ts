// What a research purpose asks for, read once from its terms and declared aspects: which kinds
// of research it does (population/ancestry, health, general) and what a person must look at.
import { DUO_PERMISSION as P, DUO_PURPOSE as U, type ResearchPurpose, type SensitiveAspect } from '../../schemas/duo.ts';

export interface ReviewNote {
  rule: string;
  reason: string;
}

export interface PurposeProfile {
  purpose: ResearchPurpose;
  /** Population origins or ancestry research (POA, DUO:0000032, DUO:0000033, or declared). */
  population: boolean;
  /** Health, medical or biomedical research, including research on named diseases. */
  health: boolean;
  /** Research beyond health, or research that names no area: only GRU or NRES covers it. */
  general: boolean;
  /** Why the purpose counts as general research, in words. */
  generalBecause: string;
  methods: boolean;
  genetic: boolean;
  /** Sensitive aspects: each sends the match to a person. */
  sensitive: ReviewNote[];
}

const POPULATION_TERMS = new Set<string>([P.POA, U.populationResearch, U.ancestryResearch]);
const HEALTH_TERMS = new Set<string>([P.HMB, P.DS, U.biomedicalResearch, U.geneticResearch, U.drugDevelopmentResearch, U.diseaseCategoryResearch]);

/** Each sensitive aspect in words (age categories come from DUO:0000034 only). */
const ASPECT_WORDS: Readonly<Record<Exclude<SensitiveAspect, 'population'> | 'age-category', string>> = {
  controls: 'The project uses the data as controls (reference material)',
  gender: 'The project studies one gender',
  children: 'The project studies children',
  'age-category': 'The project studies a specific age category',
  vulnerable: 'The project studies a vulnerable group',
  'illegal-behaviour': 'The project studies illegal behaviour',
  'sexual-disease': 'The project studies sexual or sexually transmitted diseases',
  'psychological-traits': 'The project studies psychological traits',
  'non-health': 'The project studies something other than health',
  stigmatising: 'The project studies stigmatising conditions',
};
type Aspect = keyof typeof ASPECT_WORDS;

/** Purpose terms that name a sensitive aspect themselves. */
const ASPECT_TERMS: readonly [term: string, aspect: Aspect][] = [
  [U.researchControl, 'controls'],
  [U.genderCategoryResearch, 'gender'],
  [U.ageCategoryResearch, 'age-category'],
];

function sensitiveNotes(purpose: ResearchPurpose): ReviewNote[] {
  const aspects = new Set<Aspect>(purpose.sensitive.filter((a) => a !== 'population'));
  const terms = new Set<string>(purpose.terms);
  for (const [term, aspect] of ASPECT_TERMS) if (terms.has(term)) aspects.add(aspect);
  return [...aspects].map((aspect) => ({
    rule: `sensitive:${aspect}`,
    reason: `${ASPECT_WORDS[aspect]}: a sensitive use, so a person on the ethics board decides.`,
  }));
}

export function profilePurpose(purpose: ResearchPurpose): PurposeProfile {
  const terms = new Set<string>(purpose.terms);
  const has = (set: ReadonlySet<string>) => [...terms].some((t) => set.has(t));
  const population = has(POPULATION_TERMS) || purpose.sensitive.includes('population');
  const health = has(HEALTH_TERMS) || purpose.diseases.length > 0;
  const nonHealth = purpose.sensitive.includes('non-health');
  const namesNoArea = !population && !health && !terms.has(P.GRU);
  let generalBecause = '';
  if (terms.has(P.GRU)) generalBecause = 'it is general research use (GRU)';
  else if (nonHealth) generalBecause = 'it studies something other than health';
  else if (namesNoArea) generalBecause = 'it names no research area (population, health or disease), so it is read as general research';
  return {
    purpose,
    population,
    health,
    general: generalBecause !== '',
    generalBecause,
    methods: terms.has(U.methodDevelopment),
    genetic: terms.has(U.geneticResearch),
    sensitive: sensitiveNotes(purpose),
  };
}
