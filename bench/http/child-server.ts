// Runs bench/http/serve-vault.ts as a child process and talks to it: waits for its URL, stops it
// gracefully (SIGTERM) or kills it outright (SIGKILL). The child is a separate process, so a
// load generator in this one never competes with the server for its event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const SCRIPT = fileURLToPath(new URL('./serve-vault.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STDERR_TAIL_CHARS = 4_000;

export interface ChildServerOptions {
  dataDir: string;
  masterKeyBase64: string;
  /** the benchmark baseline: decisions are not audited */
  unaudited?: boolean;
  startTimeoutMs?: number;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildServer {
  /** base URL without the /v1 prefix */
  url: string;
  pid: number;
  /** SIGTERM and wait for the exit: in-flight requests finish, logs close cleanly */
  stop(timeoutMs?: number): Promise<ExitStatus>;
  /** SIGKILL and wait until the process is gone (reaped, so its pid locks count as stale) */
  kill(): Promise<ExitStatus>;
  /** the last lines the child wrote to stderr, for failure messages */
  stderrTail(): string;
}

export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const args = ['--import', 'tsx', SCRIPT, ...(options.unaudited ? ['--unaudited'] : [])];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, GENOVAULT_DATA_DIR: options.dataDir, GENOVAULT_MASTER_KEY: options.masterKeyBase64 },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
  });
  const exited = new Promise<ExitStatus>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const stderrTail = () => stderr;
  try {
    const url = await readUrl(child, exited, options.startTimeoutMs ?? 30_000, stderrTail);
    const signalAndWait = async (signal: NodeJS.Signals, timeoutMs: number) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return withTimeout(exited, timeoutMs, () => {
        child.kill('SIGKILL');
        return new Error(`the child server did not exit within ${timeoutMs} ms of ${signal}`);
      });
    };
    return { url, pid: child.pid!, stop: (timeoutMs = 15_000) => signalAndWait('SIGTERM', timeoutMs), kill: () => signalAndWait('SIGKILL', 10_000), stderrTail };
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    throw err;
  }
}

async function readUrl(child: ChildProcess, exited: Promise<ExitStatus>, timeoutMs: number, stderrTail: () => string): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  const firstLine = new Promise<string>((resolve) => lines.once('line', resolve));
  const early = exited.then((s) => Promise.reject(new Error(`the child server exited before serving (${s.signal ?? s.code}): ${stderrTail()}`)));
  try {
    const line = await withTimeout(Promise.race([firstLine, early]), timeoutMs, () => new Error(`the child server did not start within ${timeoutMs} ms: ${stderrTail()}`));
    const parsed = JSON.parse(line) as { url?: unknown };
    if (typeof parsed.url !== 'string') throw new Error(`the child server printed no URL: ${line}`);
    return parsed.url;
  } finally {
    early.catch(() => undefined);
    lines.close();
    child.stdout?.resume(); // keep draining, so a stray line can never block the child
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
