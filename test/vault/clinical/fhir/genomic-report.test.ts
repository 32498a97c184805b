// A variant export carries a DiagnosticReport (Genomics Reporting IG genomic-report) beside the
// Patient, grouping every variant and implication Observation as its result and saying in its
// conclusion the build, the samples read and the query's notes; each variant says its build.
import assert from 'node:assert/strict';
import { toFhirBundle } from '../../../../vault/clinical/fhir/fhir-bundle.ts';
import { bundleReferenceProblems } from '../../../../vault/clinical/fhir/bundle-references.ts';
import type { DiagnosticReport, FhirResource, Observation } from '../../../../vault/clinical/fhir/fhir-types.ts';
import { FhirExportError } from '../../../../vault/clinical/fhir/fhir-export-error.ts';
import { BRCA1_ROW, NOW, RECORD, row } from './fhir-fixtures.ts';

const reportOf = (resources: FhirResource[]) => resources.find((r): r is DiagnosticReport => r.resourceType === 'DiagnosticReport');
const ASSEMBLY = '62374-4';

describe('FHIR export: the genomic report', () => {
  const rows = [BRCA1_ROW, row({ pos: 43057062, ref: 'G', alt: 'A', clnsig: null, gene: null }), row({ pos: 43093449, ref: 'TG', alt: 'T', clnsig: 'Benign' })];

  it('groups every variant and implication Observation as the result of one genomic-report, beside the Patient', () => {
    const bundle = toFhirBundle({ record: RECORD, variants: rows, build: 'GRCh38', report: { notes: [], samplesQueried: 1 }, now: NOW, bundleId: 'b-1' });
    assert.deepEqual(bundleReferenceProblems(bundle), []);
    const resources = bundle.entry.map((e) => e.resource);
    assert.deepEqual(resources.map((r) => r.resourceType), ['Patient', 'Condition', 'Condition', 'DiagnosticReport', 'Observation', 'Observation', 'Observation', 'Observation', 'Observation']);
    const report = reportOf(resources)!;
    assert.deepEqual(report.meta.profile, ['http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/genomic-report']);
    assert.equal(report.status, 'final');
    assert.deepEqual(report.category[0]?.coding, [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'GE', display: 'Genetics' }]);
    assert.deepEqual(report.code.coding, [{ system: 'http://loinc.org', code: '51969-4', display: 'Genetic analysis report' }]);
    assert.equal(report.subject.reference, bundle.entry[0]!.fullUrl);
    assert.equal(report.issued, NOW.toISOString());
    const observations = bundle.entry.filter((e) => e.resource.resourceType === 'Observation').map((e) => e.fullUrl);
    assert.deepEqual(report.result.map((r) => r.reference), observations, 'every Observation, in bundle order');
    assert.equal(report.conclusion, '3 variants reported on GRCh38 from 1 sample.');
  });

  it('states the query\'s notes in the conclusion, and reports an empty answer as such', () => {
    const notes = [{ code: 'no_samples', message: 'this patient has no stored samples (none ingested, or every one erased)' }];
    const bundle = toFhirBundle({ record: RECORD, variants: [], build: null, report: { notes, samplesQueried: 0 }, now: NOW });
    const report = reportOf(bundle.entry.map((e) => e.resource))!;
    assert.deepEqual(report.result, []);
    assert.equal(report.conclusion, '0 variants reported from 0 samples. Note (no_samples): this patient has no stored samples (none ingested, or every one erased).');
    assert.deepEqual(bundleReferenceProblems(bundle), []);
  });

  it('exports a record alone without a report, and refuses malformed notes by field', () => {
    assert.equal(reportOf(toFhirBundle({ record: RECORD, variants: [], build: null }).entry.map((e) => e.resource)), undefined);
    assert.throws(() => toFhirBundle({ record: RECORD, variants: [], build: null, report: { notes: [{ code: '', message: 'x' }] } }), (err: Error) => {
      assert.ok(err instanceof FhirExportError);
      assert.match(err.message, /report\.notes\[0\]/);
      return true;
    });
  });

  it('gives every variant Observation its build (62374-4): the GRCh code, or the name as text where LOINC has none', () => {
    const bundle = toFhirBundle({ record: RECORD, variants: [row({ build: 'GRCh37', pos: 41197708 }), row({ build: 'NCBI36', pos: 100 })], build: null, report: { notes: [] } });
    const variants = bundle.entry.map((e) => e.resource).filter((r): r is Observation => r.resourceType === 'Observation' && r.code.coding?.[0]?.code === '69548-6');
    const assembly = (o: Observation) => o.component.find((c) => c.code.coding?.[0]?.code === ASSEMBLY)?.valueCodeableConcept;
    assert.deepEqual(assembly(variants[0]!), { coding: [{ system: 'http://loinc.org', code: 'LA14029-5', display: 'GRCh37' }] });
    assert.deepEqual(assembly(variants[1]!), { text: 'NCBI36' });
  });
});
