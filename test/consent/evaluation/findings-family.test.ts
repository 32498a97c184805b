import { strict as assert } from 'node:assert';
import { declinedCategoriesOf, declinedFindings } from '../../../consent/evaluation/findings.ts';
import { relativeMaySee, relativeShare } from '../../../consent/evaluation/family-sharing.ts';
import { RELATIVE_ACCOUNT } from '../ledger/ledger-kit.ts';
import { BRCA1_VARIANT, consentsOf, viewOf } from './directive-examples.ts';

const preferences = viewOf({
  kind: 'findings_preferences',
  categories: { acmg_secondary: 'wish', carrier_status: 'decline', pharmacogenomic: 'wish', adult_onset: 'decline' },
} as const);

const APOE_VARIANT = { build: 'GRCh38', chrom: '19', pos: 44908684, ref: 'T', alt: 'C' } as const;
const CFTR_VARIANT = { build: 'GRCh38', chrom: '7', pos: 117559590, ref: 'ATCT', alt: 'A' } as const;
const TTN_VARIANT = { build: 'GRCh38', chrom: '2', pos: 178527000, ref: 'G', alt: 'A' } as const;

describe('findings preferences', () => {
  it('lists the declined categories, or the hospital default without a directive', () => {
    assert.deepEqual(declinedFindings(consentsOf(preferences)), { declined: ['carrier_status', 'adult_onset'], basis: 'directive', directiveId: preferences.directiveId });
    assert.deepEqual(declinedFindings(consentsOf()), { declined: [], basis: 'hospital_default' });
    assert.deepEqual(declinedFindings(consentsOf(), { defaultDeclined: ['adult_onset'] }).declined, ['adult_onset']);
    assert.deepEqual(declinedFindings(consentsOf({ ...preferences, revokedAt: '2026-01-01T00:00:00.000Z' })).basis, 'hospital_default');
  });

  it('marks a finding declined when any category of its gene is declined', () => {
    const { declined } = declinedFindings(consentsOf(preferences));
    assert.deepEqual(declinedCategoriesOf(declined, 'APOE'), ['adult_onset']);
    // CFTR is a carrier-screening gene and a CPIC gene: declining carrier status hides it.
    assert.deepEqual(declinedCategoriesOf(declined, 'cftr'), ['carrier_status']);
    assert.deepEqual(declinedCategoriesOf(declined, ['BRCA1', 'NBR2']), []);
    // RYR1 is an ACMG secondary finding and a CPIC pharmacogene: declining either hides it.
    assert.deepEqual(declinedCategoriesOf(['pharmacogenomic'], 'RYR1'), ['pharmacogenomic']);
    assert.deepEqual(declinedCategoriesOf(['acmg_secondary'], 'RYR1'), ['acmg_secondary']);
    assert.deepEqual(declinedCategoriesOf(declined, 'GBA'), ['carrier_status'], 'a previous HGNC symbol is recognised');
    assert.deepEqual(declinedCategoriesOf(declined, 'NOT_A_GENE'), []);
  });
});

describe('family sharing', () => {
  const share = viewOf({
    kind: 'family_sharing',
    relative: { accountId: RELATIVE_ACCOUNT, relationship: 'sibling' },
    share: { categories: ['acmg_secondary', 'carrier_status'], variants: [APOE_VARIANT] },
  } as const);
  const namedPerson = viewOf({
    kind: 'family_sharing',
    relative: { name: 'Maria Lopez', relationship: 'cousin' },
    share: { categories: ['pharmacogenomic'], variants: [] },
  } as const);

  it('shows a relative exactly the shared categories and variants', () => {
    const found = relativeShare(consentsOf(share, namedPerson), RELATIVE_ACCOUNT);
    assert.ok(found);
    assert.equal(relativeMaySee(found, [], { variant: BRCA1_VARIANT, genes: ['BRCA1'] }), true);
    assert.equal(relativeMaySee(found, [], { variant: { ...APOE_VARIANT, chrom: 'chr19' }, genes: ['APOE'] }), true);
    assert.equal(relativeMaySee(found, [], { variant: CFTR_VARIANT, genes: ['CFTR'] }), false, 'CFTR is also a CPIC gene, which was not shared');
    assert.equal(relativeMaySee(found, [], { variant: TTN_VARIANT }), false, 'an unannotated variant needs naming');
  });

  it('never shows a relative a finding in a category the patient declined to learn', () => {
    const found = relativeShare(consentsOf(share), RELATIVE_ACCOUNT);
    assert.equal(relativeMaySee(found, ['adult_onset'], { variant: APOE_VARIANT, genes: ['APOE'] }), false);
    assert.equal(relativeMaySee(found, ['acmg_secondary'], { variant: BRCA1_VARIANT, genes: ['BRCA1'] }), false);
  });

  it('shows nothing to an account the patient shared nothing with, nor after revocation', () => {
    assert.equal(relativeShare(consentsOf(share), 'acc_00000000000000e9'), null);
    assert.equal(relativeMaySee(null, [], { variant: BRCA1_VARIANT, genes: ['BRCA1'] }), false);
    assert.equal(relativeShare(consentsOf({ ...share, revokedAt: '2026-02-01T00:00:00.000Z' }), RELATIVE_ACCOUNT), null);
    // A named person has no account: the share is for the counselor to act on, never a login.
    assert.equal(relativeShare(consentsOf(namedPerson), RELATIVE_ACCOUNT), null);
  });
});
