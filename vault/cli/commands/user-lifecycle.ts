// `genovault users disable|enable|tokens|issue-token|rotate-token|revoke-token` on the vault
// host: the lifecycle of accounts and API tokens, as an admin has it over the API, each audited
// in the same audit log with the actor `host`. Login throttling (and so unlocking) lives in the
// running service's memory: a stopped service, which these commands need, holds no lock.
import type { IdentityService } from '../../identity/identity-service.ts';
import { HOST_ACTOR } from '../../identity/principal.ts';
import { normalizeUsername } from '../../identity/account-validation.ts';
import { IdentityError } from '../../identity/identity-errors.ts';
import { configFrom, requireFlag, stringFlag, UsageError, type CommandIo, type Flags } from '../cli-context.ts';
import { withHostIdentity, type HostIdentity } from './host-identity.ts';
import type { AccountAction } from '../../service/admin-account-action.ts';

export const lifecycleHelp = `genovault users disable|enable --data-dir D --username NAME
genovault users tokens --data-dir D --username NAME
genovault users issue-token --data-dir D --username NAME [--label L] [--expires-days N]
genovault users rotate-token --data-dir D --username NAME --token-id T [--expires-days N]
genovault users revoke-token --data-dir D --username NAME --token-id T
  disable: the account's sessions end and its API tokens and client certificate stop working;
  enable: they work again (tokens until their expiry). tokens: lists a service account's tokens
  (never the token itself). issue-token: prints a new token once; it expires after N days
  (GENOVAULT_API_TOKEN_DAYS, 90 by default, at most GENOVAULT_API_TOKEN_MAX_DAYS). Tokens are
  issued only here, on the host: no admin mints one over the API; a running service rotates its
  own (POST /v1/api-tokens/current/rotate). rotate-token: prints a replacement once; the old token
  works on for GENOVAULT_API_TOKEN_ROTATION_OVERLAP_MINUTES (60). revoke-token: the token stops
  at once. All are audited as the host (issuing and rotating flagged), and need the service
  stopped. Locked-out logins are unlocked while the service runs: POST /v1/users/{id}/unlock
  (locks live in the service's memory; a restart clears them too).`;

type LifecycleCommand = (flags: Flags, io: CommandIo) => Promise<number>;

/** Runs `work` on the account named by --username, audited as `action` by the host. */
async function onAccount(
  flags: Flags,
  io: CommandIo,
  action: AccountAction,
  work: (identity: IdentityService, accountId: string) => Promise<string[]> | string[],
  target: (accountId: string) => string = (accountId) => accountId,
): Promise<number> {
  const config = configFrom(flags, io.env);
  const username = normalizeUsername(requireFlag(flags, 'username'));
  const lines = await withHostIdentity(config, async ({ identity, audit }: HostIdentity) => {
    const account = identity.listAccounts().find((a) => a.username === username);
    const { auditedStep } = await import('../../service/audit-outcome.ts');
    // an unknown name is audited too, without the name (it may be a person's)
    const about = account ? target(account.accountId) : 'unknown';
    // a token is a whole credential for its service: issuing and rotating one are reviewed
    const flagged = action === 'token.issue' || action === 'token.rotate';
    return auditedStep(audit, { requestId: null, actor: HOST_ACTOR, action, resource: 'account', target: about, flagged }, () => {
      if (!account) throw new IdentityError('unknown_account', 'not_found', '--username: no account with that name', 'username');
      return work(identity, account.accountId);
    }, () => about);
  });
  for (const line of lines) io.out(line);
  return 0;
}

function expiresDays(flags: Flags): { lifetimeDays?: number } {
  const text = stringFlag(flags, 'expires-days');
  if (text === undefined) return {};
  if (!/^\d{1,4}$/.test(text)) throw new UsageError('--expires-days: a whole number of days');
  return { lifetimeDays: Number(text) };
}

function tokenIdFlag(flags: Flags): string {
  const tokenId = requireFlag(flags, 'token-id');
  if (!/^tok_[0-9a-f]{16}$/.test(tokenId)) throw new UsageError('--token-id: a token id looks like tok_ followed by 16 hex digits');
  return tokenId;
}

export const USER_LIFECYCLE_COMMANDS: Record<string, LifecycleCommand> = {
  disable: (flags, io) =>
    onAccount(flags, io, 'user.disable', async (identity, id) => {
      await identity.disableAccount(id, HOST_ACTOR);
      return [`disabled ${id}: its sessions ended; its API tokens and client certificate no longer work`];
    }),
  enable: (flags, io) =>
    onAccount(flags, io, 'user.enable', async (identity, id) => {
      await identity.enableAccount(id, HOST_ACTOR);
      return [`enabled ${id}`];
    }),
  tokens: (flags, io) =>
    onAccount(flags, io, 'token.list', (identity, id) => [
      ['token_id', 'label', 'issued_at', 'expires_at', 'state', 'replaced_by', 'rotated_from'].join('\t'),
      ...identity.listApiTokens(id, HOST_ACTOR).map((t) => [t.tokenId, t.label, t.issuedAt, t.expiresAt, t.state, t.replacedBy ?? '.', t.rotatedFrom ?? '.'].join('\t')),
    ]),
  'issue-token': (flags, io) => {
    const request = { label: stringFlag(flags, 'label') ?? 'cli', ...expiresDays(flags) };
    return onAccount(flags, io, 'token.issue', async (identity, id) => {
      const issued = await identity.issueApiToken(id, request, HOST_ACTOR);
      return [`API token ${issued.tokenId} (shown once, keep it secret): ${issued.token}`, `expires: ${issued.expiresAt}`];
    });
  },
  'rotate-token': (flags, io) => {
    const tokenId = tokenIdFlag(flags);
    const request = expiresDays(flags);
    return onAccount(
      flags,
      io,
      'token.rotate',
      async (identity, id) => {
        const rotated = await identity.rotateApiToken(id, tokenId, request, HOST_ACTOR);
        return [`API token ${rotated.tokenId} (shown once, keep it secret): ${rotated.token}`, `expires: ${rotated.expiresAt}`, `the old token ${tokenId} works until ${rotated.previousExpiresAt}`];
      },
      (id) => `${id}/${tokenId}`,
    );
  },
  'revoke-token': (flags, io) => {
    const tokenId = tokenIdFlag(flags);
    return onAccount(
      flags,
      io,
      'token.revoke',
      async (identity, id) => {
        await identity.revokeApiToken(tokenId, HOST_ACTOR, id);
        return [`revoked ${tokenId}`];
      },
      (id) => `${id}/${tokenId}`,
    );
  },
};
