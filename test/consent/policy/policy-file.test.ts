// The reviewed policy file: what it accepts, what it refuses, and where it says the mistake is.
import assert from 'node:assert/strict';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { newEnforcer } from 'casbin';
import { DEFAULT_MODEL_PATH, DEFAULT_POLICY_PATH, createAuthorizer } from '../../../consent/policy/authorize.ts';
import { PolicyModelError } from '../../../consent/policy/enforcer.ts';
import { PolicyFileError, loadPolicyFile, parsePolicyText, ruleValues } from '../../../consent/policy/policy-file.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { InMemoryRelationships } from './helpers/relationships.ts';

const GOOD = 'p, clinician-reads-record-on-care-team, clinician, record, read, treatment, care_team, allow';

function expectLineError(text: string, line: number, message: RegExp): void {
  assert.throws(
    () => parsePolicyText(text, 'policy.csv'),
    (error: unknown) => {
      assert.ok(error instanceof PolicyFileError, String(error));
      assert.equal(error.line, line);
      assert.equal(error.code, 'policy_file_invalid');
      assert.match(error.message, message);
      assert.match(error.message, new RegExp(`^policy\\.csv, line ${line}: `));
      return true;
    },
  );
}

describe('policy file', () => {
  it('loads the shipped policy: every line checked, comments and blank lines skipped', async () => {
    const rules = await loadPolicyFile(DEFAULT_POLICY_PATH);
    assert.ok(rules.length >= 30);
    const denies = rules.filter((rule) => rule.effect === 'deny').map((rule) => `${rule.role}:${rule.resource}`);
    for (const resource of ['record', 'variants', 'consent']) assert.ok(denies.includes(`admin:${resource}`));
    // researchers, insurers, outside recipients and relatives: allowed only through a consent fact
    for (const role of ['researcher', 'insurer', 'external_recipient', 'relative']) {
      const allows = rules.filter((rule) => rule.role === role && rule.effect === 'allow');
      assert.ok(allows.length > 0, role);
      for (const rule of allows) assert.ok(['research_consent', 'insurer_authorization', 'recipient_authorization', 'family_share'].includes(rule.relation), `${rule.id} needs a consent`);
    }
  });

  it("reads the same rules casbin's own CSV reader reads from it (the file stays plain casbin)", async () => {
    const ours = (await loadPolicyFile(DEFAULT_POLICY_PATH)).map(ruleValues);
    const casbins = await newEnforcer(DEFAULT_MODEL_PATH, DEFAULT_POLICY_PATH);
    assert.deepEqual(await casbins.getPolicy(), ours);
  });

  it('accepts indented comments, blank lines and Windows line endings', () => {
    const rules = parsePolicyText(`# header\r\n\r\n   # indented note\r\n${GOOD}\r\n`);
    assert.equal(rules.length, 1);
    assert.equal(rules[0]?.relation, 'care_team');
    assert.equal(rules[0]?.line, 4);
  });

  it('names the line of a typo in any column', () => {
    expectLineError(`# c\n${GOOD.replace('clinician,', 'clinican,')}`, 2, /unknown role "clinican"/);
    expectLineError(`\n\n${GOOD.replace(' record,', ' recrod,')}`, 3, /unknown resource "recrod"/);
    expectLineError(GOOD.replace(' read,', ' reed,'), 1, /unknown action "reed"/);
    expectLineError(GOOD.replace('treatment', 'treatmnet'), 1, /unknown purpose "treatmnet"/);
    expectLineError(GOOD.replace('care_team', 'careteam'), 1, /unknown relation "careteam"/);
    expectLineError(GOOD.replace('allow', 'permit'), 1, /unknown effect "permit"/);
  });

  it('refuses lines a reviewer could misread', () => {
    expectLineError(`${GOOD} # trailing remark`, 1, /comments must stand on their own line/);
    expectLineError(GOOD.replace('clinician-reads', '"clinician-reads').replace('team,', 'team",'), 1, /quotes/);
    expectLineError(GOOD.replace(', allow', ''), 1, /expected 7 columns/);
    expectLineError(`${GOOD}, extra`, 1, /expected 7 columns/);
    expectLineError('g, alice, clinician', 1, /starts with "p"/);
    expectLineError(GOOD.replace('clinician-reads-record-on-care-team', 'Clinician Reads'), 1, /rule id/);
    expectLineError(`${GOOD}\n${GOOD}`, 2, /used twice/);
    expectLineError(GOOD.replace('treatment', '*'), 1, /allow rule must name one purpose/);
    expectLineError(GOOD.replace(' record,', ' *,'), 1, /allow rule must name one resource/);
    expectLineError(GOOD.replace('clinician,', '*,'), 1, /unknown role "\*"/);
    expectLineError('# only comments\n', 1, /no rules/);
  });

  it('makes createAuthorizer fail with the file and line when the policy file is wrong', async () => {
    const dir = await makeTempDir();
    try {
      const policyPath = join(dir.path, 'policy.csv');
      const shipped = await readFile(DEFAULT_POLICY_PATH, 'utf8');
      await writeFile(policyPath, shipped.replace('admin, variants, *, *, any, deny', 'admin, varaints, *, *, any, deny'));
      const options = { facts: new InMemoryRelationships(), audit: async () => {}, policyPath };
      await assert.rejects(createAuthorizer(options), (error: unknown) => {
        assert.ok(error instanceof PolicyFileError);
        assert.equal(error.source, policyPath);
        assert.match(error.message, /unknown resource "varaints"/);
        assert.match(shipped.split('\n')[error.line - 1] ?? '', /admin-never-touches-variants/);
        return true;
      });
    } finally {
      await dir.remove();
    }
  });

  it('refuses a model file whose columns do not match the policy file', async () => {
    const dir = await makeTempDir();
    try {
      const modelPath = join(dir.path, 'model.conf');
      const policyPath = join(dir.path, 'policy.csv');
      await copyFile(DEFAULT_POLICY_PATH, policyPath);
      const shipped = await readFile(DEFAULT_MODEL_PATH, 'utf8');
      await writeFile(modelPath, shipped.replace('p = id, role, res, act, pur, rel, eft', 'p = role, res, act, pur, rel, eft'));
      const options = { facts: new InMemoryRelationships(), audit: async () => {}, policyPath, modelPath };
      await assert.rejects(createAuthorizer(options), (error: unknown) => error instanceof PolicyModelError);
    } finally {
      await dir.remove();
    }
  });
});
