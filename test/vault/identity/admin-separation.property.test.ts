// Separation of duties as a property: whatever an admin does through the identity service (create,
// re-role, reset, disable, enable, change passwords, issue patient enrolments, and redeem every
// code it was given, under any username), it never ends up able to log in as an account linked
// to a patient, and never creates or takes one over.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { IdentityError } from '../../../vault/identity/identity-errors.ts';
import { isPatientLinked } from '../../../vault/identity/account-validation.ts';
import { ROLES, type Role } from '../../../vault/identity/roles.ts';
import { CREDENTIAL_RESETS, PATIENT_LINK_ROLES } from '../../../schemas/enrolment.ts';
import type { Principal } from '../../../vault/identity/principal.ts';
import { actorOf, addPerson, codeAt, openKit, STEP, type Kit } from './identity-kit.ts';

const ADMIN_PASSWORD = 'Admin-chosen-pass-77';
const PATIENT = 'p_00000000000000aa';

type AdminCall =
  | { kind: 'create'; name: number; roles: Role[] }
  | { kind: 'setRoles'; target: number; roles: Role[] }
  | { kind: 'resetStaff' | 'resetLinked'; target: number; reset: (typeof CREDENTIAL_RESETS)[number] }
  | { kind: 'enrolPatient'; role: (typeof PATIENT_LINK_ROLES)[number] }
  | { kind: 'changePassword' | 'disable' | 'enable'; target: number }
  | { kind: 'redeem'; code: number; name: number };

const roleSet = fc.uniqueArray(fc.constantFrom(...ROLES), { minLength: 1, maxLength: 2 });
const index = fc.nat({ max: 9 });
const call: fc.Arbitrary<AdminCall> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), name: index, roles: roleSet }),
  fc.record({ kind: fc.constant('setRoles' as const), target: index, roles: roleSet }),
  fc.record({ kind: fc.constantFrom('resetStaff' as const, 'resetLinked' as const), target: index, reset: fc.constantFrom(...CREDENTIAL_RESETS) }),
  fc.record({ kind: fc.constant('enrolPatient' as const), role: fc.constantFrom(...PATIENT_LINK_ROLES) }),
  fc.record({ kind: fc.constantFrom('changePassword' as const, 'disable' as const, 'enable' as const), target: index }),
  fc.record({ kind: fc.constant('redeem' as const), code: index, name: index }),
);

interface AdminLoot {
  codes: string[];
  totpSecrets: string[];
  /** principals of every account the admin's redemptions produced */
  enrolled: Principal[];
}

/** One admin call; refusals are expected, anything else is a fault. */
async function perform(kit: Kit, admin: Principal, step: AdminCall, loot: AdminLoot): Promise<void> {
  const accounts = kit.identity.listAccounts();
  const target = 'target' in step ? accounts[step.target % accounts.length]!.accountId : '';
  const names = [...accounts.map((a) => a.username), 'fresh.one', 'fresh.two'];
  try {
    if (step.kind === 'create') {
      const { enrolment } = await kit.identity.createAccount({ username: `made.${step.name}`, roles: step.roles, kind: 'human' }, admin);
      if (enrolment) loot.codes.push(enrolment.code);
    } else if (step.kind === 'setRoles') await kit.identity.setRoles(target, step.roles, admin);
    else if (step.kind === 'resetStaff') loot.codes.push((await kit.identity.enrolments.resetStaffCredentials(target, step.reset, admin)).code);
    else if (step.kind === 'resetLinked') loot.codes.push((await kit.identity.enrolments.resetPatientLinkedCredentials(target, PATIENT, step.reset, admin)).code);
    else if (step.kind === 'enrolPatient') {
      const link = { patientId: PATIENT, role: step.role, evidence: 'forged by the admin', ...(step.role === 'relative' && { relationship: 'sibling' as const }) };
      loot.codes.push((await kit.identity.enrolments.issuePatientEnrolment(link, admin)).code);
    } else if (step.kind === 'changePassword') await kit.identity.changePassword(target, { newPassword: ADMIN_PASSWORD, currentPassword: ADMIN_PASSWORD }, admin);
    else if (step.kind === 'disable') await kit.identity.disableAccount(target, admin);
    else if (step.kind === 'enable') await kit.identity.enableAccount(target, admin);
    else if (step.kind === 'redeem' && loot.codes.length > 0) {
      const code = loot.codes[step.code % loot.codes.length]!;
      const username = names[step.name % names.length]!;
      // with the admin's password, or without one (a TOTP-only reset keeps the password)
      const result = await kit.identity.enrolments.redeem({ username, code, newPassword: ADMIN_PASSWORD }).catch(() => kit.identity.enrolments.redeem({ username, code }));
      if (result.ok) loot.enrolled.push(result.principal);
      if (result.ok && result.totp) loot.totpSecrets.push(result.totp.secret);
    }
  } catch (err) {
    if (!(err instanceof IdentityError)) throw err;
  }
}

describe('separation of duties (property)', function () {
  this.timeout(120_000);

  it('no sequence of admin calls yields a session for, or the creation of, an account linked to a patient', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 12 }), async (steps) => {
        const kit = await openKit();
        try {
          const admin = actorOf(kit, (await addPerson(kit, 'root.admin', ['admin'])).accountId);
          await addPerson(kit, 'pat.eve', ['patient'], PATIENT);
          await addPerson(kit, 'proxy.max', ['proxy'], PATIENT);
          await addPerson(kit, 'dr.ada');
          const loot: AdminLoot = { codes: [], totpSecrets: [], enrolled: [] };
          for (const step of steps) await perform(kit, admin, step, loot);

          assert.ok(!loot.enrolled.some((p) => isPatientLinked(p)), 'an admin-held code enrolled a patient-linked account');
          const linked = kit.identity.listAccounts().filter((a) => isPatientLinked(a));
          assert.ok(linked.every((a) => a.createdBy !== admin.accountId), 'an admin created a patient-linked account');
          for (const account of linked) {
            for (const secret of loot.totpSecrets) {
              kit.clock.t += STEP;
              const login = await kit.identity.login({ username: account.username, password: ADMIN_PASSWORD, totp: codeAt(kit, secret) });
              assert.equal(login.ok, false, `the admin logged in as ${account.username}`);
            }
          }
        } finally {
          await kit.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});
