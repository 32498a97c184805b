import assert from 'node:assert/strict';
import { toFhirBundle } from '../../../../vault/clinical/fhir/fhir-bundle.ts';
import { PROFILE } from '../../../../vault/clinical/fhir/terminology.ts';
import type { Observation } from '../../../../vault/clinical/fhir/fhir-types.ts';
import { BRCA1_ROW, NOW, RECORD, component, observationsWithProfile, row } from './fhir-fixtures.ts';
import type { QueryRow } from './fhir-fixtures.ts';

function exportOne(variant: QueryRow, build: string | null = 'GRCh38'): { variant: Observation; implications: Observation[] } {
  const bundle = toFhirBundle({ record: RECORD, variants: [variant], build, bundleId: 'b-1', now: NOW });
  const [only, ...rest] = observationsWithProfile(bundle, PROFILE.variant);
  assert.ok(only);
  assert.equal(rest.length, 0);
  return { variant: only, implications: observationsWithProfile(bundle, PROFILE.diagnosticImplication) };
}

const loinc = (code: string, display: string) => ({ coding: [{ system: 'http://loinc.org', code, display }] });

describe('variant Observation (Genomics Reporting IG variant profile)', () => {
  it('matches the golden rendering of a heterozygous BRCA1 SNV on GRCh38', () => {
    const { variant } = exportOne(BRCA1_ROW);
    // Ids are pinned: a change to how they are derived would make receivers duplicate resources.
    const patientRef = { reference: 'urn:uuid:adb19dc5-abef-8b34-866b-7be2a8f27f6b' };
    assert.deepEqual(variant, {
      resourceType: 'Observation',
      id: '42d2a7d7-f810-8fad-ab9b-9dedf56443f6',
      meta: { profile: ['http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/variant'] },
      status: 'final',
      category: [
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory', display: 'Laboratory' }] },
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'GE', display: 'Genetics' }] },
      ],
      code: loinc('69548-6', 'Genetic variant assessment'),
      subject: patientRef,
      valueCodeableConcept: loinc('LA9633-4', 'Present'),
      component: [
        { code: loinc('48018-6', 'Gene studied [ID]'), valueCodeableConcept: { text: 'BRCA1' } },
        {
          code: loinc('81252-9', 'Discrete genetic variant'),
          valueCodeableConcept: { text: 'chr17:g.43045712C>T', coding: [{ system: 'http://www.ncbi.nlm.nih.gov/projects/SNP', code: 'rs80357906' }] },
        },
        { code: loinc('62374-4', 'Human reference sequence assembly version'), valueCodeableConcept: loinc('LA26806-2', 'GRCh38') },
        { code: loinc('48013-7', 'Genomic reference sequence [ID]'), valueCodeableConcept: { coding: [{ system: 'http://www.ncbi.nlm.nih.gov/refseq', code: 'NC_000017.11' }] } },
        { code: loinc('81290-9', 'Genomic DNA change (gHGVS)'), valueCodeableConcept: { coding: [{ system: 'http://varnomen.hgvs.org', code: 'NC_000017.11:g.43045712C>T' }] } },
        { code: loinc('69547-8', 'Genomic ref allele [ID]'), valueString: 'C' },
        { code: loinc('69551-0', 'Genomic alt allele [ID]'), valueString: 'T' },
        { code: loinc('92822-6', 'Genomic coordinate system [Type]'), valueCodeableConcept: loinc('LA30100-4', '0-based interval counting') },
        { code: loinc('81254-5', 'Genomic allele start-end'), valueRange: { low: { value: 43045711 }, high: { value: 43045712 } } },
        { code: loinc('53034-5', 'Allelic state'), valueCodeableConcept: loinc('LA6706-1', 'Heterozygous') },
        { code: loinc('48002-0', 'Genomic source class [Type]'), valueCodeableConcept: loinc('LA6683-2', 'Germline') },
      ],
    });
  });

  it('puts ClinVar significance on a diagnostic-implication Observation derived from the variant', () => {
    const { variant, implications } = exportOne(BRCA1_ROW);
    assert.equal(implications.length, 1);
    const implication = implications[0]!;
    assert.deepEqual(implication.code.coding, [{ system: 'http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs', code: 'diagnostic-implication', display: 'Diagnostic Implication' }]);
    assert.deepEqual(implication.derivedFrom, [{ reference: `urn:uuid:${variant.id}` }]);
    assert.deepEqual(implication.subject, variant.subject);
    assert.equal(implication.valueCodeableConcept, undefined, 'the IG forbids a value on implications');
    assert.deepEqual(component(implication, '53037-8')?.valueCodeableConcept, { coding: [{ system: 'http://loinc.org', code: 'LA6668-3', display: 'Pathogenic' }], text: 'Pathogenic' });
  });

  for (const [clnsig, code, text] of [
    ['Likely_pathogenic', 'LA26332-9', 'Likely pathogenic'],
    ['Uncertain_significance', 'LA26333-7', 'Uncertain significance'],
    ['Likely_benign', 'LA26334-5', 'Likely benign'],
    ['benign', 'LA6675-8', 'benign'],
    ['Pathogenic/Likely_pathogenic', null, 'Pathogenic/Likely pathogenic'],
    ['Conflicting_classifications_of_pathogenicity', null, 'Conflicting classifications of pathogenicity'],
  ] as const) {
    it(`maps CLNSIG ${clnsig} to ${code ?? 'text only'}`, () => {
      const significance = component(exportOne(row({ clnsig })).implications[0]!, '53037-8')?.valueCodeableConcept;
      assert.equal(significance?.text, text);
      assert.equal(significance?.coding?.[0]?.code, code ?? undefined);
    });
  }

  it('emits no implication without a CLNSIG', () => {
    assert.equal(exportOne(row({ clnsig: null })).implications.length, 0);
    assert.equal(exportOne(row({ clnsig: '.' })).implications.length, 0);
  });

  for (const [zygosity, code] of [['het', 'LA6706-1'], ['hom_alt', 'LA6705-3'], ['hemizygous', 'LA6707-9']] as const) {
    it(`maps zygosity ${zygosity} to allelic state ${code}`, () => {
      const chrom = zygosity === 'hemizygous' ? 'chrX' : 'chr17';
      assert.equal(component(exportOne(row({ zygosity, chrom })).variant, '53034-5')?.valueCodeableConcept?.coding?.[0]?.code, code);
    });
  }

  it('states no allelic state for a call beside a missing allele (./1)', () => {
    assert.equal(component(exportOne(row({ zygosity: 'missing' })).variant, '53034-5'), undefined);
  });

  it('names the GRCh37 accession and assembly for GRCh37 rows, and a row build overrides the export build', () => {
    const { variant } = exportOne(row({ pos: 41197708, build: 'hg19' }), 'GRCh38');
    assert.equal(component(variant, '48013-7')?.valueCodeableConcept?.coding?.[0]?.code, 'NC_000017.10');
    assert.equal(component(variant, '62374-4')?.valueCodeableConcept?.coding?.[0]?.code, 'LA14029-5');
    assert.equal(component(variant, '81290-9')?.valueCodeableConcept?.coding?.[0]?.code, 'NC_000017.10:g.41197708C>T');
  });

  it('leaves out build-dependent components when the build is unknown, and keeps the rest', () => {
    const { variant } = exportOne(BRCA1_ROW, null);
    for (const code of ['62374-4', '48013-7', '81290-9']) assert.equal(component(variant, code), undefined, code);
    assert.equal(component(variant, '81252-9')?.valueCodeableConcept?.text, 'chr17:g.43045712C>T');
    assert.ok(component(variant, '81254-5'));
  });

  it('writes an indel with its VCF anchor base, interbase range over REF, and no gHGVS', () => {
    const { variant } = exportOne(row({ ref: 'CA', alt: 'C', id: null }));
    assert.deepEqual(component(variant, '81254-5')?.valueRange, { low: { value: 43045711 }, high: { value: 43045713 } });
    assert.equal(component(variant, '81252-9')?.valueCodeableConcept?.text, 'chr17-43045712-CA-C');
    assert.equal(component(variant, '81252-9')?.valueCodeableConcept?.coding, undefined);
    assert.equal(component(variant, '81290-9'), undefined);
    assert.equal(component(variant, '69547-8')?.valueString, 'CA');
  });

  it('trims a multi-base substitution to the bases that change', () => {
    const { variant } = exportOne(row({ pos: 100, ref: 'ACGT', alt: 'ATTT' }));
    assert.equal(component(variant, '81290-9')?.valueCodeableConcept?.coding?.[0]?.code, 'NC_000017.11:g.101_102delinsTT');
    assert.equal(component(exportOne(row({ pos: 100, ref: 'AC', alt: 'AT' })).variant, '81290-9')?.valueCodeableConcept?.coding?.[0]?.code, 'NC_000017.11:g.101C>T');
  });

  it('keeps a symbolic ALT as text, without alt allele or range', () => {
    const { variant } = exportOne(row({ ref: 'G', alt: '<DEL>' }));
    assert.equal(component(variant, '69551-0'), undefined);
    assert.equal(component(variant, '81254-5'), undefined);
    assert.equal(component(variant, '69547-8')?.valueString, 'G');
    assert.equal(component(variant, '81252-9')?.valueCodeableConcept?.text, 'chr17-43045712-G-<DEL>');
  });

  it('omits the gene component when the row has no gene, and reference sequence for unplaced contigs', () => {
    const { variant } = exportOne(row({ gene: null, chrom: 'chrUn_gl000220' }));
    assert.equal(component(variant, '48018-6'), undefined);
    assert.equal(component(variant, '48013-7'), undefined);
    assert.ok(component(variant, '62374-4'), 'the assembly is still known');
  });

  it('carries FORMAT AD as allelic frequency (81258-6) and allelic read depth (82121-5), and HGVS c./p. (48004-6, 48005-3)', () => {
    const { variant } = exportOne(row({ vaf: 0.3548, adAlt: 11, adRef: 20, hgvsC: 'NM_007294.4:c.5113G>A', hgvsP: 'p.Gly1705Ter' } as Partial<QueryRow>));
    assert.deepEqual(component(variant, '81258-6'), {
      code: loinc('81258-6', 'Sample variant allelic frequency [NFr]'),
      valueQuantity: { value: 0.3548, unit: 'relative frequency of a particular allele in the specimen', system: 'http://unitsofmeasure.org', code: '1' },
    });
    assert.deepEqual(component(variant, '82121-5'), {
      code: loinc('82121-5', 'Allelic read depth'),
      valueQuantity: { value: 11, unit: 'reads', system: 'http://unitsofmeasure.org', code: '{reads}' },
    });
    assert.deepEqual(component(variant, '48004-6')?.valueCodeableConcept, { coding: [{ system: 'http://varnomen.hgvs.org', code: 'NM_007294.4:c.5113G>A' }] });
    assert.deepEqual(component(variant, '48005-3')?.valueCodeableConcept, { text: 'p.Gly1705Ter' }, 'without its reference sequence, HGVS is text, not a code');
  });

  it('says nothing of depth or HGVS the row does not have', () => {
    const { variant } = exportOne(row({ vaf: null, adAlt: null, hgvsC: null, hgvsP: null }));
    for (const code of ['81258-6', '82121-5', '48004-6', '48005-3']) assert.equal(component(variant, code), undefined, code);
  });
});
