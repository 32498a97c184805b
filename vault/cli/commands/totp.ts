// `genovault totp SECRET`: the current code for a TOTP secret, so a newcomer can log in with curl
// without an authenticator app. Needs no vault: the secret is all there is to it.
import { currentTotp, TOTP_STEP_SECONDS } from '../../identity/totp.ts';
import { UsageError, type CommandIo, type Flags } from '../cli-context.ts';

export const totpHelp = `genovault totp SECRET
  Prints the current 6-digit TOTP code for a base32 SECRET (as 'users add' or the demo print it),
  alone on stdout, so CODE=$(genovault totp SECRET) works. GENOVAULT_TOTP_SECRET may hold the
  secret instead (a command line is visible to other users of the machine). A code is accepted
  once: wait for the next ${TOTP_STEP_SECONDS}-second step before logging in again.`;

/** Fewer than 80 bits cannot be a secret we issued (ours are 160) and is surely a typo. */
const MIN_SECRET_CHARS = 16;

export function totpCommand(args: string[], _flags: Flags, io: CommandIo): Promise<number> {
  if (args.length > 1) throw new UsageError('totp takes one SECRET');
  const secret = args[0] ?? io.env.GENOVAULT_TOTP_SECRET;
  if (!secret) throw new UsageError('give the TOTP secret (or set GENOVAULT_TOTP_SECRET)');
  if (secret.replace(/[\s=]/g, '').length < MIN_SECRET_CHARS) throw new UsageError(`a TOTP secret has at least ${MIN_SECRET_CHARS} base32 characters`);
  io.out(currentTotp(secret));
  const left = TOTP_STEP_SECONDS - (Math.floor(Date.now() / 1000) % TOTP_STEP_SECONDS);
  if (io.isTty) io.err(`(valid for ${left} more seconds)`);
  return Promise.resolve(0);
}
