import assert from 'node:assert/strict';
import { toFhirBundle } from '../../../../vault/clinical/fhir/fhir-bundle.ts';
import { FhirExportError } from '../../../../vault/clinical/fhir/fhir-export-error.ts';
import { bundleReferenceProblems } from '../../../../vault/clinical/fhir/bundle-references.ts';
import type { Bundle, Condition, Patient } from '../../../../vault/clinical/fhir/fhir-types.ts';
import type { VariantRow } from '../../../../vault/clinical/fhir/variant-row.ts';
import { PROFILE } from '../../../../vault/clinical/fhir/terminology.ts';
import { BRCA1_ROW, NOW, RECORD, observationsWithProfile, resources, row } from './fhir-fixtures.ts';

const exportBundle = (variants: readonly VariantRow[] = [BRCA1_ROW], extra: Partial<Parameters<typeof toFhirBundle>[0]> = {}): Bundle =>
  toFhirBundle({ record: RECORD, variants, build: 'GRCh38', bundleId: 'bundle-1', now: NOW, ...extra });

const patientOf = (bundle: Bundle) => resources(bundle).find((r): r is Patient => r.resourceType === 'Patient');
const conditionsOf = (bundle: Bundle) => resources(bundle).filter((r): r is Condition => r.resourceType === 'Condition');

/** Every key path in a JSON value, with array indices written as []. */
function keyPaths(value: unknown, path = '', into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((item) => keyPaths(item, `${path}[]`, into));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      into.add(`${path}.${key}`);
      keyPaths(child, `${path}.${key}`, into);
    }
  }
  return into;
}

describe('FHIR R4 Bundle of a patient record and variants', () => {
  it('is a collection bundle: Patient, Conditions, then each variant with its implication', () => {
    const bundle = exportBundle([BRCA1_ROW, row({ pos: 43045800, clnsig: null })]);
    assert.equal(bundle.resourceType, 'Bundle');
    assert.equal(bundle.type, 'collection');
    assert.equal(bundle.id, 'bundle-1');
    assert.equal(bundle.timestamp, '2026-02-03T04:05:06.000Z');
    const kinds = bundle.entry.map((e) => (e.resource.resourceType === 'Observation' ? e.resource.meta.profile[0] : e.resource.resourceType));
    assert.deepEqual(kinds, ['Patient', 'Condition', 'Condition', PROFILE.variant, PROFILE.diagnosticImplication, PROFILE.variant]);
    for (const entry of bundle.entry) assert.equal(entry.fullUrl, `urn:uuid:${entry.resource.id}`);
    assert.deepEqual(bundleReferenceProblems(bundle), []);
  });

  it('renders the Patient with MRN identifier, name, gender, birth date and postal code', () => {
    const patient = patientOf(exportBundle())!;
    assert.deepEqual(patient, {
      resourceType: 'Patient',
      id: 'adb19dc5-abef-8b34-866b-7be2a8f27f6b',
      identifier: [{
        use: 'usual',
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR', display: 'Medical record number' }] },
        system: 'urn:genovault:mrn',
        value: 'MRN-7731-QX',
      }],
      name: [{ use: 'official', family: 'Quillfeather', given: ['Ada'] }],
      gender: 'female',
      birthDate: '1961-04-09',
      address: [{ postalCode: '02139' }],
    });
  });

  it('maps each sex to the FHIR administrative gender, and takes a hospital MRN system', () => {
    for (const sex of ['female', 'male', 'other', 'unknown'] as const) {
      assert.equal(patientOf(toFhirBundle({ record: { ...RECORD, sex }, variants: [], build: null }))?.gender, sex);
    }
    const patient = patientOf(exportBundle([], { mrnSystem: 'urn:oid:2.16.840.1.113883.19.5' }))!;
    assert.equal(patient.identifier[0]?.system, 'urn:oid:2.16.840.1.113883.19.5');
  });

  it('renders one Condition per recorded condition, ICD-10 and HPO, about the patient', () => {
    const bundle = exportBundle();
    const patientUrl = `urn:uuid:${patientOf(bundle)!.id}`;
    const [icd, hpo] = conditionsOf(bundle);
    assert.deepEqual(icd?.code, {
      coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'C50.9', display: 'Malignant neoplasm of breast, unspecified' }],
      text: 'Malignant neoplasm of breast, unspecified',
    });
    assert.deepEqual(hpo?.code, { coding: [{ system: 'http://human-phenotype-ontology.org', code: 'HP:0003002' }] });
    assert.deepEqual(icd?.subject, { reference: patientUrl });
    assert.deepEqual(hpo?.subject, { reference: patientUrl });
  });

  it('exports a patient with no variants as Patient and Conditions only', () => {
    const bundle = exportBundle([]);
    assert.deepEqual(bundle.entry.map((e) => e.resource.resourceType), ['Patient', 'Condition', 'Condition']);
    const bare = toFhirBundle({ record: { ...RECORD, conditions: [] }, variants: [], build: null });
    assert.deepEqual(bare.entry.map((e) => e.resource.resourceType), ['Patient']);
    assert.deepEqual(bundleReferenceProblems(bare), []);
  });

  it('gives stable ids across exports, distinct ids to repeats, and keyed ids with idKey', () => {
    const first = exportBundle([BRCA1_ROW, BRCA1_ROW]);
    const again = exportBundle([BRCA1_ROW, BRCA1_ROW], { bundleId: 'bundle-2' });
    assert.deepEqual(first.entry.map((e) => e.fullUrl), again.entry.map((e) => e.fullUrl));
    assert.equal(new Set(first.entry.map((e) => e.fullUrl)).size, first.entry.length, 'the repeated row still gets its own ids');
    const keyed = exportBundle([BRCA1_ROW], { idKey: Buffer.alloc(32, 7) });
    const plain = exportBundle([BRCA1_ROW]);
    keyed.entry.forEach((e, i) => assert.notEqual(e.fullUrl, plain.entry[i]?.fullUrl));
    assert.deepEqual(bundleReferenceProblems(keyed), []);
  });

  it('derives ids from the internal patient id, never from the MRN', () => {
    const other = toFhirBundle({ record: { ...RECORD, mrn: 'OTHER-MRN-1' }, variants: [BRCA1_ROW], build: 'GRCh38' });
    assert.deepEqual(other.entry.map((e) => e.fullUrl), exportBundle().entry.map((e) => e.fullUrl));
    const moved = toFhirBundle({ record: { ...RECORD, patientId: 'p_ffeeddccbbaa9988' }, variants: [BRCA1_ROW], build: 'GRCh38' });
    assert.notEqual(moved.entry[0]?.fullUrl, exportBundle().entry[0]?.fullUrl);
  });

  it('contains no field it does not mean to send', () => {
    const bundle = exportBundle([BRCA1_ROW, row({ pos: 43045800, zygosity: 'missing', clnsig: null, gene: null })]);
    const allowed = new Set([
      '.resourceType', '.id', '.type', '.timestamp', '.entry', '.entry[].fullUrl', '.entry[].resource',
      ...['resourceType', 'id', 'identifier', 'identifier[].use', 'identifier[].type', 'identifier[].system', 'identifier[].value',
        'name', 'name[].use', 'name[].family', 'name[].given', 'gender', 'birthDate', 'address', 'address[].postalCode',
        'code', 'subject', 'subject.reference', 'meta', 'meta.profile', 'status', 'category', 'valueCodeableConcept',
        'derivedFrom', 'derivedFrom[].reference', 'component', 'component[].code', 'component[].valueCodeableConcept',
        'component[].valueString', 'component[].valueRange', 'component[].valueRange.low', 'component[].valueRange.high',
        'component[].valueRange.low.value', 'component[].valueRange.high.value'].map((p) => `.entry[].resource.${p}`),
    ]);
    const conceptKeys = ['coding', 'coding[].system', 'coding[].code', 'coding[].display', 'text'];
    for (const base of ['identifier[].type', 'code', 'category[]', 'valueCodeableConcept', 'component[].code', 'component[].valueCodeableConcept']) {
      for (const key of conceptKeys) allowed.add(`.entry[].resource.${base}.${key}`);
    }
    const unexpected = [...keyPaths(bundle)].filter((path) => !allowed.has(path));
    assert.deepEqual(unexpected, []);

    const text = JSON.stringify(bundle);
    for (const secret of [RECORD.updatedBy, RECORD.updatedAt, RECORD.patientId, '0|1', 'PASS', 'stop_gained', '812.77', '"version"', 'updatedBy']) {
      assert.ok(!text.includes(secret), `the bundle must not carry ${secret}`);
    }
    assert.equal(text.split(RECORD.mrn).length - 1, 1, 'the MRN appears once, in Patient.identifier');
  });

  describe('bad input', () => {
    const cases: [string, () => unknown, string][] = [
      ['position 0', () => exportBundle([row({ pos: 0 })]), 'variants[0].pos'],
      ['a fractional position', () => exportBundle([BRCA1_ROW, row({ pos: 1.5 })]), 'variants[1].pos'],
      ['an empty REF', () => exportBundle([row({ ref: '' })]), 'variants[0].ref'],
      ['a chromosome with a space', () => exportBundle([row({ chrom: 'chr 17' })]), 'variants[0].chrom'],
      ['an unknown zygosity', () => exportBundle([row({ zygosity: 'triploid' as never })]), 'variants[0].zygosity'],
      ['a numeric gene', () => exportBundle([row({ gene: 42 as never })]), 'variants[0].gene'],
      ['a bundle id with an underscore', () => exportBundle([], { bundleId: 'p_123' }), 'bundleId'],
      ['an MRN system that is not a URI', () => exportBundle([], { mrnSystem: 'hospital mrn' }), 'mrnSystem'],
      ['a short id key', () => exportBundle([], { idKey: Buffer.alloc(8) }), 'idKey'],
      ['an invalid date', () => exportBundle([], { now: new Date('not a date') }), 'now'],
      ['a record without an MRN', () => toFhirBundle({ record: { ...RECORD, mrn: '' }, variants: [], build: null }), 'record.mrn'],
      ['a malformed birth date', () => toFhirBundle({ record: { ...RECORD, birthDate: '09/04/1961' }, variants: [], build: null }), 'record.birthDate'],
      ['an unknown condition system', () => toFhirBundle({ record: { ...RECORD, conditions: [{ system: 'snomed' as never, code: '254837009' }] }, variants: [], build: null }), 'record.conditions[0].system'],
    ];
    for (const [what, run, path] of cases) {
      it(`refuses ${what}, naming ${path} and not the value`, () => {
        assert.throws(run, (error: unknown) => {
          assert.ok(error instanceof FhirExportError);
          assert.equal(error.path, path);
          assert.equal(error.code, 'fhir_export_invalid_input');
          for (const value of ['chr 17', 'triploid', '09/04/1961', 'hospital mrn', '254837009']) assert.ok(!error.message.includes(value));
          return true;
        });
      });
    }
  });

  it('keeps variant observations separate from the implications in count', () => {
    const rows = [BRCA1_ROW, row({ pos: 43045800, clnsig: null }), row({ pos: 43045900, clnsig: 'Benign' })];
    const bundle = exportBundle(rows);
    assert.equal(observationsWithProfile(bundle, PROFILE.variant).length, 3);
    assert.equal(observationsWithProfile(bundle, PROFILE.diagnosticImplication).length, 2);
  });
});
