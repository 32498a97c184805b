// The disease hierarchy: read from the shipped files, all parents followed, MONDO ids placed.
import assert from 'node:assert/strict';
import { DiseaseDataError, DiseaseOntology, UnknownDiseaseError, diseaseOntology } from '../../../consent/duo/disease-ontology.ts';

const HEADER = 'id\tlabel\tsubClassOf\n';
const row = (id: string, label: string, parent: string) => `"${id}"\t"${label}"\t"${parent}"\n`;
const SSSOM_HEADER = '# mapping_set_version: test\nsubject_id\tsubject_label\tpredicate_id\tobject_id\tobject_label\tmapping_justification\n';

describe('disease ontology', () => {
  const onto = diseaseOntology();

  it('holds every Disease Ontology term and the root', () => {
    assert.equal(onto.doids().length, 12_247);
    assert.equal(onto.label('DOID:4'), 'disease');
    assert.equal(onto.label('DOID:162'), 'cancer');
  });

  it('places a term several levels below its ancestors, and never an ancestor below its descendant', () => {
    assert.deepEqual(onto.pathUp('DOID:3910', 'DOID:162').map((d) => onto.label(d)), [
      'lung adenocarcinoma', 'lung non-small cell carcinoma', 'lung carcinoma', 'lung cancer', 'respiratory system cancer', 'organ system cancer', 'cancer',
    ]);
    assert.ok(onto.isSameOrDescendant('DOID:3910', 'DOID:162'));
    assert.ok(onto.isSameOrDescendant('DOID:3910', 'DOID:4'));
    assert.ok(onto.isSameOrDescendant('DOID:162', 'DOID:162'));
    assert.ok(!onto.isSameOrDescendant('DOID:162', 'DOID:3910'));
    assert.ok(!onto.isSameOrDescendant('DOID:1485', 'DOID:162'));
    assert.deepEqual(onto.pathUp('DOID:162', 'DOID:3910'), []);
  });

  it('follows every parent of a term with several', () => {
    // intermediate cell type ciliary body melanoma: under ocular melanoma and under uveal cancer
    assert.ok(onto.isSameOrDescendant('DOID:6997', 'DOID:1752'));
    assert.ok(onto.isSameOrDescendant('DOID:6997', 'DOID:3479'));
  });

  it('reads MONDO ids through their exact matches, preferring the match with the same label', () => {
    assert.deepEqual(onto.readings('MONDO:0005061'), ['DOID:3910']);
    // cancer matches organ system cancer, cell type cancer and cancer: the one labelled "cancer"
    assert.deepEqual(onto.readings('MONDO:0004992'), ['DOID:162']);
    // gastric carcinoma matches two terms, neither labelled so: both are kept
    assert.deepEqual([...onto.readings('MONDO:0004950')].sort(), ['DOID:10538', 'DOID:5517']);
  });

  it('refuses ids it cannot place, naming them', () => {
    const refuses = (id: string, detail: RegExp) =>
      assert.throws(() => onto.readings(id), (e: unknown) => e instanceof UnknownDiseaseError && e.diseaseId === id && e.message.startsWith(id) && detail.test(e.detail));
    refuses('DOID:99999999', /not in the Human Disease Ontology/);
    refuses('MONDO:9999999', /no exact match/);
    refuses('MONDO:0000238', /no exact match/); // its only match is an obsolete DOID
    refuses('HP:0001250', /not a DOID or MONDO id/);
  });

  it('refuses malformed data, naming file and line', () => {
    const sssom = SSSOM_HEADER;
    assert.throws(() => DiseaseOntology.fromText('id\tname\n', sssom), /HumanDO\.tsv:1: expected the header/);
    assert.throws(() => DiseaseOntology.fromText(`${HEADER}${row('DOID:1', 'a', 'disease')}"DOID:2"\t"b"\n`, sssom), (e: unknown) => e instanceof DiseaseDataError && /HumanDO\.tsv:3: expected three quoted fields/.test(e.message));
    assert.throws(() => DiseaseOntology.fromText(`${HEADER}${row('DOID:1', 'a', 'nothing')}`, sssom), /HumanDO\.tsv:2: the parent label names no term/);
    assert.throws(() => DiseaseOntology.fromText(`${HEADER}${row('DOID:1', 'a', 'disease')}${row('DOID:2', 'a', 'disease')}`, sssom), /HumanDO\.tsv:3: a label names two terms/);
    assert.throws(() => DiseaseOntology.fromText(`${HEADER}${row('DOID:1', 'a', 'disease')}`, `${sssom}MONDO:1\tx\tskos:exactMatch\tDOID:1\ta\tm\n`), /sssom\.tsv:3: expected a MONDO subject/);
  });

  it('builds a small hierarchy from text, skipping matches to terms it lacks', () => {
    const small = DiseaseOntology.fromText(
      `${HEADER}${row('DOID:1', 'a', 'disease')}${row('DOID:2', 'b', 'a')}${row('DOID:3', 'c', 'b')}${row('DOID:3', 'c', 'disease')}`,
      `${SSSOM_HEADER}MONDO:0000003\tc\tskos:exactMatch\tDOID:3\tc\tm\nMONDO:0000009\tz\tskos:exactMatch\tDOID:9\tz\tm\nMONDO:0000002\tb\tskos:broadMatch\tDOID:2\tb\tm\n`,
    );
    assert.ok(small.isSameOrDescendant('DOID:3', 'DOID:1'));
    assert.deepEqual(small.pathUp('DOID:3', 'DOID:4'), ['DOID:3', 'DOID:4']);
    assert.deepEqual(small.readings('MONDO:0000003'), ['DOID:3']);
    assert.throws(() => small.readings('MONDO:0000009'), UnknownDiseaseError);
    assert.throws(() => small.readings('MONDO:0000002'), UnknownDiseaseError);
  });
});
