// Reads consent scopes and research purposes written as space-separated terms, as reviewers
// type them: DUO ids or shorthands (a modifier's value after `=`) and disease ids (DOID, MONDO),
// and writes them back the same way. A bad term is an error naming it; what is read has passed
// its schema in schemas/duo.ts.
import type { z } from 'zod';
import {
  ConsentScopeSchema,
  CountryCodeSchema,
  DiseaseIdSchema,
  DUO_MODIFIER as M,
  DUO_PERMISSION as P,
  DuoModifierSchema,
  ResearchPurposeSchema,
  type ConsentScope,
  type DuoModifier,
  type ResearchPurpose,
} from '../../schemas/duo.ts';
import { diseaseOntology, UnknownDiseaseError, type DiseaseOntology } from './disease-ontology.ts';
import { findDuoTerm, ruleCode, UNUSABLE_DUO_IDS, type DuoTerm } from './duo-terms.ts';

/** A bad term or attribute; `subject` names it (the term as written, or the attribute's name). */
export class DuoInputError extends Error {
  constructor(readonly subject: string, readonly problem: string) {
    super(`${subject}: ${problem}`);
    this.name = 'DuoInputError';
  }
}

type Token = { raw: string; term: DuoTerm; value: string | undefined } | { raw: string; disease: string };

function readToken(raw: string, ontology: () => DiseaseOntology): Token {
  const eq = raw.indexOf('=');
  const name = (eq < 0 ? raw : raw.slice(0, eq)).toUpperCase();
  const value = eq < 0 ? undefined : raw.slice(eq + 1);
  if (/^(DOID|MONDO):/.test(name)) {
    if (value !== undefined) throw new DuoInputError(raw, 'a disease id takes no value');
    if (!DiseaseIdSchema.safeParse(name).success) throw new DuoInputError(raw, 'not a disease id (DOID:<digits> or MONDO:<7 digits>)');
    try {
      ontology().readings(name);
    } catch (err) {
      if (err instanceof UnknownDiseaseError) throw new DuoInputError(raw, err.detail);
      throw err;
    }
    return { raw, disease: name };
  }
  const unusable = UNUSABLE_DUO_IDS[name];
  if (unusable) throw new DuoInputError(raw, unusable);
  const term = findDuoTerm(name);
  if (!term) throw new DuoInputError(raw, 'not a DUO term, a DUO shorthand (GRU, HMB, DS, POA, NPU...) or a disease id (DOID:..., MONDO:...)');
  return { raw, term, value };
}

function tokens(text: string, ontology: () => DiseaseOntology): Token[] {
  const raws = text.trim().split(/\s+/).filter(Boolean);
  if (raws.length === 0) throw new DuoInputError('(terms)', 'no terms given');
  return raws.map((raw) => readToken(raw, ontology));
}

/** A modifier from its term and `=value`. */
function readModifier(raw: string, id: DuoModifier['term'], value: string | undefined): DuoModifier {
  const need = (what: string) => {
    if (value === undefined || value === '') throw new DuoInputError(raw, `needs a value: ${what}`);
    return value;
  };
  let modifier: unknown;
  switch (id) {
    case M.MOR:
      modifier = { term: id, until: need('the date publication may start, as =YYYY-MM-DD') };
      break;
    case M.TS: {
      const given = need('a duration from the consent date, as =P2Y, =P18M or =18 (months)');
      modifier = { term: id, duration: /^\d+$/.test(given) ? `P${Number(given)}M` : given.toUpperCase() };
      break;
    }
    case M.GS: {
      const countries = need('country codes, as =US,CA').split(',').map((c) => c.trim().toUpperCase());
      const bad = countries.find((c) => !CountryCodeSchema.safeParse(c).success);
      if (bad !== undefined) throw new DuoInputError(raw, `${bad || '(empty)'} is not a country code (ISO 3166-1 alpha-2, e.g. US)`);
      modifier = { term: id, countries };
      break;
    }
    case M.PS:
      modifier = value === undefined ? { term: id } : { term: id, project: value };
      break;
    case M.RS:
    case M.COL:
    case M.US:
    case M.IS:
      modifier = value === undefined ? { term: id } : { term: id, note: value };
      break;
    default:
      if (value !== undefined) throw new DuoInputError(raw, 'takes no value');
      modifier = { term: id };
  }
  const parsed = DuoModifierSchema.safeParse(modifier);
  if (!parsed.success) throw new DuoInputError(raw, parsed.error.issues[0]?.message ?? 'not a valid value');
  return parsed.data;
}

/** The object without its undefined fields, so what is read equals what JSON gives back. */
const definedOnly = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

function checked<T>(schema: z.ZodType<T>, input: unknown, subjectOf: (path: PropertyKey[]) => string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new DuoInputError(subjectOf(issue.path), issue.message);
}

export interface ConsentExtras {
  /** The day consent was given (YYYY-MM-DD); TS needs it. */
  consentedOn?: string;
  restrictionsText?: string;
}

/** "DUO:0000007 DOID:162 DUO:0000045" → a consent scope. */
export function parseConsentTerms(text: string, extras: ConsentExtras = {}, ontology: () => DiseaseOntology = diseaseOntology): ConsentScope {
  let permission: DuoTerm | undefined;
  const diseases: string[] = [];
  const modifiers: DuoModifier[] = [];
  for (const token of tokens(text, ontology)) {
    if ('disease' in token) {
      if (diseases.includes(token.disease)) throw new DuoInputError(token.raw, 'appears twice');
      diseases.push(token.disease);
      continue;
    }
    const { term, value, raw } = token;
    if (term.kind === 'purpose') throw new DuoInputError(raw, 'is a research purpose term, not a consent term');
    if (term.kind === 'permission') {
      if (permission) throw new DuoInputError(raw, `a consent has one permission term, and ${permission.shorthand} is already given`);
      if (value !== undefined) throw new DuoInputError(raw, 'takes no value');
      permission = term;
      continue;
    }
    if (modifiers.some((m) => m.term === term.id)) throw new DuoInputError(raw, 'appears twice');
    modifiers.push(readModifier(raw, term.id as DuoModifier['term'], value));
  }
  if (!permission) throw new DuoInputError('(consent)', 'needs one permission term: NRES, GRU, HMB, DS or POA');
  if (permission.id === P.DS && diseases.length === 0) throw new DuoInputError(permission.shorthand!, 'needs at least one disease id (DOID or MONDO)');
  if (permission.id !== P.DS && diseases.length > 0) throw new DuoInputError(diseases[0]!, 'disease ids belong to DS (DUO:0000007) only');
  if (modifiers.some((m) => m.term === M.TS) && !extras.consentedOn) throw new DuoInputError('TS', 'counts from the day consent was given, and that date is missing');
  const scope = { permission: permission.id, diseases, modifiers, ...definedOnly(extras) };
  return checked(ConsentScopeSchema, scope, (path) => String(path[0] ?? 'consent'));
}

/** What the purpose's project declares about itself (the attributes modifiers are checked against). */
export type PurposeAttributes = Omit<z.input<typeof ResearchPurposeSchema>, 'terms' | 'diseases'>;

/** "DUO:0000040 DOID:10155" plus the project's attributes → a research purpose. */
export function parsePurposeTerms(text: string, attributes: PurposeAttributes, ontology: () => DiseaseOntology = diseaseOntology): ResearchPurpose {
  const terms: string[] = [];
  const diseases: string[] = [];
  for (const token of tokens(text, ontology)) {
    const [id, list] = 'disease' in token ? [token.disease, diseases] : [token.term.id, terms];
    if (list.includes(id)) throw new DuoInputError(token.raw, 'appears twice');
    if ('term' in token) {
      if (token.term.kind === 'modifier') throw new DuoInputError(token.raw, 'is a consent modifier: describe the project with its attributes instead (for-profit, commercial, IRB reference, country...)');
      if (token.term.id === P.NRES) throw new DuoInputError(token.raw, 'describes a consent, not a research purpose');
      if (token.value !== undefined) throw new DuoInputError(token.raw, 'takes no value');
    }
    list.push(id);
  }
  if (terms.length === 0) throw new DuoInputError('(purpose)', 'needs at least one DUO term (for research on a disease: DS and the disease id)');
  return checked(ResearchPurposeSchema, { ...definedOnly(attributes), terms, diseases }, (path) => (path[0] === 'diseases' || path[0] === 'terms' ? 'DS' : String(path[0] ?? 'purpose')));
}

/** A modifier's value as written after `=`, if it has one. */
export function modifierValue(m: DuoModifier): string | undefined {
  if ('until' in m) return m.until;
  if ('duration' in m) return m.duration;
  if ('countries' in m) return m.countries.join(',');
  if ('project' in m) return m.project;
  if ('note' in m) return m.note;
  return undefined;
}

function writeModifier(m: DuoModifier): string {
  const value = modifierValue(m);
  return value === undefined ? ruleCode(m.term) : `${ruleCode(m.term)}=${value}`;
}

/** A scope written as terms ("DS DOID:162 NPU MOR=2027-01-31"); the consent date and free text are not terms. */
export function writeConsentTerms(scope: ConsentScope): string {
  return [ruleCode(scope.permission), ...scope.diseases, ...scope.modifiers.map(writeModifier)].join(' ');
}

/** A purpose's terms and diseases written as terms ("DUO:0000040 DOID:10155"). */
export function writePurposeTerms(purpose: ResearchPurpose): string {
  return [...purpose.terms.map(ruleCode), ...purpose.diseases].join(' ');
}
