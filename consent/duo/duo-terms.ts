// The DUO terms the matcher knows, with DUO's own shorthands and labels (release 2021-02-23;
// a test compares this table with data/duo-terms.tsv), and how to name them in a reason.
import { DUO_MODIFIER, DUO_PERMISSION, DUO_PURPOSE } from '../../schemas/duo.ts';

export type DuoTermKind = 'permission' | 'modifier' | 'purpose';

export interface DuoTerm {
  id: string;
  /** DUO's shorthand; the purpose terms have none. */
  shorthand?: string;
  label: string;
  kind: DuoTermKind;
}

const P = DUO_PERMISSION;
const M = DUO_MODIFIER;
const U = DUO_PURPOSE;

export const DUO_TERMS: readonly DuoTerm[] = [
  { id: P.NRES, shorthand: 'NRES', label: 'no restriction', kind: 'permission' },
  { id: P.GRU, shorthand: 'GRU', label: 'general research use', kind: 'permission' },
  { id: P.HMB, shorthand: 'HMB', label: 'health or medical or biomedical research', kind: 'permission' },
  { id: P.DS, shorthand: 'DS', label: 'disease specific research', kind: 'permission' },
  { id: P.POA, shorthand: 'POA', label: 'population origins or ancestry research only', kind: 'permission' },
  { id: M.RS, shorthand: 'RS', label: 'research specific restrictions', kind: 'modifier' },
  { id: M.NMDS, shorthand: 'NMDS', label: 'no general methods research', kind: 'modifier' },
  { id: M.GSO, shorthand: 'GSO', label: 'genetic studies only', kind: 'modifier' },
  { id: M.NPUNCU, shorthand: 'NPUNCU', label: 'not for profit, non commercial use only', kind: 'modifier' },
  { id: M.PUB, shorthand: 'PUB', label: 'publication required', kind: 'modifier' },
  { id: M.COL, shorthand: 'COL', label: 'collaboration required', kind: 'modifier' },
  { id: M.IRB, shorthand: 'IRB', label: 'ethics approval required', kind: 'modifier' },
  { id: M.GS, shorthand: 'GS', label: 'geographical restriction', kind: 'modifier' },
  { id: M.MOR, shorthand: 'MOR', label: 'publication moratorium', kind: 'modifier' },
  { id: M.TS, shorthand: 'TS', label: 'time limit on use', kind: 'modifier' },
  { id: M.US, shorthand: 'US', label: 'user specific restriction', kind: 'modifier' },
  { id: M.PS, shorthand: 'PS', label: 'project specific restriction', kind: 'modifier' },
  { id: M.IS, shorthand: 'IS', label: 'institution specific restriction', kind: 'modifier' },
  { id: M.RTN, shorthand: 'RTN', label: 'return to database or resource', kind: 'modifier' },
  { id: M.CC, shorthand: 'CC', label: 'clinical care use', kind: 'modifier' },
  { id: M.NPOA, shorthand: 'NPOA', label: 'population origins or ancestry research prohibited', kind: 'modifier' },
  { id: M.NPU, shorthand: 'NPU', label: 'not for profit organisation use only', kind: 'modifier' },
  { id: M.NCU, shorthand: 'NCU', label: 'non-commercial use only', kind: 'modifier' },
  { id: U.methodDevelopment, label: 'method development', kind: 'purpose' },
  { id: U.populationResearch, label: 'population research', kind: 'purpose' },
  { id: U.ancestryResearch, label: 'ancestry research', kind: 'purpose' },
  { id: U.ageCategoryResearch, label: 'age category research', kind: 'purpose' },
  { id: U.genderCategoryResearch, label: 'gender category research', kind: 'purpose' },
  { id: U.researchControl, label: 'research control', kind: 'purpose' },
  { id: U.biomedicalResearch, label: 'biomedical research', kind: 'purpose' },
  { id: U.geneticResearch, label: 'genetic research', kind: 'purpose' },
  { id: U.drugDevelopmentResearch, label: 'drug development research', kind: 'purpose' },
  { id: U.diseaseCategoryResearch, label: 'disease category research', kind: 'purpose' },
];

/** DUO ids that are not usable terms, and what to use instead. */
export const UNUSABLE_DUO_IDS: Readonly<Record<string, string>> = {
  'DUO:0000001': 'is the category "data use permission", not a term: use GRU, HMB, DS, POA or NRES',
  'DUO:0000002': 'is obsolete',
  'DUO:0000003': 'is obsolete',
  'DUO:0000005': 'is obsolete (GRU-CC): use GRU (DUO:0000042), with CC (DUO:0000043) if clinical care use is allowed',
  'DUO:0000014': 'is obsolete (RU)',
  'DUO:0000017': 'is the category "data use modifier", not a term',
};

const byId = new Map(DUO_TERMS.map((t) => [t.id, t]));
const byShorthand = new Map(DUO_TERMS.filter((t) => t.shorthand).map((t) => [t.shorthand!, t]));

/** The term a token names: a DUO id (DUO:0000042) or a shorthand in any case (GRU, gru). */
export function findDuoTerm(token: string): DuoTerm | undefined {
  return byId.get(token) ?? byShorthand.get(token.toUpperCase());
}

export function duoTerm(id: string): DuoTerm {
  const term = byId.get(id);
  if (!term) throw new Error(`not a DUO term the matcher knows: ${id}`);
  return term;
}

/** The shorthand, or the id for a purpose term: the stable rule code of a finding. */
export function ruleCode(id: string): string {
  return duoTerm(id).shorthand ?? id;
}
