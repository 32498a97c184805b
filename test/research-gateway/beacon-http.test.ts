// GA4GH Beacon v2 over HTTPS: the documents validate against the framework schemas copied in the
// repository; an allele carried by fewer patients than the threshold answers exactly as an absent
// one; each project is a dataset picked by datasetIds; the budget and the project's approval apply.
import assert from 'node:assert/strict';
import { loadConfig } from '../../vault/config/load-config.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { enrolStaff } from '../helpers/enrol-accounts.ts';
import { PASSWORD } from '../e2e/service-world.ts';
import { RESEARCH_KEYS } from '../../vault/service/research-service.ts';
import { buildResearchWorld, type ResearchWorld } from './helpers/research-world.ts';
import { beaconValidator, type BeaconValidator } from './helpers/beacon-schemas.ts';

const BRCA1 = 'chr17:43044295-43125483';
const STUDY = { title: 'BRCA1 carriers', purpose: ['DUO:0000042'], forProfit: false, commercial: false, sensitive: [], irb: 'IRB-2026-002', country: 'US', members: [], level: 'count', start: '2026-01-01', end: '2026-12-31' };
const COUNT = 'framework/json/responses/beaconCountResponse.json';
const BOOLEAN = 'framework/json/responses/beaconBooleanResponse.json';

type Json = Record<string, unknown>;
interface BeaconAnswer {
  meta: { returnedGranularity: string; receivedRequestSummary: Json };
  responseSummary: { exists: boolean; numTotalResults?: number; countPrecision?: string };
  info: { datasetId: string; assemblyId: string; queryId: string; privacy: { epsilonCharged: number } };
}

describe('Beacon v2 over HTTPS', function () {
  this.timeout(300_000);
  let dir: { path: string; remove: () => Promise<void> };
  let w: ResearchWorld;
  let validate: BeaconValidator;
  let researcher: string;
  let board: string;
  /** BRCA1 alleles with their carriers among the consented patients */
  let alleles: { pos: number; ref: string; alt: string; carriers: number }[];
  before(async () => {
    dir = await makeTempDir();
    w = await buildResearchWorld(dir.path, { size: 45, consentOf: (i) => (i % 9 === 8 ? null : ['DUO:0000042']) });
    w.accounts.researcher2 = await enrolStaff(w.service, 'researcher2', ['researcher'], PASSWORD);
    validate = beaconValidator();
    const consented = new Set(w.cohort.filter((_, i) => i % 9 !== 8).map((c) => c.patientId));
    const sampleIds = new Set(w.service.vault.catalog.data.samples.filter((s) => consented.has(s.patientId)).map((s) => s.sampleId));
    alleles = (await w.service.queries.alleleCounts(BRCA1, { build: 'GRCh38', sampleIds })).variants;
  });
  after(async () => {
    await w?.close();
    await dir?.remove();
  });
  beforeEach(async () => {
    researcher = await w.login('researcher');
    board = await w.login('ethics');
  });

  async function approved(extra: Json = {}, decision: Json = {}, token = researcher): Promise<string> {
    const proposed = await w.http<Json>('/projects', { method: 'POST', token, body: { ...STUDY, ...extra } });
    assert.equal(proposed.status, 201, proposed.text);
    const projectId = proposed.body.projectId as string;
    assert.equal((await w.http(`/projects/${projectId}/decision`, { method: 'POST', token: board, body: { decision: 'approve', reason: 'ok', ...decision } })).status, 200);
    return projectId;
  }
  const variantQuery = (projectId: string, a: { pos: number; ref: string; alt: string }, granularity = 'count') =>
    `/beacon/g_variants?referenceName=17&start=${a.pos - 1}&referenceBases=${a.ref}&alternateBases=${a.alt}&assemblyId=GRCh38&datasetIds=${projectId}&requestedGranularity=${granularity}`;
  /** What must be the same for a rare and an absent allele: all but the request echo, the dataset and the query's own id and charge. */
  function observable(answer: BeaconAnswer): unknown {
    const { receivedRequestSummary: _r, ...meta } = answer.meta;
    const { queryId: _q, privacy: _p, datasetId: _d, ...info } = answer.info;
    return { meta, responseSummary: answer.responseSummary, info };
  }

  it('publishes info and map to anyone, valid Beacon v2 documents that describe the mechanism and hold no secret', async () => {
    const info = await w.http<{ response: { info: { disclosureControl: Json } } }>('/beacon/info');
    assert.equal(info.status, 200);
    assert.deepEqual(validate('framework/json/responses/beaconInfoResponse.json', info.body), []);
    const mechanism = info.body.response.info.disclosureControl;
    assert.equal(mechanism.threshold, 20);
    assert.equal(mechanism.noise, 'laplace');
    assert.equal(mechanism.defaultBudget, 50);
    const keys = await w.service.vault.namedKeys([RESEARCH_KEYS.noise, RESEARCH_KEYS.pseudonyms]);
    for (const key of keys) for (const text of [key.toString('hex'), key.toString('base64')]) assert.ok(!info.text.includes(text), 'no key in the info');
    const map = await w.http<{ response: { endpointSets: { genomicVariant: { rootUrl: string } } } }>('/beacon/map');
    assert.deepEqual(validate('framework/json/responses/beaconMapResponse.json', map.body), []);
    assert.equal(map.body.response.endpointSets.genomicVariant.rootUrl, `${w.url}/beacon/g_variants`);
  });

  it('publishes the rest of the framework\'s documents to anyone, each valid against its schema: the root, service-info, configuration, entry types, filtering terms', async () => {
    const documents = [
      ['/beacon', 'framework/json/responses/beaconInfoResponse.json'],
      ['/beacon/service-info', 'framework/json/responses/ga4gh-service-info-1-0-0-schema.json'],
      ['/beacon/configuration', 'framework/json/responses/beaconConfigurationResponse.json'],
      ['/beacon/entry_types', 'framework/json/responses/beaconEntryTypesResponse.json'],
      ['/beacon/filtering_terms', 'framework/json/responses/beaconFilteringTermsResponse.json'],
    ] as const;
    const keys = await w.service.vault.namedKeys([RESEARCH_KEYS.noise, RESEARCH_KEYS.pseudonyms]);
    const bodies: Record<string, Json> = {};
    for (const [path, schema] of documents) {
      const reply = await w.http<Json>(path);
      assert.equal(reply.status, 200, `${path}: ${reply.text}`);
      assert.deepEqual(validate(schema, reply.body), [], path);
      for (const key of keys) for (const text of [key.toString('hex'), key.toString('base64')]) assert.ok(!reply.text.includes(text), `no key in ${path}`);
      bodies[path] = reply.body;
    }
    assert.deepEqual(bodies['/beacon'], (await w.http<Json>('/beacon/info')).body, 'the root is the info');
    const service = bodies['/beacon/service-info'] as { type: Json; organization: { url: string } };
    assert.deepEqual(service.type, { group: 'org.ga4gh', artifact: 'beacon', version: 'v2.0.0' });
    assert.equal(service.organization.url, `${w.url}/beacon/info`, 'unset: the beacon\'s own info address');
    // the hospital's website, when configured (a web address only)
    const configured = w.service.research.beaconServiceInfo(w.url, loadConfig({ dataDir: dir.path, beaconOrganizationUrl: 'https://genetics.hospital.example/' }, {}).beaconOrganizationUrl);
    assert.equal(configured.organization.url, 'https://genetics.hospital.example/');
    assert.deepEqual(validate('framework/json/responses/ga4gh-service-info-1-0-0-schema.json', configured), []);
    for (const bad of ['javascript:alert(1)', 'not a url', 'ftp://hospital.example/']) assert.throws(() => loadConfig({ dataDir: dir.path, beaconOrganizationUrl: bad }, {}), /beaconOrganizationUrl/, bad);
    const configuration = bodies['/beacon/configuration'] as { response: { securityAttributes: Json; entryTypes: Record<string, Json> } };
    assert.deepEqual(configuration.response.securityAttributes, { defaultGranularity: 'boolean', securityLevels: ['CONTROLLED'] });
    // the one entry type, as the map and the entry types name it
    assert.deepEqual(Object.keys(configuration.response.entryTypes), ['genomicVariant']);
    assert.deepEqual((bodies['/beacon/entry_types'] as { response: { entryTypes: Json } }).response.entryTypes, configuration.response.entryTypes);
    assert.deepEqual((bodies['/beacon/filtering_terms'] as { response: { filteringTerms: unknown[] } }).response.filteringTerms, [], 'no filters: a query with filters is refused');
  });

  it('answers boolean and count queries, GET and POST, each a valid Beacon v2 response', async () => {
    const projectId = await approved();
    const common = alleles.filter((a) => a.carriers >= 30)[0]!;
    assert.ok(common, 'an allele most consented patients carry');
    const count = await w.http<BeaconAnswer>(variantQuery(projectId, common), { token: researcher });
    assert.equal(count.status, 200, count.text);
    assert.deepEqual(validate(COUNT, count.body), []);
    assert.equal(count.body.responseSummary.exists, true);
    assert.ok(count.body.responseSummary.numTotalResults! >= 20);
    assert.equal(count.body.responseSummary.countPrecision, 'imprecise');
    assert.equal(count.body.info.datasetId, projectId);

    // in a project of its own: the alleles a boolean finds present are compared with earlier sets too,
    // and another common allele's carriers may differ from this one's by few patients
    const body = { meta: { apiVersion: 'v2.0' }, query: { requestParameters: { referenceName: '17', start: [43044294], end: [43125483], assemblyId: 'GRCh38', datasetIds: [await approved()] }, requestedGranularity: 'boolean' } };
    const boolean = await w.http<BeaconAnswer>('/beacon/g_variants', { method: 'POST', token: researcher, body });
    assert.equal(boolean.status, 200, boolean.text);
    assert.deepEqual(validate(BOOLEAN, boolean.body), []);
    assert.deepEqual(boolean.body.responseSummary, { exists: true });
    assert.equal(boolean.body.meta.returnedGranularity, 'boolean');
    // in a project of its own: carriers of any BRCA1 allele differ from one common allele's by few patients
    const gene = await w.http<BeaconAnswer>(`/beacon/g_variants?geneId=BRCA1&assemblyId=GRCh38&datasetIds=${await approved()}&requestedGranularity=record`, { token: researcher });
    assert.equal(gene.status, 200, gene.text);
    assert.equal(gene.body.meta.returnedGranularity, 'count', 'records are answered as counts');
    assert.deepEqual(validate(COUNT, gene.body), []);
  });

  it('an allele carried by fewer patients than the threshold answers exactly as an absent one, exists included', async () => {
    const rare = alleles.find((a) => a.carriers >= 1 && a.carriers < 20)!;
    assert.ok(rare, 'a rare allele among the consented');
    const absent = { ...rare, alt: ['A', 'C', 'G', 'T'].find((b) => b !== rare.ref && !alleles.some((a) => a.pos === rare.pos && a.alt === b))! };
    for (const granularity of ['boolean', 'count']) {
      // two projects, asked in opposite orders: the first answer of "nothing" is charged, whichever allele it is about
      const one = await approved();
      const two = await approved();
      const rareFirst = (await w.http<BeaconAnswer>(variantQuery(one, rare, granularity), { token: researcher })).body;
      const absentSecond = (await w.http<BeaconAnswer>(variantQuery(one, absent, granularity), { token: researcher })).body;
      const absentFirst = (await w.http<BeaconAnswer>(variantQuery(two, absent, granularity), { token: researcher })).body;
      const rareSecond = (await w.http<BeaconAnswer>(variantQuery(two, rare, granularity), { token: researcher })).body;
      assert.equal(rareFirst.responseSummary.exists, false);
      for (const other of [absentSecond, absentFirst, rareSecond]) assert.deepEqual(observable(other), observable(rareFirst), granularity);
      assert.equal(rareFirst.info.privacy.epsilonCharged, absentFirst.info.privacy.epsilonCharged);
      assert.equal(rareSecond.info.privacy.epsilonCharged, absentSecond.info.privacy.epsilonCharged);
    }
  });

  it('each project the caller belongs to is a dataset; datasetIds picks one; others, suspended ones and spent budgets get nothing', async () => {
    const alone = await w.login('researcher2');
    const own = await approved({}, {}, alone);
    const common = alleles.find((a) => a.carriers >= 30)!;
    const byDefault = await w.http<BeaconAnswer>(`/beacon/g_variants?geneId=BRCA1&assemblyId=GRCh38`, { token: alone });
    assert.equal(byDefault.status, 200, 'the one project of this researcher');
    assert.equal(byDefault.body.info.datasetId, own);

    const mine = await approved();
    await approved();
    const ambiguous = await w.http<Json>(`/beacon/g_variants?geneId=BRCA1&assemblyId=GRCh38`, { token: researcher });
    assert.equal(ambiguous.status, 400);
    assert.equal(ambiguous.body.code, 'dataset_required');
    const notMine = await w.http<Json>(variantQuery(own, common), { token: researcher });
    assert.equal(notMine.status, 404, 'another researcher\u2019s project is no dataset of mine');
    const two = await w.http<Json>(`/beacon/g_variants?geneId=BRCA1&assemblyId=GRCh38&datasetIds=${mine},${own}`, { token: researcher });
    assert.equal(two.status, 400);

    assert.equal((await w.http(`/projects/${mine}/decision`, { method: 'POST', token: board, body: { decision: 'suspend', reason: 'audit finding' } })).status, 200);
    const suspended = await w.http<Json>(variantQuery(mine, common), { token: researcher });
    assert.equal(suspended.status, 403);
    assert.equal(suspended.body.code, 'project_suspended');
    assert.equal(suspended.body.responseSummary, undefined);

    const frugal = await approved({}, { budget: 0.5 });
    assert.equal((await w.http(variantQuery(frugal, common), { token: researcher })).status, 200);
    const rare = alleles.find((a) => a.carriers >= 1 && a.carriers < 20)!;
    const spent = await w.http<Json>(variantQuery(frugal, rare), { token: researcher });
    assert.equal(spent.status, 403);
    assert.equal(spent.body.code, 'budget_exhausted');
    const audited = (await w.auditOf(spent)).map((e) => e.body).find((e) => e.action === 'beacon.query');
    assert.equal(audited?.outcome, 'budget_exhausted');
  });

  it('refuses what it does not answer, naming the parameter and never repeating it', async () => {
    const projectId = await approved();
    const bracket = await w.http<Json>(`/beacon/g_variants?referenceName=17&start=43044294,43044300&end=43125483,43125490&datasetIds=${projectId}`, { token: researcher });
    assert.equal(bracket.status, 400);
    assert.equal(bracket.body.code, 'unsupported_query');
    const wildcard = await w.http<Json>(`/beacon/g_variants?referenceName=17&start=43044294&referenceBases=N&alternateBases=A&datasetIds=${projectId}`, { token: researcher });
    assert.equal(wildcard.status, 400);
    assert.match(wildcard.text, /query\.referenceBases/);
    const anonymous = await w.http<Json>(`/beacon/g_variants?geneId=BRCA1&datasetIds=${projectId}`);
    assert.equal(anonymous.status, 401);
  });

  it('takes a chromosome\'s RefSeq accession for referenceName (its build implied, or checked against assemblyId), and Beacon\'s paging and result-set parameters, which change nothing', async () => {
    // the same question at most three times per project (the repeat lockout): a project per group of asks
    const [first, second, third] = [await approved(), await approved(), await approved()];
    const common = alleles.reduce((a, b) => (b.carriers > a.carriers ? b : a));
    const allele = `start=${common.pos - 1}&referenceBases=${common.ref}&alternateBases=${common.alt}&requestedGranularity=count`;
    const ask = (projectId: string, q: string) => w.http<BeaconAnswer & Json>(`/beacon/g_variants?${q}&${allele}&datasetIds=${projectId}`, { token: researcher });
    const byName = await ask(first, 'referenceName=17&assemblyId=GRCh38');
    assert.equal(byName.status, 200, byName.text);
    assert.equal(byName.body.responseSummary.exists, true);
    for (const [projectId, q] of [[first, 'referenceName=NC_000017.11'], [first, 'referenceName=NC_000017.11&assemblyId=hg38'], [second, 'referenceName=17&assemblyId=GRCh38&includeResultsetResponses=HIT&skip=0&limit=10&testMode=false']] as const) {
      const reply = await ask(projectId, q);
      assert.equal(reply.status, 200, `${q}: ${reply.text}`);
      assert.deepEqual(validate(COUNT, reply.body), []);
      assert.deepEqual(reply.body.responseSummary, byName.body.responseSummary, q);
      assert.equal(reply.body.info.assemblyId, 'GRCh38', q);
    }
    for (const q of ['referenceName=NC_000017.10&assemblyId=GRCh38', 'referenceName=NC_000099.1', 'referenceName=NC_012920.1&assemblyId=hg19']) {
      const refused = await ask(second, q);
      assert.equal(refused.status, 400, q);
      assert.equal(refused.body.code, 'unsupported_query', q);
      assert.match(refused.text, /referenceName/);
      assert.ok(!refused.text.includes(q.split('&')[0]!.split('=')[1]!), 'the accession is not repeated');
    }
    const badPage = await ask(second, 'referenceName=17&limit=ten');
    assert.equal(badPage.status, 400);
    assert.match(badPage.text, /query\.limit/);
    // the accession's build is the one asked about: GRCh37's chr17 in a cohort of GRCh38 exomes finds nothing
    const older = await ask(second, 'referenceName=NC_000017.10');
    assert.equal(older.status, 200, older.text);
    assert.equal(older.body.info.assemblyId, 'GRCh37');
    assert.equal(older.body.responseSummary.exists, false);
    // a Beacon request body, flat or under g_variant
    const body = { referenceName: 'NC_000017.11', start: [common.pos - 1], referenceBases: common.ref, alternateBases: common.alt, datasetIds: [third] };
    for (const requestParameters of [body, { g_variant: body }]) {
      const posted = await w.http<BeaconAnswer & Json>('/beacon/g_variants', { method: 'POST', token: researcher, body: { meta: { apiVersion: 'v2.0' }, query: { requestParameters, requestedGranularity: 'count' } } });
      assert.equal(posted.status, 200, posted.text);
      assert.deepEqual(posted.body.responseSummary, byName.body.responseSummary);
    }
    const mismatched = await w.http<Json>('/beacon/g_variants', { method: 'POST', token: researcher, body: { query: { requestParameters: { ...body, assemblyId: 'b37' } } } });
    assert.equal(mismatched.status, 400);
    assert.equal(mismatched.body.code, 'unsupported_query');
    // test mode: no test data here, so it is refused rather than answered from patients and charged
    const testMode = await ask(third, 'referenceName=17&assemblyId=GRCh38&testMode=true');
    assert.equal(testMode.status, 400);
    assert.match(testMode.text, /testMode/);
    assert.deepEqual((await w.auditOf(testMode)).map((e) => [e.body.route, e.body.decision, e.body.outcome]), [['GET /v1/beacon/g_variants', 'failure', 'unsupported_query']], 'the refusal is audited');
    const postedTest = await w.http<Json>('/beacon/g_variants', { method: 'POST', token: researcher, body: { query: { testMode: true, requestParameters: { geneId: 'BRCA1', datasetIds: [third] } } } });
    assert.equal(postedTest.status, 400);
  });
});
