// GET /v1/patients/{id}/variants answers for one build, with the build, the samples read and notes
// in the body; a patient on several builds must be asked with build=, and bad filters are problems
// naming the query field without echoing the value. The FHIR form carries a DiagnosticReport.
import { strict as assert } from 'node:assert';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { http } from '../helpers/http-client.ts';
import { buildWorld, type World } from './service-world.ts';
import { ingestVcf } from '../../vault/ingest/ingest-vcf.ts';

const PHASE1 = fileURLToPath(new URL('../fixtures/vcf/real/1000g-phase1_chr22_5samples_phased.vcf.gz', import.meta.url));

describe('variant answers over HTTP', function () {
  this.timeout(120_000);
  let dir: { path: string; remove: () => Promise<void> };
  let w: World;
  let token: string;
  before(async () => {
    dir = await makeTempDir();
    // patient A: the NCBI36 example sample, and a GRCh37 genome
    w = await buildWorld(dir.path, { moreData: (writer) => ingestVcf(writer, PHASE1, { patient: 'MRN-A-0001', sample: 'HG00096', build: 'GRCh37', workers: 0 }).then(() => undefined) });
    token = await w.login('clin_a');
    await w.service.clinical.setCareTeam(w.patientB, w.accounts.clin_a!.accountId, true, 'setup');
  });
  after(async () => {
    await w?.close();
    await dir?.remove();
  });

  const get = (path: string, headers?: Record<string, string>) => http(`${w.url}${path}`, { token, ...(headers ? { headers } : {}) });
  const problem = (r: { status: number; body: unknown }) => r.body as { code: string; errors: { path: string; message: string }[]; detail: string };

  it('asks which build for a patient on two, naming the builds held, as a problem on query.build', async () => {
    const r = await get(`/patients/${w.patientA}/variants`);
    assert.equal(r.status, 400);
    assert.equal(problem(r).errors[0]?.path, 'query.build');
    assert.match(problem(r).detail, /GRCh37: 1 sample, NCBI36: 1 sample/);
  });

  it('answers for the build asked for, with build, samplesQueried and notes beside the rows', async () => {
    const r = await get(`/patients/${w.patientA}/variants?build=hg19&region=22:50300000-50400000`);
    assert.equal(r.status, 200, r.text);
    const body = r.body as { build: string; samplesQueried: number; notes: { code: string }[]; variants: { chrom: string; build: string; geneSource: string | null }[] };
    assert.equal(body.build, 'GRCh37');
    assert.equal(body.samplesQueried, 1);
    assert.deepEqual(body.notes.map((n) => n.code), ['samples_left_out']);
    assert.ok(body.variants.length > 0 && body.variants.every((v) => v.chrom === '22' && v.build === 'GRCh37'), JSON.stringify(body.variants.slice(0, 2)));
  });

  it('refuses a misspelt term, an unknown contig and an unknown build by field, never echoing what was sent', async () => {
    for (const [query, path] of [['significance=pathogenci', 'query.significance'], ['region=chrQQ:1-10', 'query.region'], ['build=hg42', 'query.build']] as const) {
      const r = await get(`/patients/${w.patientA}/variants?build=GRCh37&${query}`.replace('build=GRCh37&build=', 'build='));
      assert.equal(r.status, 400, query);
      assert.equal(problem(r).errors[0]?.path, path);
      assert.ok(!r.text.includes(query.split('=')[1]!), `${query}: the value is not echoed`);
    }
  });

  it('says "no samples" for a patient without any, in JSON and in the FHIR DiagnosticReport', async () => {
    const json = await get(`/patients/${w.patientB}/variants`);
    assert.equal(json.status, 200, json.text);
    assert.deepEqual((json.body as { notes: { code: string }[] }).notes.map((n) => n.code), ['no_samples']);
    const fhir = await get(`/patients/${w.patientB}/variants`, { accept: 'application/fhir+json' });
    assert.equal(fhir.status, 200, fhir.text);
    const bundle = fhir.body as { entry: { resource: { resourceType: string; conclusion?: string; result?: unknown[] } }[] };
    const report = bundle.entry.find((e) => e.resource.resourceType === 'DiagnosticReport')?.resource;
    assert.ok(report, 'a DiagnosticReport beside the Patient');
    assert.deepEqual(report.result, []);
    assert.match(report.conclusion ?? '', /Note \(no_samples\): this patient has no stored samples/);
  });
});
