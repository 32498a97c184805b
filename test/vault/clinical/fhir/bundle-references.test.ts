// Every reference in an exported bundle resolves inside it, whatever the rows: a property test
// over generated records and variant rows, plus proof that the checker catches breakage.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { toFhirBundle } from '../../../../vault/clinical/fhir/fhir-bundle.ts';
import { bundleReferenceProblems } from '../../../../vault/clinical/fhir/bundle-references.ts';
import { FHIR_ID } from '../../../../vault/clinical/fhir/export-input-checks.ts';
import { PROFILE } from '../../../../vault/clinical/fhir/terminology.ts';
import type { Bundle, Observation } from '../../../../vault/clinical/fhir/fhir-types.ts';
import type { VariantRow } from '../../../../vault/clinical/fhir/variant-row.ts';
import { BRCA1_ROW, RECORD, observationsWithProfile } from './fhir-fixtures.ts';

const bases = fc.stringMatching(/^[ACGTN]{1,6}$/);
const rowArbitrary: fc.Arbitrary<VariantRow> = fc.record({
  chrom: fc.constantFrom('chr1', 'chr17', 'chr22', 'chrX', 'chrY', 'chrM', 'chrUn_gl000220', '7'),
  pos: fc.integer({ min: 1, max: 250_000_000 }),
  id: fc.constantFrom(null, 'rs80357906', 'rs1;rs2', 'COSV123'),
  ref: bases,
  alt: fc.oneof(bases, fc.constantFrom('<DEL>', '*', '<INS:ME:ALU>', 'G]17:198982]')),
  zygosity: fc.constantFrom('het', 'hom_alt', 'hemizygous', 'missing'),
  gene: fc.constantFrom(null, 'BRCA1', 'TP53', 'C4orf33'),
  clnsig: fc.constantFrom(null, '.', 'Pathogenic', 'Likely_benign', 'Conflicting_classifications_of_pathogenicity', 'drug_response'),
  build: fc.constantFrom(undefined, null, 'GRCh37', 'hg38', 'NCBI36'),
});
const conditionArbitrary = fc.record({
  system: fc.constantFrom('icd10' as const, 'hpo' as const),
  code: fc.constantFrom('C50.9', 'Z15.01', 'HP:0003002', 'HP:0001250'),
});
const inputArbitrary = fc.record({
  // duplicated rows and conditions are drawn on purpose: ids must stay unique
  variants: fc.array(rowArbitrary, { maxLength: 25 }).map((rows) => [...rows, ...rows.slice(0, 3)]),
  conditions: fc.array(conditionArbitrary, { maxLength: 6 }),
  build: fc.constantFrom(null, 'GRCh37', 'GRCh38'),
  patientId: fc.stringMatching(/^p_[0-9a-f]{16}$/),
  idKey: fc.option(fc.uint8Array({ minLength: 32, maxLength: 32 }), { nil: undefined }),
});

type GeneratedInput = typeof inputArbitrary extends fc.Arbitrary<infer T> ? T : never;

function exportGenerated(input: GeneratedInput): Bundle {
  return toFhirBundle({ record: { ...RECORD, patientId: input.patientId, conditions: input.conditions }, variants: input.variants, build: input.build, idKey: input.idKey });
}

describe('bundle references', () => {
  it('resolve to an entry fullUrl for every generated record and rows', () => {
    fc.assert(fc.property(inputArbitrary, (input) => {
      const bundle = exportGenerated(input);
      assert.deepEqual(bundleReferenceProblems(bundle), []);
      const implications = observationsWithProfile(bundle, PROFILE.diagnosticImplication);
      assert.equal(bundle.entry.length, 1 + input.conditions.length + input.variants.length + implications.length);
      for (const { resource } of bundle.entry) assert.match(resource.id, FHIR_ID);
      const byUrl = new Map(bundle.entry.map((e) => [e.fullUrl, e.resource]));
      for (const implication of implications) {
        const source = byUrl.get(implication.derivedFrom?.[0]?.reference ?? '') as Observation | undefined;
        assert.deepEqual(source?.meta.profile, [PROFILE.variant], 'an implication derives from a variant Observation');
      }
    }), { numRuns: 300 });
  });

  it('report a missing target: dropping any referenced entry is caught', () => {
    fc.assert(fc.property(inputArbitrary, fc.nat(), (input, pick) => {
      const bundle = exportGenerated(input);
      const referenced = bundle.entry.filter((e) => JSON.stringify(bundle.entry).includes(`"reference":"${e.fullUrl}"`));
      fc.pre(referenced.length > 0);
      const victim = referenced[pick % referenced.length]!;
      const broken: Bundle = { ...bundle, entry: bundle.entry.filter((e) => e !== victim) };
      const problems = bundleReferenceProblems(broken);
      assert.ok(problems.length > 0);
      assert.ok(problems.every((p) => p.includes(victim.fullUrl)));
    }), { numRuns: 200 });
  });

  it('report duplicate fullUrls and fullUrls that do not name their resource', () => {
    const bundle = toFhirBundle({ record: RECORD, variants: [BRCA1_ROW], build: 'GRCh38' });
    const [patient, second] = bundle.entry;
    const duplicated: Bundle = { ...bundle, entry: [...bundle.entry, patient!] };
    assert.match(bundleReferenceProblems(duplicated).join('\n'), /entry\[5\]\.fullUrl: .* appears twice/);
    const renamed: Bundle = { ...bundle, entry: [patient!, { ...second!, fullUrl: 'urn:uuid:00000000-0000-8000-8000-000000000000' }, ...bundle.entry.slice(2)] };
    assert.match(bundleReferenceProblems(renamed).join('\n'), /entry\[1\]\.fullUrl: does not name resource id/);
  });
});
