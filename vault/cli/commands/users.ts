// `genovault users`: accounts created on the vault host itself (the host holds the master key,
// so it may act as HOST_ACTOR, e.g. to create the first admin), a listing of accounts, and
// their lifecycle (user-lifecycle.ts).
import type { Vault } from '../../store/vault.ts';
import type { AccountSummary } from '../../identity/account-summary.ts';
import { HOST_ACTOR } from '../../identity/principal.ts';
import { ROLES, isRole, type Role } from '../../identity/roles.ts';
import { assertPasswordPolicy, checkPasswordPolicy } from '../../identity/password-policy.ts';
import { normalizeUsername } from '../../identity/account-validation.ts';
import { configFrom, requireFlag, stringFlag, UsageError, type CommandIo, type Flags } from '../cli-context.ts';
import { readSecretInput } from './secret-input.ts';
import { withHostIdentity } from '../host-identity.ts';
import { lifecycleHelp, USER_LIFECYCLE_COMMANDS } from './user-lifecycle.ts';

export const usersHelp = `genovault users add --data-dir D --role ROLE --username NAME [--password-file F] [--patient MRN]
genovault users list --data-dir D
  add: creates an account on the vault host (how the first admin is made). ROLE is one of
  ${ROLES.join(', ')} (several: a,b).
  The password is the first line of --password-file, else GENOVAULT_NEW_PASSWORD, else a strong
  random one printed once. A person's TOTP secret is printed once; the first login with a code
  from it confirms it. --patient MRN links an account of role patient to its patient.
  Role ehr_service makes a service account and prints its API token once.
  list: prints the accounts (no secrets). Both need the service stopped (they take the log lock).
${lifecycleHelp}`;

function rolesFrom(flags: Flags): Role[] {
  const given = requireFlag(flags, 'role').split(',').map((r) => r.trim()).filter(Boolean);
  const unknown = given.filter((r) => !isRole(r));
  if (given.length === 0 || unknown.length > 0) throw new UsageError(`--role: unknown role ${JSON.stringify(unknown[0] ?? '')}; one of ${ROLES.join(', ')}`);
  return given as Role[];
}

/** The MRN an account of role patient links to (required for it, refused for any other). */
function patientMrnOf(flags: Flags, roles: readonly Role[]): string | undefined {
  const mrn = stringFlag(flags, 'patient');
  if (roles.includes('patient') && mrn === undefined) throw new UsageError('an account of role patient needs --patient MRN');
  if (!roles.includes('patient') && mrn !== undefined) throw new UsageError('--patient is only for an account of role patient');
  return mrn;
}

function patientIdOf(vault: Vault, mrn: string): string {
  const patient = vault.catalog.patientByMrn(mrn);
  if (!patient) throw new Error('--patient: no patient with that MRN in this vault');
  return patient.patientId;
}

async function addUser(flags: Flags, io: CommandIo): Promise<number> {
  const config = configFrom(flags, io.env);
  // Checked before the vault is opened: refused input leaves nothing behind, not even a new log.
  const username = normalizeUsername(requireFlag(flags, 'username'));
  const roles = rolesFrom(flags);
  const mrn = patientMrnOf(flags, roles);
  const kind = roles.includes('ehr_service') ? 'service' : 'human';
  const password =
    kind === 'human'
      ? await readSecretInput({
          file: stringFlag(flags, 'password-file'),
          envName: 'GENOVAULT_NEW_PASSWORD',
          env: io.env,
          accept: (candidate) => checkPasswordPolicy(candidate, username).length === 0,
        })
      : undefined;
  if (password) assertPasswordPolicy(password.value, username);
  await withHostIdentity(config, async ({ vault, identity, audit }) => {
    const patientId = mrn === undefined ? undefined : patientIdOf(vault, mrn);
    const account = await identity.createAccount(
      { username, roles, kind, ...(password && { password: password.value }), ...(patientId !== undefined && { patientId }) },
      HOST_ACTOR,
    );
    const record = (action: string) =>
      audit.record({ requestId: null, actorId: HOST_ACTOR, actorRoles: [], action, resource: 'account', patientId: null, purpose: 'operations', decision: 'success', rule: null, reason: account.accountId });
    await record('user.create');
    io.out(`created ${kind} account ${account.username} (${account.accountId}), roles: ${account.roles.join(', ')}`);
    if (kind === 'service') {
      const token = await identity.issueApiToken(account.accountId, 'cli', HOST_ACTOR);
      await record('token.issue');
      io.out(`API token (shown once, keep it secret): ${token.token}`);
      io.out(`  it expires ${token.expiresAt}; replace it before then: genovault users rotate-token --username ${account.username} --token-id ${token.tokenId}`);
      io.out(`  use it as: curl -H "authorization: Bearer <token>" https://HOST:${config.port}/v1/...`);
      io.out(`  or issue a client certificate: genovault certs issue-client --data-dir ${config.dataDir} --name ${account.username} --out ${account.username}.p12`);
      return;
    }
    const totp = await identity.enrollTotp(account.accountId, HOST_ACTOR);
    if (password?.generated) io.out(`password (generated, shown once): ${password.value}`);
    io.out(`TOTP secret (shown once; add it to an authenticator app): ${totp.secret}`);
    io.out(`otpauth URI: ${totp.uri}`);
    io.out('log in (the first login with a current code confirms the TOTP secret):');
    io.out(`  CODE=$(genovault totp ${totp.secret})`);
    const { caCertificatePath } = await import('../../service/tls-material.ts');
    io.out(
      `  curl --cacert ${caCertificatePath(config.dataDir)} -X POST https://localhost:${config.port}/v1/sessions -H 'content-type: application/json' ` +
        `-d '{"username":"${account.username}","password":"<password>","totp":"'$CODE'"}'`,
    );
  }, (vault) => void (mrn === undefined ? undefined : patientIdOf(vault, mrn)));
  return 0;
}

function accountRow(a: AccountSummary): string {
  return [a.username, a.accountId, a.kind, a.roles.join(','), a.patientId ?? '.', a.totp, a.disabled ? 'disabled' : a.locked ? 'locked' : 'active', a.createdAt].join('\t');
}

async function listUsers(flags: Flags, io: CommandIo): Promise<number> {
  const config = configFrom(flags, io.env);
  await withHostIdentity(config, ({ identity }) => {
    io.out(['username', 'account_id', 'kind', 'roles', 'patient_id', 'totp', 'state', 'created_at'].join('\t'));
    for (const account of identity.listAccounts()) io.out(accountRow(account));
    return Promise.resolve();
  });
  return 0;
}

export async function usersCommand(args: string[], flags: Flags, io: CommandIo): Promise<number> {
  const [sub, ...extra] = args;
  if (extra.length > 0) throw new UsageError(`users ${sub ?? ''} takes no positional arguments`);
  if (sub === 'add') return addUser(flags, io);
  if (sub === 'list') return listUsers(flags, io);
  const lifecycle = sub === undefined ? undefined : USER_LIFECYCLE_COMMANDS[sub];
  if (lifecycle) return lifecycle(flags, io);
  throw new UsageError(sub ? `unknown users command: ${sub}` : `users needs a subcommand: add, list, ${Object.keys(USER_LIFECYCLE_COMMANDS).join(', ')}`);
}
