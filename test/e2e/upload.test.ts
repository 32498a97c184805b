// POST /v1/ingests over HTTPS against a running service: who may upload, the file streamed (an
// error answered before the body ends), the size limit, all or nothing, the audit, and a query
// during the upload seeing none of it and after it all of it.
import { strict as assert } from 'node:assert';
import { request as httpsRequest } from 'node:https';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { addTargetSet, listTargetSets } from '../../vault/ingest/target-sets.ts';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { worldForSuite, type World } from './service-world.ts';
import { HOST_ACTOR } from '../../vault/identity/principal.ts';
import { holdWriterLock } from '../helpers/hold-writer-lock.ts';
import { hashTree } from '../helpers/hash-tree.ts';

const SIMPLE_VCF = fileURLToPath(new URL('../fixtures/conformance/examples/simple.vcf', import.meta.url));

/** A service account with one role and its API token, made as `genovault users add` makes it. */
async function serviceToken(w: World, username: string, role: 'lab_service' | 'ehr_service'): Promise<string> {
  const { account } = await w.service.identity.createAccount({ username, roles: [role], kind: 'service' }, HOST_ACTOR);
  return (await w.service.identity.issueApiToken(account.accountId, 'test', HOST_ACTOR)).token;
}

interface Receipt {
  build: string;
  records: number;
  samples: { sampleId: string; name: string; calls: number }[];
  warnings: string[];
}

/** The vault's stored data (not its logs, which record the refusals). */
async function storedData(w: World): Promise<Record<string, string>> {
  const tree = await hashTree(w.dataDir);
  return Object.fromEntries(Object.entries(tree).filter(([path]) => !path.startsWith('logs')));
}

/** Sends the start of a VCF and keeps the request open; resolves with the status once the server answers. */
function answerBeforeTheEnd(w: World, token: string, start: string): Promise<{ status: number; body: string; stillSending: boolean }> {
  return new Promise((resolve, reject) => {
    let sending = true;
    const req = httpsRequest(`${w.url}/ingests?patient=MRN-STREAM-01&sample=NA00001`, {
      method: 'POST', ca: w.ca, agent: false, headers: { authorization: `Bearer ${token}`, 'content-type': 'text/vcf', 'transfer-encoding': 'chunked' },
    }, (res) => {
      const stillSending = sending;
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        sending = false;
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body, stillSending });
      });
    });
    req.on('error', (err) => (sending ? reject(err) : undefined));
    req.write(start);
    // never ended: a server that waited for the whole body would never answer
  });
}

describe('POST /v1/ingests: VCFs into the running vault', function () {
  this.timeout(120_000);
  const world = worldForSuite({ https: true });
  let lab: string;
  let ehr: string;
  let vcf: string;
  before(async () => {
    lab = await serviceToken(world.w, 'lab-gateway', 'lab_service');
    ehr = await serviceToken(world.w, 'ehr-gateway', 'ehr_service');
    vcf = await readFile(SIMPLE_VCF, 'utf8');
  });

  it('stores a gzipped VCF from the laboratory for a new patient, registered by MRN, granting nobody access; one audit entry per sample and one for the request', async () => {
    const { w } = world;
    const r = await w.http<Receipt>('/ingests?patient=MRN-LAB-0001&sample=NA00003', { method: 'POST', token: lab, body: gzipSync(vcf), headers: { 'content-type': 'application/gzip' } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.samples.length, 1);
    const [stored] = r.body.samples;
    assert.equal(stored!.name, 'NA00003');
    assert.ok(stored!.calls > 0);
    assert.equal(r.body.build, 'NCBI36');
    assert.equal(r.body.records, 5);
    const patientId = w.service.vault.catalog.patientByMrn('MRN-LAB-0001')?.patientId;
    assert.equal(w.service.vault.catalog.sample(stored!.sampleId)?.patientId, patientId);
    // the uploader gets what it needs to match its records, never the patient (internal id or MRN)
    assert.deepEqual(Object.keys(r.body).sort(), ['build', 'bytesRead', 'records', 'samples', 'warnings']);
    assert.deepEqual(Object.keys(stored!).sort(), ['calls', 'coverage', 'name', 'partitions', 'sampleId']);
    assert.ok(!r.text.includes(patientId!) && !r.text.includes('MRN-LAB-0001'), 'neither the patient id nor the MRN in the receipt');
    // registering grants nobody access: no clinician reads it, and the laboratory reads nothing
    for (const who of ['clin_a', 'clin_b']) {
      const token = await w.login(who);
      assert.equal((await w.http(`/patients/${patientId}/variants`, { token })).status, 404, who);
    }
    assert.equal((await w.http(`/patients/${patientId}/variants`, { token: lab })).status, 404);
    const entries = await w.auditOf(r);
    const perSample = entries.filter((e) => e.body.action === 'create' && e.body.resource === 'variants' && e.body.decision === 'success');
    assert.deepEqual(perSample.map((e) => [e.body.patientId, e.body.targetId]), [[patientId, stored!.sampleId]]);
    const outcome = entries.filter((e) => e.body.action === 'request');
    assert.equal(outcome.length, 1);
    assert.equal(outcome[0]!.body.status, 201);
    assert.equal(entries.filter((e) => e.body.decision === 'permit' && e.body.rule?.includes('lab-uploads-variants')).length, 1);
    assert.ok(!JSON.stringify(entries).includes('MRN-LAB-0001'), 'no MRN in the audit');
  });

  it('records the coverage of a target set the vault knows by name, and refuses a name it does not know, storing nothing', async () => {
    const { w } = world;
    const bed = join(w.dataDir, '..', 'kit.bed');
    await writeFile(bed, '20\t14000\t18000\n20\t1230000\t1240000\n');
    assert.equal(await addTargetSet(w.dataDir, 'exome-kit-v1', bed), 2);
    assert.deepEqual(await listTargetSets(w.dataDir), ['exome-kit-v1']);
    // another file (one more header line): the test world already holds simple.vcf's NA00001
    const kitVcf = vcf.replace('##fileformat=VCFv4.3\n', '##fileformat=VCFv4.3\n##source=exome-kit-test\n');
    assert.notEqual(kitVcf, vcf);
    const r = await w.http<Receipt & { samples: { coverage: string }[] }>('/ingests?patient=MRN-KIT-0001&sample=NA00001&targets=exome-kit-v1', { method: 'POST', token: lab, body: kitVcf, headers: { 'content-type': 'text/vcf' } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.samples[0]!.coverage, 'targets');
    assert.equal(w.service.vault.catalog.sample(r.body.samples[0]!.sampleId)?.coverage.intervals, 2);
    const before = await storedData(w);
    const unknown = await w.http<{ errors: { path: string }[] }>('/ingests?patient=MRN-KIT-0002&sample=NA00001&targets=no-such-kit', { method: 'POST', token: lab, body: vcf, headers: { 'content-type': 'text/vcf' } });
    assert.deepEqual([unknown.status, unknown.body.errors[0]?.path], [400, 'query.targets']);
    assert.ok(!unknown.text.includes('no-such-kit'), 'the name is not repeated');
    assert.deepEqual(await storedData(w), before, 'nothing stored');
    // the same bytes again: a conflict that names nobody, nothing stored
    const again = await w.http('/ingests?patient=MRN-KIT-0001&sample=NA00001&targets=exome-kit-v1', { method: 'POST', token: lab, body: kitVcf, headers: { 'content-type': 'text/vcf' } });
    assert.deepEqual([again.status, (again.body as { code?: string }).code], [409, 'already_ingested']);
    assert.ok(!again.text.includes(w.service.vault.catalog.patientByMrn('MRN-KIT-0001')!.patientId) && !again.text.includes(r.body.samples[0]!.sampleId));
    assert.deepEqual(await storedData(w), before, 'nothing stored the second time');
  });

  it('refuses callers without the right, other media types, oversized and malformed bodies, storing nothing', async () => {
    const { w } = world;
    const before = await storedData(w);
    const clinician = await w.login('clin_a');
    assert.equal((await w.http('/ingests?patient=MRN-X-0001', { method: 'POST', token: clinician, body: vcf, headers: { 'content-type': 'text/vcf' } })).status, 403);
    assert.equal((await w.http('/ingests?patient=MRN-X-0001', { method: 'POST', body: vcf, headers: { 'content-type': 'text/vcf' } })).status, 401);
    const json = await w.http('/ingests?patient=MRN-X-0001', { method: 'POST', token: ehr, body: { vcf } });
    assert.equal(json.status, 415);
    const bad = await w.http<{ detail: string; errors: { path: string }[] }>('/ingests?patient=MRN-X-0001&sample=NA00001', { method: 'POST', token: ehr, body: vcf.replace('\t14370\t', '\t14370x\t'), headers: { 'content-type': 'text/vcf' } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.detail, /^upload\.vcf:\d+:\d+: /);
    assert.ok(!bad.text.includes('14370x'), 'the refusal does not repeat the bad value');
    const several = await w.http<{ errors: { path: string }[] }>('/ingests?patient=MRN-X-0001', { method: 'POST', token: ehr, body: vcf, headers: { 'content-type': 'text/vcf' } });
    assert.equal(several.status, 400);
    assert.equal(several.body.errors[0]?.path, 'query.sample');
    const limit = w.service.config.uploadMaxMb * 1024 * 1024;
    const huge = await w.http('/ingests?patient=MRN-X-0001&sample=NA00001', { method: 'POST', token: ehr, body: vcf, headers: { 'content-type': 'text/vcf', 'content-length': String(limit + 1) } }).catch(() => ({ status: 413 }));
    assert.equal(huge.status, 413);
    assert.deepEqual(await storedData(w), before, 'nothing stored, no file left behind');
    assert.equal(w.service.vault.catalog.patientByMrn('MRN-X-0001'), undefined, 'and no patient registered');
  });

  it('stops at the size limit while the body streams in, storing nothing', async () => {
    const { w } = world;
    const before = await storedData(w);
    const config = w.service.config as { uploadMaxMb: number };
    const saved = config.uploadMaxMb;
    config.uploadMaxMb = 1;
    try {
      // no content-length: the limit is found while reading; 3 MiB of records past the header
      const record = vcf.split('\n').find((l) => l.startsWith('20\t14370'))!;
      const lines: string[] = [];
      for (let pos = 100_000; lines.length < 40_000; pos += 10) lines.push(record.replace('14370', String(pos)));
      const big = `${vcf.split('\n').filter((l) => l.startsWith('#')).join('\n')}\n${lines.join('\n')}\n`;
      assert.ok(big.length > 2 * 1024 * 1024);
      const r = await new Promise<number>((resolve, reject) => {
        const req = httpsRequest(`${w.url}/ingests?patient=MRN-BIG-0001&sample=NA00001`, {
          method: 'POST', ca: w.ca, agent: false, headers: { authorization: `Bearer ${ehr}`, 'content-type': 'text/vcf', 'transfer-encoding': 'chunked' },
        }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
        req.end(big);
      });
      assert.equal(r, 413);
    } finally {
      config.uploadMaxMb = saved;
    }
    assert.deepEqual(await storedData(w), before);
  });

  it('reads the body as it arrives: a bad line is answered while the client is still sending', async () => {
    const { w } = world;
    const header = vcf.split('\n').filter((l) => l.startsWith('#')).join('\n');
    // the reader parses in pieces of 2 MiB: a bad line early, then more than that, and the rest never sent
    const good: string[] = [];
    for (let pos = 200_000; good.length < 60_000; pos += 10) good.push(`20\t${pos}\t.\tG\tA\t29\tPASS\t.\tGT\t0/1\t0/1\t0/1`);
    const r = await answerBeforeTheEnd(w, ehr, `${header}\n20\t100\t.\tG\tA\t29\tPASS\t.\tGT\t0/1\t0/1\t0/1\n20\tnot-a-position\t.\tG\tA\t29\tPASS\t.\tGT\t0/1\t0/1\t0/1\n${good.join('\n')}\n`);
    assert.equal(r.status, 400, r.body);
    assert.ok(r.stillSending, 'answered before the body ended');
    assert.match(r.body, /upload\.vcf:\d+:\d+/);
  });

  it('a query during an upload sees none of it, and after the commit all of it', async () => {
    const { w } = world;
    const clinician = await w.login('clin_a');
    const variants = async () => (await w.http<{ samplesQueried: number; variants: { sampleId: string }[] }>(`/patients/${w.patientA}/variants`, { token: clinician })).body;
    const before = await variants();
    assert.equal(before.samplesQueried, 1);
    // another change committing: the upload is read and sealed meanwhile, and waits to commit
    const lock = await holdWriterLock(w.dataDir);
    const upload = w.http<Receipt>('/ingests?patient=MRN-A-0001&sample=NA00002', { method: 'POST', token: lab, body: vcf, headers: { 'content-type': 'text/vcf' } });
    // its sealed files are written (named in its marker) before it commits
    for (let i = 0; i < 200 && (await readdir(`${w.dataDir}/.changes`).catch(() => [])).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok((await readdir(`${w.dataDir}/.changes`)).length > 0, 'the upload is under way');
    assert.deepEqual(await variants(), before, 'nothing of it before the commit');
    await lock.release();
    const r = await upload;
    assert.equal(r.status, 201, r.text);
    assert.equal(w.service.vault.catalog.sample(r.body.samples[0]!.sampleId)?.patientId, w.patientA, 'a known MRN is the known patient');
    assert.ok(!r.text.includes(w.patientA), 'the receipt does not name the patient');
    const after = await variants();
    assert.equal(after.samplesQueried, 2);
    const newSample = r.body.samples[0]!.sampleId;
    assert.equal(after.variants.filter((v) => v.sampleId === newSample).length, r.body.samples[0]!.calls, 'all of it after');
  });
});
