// The `genovault` command: parses argv, dispatches to one command, prints errors without stacks.
import { readFileSync } from 'node:fs';
import { UsageError, type CommandIo } from './cli-context.ts';
import { COMMANDS, usage } from './commands/index.ts';
import { parseCommandLine } from './command-line.ts';
import { promptHidden } from './commands/secret-input.ts';

/** `genovault 0.1.0`, from package.json. */
export function versionLine(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return `genovault ${pkg.version ?? 'unknown'} (Node ${process.version})`;
}

export async function runCli(argv: string[], io: CommandIo): Promise<number> {
  const parsed = parseCommandLine(argv);
  if (parsed.error !== undefined) {
    io.err(`genovault: ${parsed.error}`);
    return 2;
  }
  const [name, ...rest] = parsed.positionals;
  const { flags } = parsed;
  if (flags.version === true) {
    io.out(versionLine());
    return 0;
  }
  const entry = name ? COMMANDS[name] : undefined;
  if (!entry) {
    io.out(usage());
    if (name && name !== 'help') io.err(`unknown command: ${name}`);
    return name && name !== 'help' ? 2 : 0;
  }
  const command = await entry.load();
  if (flags.help === true) {
    io.out(command.help);
    return 0;
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
