// `genovault users enrol` and `users reset`: a person redeems their one-time code at the host (a
// fresh vault gets its first admin without the API), and the host re-enrols a staff member.
// Codes and passwords come from a file, the environment or a hidden prompt, never a flag.
import type { Config } from '../../../schemas/config.ts';
import { CREDENTIAL_RESETS, type CredentialReset } from '../../../schemas/enrolment.ts';
import type { IssuedEnrolment } from '../../identity/enrolment-service.ts';
import { IdentityError } from '../../identity/identity-errors.ts';
import { HOST_ACTOR } from '../../identity/principal.ts';
import { normalizeUsername } from '../../identity/account-validation.ts';
import { configFrom, requireFlag, stringFlag, UsageError, type CommandIo, type Flags } from '../cli-context.ts';
import { withHostIdentity } from './host-identity.ts';
import { givenSecret, SecretInputError } from './secret-input.ts';

/** The CA certificate clients trust (loaded lazily: the TLS code pulls in node-forge). */
async function caPath(config: Config): Promise<string> {
  const { caCertificatePath } = await import('../../service/tls-material.ts');
  return caCertificatePath(config.dataDir);
}

/** What the issuer hands over: the code, its expiry, and how the person redeems it. */
export async function printEnrolmentCode(io: CommandIo, config: Config, username: string, enrolment: IssuedEnrolment): Promise<void> {
  const ca = await caPath(config);
  io.out(`enrolment code (shown once; hand it to the person, who redeems it): ${enrolment.code}`);
  io.out(`  expires: ${enrolment.expiresAt}`);
  io.out('the person redeems it, choosing their password and receiving their own TOTP secret, on the host (service stopped):');
  io.out(`  genovault users enrol --data-dir ${config.dataDir} --username ${username}`);
  io.out('or over the API:');
  io.out(`  curl --cacert ${ca} -X POST https://localhost:${config.port}/v1/enrolments -H 'content-type: application/json' -d '{"username":"${username}","code":"<code>","newPassword":"<password>"}'`);
}

async function printLoginHint(io: CommandIo, config: Config, username: string, secret: string): Promise<void> {
  const ca = await caPath(config);
  io.out('log in (the first login with a current code confirms the TOTP secret):');
  io.out(`  CODE=$(genovault totp ${secret})`);
  io.out(
    `  curl --cacert ${ca} -X POST https://localhost:${config.port}/v1/sessions -H 'content-type: application/json' ` +
      `-d '{"username":"${username}","password":"<password>","totp":"'$CODE'"}'`,
  );
}

async function askNewPassword(io: CommandIo): Promise<string> {
  if (!io.askHidden) throw new UsageError('this enrolment sets a password: give it in --password-file or GENOVAULT_NEW_PASSWORD');
  const first = await io.askHidden('new password: ');
  if ((await io.askHidden('the same again: ')) !== first) throw new SecretInputError('the two passwords differ');
  return first;
}

export async function enrolUser(flags: Flags, io: CommandIo): Promise<number> {
  const config = configFrom(flags, io.env);
  const username = normalizeUsername(requireFlag(flags, 'username'));
  const code =
    (await givenSecret({ file: stringFlag(flags, 'code-file'), envName: 'GENOVAULT_ENROLMENT_CODE', env: io.env })) ??
    (io.askHidden ? await io.askHidden('enrolment code: ') : undefined);
  if (!code) throw new UsageError('give the enrolment code in --code-file or GENOVAULT_ENROLMENT_CODE');
  // a code two people issued comes in two halves; the order does not matter
  const secondCode = await givenSecret({ file: stringFlag(flags, 'second-code-file'), envName: 'GENOVAULT_ENROLMENT_SECOND_CODE', env: io.env });
  const password = await givenSecret({ file: stringFlag(flags, 'password-file'), envName: 'GENOVAULT_NEW_PASSWORD', env: io.env });
  await withHostIdentity(config, async (host) => {
    const { redeemEnrolment } = await import('../../service/enrolments.ts');
    const parts = { identity: host.identity, audit: host.audit, clinical: await host.clinical() };
    const codes = { code, ...(secondCode !== undefined && { secondCode }) };
    const redeem = (newPassword: string | undefined) => redeemEnrolment(parts, { username, ...codes, ...(newPassword !== undefined && { newPassword }) }, { requestId: null });
    // the person is asked for a password only when the code turns out to set one
    const result = await redeem(password).catch(async (err: unknown) => {
      if (password === undefined && err instanceof IdentityError && err.code === 'password_required') return redeem(await askNewPassword(io));
      throw err;
    });
    if (!result.ok) throw new Error(result.message);
    io.out(`enrolled ${result.principal.username} (${result.principal.accountId}), roles: ${result.principal.roles.join(', ')}`);
    if (!result.totp) {
      io.out('your password is set; your TOTP secret is unchanged');
      return;
    }
    io.out(`TOTP secret (shown once; add it to an authenticator app): ${result.totp.secret}`);
    io.out(`otpauth URI: ${result.totp.uri}`);
    await printLoginHint(io, config, result.principal.username, result.totp.secret);
  });
  return 0;
}

function resetChoice(flags: Flags): CredentialReset {
  const given = stringFlag(flags, 'credentials') ?? 'both';
  if (!(CREDENTIAL_RESETS as readonly string[]).includes(given)) throw new UsageError(`--credentials: one of ${CREDENTIAL_RESETS.join(', ')}`);
  return given as CredentialReset;
}

export async function resetUser(flags: Flags, io: CommandIo): Promise<number> {
  const config = configFrom(flags, io.env);
  const username = normalizeUsername(requireFlag(flags, 'username'));
  const credentials = resetChoice(flags);
  await withHostIdentity(config, async ({ identity, audit }) => {
    const account = identity.listAccounts().find((a) => a.username === username);
    if (!account) throw new Error('--username: no such account');
    const { auditedStep } = await import('../../service/audit-outcome.ts');
    const enrolment = await auditedStep(
      audit,
      { requestId: null, actor: HOST_ACTOR, action: 'credentials.reset', resource: 'account', flagged: true },
      () => identity.enrolments.resetStaffCredentials(account.accountId, credentials, HOST_ACTOR),
      (e) => `${account.accountId} ${e.enrolmentId} ${credentials}`,
    );
    io.out(`reset ${credentials === 'both' ? 'password and TOTP' : credentials} of ${account.username} (${account.accountId}); its sessions have ended`);
    await printEnrolmentCode(io, config, account.username, enrolment);
  });
  return 0;
}
