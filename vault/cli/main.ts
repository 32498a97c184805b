// The `genovault` command: parses argv, dispatches to one command, prints errors without stacks.
import { parseArgs } from 'node:util';
import { UsageError, type CommandIo } from './cli-context.ts';
import { COMMANDS, usage } from './commands/index.ts';
import { promptHidden } from './commands/secret-input.ts';

const BOOLEAN_FLAGS = ['help', 'plain-http', 'strict', 'yes', 'for-profit', 'commercial', 'with-mrn'];
const STRING_FLAGS = [
  'data-dir', 'master-key-file', 'new-master-key-file', 'cache-budget-mb', 'workers', 'log-level', 'host', 'port', 'tls-hostnames',
  'patient', 'sample', 'map', 'targets', 'build', 'region', 'gene', 'significance', 'format', 'variant', 'sample-id',
  'role', 'username', 'password', 'password-file', 'name', 'out', 'code-file', 'second-code-file', 'credentials', 'token-id', 'label', 'expires-days',
  'consent', 'purpose', 'consented', 'consent-text', 'sensitive', 'commitments', 'irb', 'country', 'publish-after', 'project', 'at',
];
const OPTIONS: Record<string, { type: 'boolean' | 'string' }> = {};
for (const f of BOOLEAN_FLAGS) OPTIONS[f] = { type: 'boolean' };
for (const f of STRING_FLAGS) OPTIONS[f] = { type: 'string' };

export async function runCli(argv: string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (err) {
    io.err((err as Error).message);
    return 2;
  }
  const [name, ...rest] = parsed.positionals;
  const flags = parsed.values;
  const command = name ? COMMANDS[name] : undefined;
  if (!command || flags.help === true) {
    if (command) io.out(command.help);
    else {
      io.out(usage());
      if (name && name !== 'help') io.err(`unknown command: ${name}`);
    }
    return name && !command && name !== 'help' ? 2 : 0;
  }
  try {
    return await command.run(rest, flags, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${err.message}\n\n${command.help}`);
      return 2;
    }
    io.err(`error: ${err instanceof Error ? err.message : String(err)}`);
    if (io.env.GENOVAULT_DEBUG === '1' && err instanceof Error && err.stack) io.err(err.stack);
    // an error may carry its own exit code (an already-ingested file: 3), so scripts can tell it apart
    const exitCode = (err as { exitCode?: unknown }).exitCode;
    return typeof exitCode === 'number' ? exitCode : 1;
  }
}

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

/** One question on the terminal (the prompt on stderr, so stdout stays data). */
async function askAtTerminal(question: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await terminal.question(question);
  } finally {
    terminal.close();
  }
}

const io: CommandIo = {
  out: (t) => process.stdout.write(t.endsWith('\n') || t.startsWith('\r') ? t : t + '\n'),
  err: (t) => process.stderr.write(t.endsWith('\n') || t.startsWith('\r') ? t : t + '\n'),
  env: process.env,
  isTty: Boolean(process.stderr.isTTY),
  ...(process.stdin.isTTY && process.stderr.isTTY ? { ask: askAtTerminal } : {}),
  ...(process.stdin.isTTY && { askHidden: promptHidden }),
};

if (process.argv[1] && /(main\.ts|genovault(\.mjs)?)$/.test(process.argv[1])) {
  process.exitCode = await runCli(process.argv.slice(2), io);
}
