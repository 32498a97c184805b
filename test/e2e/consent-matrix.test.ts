// Every role × directive kind in force × purpose of use, over HTTPS: each role asks for the
// patient's data on its own route (variants for care and the patient's circle, shared findings
// for a relative, released findings for an insurer and a named hospital) with every purpose,
// while the patient holds one directive of each kind in turn. The answers expected are written
// out here from the rules, independently of policy.csv.
import assert from 'node:assert/strict';
import { PURPOSES } from '../../consent/policy/vocabulary.ts';
import { worldForSuite } from './service-world.ts';
import { FINDINGS_VCF, addStaff, familyShare, grant, insurerRelease, proxyDirective, revoke, thirdPartyRelease, type DirectiveBody, type Recorded } from './consent-kit.ts';

const STATES = [
  'none',
  'clinical use denied',
  'clinical use permitted',
  'research consent',
  'research withdrawn',
  'findings preferences',
  'family sharing',
  'insurer release',
  'third-party release',
  // last: the proxy's enrolment directive is amended to this, then revoked for good
  'proxy directive without view_results',
] as const;
type State = (typeof STATES)[number];

const USERS = ['clin_a', 'clin_b', 'counselor', 'pat_a', 'proxy_a', 'relative', 'insurer.life', 'riverside', 'researcher', 'ethics', 'auditor', 'admin', 'registrar', 'privacy'] as const;
type User = (typeof USERS)[number];

function permitted(user: User, state: State, purpose: string): boolean {
  switch (user) {
    case 'clin_a':
    case 'counselor':
      return purpose === 'treatment' && state !== 'clinical use denied';
    case 'pat_a':
      return purpose === 'self';
    case 'proxy_a':
      return purpose === 'self' && state !== 'proxy directive without view_results';
    case 'relative':
      return purpose === 'family' && state === 'family sharing';
    case 'insurer.life':
      return purpose === 'insurance' && state === 'insurer release';
    case 'riverside':
      return purpose === 'disclosure' && state === 'third-party release';
    default:
      // a clinician off the care team, the researcher (the research gateway's, not these routes), oversight and staff
      return false;
  }
}

describe('every role × directive kind × purpose (HTTPS)', function () {
  const world = worldForSuite({ https: true, patientAVcf: FINDINGS_VCF });
  const w = () => world.w;
  const tokens = {} as Record<User, string>;
  const ids: Record<string, string> = {};

  const routeOf = (user: User, purpose: string): string => {
    const patient = `/patients/${w().patientA}`;
    if (user === 'relative') return `${patient}/shared-findings?purpose=${purpose}`;
    if (user === 'insurer.life') return `${patient}/released-findings?releasePurpose=claims&purpose=${purpose}`;
    if (user === 'riverside') return `${patient}/released-findings?releasePurpose=continuing_care&purpose=${purpose}`;
    return `${patient}/variants?purpose=${purpose}`;
  };

  const directiveFor = (state: State): DirectiveBody | null => {
    switch (state) {
      case 'none':
        return null;
      case 'clinical use denied':
        return { kind: 'clinical_use', decision: 'deny' };
      case 'clinical use permitted':
        return { kind: 'clinical_use', decision: 'permit' };
      case 'research consent':
        return { kind: 'research_use', status: 'consented', scope: { permission: 'DUO:0000042' } };
      case 'research withdrawn':
        return { kind: 'research_use', status: 'withdrawn', mode: 'stop_future_use' };
      case 'findings preferences':
        return { kind: 'findings_preferences', categories: { acmg_secondary: 'decline', carrier_status: 'decline', pharmacogenomic: 'decline', adult_onset: 'decline' } };
      case 'family sharing':
        return familyShare(w().accounts.relative!.accountId, { categories: ['acmg_secondary', 'pharmacogenomic'] });
      case 'insurer release':
        return insurerRelease(ids['insurer.life']!);
      case 'third-party release':
        return thirdPartyRelease(ids.riverside!);
      case 'proxy directive without view_results':
        return proxyDirective(w().accounts.proxy_a!.accountId, { permissions: ['view_record'] });
    }
  };

  before(async () => {
    for (const user of USERS) {
      if (user === 'insurer.life' || user === 'riverside') {
        const added = await addStaff(w(), user, user === 'riverside' ? 'external_recipient' : 'insurer', user === 'riverside' ? undefined : 'life');
        ids[user] = added.accountId;
        tokens[user] = added.token;
      } else tokens[user] = await w().login(user);
    }
  });

  /** A proxy already has the directive its enrolment recorded: that one is amended; anything else is granted. */
  const grantOrAmend = async (directive: DirectiveBody): Promise<Recorded> => {
    const enrolled = directive.kind === 'proxy' ? w().service.consents.current(w().patientA).directives.find((d) => d.directive.kind === 'proxy' && d.directive.proxyAccountId === directive.proxyAccountId) : undefined;
    if (!enrolled) return grant(w(), tokens.pat_a, w().patientA, directive);
    const r = await w().http<Recorded>(`/patients/${w().patientA}/consents/${enrolled.directiveId}`, { method: 'POST', token: tokens.pat_a, body: { replaces: enrolled.version, directive } });
    assert.equal(r.status, 200, r.text);
    return r.body;
  };

  for (const state of STATES) {
    it(`${state}: each role permitted exactly for its purpose, refused otherwise`, async () => {
      const directive = directiveFor(state);
      const recorded = directive ? await grantOrAmend(directive) : null;
      const mismatches: string[] = [];
      const asks = USERS.flatMap((user) => PURPOSES.map((purpose) => ({ user, purpose })));
      for (let i = 0; i < asks.length; i += 12) {
        await Promise.all(
          asks.slice(i, i + 12).map(async ({ user, purpose }) => {
            const r = await w().http(routeOf(user, purpose), { token: tokens[user] });
            const expected = permitted(user, state, purpose) ? 200 : 404;
            if (r.status !== expected) mismatches.push(`${user} for ${purpose}: ${r.status}, expected ${expected}`);
          }),
        );
      }
      if (recorded) await revoke(w(), tokens.pat_a, w().patientA, recorded);
      assert.deepEqual(mismatches, []);
    });
  }
});
