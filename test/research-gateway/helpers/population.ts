// Generated research populations for the gateway's property tests: patients with demographics, a
// research consent (or none, or one that cannot be read), one sample each (mostly GRCh38, some
// exomes not covering every site) and genotypes at a few BRCA1 alleles. The sources below serve a
// population through the gateway's own interfaces; with `honourPatientIds: false` the cohort source
// returns every patient whatever it is asked, so only the gateway's SQL consent filter keeps the
// others out.
import fc from 'fast-check';
import { DUO_MODIFIER as M, DUO_PERMISSION as P, type ConsentScope, type ResearchPurpose } from '../../../schemas/duo.ts';
import type { CohortCalls, CohortDataSource, DemographicsSource, PatientDemographics, ResearchConsentSource } from '../../../research-gateway/ports.ts';

export const BRCA1 = { chrom: 'chr17', start: 43044295, end: 43125483 };

export const ALLELES = [
  { pos: 43045000, ref: 'C', alt: 'T', clnsig: 'Benign' },
  { pos: 43050000, ref: 'G', alt: 'A', clnsig: 'Pathogenic' },
  { pos: 43060000, ref: 'A', alt: 'G', clnsig: 'Likely_benign' },
  { pos: 43070000, ref: 'T', alt: 'C', clnsig: null },
  { pos: 43080000, ref: 'AT', alt: 'A', clnsig: 'Uncertain_significance' },
] as const;

/** Consent scopes to draw from: permits, denials and reviews for the purposes below. */
export const SCOPES: readonly ConsentScope[] = [
  { permission: P.GRU, diseases: [], modifiers: [] },
  { permission: P.HMB, diseases: [], modifiers: [] },
  { permission: P.DS, diseases: ['DOID:162'], modifiers: [] },
  { permission: P.DS, diseases: ['DOID:1612'], modifiers: [] },
  { permission: P.DS, diseases: ['DOID:9351'], modifiers: [] },
  { permission: P.POA, diseases: [], modifiers: [] },
  { permission: P.GRU, diseases: [], modifiers: [{ term: M.NPU }] },
  { permission: P.HMB, diseases: [], modifiers: [{ term: M.COL }] },
  { permission: P.GRU, diseases: [], modifiers: [], restrictionsText: 'not for studies of ancestry' },
  { permission: P.GRU, diseases: [], modifiers: [{ term: M.GS, countries: ['FR'] }] },
];

/** Research purposes, as a proposal writes them (terms and disease ids) and as the matcher reads them. */
export const PURPOSES: readonly { terms: string[]; forProfit: boolean; commercial: boolean; sensitive: ('population' | 'controls')[] }[] = [
  { terms: ['DUO:0000007', 'DOID:1612'], forProfit: false, commercial: false, sensitive: [] },
  { terms: ['DUO:0000006'], forProfit: true, commercial: true, sensitive: [] },
  { terms: ['DUO:0000042'], forProfit: false, commercial: false, sensitive: [] },
  { terms: ['DUO:0000011'], forProfit: false, commercial: false, sensitive: ['population'] },
];

export function purposeForMatching(index: number, projectId: string): ResearchPurpose {
  const p = PURPOSES[index]!;
  return {
    terms: p.terms.filter((t) => t.startsWith('DUO:')) as ResearchPurpose['terms'],
    diseases: p.terms.filter((t) => !t.startsWith('DUO:')),
    forProfit: p.forProfit, commercial: p.commercial, sensitive: p.sensitive, commitments: [], irbReference: 'IRB-1', country: 'US', projectId,
  };
}

export interface TestPatient {
  patientId: string;
  sex: 'female' | 'male';
  birthYear: number;
  zip: string;
  conditions: string[];
  /** an index into SCOPES, 'none' (no research consent) or 'unreadable' */
  consent: number | 'none' | 'unreadable';
  build: 'GRCh38' | 'GRCh37';
  /** allele index → genotype */
  genotypes: Map<number, 'het' | 'hom_alt'>;
  /** allele indexes whose position this sample's assay did not cover (an exome) */
  uncovered: Set<number>;
}

const patientArbitrary = fc.record({
  sex: fc.constantFrom('female' as const, 'male' as const),
  birthYear: fc.integer({ min: 1925, max: 2005 }),
  zip: fc.constantFrom('02139', '03601', '89301', '10027', '59012', '94110'),
  conditions: fc.subarray(['C50.9', 'E11.9', 'I10', 'Z80.3']),
  // mostly scopes that permit common purposes, so cohorts often reach the threshold
  consent: fc.oneof(
    { arbitrary: fc.constantFrom(0, 1, 2, 3, 6), weight: 6 },
    { arbitrary: fc.integer({ min: 0, max: SCOPES.length - 1 }), weight: 2 },
    { arbitrary: fc.constantFrom('none' as const, 'unreadable' as const), weight: 2 },
  ),
  build: fc.constantFrom('GRCh38' as const, 'GRCh38' as const, 'GRCh38' as const, 'GRCh37' as const),
  genotypes: fc.array(fc.constantFrom(null, null, 'het' as const, 'het' as const, 'hom_alt' as const), { minLength: ALLELES.length, maxLength: ALLELES.length }),
  uncovered: fc.array(fc.boolean(), { minLength: ALLELES.length, maxLength: ALLELES.length }),
  exome: fc.boolean(),
});

export function populationArbitrary(minPatients: number, maxPatients: number): fc.Arbitrary<TestPatient[]> {
  return fc.array(patientArbitrary, { minLength: minPatients, maxLength: maxPatients, size: 'max' }).map((drawn) =>
    drawn.map((d, i) => ({
      patientId: `p_${(i + 1).toString(16).padStart(16, '0')}`,
      sex: d.sex, birthYear: d.birthYear, zip: d.zip, conditions: d.conditions, consent: d.consent, build: d.build,
      genotypes: new Map(d.genotypes.flatMap((g, a) => (g ? [[a, g] as const] : []))),
      uncovered: new Set(d.exome ? d.uncovered.flatMap((u, a) => (u && !d.genotypes[a] ? [a] : [])) : []),
    })),
  );
}

export function consentSource(patients: readonly TestPatient[]): ResearchConsentSource {
  return {
    *currentResearchConsents() {
      for (const p of patients) {
        if (p.consent === 'none') continue;
        yield { patientId: p.patientId, scope: p.consent === 'unreadable' ? null : SCOPES[p.consent]! };
      }
    },
  };
}

export function demographicsSource(patients: readonly TestPatient[]): DemographicsSource {
  const byId = new Map(patients.map((p) => [p.patientId, p]));
  return {
    demographics: (ids) =>
      [...ids].flatMap((id): PatientDemographics[] => {
        const p = byId.get(id);
        return p ? [{ patientId: id, sex: p.sex, birthYear: p.birthYear, zip: p.zip, conditions: p.conditions }] : [];
      }),
  };
}

/** Alleles within [start, end] (1-based, inclusive), by index. */
function allelesIn(start: number, end: number): number[] {
  return ALLELES.flatMap((a, i) => (a.pos <= end && a.pos + a.ref.length - 1 >= start ? [i] : []));
}

export function cohortSource(patients: readonly TestPatient[], options: { honourPatientIds: boolean }): CohortDataSource {
  return {
    buildsOf: (ids) => [...new Set(patients.filter((p) => ids.has(p.patientId)).map((p) => p.build))],
    canonicalBuild: (name) => ({ grch38: 'GRCh38', hg38: 'GRCh38', grch37: 'GRCh37', hg19: 'GRCh37' })[name.toLowerCase()] ?? null,
    calls({ assembly, locus, patientIds }): Promise<CohortCalls> {
      const read = patients.filter((p) => (!options.honourPatientIds || patientIds.has(p.patientId)) && p.build === assembly);
      const samples = read.map((p) => ({ sampleId: `s_${p.patientId.slice(2)}`, patientId: p.patientId, coverage: p.uncovered.size > 0 ? ('targets_bed' as const) : ('whole_genome' as const) }));
      const base = { build: assembly, samples };
      if (!locus) return Promise.resolve({ ...base, chrom: null, calls: [], notCovering: [] });
      const span = locus.kind === 'gene' ? BRCA1 : locus.kind === 'region' ? locus : { start: locus.pos, end: locus.pos };
      const indexes = allelesIn(span.start, span.end);
      const calls = read.flatMap((p, s) =>
        indexes.flatMap((a) => {
          const zygosity = p.genotypes.get(a);
          const allele = ALLELES[a]!;
          return zygosity ? [{ sampleId: samples[s]!.sampleId, pos: allele.pos, ref: allele.ref, alt: allele.alt, zygosity, gene: 'BRCA1', clnsig: allele.clnsig }] : [];
        }),
      );
      const notCovering = indexes.map((a) => ({ pos: ALLELES[a]!.pos, sampleIds: read.flatMap((p, s) => (p.uncovered.has(a) ? [samples[s]!.sampleId] : [])) }));
      return Promise.resolve({ ...base, chrom: BRCA1.chrom, calls, notCovering: notCovering.filter((n) => n.sampleIds.length > 0) });
    },
  };
}
