// Attackers for the login-flood test, in their own process so their event loop is not the
// server's: one keep-alive HTTPS connection per source address, each guessing passwords for its
// own username as fast as it is answered, never waiting for Retry-After. Reads its settings as JSON from
// FLOOD_SETTINGS, prints `started` once every connection is sending, stops when its stdin closes
// (or after maxDurationMs), then prints one JSON line of results.
import { http, keepAliveAgent } from '../helpers/http-client.ts';

interface FloodSettings {
  url: string;
  ca: string;
  addresses: string[];
  usernames: string[];
  maxDurationMs: number;
}

export interface FloodResult {
  /** responses by HTTP status */
  statuses: Record<string, number>;
  /** 429 and 503 answers without a Retry-After of whole seconds >= 1 */
  withoutRetryAfter: number;
  retryAfterSeconds: { min: number; max: number } | null;
  /** answers that were not application/problem+json although refused */
  notProblemJson: number;
  errors: number;
}

const settings = JSON.parse(process.env.FLOOD_SETTINGS ?? '{}') as FloodSettings;
const result: FloodResult = { statuses: {}, withoutRetryAfter: 0, retryAfterSeconds: null, notProblemJson: 0, errors: 0 };
let deadline = Date.now() + settings.maxDurationMs;
process.stdin.resume();
process.stdin.on('end', () => (deadline = 0));

async function attacker(address: string, index: number): Promise<void> {
  const agent = keepAliveAgent(settings.url, { ca: settings.ca, localAddress: address });
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    const username = settings.usernames[index % settings.usernames.length]!;
    try {
      const r = await http(`${settings.url}/sessions`, { method: 'POST', agent, body: { username, password: `Wrong-guess-${index}-${attempt}`, totp: '123456' } });
      result.statuses[r.status] = (result.statuses[r.status] ?? 0) + 1;
      if (!(r.headers.get('content-type') ?? '').startsWith('application/problem+json')) result.notProblemJson++;
      if (r.status === 429 || r.status === 503) {
        const header = r.headers.get('retry-after') ?? '';
        const seconds = /^\d+$/.test(header) ? Number(header) : 0;
        if (seconds < 1) result.withoutRetryAfter++;
        else result.retryAfterSeconds = { min: Math.min(seconds, result.retryAfterSeconds?.min ?? seconds), max: Math.max(seconds, result.retryAfterSeconds?.max ?? seconds) };
      }
    } catch {
      result.errors++;
    }
  }
  agent.destroy();
}

const attackers = settings.addresses.map((address, i) => attacker(address, i));
process.stdout.write('started\n');
await Promise.all(attackers);
process.stdout.write(`${JSON.stringify(result)}\n`);
