import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { DirectiveSchema } from '../../../schemas/consent/directive.ts';
import { ConsentEventSchema } from '../../../schemas/consent/events.ts';
import { boundedText } from '../../../schemas/consent/text.ts';

const RELATIVE = 'acc_00000000000000e1';

const valid: Record<string, unknown> = {
  clinical_use: { kind: 'clinical_use', decision: 'deny' },
  research_consented: { kind: 'research_use', status: 'consented', scope: { permission: 'DUO:0000007', diseases: ['DOID:162'], modifiers: [{ term: 'DUO:0000024', until: '2027-01-31' }] } },
  research_withdrawn: { kind: 'research_use', status: 'withdrawn', mode: 'erase_samples' },
  findings: { kind: 'findings_preferences', categories: { acmg_secondary: 'wish', carrier_status: 'decline', pharmacogenomic: 'wish', adult_onset: 'decline' } },
  family_account: { kind: 'family_sharing', relative: { accountId: RELATIVE, relationship: 'sibling' }, share: { categories: ['acmg_secondary'] } },
  family_named: {
    kind: 'family_sharing',
    relative: { name: 'José Ñúñez-O’Brien', relationship: 'cousin' },
    share: { variants: [{ build: 'GRCh38', chrom: 'chr17', pos: 43045712, ref: 'C', alt: 'T' }] },
  },
  insurer_empty: { kind: 'insurer_release' },
  third_party: { kind: 'third_party_release', recipient: { id: 'npi:1234567893', name: 'Dr. A. Rivera', type: 'physician' }, purposes: [{ code: 'other', description: 'school form' }] },
  proxy_parent: { kind: 'proxy', proxyKind: 'parent_of_minor', proxyAccountId: 'acc_00000000000000f1', documentation: 'birth-cert/2012/77', permissions: ['view_record'], patientBirthDate: '2012-02-29' },
};

// Each row: what is wrong, and a directive the schema must refuse for it.
const refused: [string, unknown][] = [
  ['an unknown kind', { kind: 'marketing', decision: 'permit' }],
  ['an unknown field', { kind: 'clinical_use', decision: 'permit', note: 'x' }],
  ['a decision outside permit/deny', { kind: 'clinical_use', decision: 'maybe' }],
  ['a withdrawal without its mode', { kind: 'research_use', status: 'withdrawn' }],
  ['a research scope with no permission', { kind: 'research_use', status: 'consented', scope: { diseases: ['DOID:162'] } }],
  ['a research scope as a list of terms', { kind: 'research_use', status: 'consented', scope: ['DUO:0000007', 'DOID:162'] }],
  ['a DS scope with no disease', { kind: 'research_use', status: 'consented', scope: { permission: 'DUO:0000007' } }],
  ['a disease on a GRU scope', { kind: 'research_use', status: 'consented', scope: { permission: 'DUO:0000042', diseases: ['DOID:162'] } }],
  ['a malformed disease id', { kind: 'research_use', status: 'consented', scope: { permission: 'DUO:0000007', diseases: ['DOID 162'] } }],
  ['a time limit without the consent date', { kind: 'research_use', status: 'consented', scope: { permission: 'DUO:0000042', modifiers: [{ term: 'DUO:0000025', duration: 'P2Y' }] } }],
  ['a findings category left unanswered', { kind: 'findings_preferences', categories: { acmg_secondary: 'wish', carrier_status: 'wish', pharmacogenomic: 'wish' } }],
  ['a share of nothing', { kind: 'family_sharing', relative: { accountId: RELATIVE, relationship: 'sibling' }, share: { categories: [], variants: [] } }],
  ['a category shared twice', { kind: 'family_sharing', relative: { accountId: RELATIVE, relationship: 'sibling' }, share: { categories: ['carrier_status', 'carrier_status'] } }],
  ['a relative with both an account and a name', { kind: 'family_sharing', relative: { accountId: RELATIVE, name: 'Ann', relationship: 'sibling' }, share: { categories: ['carrier_status'] } }],
  ['a malformed account id', { kind: 'family_sharing', relative: { accountId: 'acc_XYZ', relationship: 'sibling' }, share: { categories: ['carrier_status'] } }],
  ['an unknown relationship', { kind: 'family_sharing', relative: { accountId: RELATIVE, relationship: 'neighbour' }, share: { categories: ['carrier_status'] } }],
  ['a variant whose ALT equals REF', { kind: 'family_sharing', relative: { accountId: RELATIVE, relationship: 'sibling' }, share: { variants: [{ build: 'GRCh38', chrom: '1', pos: 5, ref: 'A', alt: 'A' }] } }],
  ['a variant on an unknown build', { kind: 'family_sharing', relative: { accountId: RELATIVE, relationship: 'sibling' }, share: { variants: [{ build: 'hg19', chrom: '1', pos: 5, ref: 'A', alt: 'C' }] } }],
  ['a variant on chromosome 23', { kind: 'family_sharing', relative: { accountId: RELATIVE, relationship: 'sibling' }, share: { variants: [{ build: 'GRCh38', chrom: '23', pos: 5, ref: 'A', alt: 'C' }] } }],
  ['an "other" purpose without a description', { kind: 'insurer_release', purposes: [{ code: 'other' }] }],
  ['an expiry with neither date nor event', { kind: 'insurer_release', expiry: {} }],
  ['an impossible expiry date', { kind: 'insurer_release', expiry: { on: '2027-02-30' } }],
  ['an expiry date in year 2999', { kind: 'insurer_release', expiry: { on: '2999-01-01' } }],
  ['an unknown insurer type', { kind: 'insurer_release', recipient: { id: 'acc_00000000000000d1', name: 'X', insurerType: 'pet' } }],
  ['an insurer recipient with a third party type', { kind: 'insurer_release', recipient: { id: 'acc_00000000000000d1', name: 'X', type: 'hospital' } }],
  ['a signature reference with a space', { kind: 'insurer_release', signature: { reference: 'form 1' } }],
  ['a proxy without documentation', { kind: 'proxy', proxyKind: 'guardian', proxyAccountId: 'acc_00000000000000f1', permissions: ['view_record'] }],
  ['a proxy with no permission', { kind: 'proxy', proxyKind: 'guardian', proxyAccountId: 'acc_00000000000000f1', documentation: 'c-1', permissions: [] }],
  ['a proxy permission named twice', { kind: 'proxy', proxyKind: 'guardian', proxyAccountId: 'acc_00000000000000f1', documentation: 'c-1', permissions: ['view_record', 'view_record'] }],
  ["a birth date on a guardian's proxy", { kind: 'proxy', proxyKind: 'guardian', proxyAccountId: 'acc_00000000000000f1', documentation: 'c-1', permissions: ['view_record'], patientBirthDate: '2010-01-01' }],
];

describe('consent directive schemas', () => {
  for (const [name, directive] of Object.entries(valid)) {
    it(`accepts ${name.replace(/_/g, ' ')}`, () => {
      const parsed = DirectiveSchema.safeParse(directive);
      assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
    });
  }
  for (const [what, directive] of refused) {
    it(`refuses ${what}`, () => assert.equal(DirectiveSchema.safeParse(directive).success, false));
  }

  it('refuses free text with controls, bidirectional overrides, lone surrogates, nothing but spaces, and too long; trims edge spaces', () => {
    const named = (name: string) => ({ kind: 'family_sharing', relative: { name, relationship: 'aunt' }, share: { categories: ['pharmacogenomic'] } });
    for (const name of ['Ann\u0000', 'Ann\u202eSmith', 'Ann\u2066', 'Ann\ud800', '\udc00Ann', 'Ann\nSmith', '   ', '', 'a'.repeat(201), 'Ann\u0085']) {
      assert.equal(DirectiveSchema.safeParse(named(name)).success, false, JSON.stringify(name));
    }
    assert.ok(DirectiveSchema.safeParse(named('Ann 😀 Smith')).success, 'a well-formed surrogate pair is fine');
    const trimmed = DirectiveSchema.parse(named(' Ann ')) as { relative: { name: string } };
    assert.equal(trimmed.relative.name, 'Ann', 'stored trimmed, as every typed line of the vault');
  });

  it('refuses every text holding a control character, wherever it is', () => {
    const control = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), control, fc.string({ maxLength: 40 }), (before, c, after) => {
        assert.equal(boundedText(200).safeParse(`x${before}${c}${after}x`).success, false);
      }),
    );
  });

  it('names the field in its errors and never repeats the submitted value', () => {
    const parsed = DirectiveSchema.safeParse({ kind: 'family_sharing', relative: { name: 'Secret\u202eName', relationship: 'aunt' }, share: { categories: ['pharmacogenomic'] } });
    assert.equal(parsed.success, false);
    assert.deepEqual(parsed.error.issues[0]?.path, ['relative', 'name']);
    assert.ok(!JSON.stringify(parsed.error.issues).includes('Secret'));
  });

  it('requires the recorder, the patient and the version replaced on every event', () => {
    const base = { directiveId: 'cd_00000000000000aa', patientId: 'p_00000000000000a1', recordedBy: { accountId: 'acc_00000000000000a1', role: 'patient' } };
    assert.ok(ConsentEventSchema.safeParse({ type: 'revoked', ...base, replaces: 2 }).success);
    assert.equal(ConsentEventSchema.safeParse({ type: 'revoked', ...base }).success, false);
    assert.equal(ConsentEventSchema.safeParse({ type: 'amended', ...base, replaces: 0, directive: valid.clinical_use }).success, false);
    assert.equal(ConsentEventSchema.safeParse({ type: 'granted', ...base, recordedBy: { accountId: 'acc_00000000000000a1', role: 'admin' }, directive: valid.clinical_use }).success, false);
    assert.equal(ConsentEventSchema.safeParse({ type: 'granted', ...base, patientId: 'MRN-1', directive: valid.clinical_use }).success, false);
  });
});
