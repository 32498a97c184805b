// Replays the login flood of the security review over HTTPS: 32 connections, each from its own
// loopback address, guess passwords (each for one name) as fast as they are answered, with
// passwords hashed at the production cost. They must be answered 429 (or 503) with Retry-After, and a care-team
// clinician's read during the flood must stay close to the same read without it.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { keepAliveAgent } from '../helpers/http-client.ts';
import { worldForSuite, type World } from './service-world.ts';
import type { FloodResult } from './login-flood-client.ts';

const FLOOD_CLIENT = fileURLToPath(new URL('./login-flood-client.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ATTACKERS = 32;
const READS = 15;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Starts the attackers in their own process; `started` once they send, `stop()` ends them and gives their tally. */
function startFlood(settings: { url: string; ca: string; addresses: string[]; usernames: string[]; maxDurationMs: number }) {
  const child = spawn(process.execPath, ['--import', 'tsx', FLOOD_CLIENT], {
    cwd: REPO_ROOT,
    env: { ...process.env, FLOOD_SETTINGS: JSON.stringify(settings) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const received: string[] = [];
  let onLine: (() => void) | undefined;
  lines.on('line', (line) => {
    received.push(line);
    onLine?.();
  });
  const next = (index: number) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        if (received[index] !== undefined) resolve(received[index]);
      };
      onLine = check;
      child.once('exit', (code) => (received[index] === undefined ? reject(new Error(`the flood client exited (${code}) early`)) : undefined));
      check();
    });
  return {
    started: next(0),
    stop: async () => {
      child.stdin.end();
      return JSON.parse(await next(1)) as FloodResult;
    },
    kill: () => child.kill('SIGKILL'),
  };
}

/** Waits until every attacker is connected and the first guesses have been checked. */
async function floodUnderWay(w: World): Promise<void> {
  const connections = () => new Promise<number>((resolve, reject) => w.server.server.getConnections((err, n) => (err ? reject(err) : resolve(n))));
  const checked = async () => (await w.service.audit.query({ limit: 100 })).some((e) => e.body.action === 'login' && e.body.decision === 'failure');
  for (let waited = 0; waited < 30_000; waited += 100) {
    if ((await connections()) > ATTACKERS && (await checked())) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the flood did not get under way within 30 s');
}

describe('a login flood (HTTPS, production password hashing)', function () {
  this.timeout(180_000);
  // 6 attempts a minute per client (default 20), so a flood of seconds reaches the limit
  const suite = worldForSuite({ https: true, scrypt: 'production', config: { loginClientAttemptsPerMinute: '6' } });
  let w: World;
  let flood: ReturnType<typeof startFlood> | undefined;
  before(() => (w = suite.w));
  after(() => flood?.kill());

  it('is answered 429 with Retry-After, and a care-team clinician reads about as fast as without it', async () => {
    const token = await w.login('clin_a');
    const agent = keepAliveAgent(w.url, { ca: w.ca! });
    const timedRead = async () => {
      const started = performance.now();
      const r = await w.http(`/patients/${w.patientA}/variants`, { token, agent });
      assert.equal(r.status, 200, r.text);
      return performance.now() - started;
    };
    /** At least READS reads, one after the other, for at least `forMs`. */
    const timedReads = async (forMs = 0) => {
      const times: number[] = [];
      const until = performance.now() + forMs;
      while (times.length < READS || performance.now() < until) times.push(await timedRead());
      return { median: median(times), max: Math.max(...times) };
    };
    for (let i = 0; i < 3; i++) await timedRead(); // warm: the partition is cached, the connection open
    const quiet = await timedReads();

    const addresses = Array.from({ length: ATTACKERS }, (_, i) => `127.0.0.${10 + i}`);
    // each attacker guesses at one name: four people's, and names nobody has
    const usernames = ['clin_b', 'counselor', 'researcher', 'insurer', ...Array.from({ length: ATTACKERS - 4 }, (_, i) => `no.such.user${i}`)];
    flood = startFlood({ url: w.url, ca: w.ca!, addresses, usernames, maxDurationMs: 60_000 });
    await flood.started;
    await floodUnderWay(w);
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // let it build up
    const flooded = await timedReads(5_000); // the flood goes on until they are done
    const result = await flood.stop();
    flood = undefined;
    agent.destroy();

    const ms = (t: { median: number; max: number }) => `median ${t.median.toFixed(1)} ms, slowest ${t.max.toFixed(1)} ms`;
    const measured = `reads ${ms(quiet)} without the flood, ${ms(flooded)} during it; attackers got ${JSON.stringify(result.statuses)}`;
    assert.equal(result.errors, 0, `no connection errors: ${measured}`);
    assert.ok((result.statuses[429] ?? 0) > 0, `the flood is answered 429: ${measured}`);
    assert.equal(result.withoutRetryAfter, 0, `every 429 and 503 carries Retry-After: ${measured}`);
    assert.equal(result.notProblemJson, 0, 'every refusal is problem+json');
    assert.deepEqual(Object.keys(result.statuses).filter((s) => !['401', '429', '503'].includes(s)), [], `only 401, 429 or 503: ${measured}`);
    assert.ok(flooded.max < 2_000, `every read stays under 2 s: ${measured}`);
    // 5x, or 250 ms when the quiet read is only a few ms: on a shared 2-core machine one scrypt
    // thread alone takes a core, and scheduling noise is larger than 5x a 4 ms read
    assert.ok(flooded.median < Math.max(5 * quiet.median, 250), `the read stays within 5x of the same read without the flood: ${measured}`);
  });
});
