// Research consent scopes and research purposes in GA4GH Data Use Ontology (DUO) terms, and the
// matcher's answer: the stored, exchanged form the consent ledger and research projects share.
// Terms are DUO ids (stable across releases; shorthands are not); disease ids stay as given.
import { z } from 'zod';

/** The permission terms: a consent scope has exactly one. */
export const DUO_PERMISSION = {
  NRES: 'DUO:0000004',
  GRU: 'DUO:0000042',
  HMB: 'DUO:0000006',
  DS: 'DUO:0000007',
  POA: 'DUO:0000011',
} as const;

/** The modifiers a consent scope may add to its permission. */
export const DUO_MODIFIER = {
  RS: 'DUO:0000012',
  NMDS: 'DUO:0000015',
  GSO: 'DUO:0000016',
  NPUNCU: 'DUO:0000018',
  PUB: 'DUO:0000019',
  COL: 'DUO:0000020',
  IRB: 'DUO:0000021',
  GS: 'DUO:0000022',
  MOR: 'DUO:0000024',
  TS: 'DUO:0000025',
  US: 'DUO:0000026',
  PS: 'DUO:0000027',
  IS: 'DUO:0000028',
  RTN: 'DUO:0000029',
  CC: 'DUO:0000043',
  NPOA: 'DUO:0000044',
  NPU: 'DUO:0000045',
  NCU: 'DUO:0000046',
} as const;

/** DUO's investigation types, which describe a research purpose. */
export const DUO_PURPOSE = {
  methodDevelopment: 'DUO:0000031',
  populationResearch: 'DUO:0000032',
  ancestryResearch: 'DUO:0000033',
  ageCategoryResearch: 'DUO:0000034',
  genderCategoryResearch: 'DUO:0000035',
  researchControl: 'DUO:0000036',
  biomedicalResearch: 'DUO:0000037',
  geneticResearch: 'DUO:0000038',
  drugDevelopmentResearch: 'DUO:0000039',
  diseaseCategoryResearch: 'DUO:0000040',
} as const;

type ValuesOf<T> = T[keyof T];
export type DuoPermissionId = ValuesOf<typeof DUO_PERMISSION>;
export type DuoModifierId = ValuesOf<typeof DUO_MODIFIER>;

const valuesOf = <T extends Record<string, string>>(o: T) => Object.values(o) as [ValuesOf<T>, ...ValuesOf<T>[]];
export const DuoPermissionIdSchema = z.enum(valuesOf(DUO_PERMISSION));
/** A purpose names investigation types, or the permission classes GRU, HMB, DS, POA as purposes. */
export const DuoPurposeTermIdSchema = z.enum([
  ...valuesOf(DUO_PURPOSE),
  DUO_PERMISSION.GRU,
  DUO_PERMISSION.HMB,
  DUO_PERMISSION.DS,
  DUO_PERMISSION.POA,
]);
export type DuoPurposeTermId = z.infer<typeof DuoPurposeTermIdSchema>;

/** A Human Disease Ontology id (DOID:162) or a MONDO id (MONDO:0004992). */
export const DiseaseIdSchema = z.string().regex(/^(DOID:\d{1,8}|MONDO:\d{7})$/, 'a disease id: DOID:<digits> or MONDO:<7 digits>');

export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((s) => {
    const date = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(s);
  }, 'not a real date');

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
/** An ISO 3166-1 alpha-2 country code, upper case. */
export const CountryCodeSchema = z
  .string()
  .regex(/^[A-Z]{2}$/, 'a country as two capital letters (ISO 3166-1 alpha-2)')
  .refine((c) => {
    if (!/^[A-Z]{2}$/.test(c)) return true; // the regex has already said what is wrong
    const name = regionNames.of(c);
    return name !== undefined && name !== c && name !== 'Unknown Region';
  }, 'not a known country code');

/** An ISO 8601 duration in years, months and days (P2Y, P18M, P1Y6M, P90D), more than zero. */
export const DurationSchema = z
  .string()
  .regex(/^P(?=\d)(\d{1,3}Y)?(\d{1,4}M)?(\d{1,5}D)?$/, 'a duration such as P2Y, P18M or P90D')
  .refine((d) => /[1-9]/.test(d), 'a duration longer than zero');

/** A research project's reference (as the research gateway names projects). */
export const ProjectRefSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a project id: letters, digits, dot, dash, underscore (up to 64)');

const Note = z.string().regex(/^[^\s=]{1,100}$/, 'one word (no spaces), up to 100 characters');
const bare = <T extends DuoModifierId>(term: T) => z.object({ term: z.literal(term) });
const noted = <T extends DuoModifierId>(term: T) => z.object({ term: z.literal(term), note: Note.optional() });

export const DuoModifierSchema = z.discriminatedUnion('term', [
  z.object({ term: z.literal(DUO_MODIFIER.MOR), until: IsoDateSchema }),
  z.object({ term: z.literal(DUO_MODIFIER.TS), duration: DurationSchema }),
  z.object({ term: z.literal(DUO_MODIFIER.GS), countries: z.array(CountryCodeSchema).min(1).max(250) }),
  z.object({ term: z.literal(DUO_MODIFIER.PS), project: ProjectRefSchema.optional() }),
  noted(DUO_MODIFIER.RS),
  noted(DUO_MODIFIER.COL),
  noted(DUO_MODIFIER.US),
  noted(DUO_MODIFIER.IS),
  bare(DUO_MODIFIER.NMDS),
  bare(DUO_MODIFIER.GSO),
  bare(DUO_MODIFIER.NPUNCU),
  bare(DUO_MODIFIER.PUB),
  bare(DUO_MODIFIER.IRB),
  bare(DUO_MODIFIER.RTN),
  bare(DUO_MODIFIER.CC),
  bare(DUO_MODIFIER.NPOA),
  bare(DUO_MODIFIER.NPU),
  bare(DUO_MODIFIER.NCU),
]);
export type DuoModifier = z.infer<typeof DuoModifierSchema>;

const noRepeats = <T>(items: readonly T[], key: (t: T) => string = String) => new Set(items.map(key)).size === items.length;

/** What a patient's research consent allows: one permission, its diseases (DS), its modifiers. */
export const ConsentScopeSchema = z
  .object({
    permission: DuoPermissionIdSchema,
    /** DS only: research on any of these diseases (or their descendants) is allowed. */
    diseases: z.array(DiseaseIdSchema).max(50).default([]),
    modifiers: z.array(DuoModifierSchema).max(20).default([]),
    /** The day consent was given; TS counts from it. */
    consentedOn: IsoDateSchema.optional(),
    /** Restrictions written in words on the form; a person must read them (always review). */
    restrictionsText: z.string().trim().min(1).max(2000).optional(),
  })
  .superRefine((scope, ctx) => {
    const isDs = scope.permission === DUO_PERMISSION.DS;
    if (isDs && scope.diseases.length === 0) ctx.addIssue({ code: 'custom', path: ['diseases'], message: 'DS (DUO:0000007) needs at least one disease id' });
    if (!isDs && scope.diseases.length > 0) ctx.addIssue({ code: 'custom', path: ['diseases'], message: 'disease ids belong to DS (DUO:0000007) only' });
    if (!noRepeats(scope.diseases)) ctx.addIssue({ code: 'custom', path: ['diseases'], message: 'a disease id appears twice' });
    if (!noRepeats(scope.modifiers, (m) => m.term)) ctx.addIssue({ code: 'custom', path: ['modifiers'], message: 'a modifier appears twice' });
    if (scope.modifiers.some((m) => m.term === DUO_MODIFIER.TS) && !scope.consentedOn) {
      ctx.addIssue({ code: 'custom', path: ['consentedOn'], message: 'TS (DUO:0000025) counts from the consent date: consentedOn is required' });
    }
  })
  .meta({ id: 'DuoConsentScope', description: 'a research consent scope in GA4GH DUO terms' });
export type ConsentScope = z.infer<typeof ConsentScopeSchema>;

/** Declared sensitive aspects of a research project: each sends the match to a person. */
export const SENSITIVE_ASPECTS = [
  'controls',
  'population',
  'gender',
  'children',
  'vulnerable',
  'illegal-behaviour',
  'sexual-disease',
  'psychological-traits',
  'non-health',
  'stigmatising',
] as const;
export type SensitiveAspect = (typeof SENSITIVE_ASPECTS)[number];

/** What a project undertakes, which can satisfy COL, PUB and RTN. */
export const COMMITMENTS = ['collaboration', 'publication', 'return-data'] as const;
export type Commitment = (typeof COMMITMENTS)[number];

/** A research project's purpose and the attributes the modifiers are checked against. */
export const ResearchPurposeSchema = z
  .object({
    terms: z.array(DuoPurposeTermIdSchema).min(1).max(14),
    diseases: z.array(DiseaseIdSchema).max(50).default([]),
    /** The requesting organisation is for-profit (NPU, NPUNCU). */
    forProfit: z.boolean(),
    /** The use is commercial (NCU, NPUNCU). */
    commercial: z.boolean(),
    sensitive: z.array(z.enum(SENSITIVE_ASPECTS)).max(SENSITIVE_ASPECTS.length).default([]),
    commitments: z.array(z.enum(COMMITMENTS)).max(COMMITMENTS.length).default([]),
    /** The project's ethics approval reference (IRB). */
    irbReference: z.string().trim().min(1).max(100).optional(),
    /** Where the data will be used (GS). */
    country: CountryCodeSchema.optional(),
    /** The earliest day the project will publish results (MOR). */
    publishAfter: IsoDateSchema.optional(),
    /** The project's id (PS). */
    projectId: ProjectRefSchema.optional(),
  })
  .superRefine((purpose, ctx) => {
    const needsDisease = purpose.terms.some((t) => t === DUO_PERMISSION.DS || t === DUO_PURPOSE.diseaseCategoryResearch);
    if (needsDisease && purpose.diseases.length === 0) ctx.addIssue({ code: 'custom', path: ['diseases'], message: 'DS and DUO:0000040 need at least one disease id' });
    if (!noRepeats(purpose.terms)) ctx.addIssue({ code: 'custom', path: ['terms'], message: 'a term appears twice' });
    if (!noRepeats(purpose.diseases)) ctx.addIssue({ code: 'custom', path: ['diseases'], message: 'a disease id appears twice' });
    if (!noRepeats(purpose.sensitive)) ctx.addIssue({ code: 'custom', path: ['sensitive'], message: 'an aspect appears twice' });
    if (!noRepeats(purpose.commitments)) ctx.addIssue({ code: 'custom', path: ['commitments'], message: 'a commitment appears twice' });
  })
  .meta({ id: 'DuoResearchPurpose', description: 'a research purpose in GA4GH DUO terms, with the project attributes DUO modifiers are checked against' });
export type ResearchPurpose = z.infer<typeof ResearchPurposeSchema>;

export const DUO_OUTCOMES = ['permit', 'deny', 'review'] as const;
export type DuoOutcome = (typeof DUO_OUTCOMES)[number];

/** One rule's verdict: `rule` is a stable code (a DUO shorthand, `disease`, `sensitive:<aspect>`...). */
export const DuoFindingSchema = z.object({ rule: z.string(), outcome: z.enum(DUO_OUTCOMES), reason: z.string() });
export type DuoFinding = z.infer<typeof DuoFindingSchema>;

export const DuoVersionsSchema = z.object({ duo: z.string(), diseaseOntology: z.string(), mondoMapping: z.string() });
export type DuoVersions = z.infer<typeof DuoVersionsSchema>;

/**
 * The matcher's answer. `reasons` are the findings that decided it; `findings` are all of them.
 * Reasons repeat the consent's terms: they are consent contents, for the ethics board, not for logs.
 */
export const DuoDecisionSchema = z
  .object({
    decision: z.enum(DUO_OUTCOMES),
    reasons: z.array(z.string()),
    findings: z.array(DuoFindingSchema),
    /** The day the purpose was matched for (TS, MOR). */
    on: IsoDateSchema,
    versions: DuoVersionsSchema,
  })
  .meta({ id: 'DuoDecision' });
export type DuoDecision = z.infer<typeof DuoDecisionSchema>;
