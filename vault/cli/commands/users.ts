// `genovault users`: staff accounts created on the vault host itself (how the first admin is
// made), enrolment by the person at the host, credential resets, a listing of accounts, and
// their lifecycle (user-lifecycle.ts).
// Nothing here prints a password or hands one person another's TOTP secret.
import type { AccountSummary } from '../../identity/account-summary.ts';
import { HOST_ACTOR } from '../../identity/principal.ts';
import { PERSONAL_ROLES, SERVICE_ROLES, STAFF_ROLES, isRole, type Role } from '../../identity/roles.ts';
import { isPatientLinked, normalizeUsername } from '../../identity/account-validation.ts';
import { configFrom, requireFlag, UsageError, type CommandIo, type Flags } from '../cli-context.ts';
import { withHostIdentity } from './host-identity.ts';
import { lifecycleHelp, USER_LIFECYCLE_COMMANDS } from './user-lifecycle.ts';
import { enrolUser, printEnrolmentCode, resetUser } from './users-enrolment.ts';

const ADDABLE_ROLES = [...STAFF_ROLES, ...SERVICE_ROLES];

export const usersHelp = `genovault users add --data-dir D --role ROLE --username NAME [--insurer-type TYPE]
genovault users enrol --data-dir D --username NAME [--code-file F] [--second-code-file F] [--password-file F]
genovault users reset --data-dir D --username NAME [--credentials password|totp|both]
genovault users list --data-dir D
  add: creates a staff account on the vault host (how the first admin and the first privacy
  officer are made). ROLE is one of ${STAFF_ROLES.join(', ')} (several: a,b), or for a service
  account ${SERVICE_ROLES.join(', ')} (service roles only). A person's account gets a whole one-time
  enrolment code, printed once, never a password: the host needs no second person (it holds the
  master key), but every creation is audited and flagged. Hand the code to the person, who
  redeems it with 'users enrol' (here) or POST /v1/enrolments. It expires after
  GENOVAULT_ENROLMENT_CODE_HOURS (72 by default). A service role makes a service account and
  prints its API token once (tokens are issued only here, on the host).
  Role insurer needs --insurer-type: health_plan, life, disability or long_term_care (release
  decisions read it from the account, never from a request).
  Accounts of patients, proxies and relatives are made only by a patient enrolment, issued by
  registration staff or a genetic counselor (POST /v1/patients/{id}/enrolments).
  enrol: the person redeems their code. The code is the first line of --code-file, else
  GENOVAULT_ENROLMENT_CODE, else asked for; a code two people issued over the API (an admin and a
  privacy officer, or registration staff and a second confirmer) has a second half, from
  --second-code-file or GENOVAULT_ENROLMENT_SECOND_CODE; the new password from --password-file,
  else GENOVAULT_NEW_PASSWORD, else asked for. Prints their own TOTP secret once.
  reset: clears a staff account's password, TOTP or both (default), ends its sessions and prints
  a new (whole) enrolment code, audited and flagged. Accounts linked to a patient are reset by registration staff or a
  genetic counselor through the API.
  list: prints the accounts (no secrets). All refuse while the service runs (it owns the account
  log): use the API then (POST /v1/users, GET /v1/users, POST /v1/enrolments).

${lifecycleHelp}`;

function rolesFrom(flags: Flags): Role[] {
  const given = requireFlag(flags, 'role').split(',').map((r) => r.trim()).filter(Boolean);
  const unknown = given.filter((r) => !isRole(r));
  if (given.length === 0 || unknown.length > 0) throw new UsageError(`--role: unknown role ${JSON.stringify(unknown[0] ?? '')}; one of ${ADDABLE_ROLES.join(', ')}`);
  const personal = given.find((r) => PERSONAL_ROLES.includes(r as Role));
  if (personal) throw new UsageError(`--role: an account with the role ${personal} is made only by a patient enrolment (registration staff or a genetic counselor)`);
  return given as Role[];
}

async function addUser(flags: Flags, io: CommandIo): Promise<number> {
  const config = configFrom(flags, io.env);
  // Checked before the vault is opened: refused input leaves nothing behind, not even a new log.
  const username = normalizeUsername(requireFlag(flags, 'username'));
  const roles = rolesFrom(flags);
  const kind = roles.some((role) => SERVICE_ROLES.includes(role)) ? 'service' : 'human';
  await withHostIdentity(config, async ({ identity, audit }) => {
    const { auditedStep, recordOutcome } = await import('../../service/audit-outcome.ts');
    const { account, enrolment } = await auditedStep(
      audit,
      { requestId: null, actor: HOST_ACTOR, action: 'user.create', resource: 'account', flagged: true },
      () => identity.createAccount({ username, roles, kind, insurerType: flags['insurer-type'] as string | undefined }, HOST_ACTOR),
      (created) => created.account.accountId,
    );
    io.out(`created ${kind} account ${account.username} (${account.accountId}), roles: ${account.roles.join(', ')}`);
    if (kind === 'service') {
      const token = await identity.issueApiToken(account.accountId, 'cli', HOST_ACTOR);
      await recordOutcome(audit, { requestId: null, actor: HOST_ACTOR, action: 'token.issue', resource: 'account', decision: 'success', reason: `${account.accountId}/${token.tokenId}`, flagged: true });
      io.out(`API token (shown once, keep it secret): ${token.token}`);
      io.out(`  it expires ${token.expiresAt}; replace it before then: genovault users rotate-token --username ${account.username} --token-id ${token.tokenId}`);
      io.out(`  use it as: curl -H "authorization: Bearer <token>" https://HOST:${config.port}/v1/...`);
      io.out(`  or issue a client certificate: genovault certs issue-client --data-dir ${config.dataDir} --name ${account.username} --out ${account.username}.p12`);
      return;
    }
    await printEnrolmentCode(io, config, account.username, enrolment!);
  });
  return 0;
}

function accountRow(a: AccountSummary): string {
  const state = a.rolesRefused ? 'roles-refused' : a.disabled ? 'disabled' : a.locked ? 'locked' : a.enrolmentPending ? 'enrolment-pending' : 'active';
  return [a.username, a.accountId, a.kind, a.roles.join(','), isPatientLinked(a) ? 'yes' : 'no', a.totp, state, a.createdAt].join('\t');
}

async function listUsers(flags: Flags, io: CommandIo): Promise<number> {
  const config = configFrom(flags, io.env);
  await withHostIdentity(config, ({ identity }) => {
    io.out(['username', 'account_id', 'kind', 'roles', 'patient_linked', 'totp', 'state', 'created_at'].join('\t'));
    for (const account of identity.listAccounts()) io.out(accountRow(account));
    return Promise.resolve();
  });
  return 0;
}

export async function usersCommand(args: string[], flags: Flags, io: CommandIo): Promise<number> {
  const [sub, ...extra] = args;
  if (extra.length > 0) throw new UsageError(`users ${sub ?? ''} takes no positional arguments`);
  if (sub === 'add') return addUser(flags, io);
  if (sub === 'enrol') return enrolUser(flags, io);
  if (sub === 'reset') return resetUser(flags, io);
  if (sub === 'list') return listUsers(flags, io);
  const lifecycle = sub === undefined ? undefined : USER_LIFECYCLE_COMMANDS[sub];
  if (lifecycle) return lifecycle(flags, io);
  throw new UsageError(sub ? `unknown users command: ${sub}` : `users needs a subcommand: add, enrol, reset, list, ${Object.keys(USER_LIFECYCLE_COMMANDS).join(', ')}`);
}
