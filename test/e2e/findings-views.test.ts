// Findings preferences in every view, over HTTPS: the patient declined carrier status and
// adult-onset conditions. The patient and the proxy never see those findings (JSON or FHIR);
// a clinician sees them masked and marked, and unmasks them only by break-the-glass (flagged);
// a relative sees exactly what is shared, minus what the patient declined, and never the record.
// CFTR sits in carrier status and pharmacogenomic: declined, since any declined category wins.
import assert from 'node:assert/strict';
import { worldForSuite } from './service-world.ts';
import { DECLINE_CARRIER_AND_ADULT_ONSET, FINDINGS_VCF, SITES, familyShare, grant, revoke, type Recorded } from './consent-kit.ts';
import type { Bundle, Observation } from '../../vault/clinical/fhir/fhir-types.ts';

interface Row {
  gene: string | null;
  pos?: number;
  ref?: string;
  alt?: string;
  masked?: boolean;
  note?: string;
  declinedCategories?: string[];
  unmaskedByBreakGlass?: boolean;
}
interface VariantsAnswer {
  variants: Row[];
  notes: { code: string }[];
  breakGlass: boolean;
}

const DECLINED = ['APOE', 'CFTR'] as const;
const SHOWN = ['BRCA1', 'CYP2C19', 'GAPDH'] as const;
const declinedPositions = DECLINED.map((gene) => String(SITES[gene].pos));

describe('findings preferences in every view (HTTPS)', function () {
  const world = worldForSuite({ https: true, patientAVcf: FINDINGS_VCF });
  const w = () => world.w;
  const tokens: Record<string, string> = {};
  let preferences: Recorded;

  const read = async (user: string, query = '') => w().http<VariantsAnswer>(`/patients/${w().patientA}/variants${query}`, { token: tokens[user] });
  const fhir = async (user: string) => w().http<Bundle>(`/patients/${w().patientA}/variants`, { token: tokens[user], headers: { accept: 'application/fhir+json' } });
  const genes = (rows: Row[]) => rows.map((r) => r.gene).sort();

  before(async () => {
    for (const user of ['pat_a', 'proxy_a', 'clin_a', 'clin_b', 'counselor', 'relative']) tokens[user] = await w().login(user);
    assert.deepEqual(genes((await read('clin_a')).body.variants), ['APOE', 'BRCA1', 'CFTR', 'CYP2C19', 'GAPDH'], 'before any preference, everything shows');
    preferences = await grant(w(), tokens.pat_a!, w().patientA, DECLINE_CARRIER_AND_ADULT_ONSET);
  });

  for (const user of ['pat_a', 'proxy_a']) {
    it(`leaves the declined findings out of ${user === 'pat_a' ? "the patient's" : "the proxy's"} JSON and FHIR views, saying so without a count`, async () => {
      const json = await read(user);
      assert.equal(json.status, 200);
      assert.deepEqual(genes(json.body.variants), [...SHOWN]);
      assert.ok(json.body.notes.some((n) => n.code === 'declined_findings_left_out'));
      for (const pos of declinedPositions) assert.ok(!json.text.includes(pos), `position ${pos} must not appear`);
      const bundle = await fhir(user);
      assert.equal(bundle.status, 200);
      for (const gene of DECLINED) assert.ok(!bundle.text.includes(gene), `${gene} must not appear in the FHIR export`);
      for (const pos of declinedPositions) assert.ok(!bundle.text.includes(pos));
      assert.ok(bundle.text.includes('BRCA1'));
    });
  }

  it('masks them for a clinician (gene and category only, marked "patient declined to learn"), in JSON and FHIR', async () => {
    const json = await read('clin_a');
    assert.equal(json.status, 200);
    const masked = json.body.variants.filter((r) => r.masked);
    assert.deepEqual(genes(masked), [...DECLINED]);
    for (const row of masked) {
      assert.equal(row.note, 'patient declined to learn');
      assert.equal(row.pos ?? row.ref ?? row.alt, undefined, 'position and alleles withheld');
    }
    assert.deepEqual(masked.find((r) => r.gene === 'CFTR')?.declinedCategories, ['carrier_status']);
    assert.deepEqual(genes(json.body.variants.filter((r) => !r.masked)), [...SHOWN]);
    for (const pos of declinedPositions) assert.ok(!json.text.includes(pos));
    assert.ok(json.body.notes.some((n) => n.code === 'declined_findings_masked'));
    assert.equal(json.body.breakGlass, false);

    const bundle = await fhir('clin_a');
    const observations = bundle.body.entry.map((e) => e.resource).filter((r): r is Observation => r.resourceType === 'Observation');
    const redacted = observations.filter((o) => o.meta.security?.some((s) => s.code === 'REDACTED'));
    assert.deepEqual(redacted.map((o) => o.component.map((c) => c.valueCodeableConcept?.text)).flat().sort(), [...DECLINED]);
    for (const o of redacted) {
      assert.equal(o.component.length, 1, 'the gene only: no variation, alleles, range or allelic state');
      assert.match(o.note?.[0]?.text ?? '', /patient declined to learn/);
    }
    for (const pos of declinedPositions) assert.ok(!bundle.text.includes(pos));
    assert.ok(!bundle.text.includes('rs429358') && !bundle.text.includes('rs113993960'), 'no rsID of a declined finding');
  });

  it('unmasks only by break-the-glass, audited and flagged; refuses unmasking to a clinician without a grant and to the patient', async () => {
    const refused = await read('clin_a', '?unmask=true');
    assert.equal(refused.status, 403);
    assert.equal((refused.body as unknown as { code: string }).code, 'break_glass_required');
    const refusal = (await w().auditOf(refused)).find((e) => e.body.resource === 'declined_findings');
    assert.equal(refusal?.body.decision, 'deny');
    assert.equal((await read('pat_a', '?unmask=true')).status, 403, 'a patient cannot unmask what they chose not to learn');

    const grantRes = await w().http(`/patients/${w().patientA}/break-glass`, { method: 'POST', token: tokens.clin_a, body: { reason: 'acute cardiac event, need the full genomic picture' } });
    assert.equal(grantRes.status, 201);
    const unmasked = await read('clin_a', '?unmask=true');
    assert.equal(unmasked.status, 200);
    assert.equal(unmasked.body.breakGlass, true);
    assert.deepEqual(genes(unmasked.body.variants.filter((r) => r.unmaskedByBreakGlass)), [...DECLINED]);
    assert.equal(unmasked.body.variants.find((r) => r.gene === 'APOE')?.pos, SITES.APOE.pos);
    assert.ok(unmasked.body.notes.some((n) => n.code === 'declined_findings_unmasked'));
    const entry = (await w().auditOf(unmasked)).find((e) => e.body.resource === 'declined_findings');
    assert.equal(entry?.body.decision, 'permit');
    assert.equal(entry?.body.flagged, true);
    assert.match(entry?.body.rule ?? '', /clinician-unmasks-declined-findings-by-break-glass/);
    assert.equal((await read('clin_a')).body.variants.filter((r) => r.masked).length, 2, 'without asking, still masked');
  });

  it("shows a relative exactly what is shared, minus what the patient declined, and never the record", async () => {
    const shared = await w().http(`/patients/${w().patientA}/shared-findings`, { token: tokens.relative });
    assert.equal(shared.status, 404, 'nothing shared yet');
    const share = await grant(w(), tokens.pat_a!, w().patientA, familyShare(w().accounts.relative!.accountId, { categories: ['carrier_status', 'adult_onset'], variants: [{ build: 'GRCh38', ...SITES.BRCA1 }] }));
    const answer = await w().http<{ findings: { gene: string; pos: number }[]; basis: Recorded }>(`/patients/${w().patientA}/shared-findings`, { token: tokens.relative });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.findings.map((f) => f.gene), ['BRCA1'], 'the named variant; the shared categories hold only declined findings');
    assert.deepEqual(answer.body.basis, { directiveId: share.directiveId, version: 1 });
    for (const forbidden of ['Ada', 'Lovelace', '1980-02-03', 'MRN-A-0001', 'GAPDH', 'CYP2C19']) assert.ok(!answer.text.includes(forbidden), `${forbidden} must not reach the relative`);
    assert.equal((await w().http(`/patients/${w().patientA}`, { token: tokens.relative })).status, 404);
    assert.equal((await read('relative')).status, 404);
    const accounting = await w().http<{ items: { recipient: { kind: string; accountId: string }; basis: Recorded; exempt: boolean; exemption: string; purpose: string }[] }>(`/patients/${w().patientA}/disclosures`, { token: tokens.pat_a });
    const toRelative = accounting.body.items.find((d) => d.basis.directiveId === share.directiveId);
    assert.deepEqual([toRelative?.recipient.kind, toRelative?.recipient.accountId, toRelative?.purpose, toRelative?.exempt], ['relative', w().accounts.relative!.accountId, 'family_sharing', true]);
    assert.match(toRelative?.exemption ?? '', /164\.528\(a\)\(1\)\(v\)/);
    // once the patient no longer declines anything, the shared adult-onset category shows APOE; CFTR
    // stays out, being also a pharmacogene: a share covers a gene only if it names all its categories
    await revoke(w(), tokens.pat_a!, w().patientA, preferences);
    const afterRevoke = await w().http<{ findings: { gene: string }[] }>(`/patients/${w().patientA}/shared-findings`, { token: tokens.relative });
    assert.deepEqual(afterRevoke.body.findings.map((f) => f.gene).sort(), ['APOE', 'BRCA1']);
    preferences = await grant(w(), tokens.pat_a!, w().patientA, DECLINE_CARRIER_AND_ADULT_ONSET);
    await revoke(w(), tokens.pat_a!, w().patientA, share);
    assert.equal((await w().http(`/patients/${w().patientA}/shared-findings`, { token: tokens.relative })).status, 404, 'revoked: refused from the next request');
  });
});
