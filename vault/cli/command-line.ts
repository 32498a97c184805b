// Reads argv into positionals and flags, and answers a mistake in one line that names it: an
// unknown option (with the nearest known ones), an option missing its value, a value given to a
// switch. node:util's own messages run to three lines of advice about `--`.
import { parseArgs } from 'node:util';
import { closestNames } from '../genes/closest-names.ts';
import type { Flags } from './cli-context.ts';

const BOOLEAN_FLAGS = ['help', 'version', 'plain-http', 'for-profit', 'commercial', 'yes', 'strict', 'with-mrn'];
const STRING_FLAGS = [
  'data-dir', 'master-key-file', 'new-master-key-file', 'cache-budget-mb', 'workers', 'log-level', 'host', 'port', 'tls-hostnames',
  'patient', 'sample', 'map', 'targets', 'build', 'region', 'gene', 'significance', 'format', 'variant', 'sample-id',
  'role', 'username', 'password', 'password-file', 'name', 'out', 'code-file', 'second-code-file', 'credentials', 'token-id', 'label', 'expires-days', 'insurer-type',
  'consent', 'purpose', 'consented', 'consent-text', 'sensitive', 'commitments', 'irb', 'country', 'publish-after', 'project', 'at',
  'window-width',
];
const OPTIONS: Record<string, { type: 'boolean' | 'string' }> = {};
for (const f of BOOLEAN_FLAGS) OPTIONS[f] = { type: 'boolean' };
for (const f of STRING_FLAGS) OPTIONS[f] = { type: 'string' };

export type CommandLine = { positionals: string[]; flags: Flags; error?: never } | { error: string; positionals?: never; flags?: never };

/** Printable form of what was typed: control characters could rewrite the terminal line. */
const shown = (text: string): string => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text).slice(1, -1);

function unknownOption(rawName: string): string {
  const typed = rawName.replace(/^-+/, '');
  const near = closestNames(typed, Object.keys(OPTIONS), 2).map((n) => `--${n}`);
  return `unknown option ${shown(rawName)}${near.length > 0 ? `; did you mean ${near.join(' or ')}?` : ''} (genovault --help lists the commands, genovault COMMAND --help their options)`;
}

export function parseCommandLine(argv: string[]): CommandLine {
  // strict: false, then checked here token by token, so each mistake gets its own short message
  const { tokens, values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: false, tokens: true, options: OPTIONS });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = OPTIONS[token.name];
    if (!spec || !token.rawName.startsWith('--')) return { error: unknownOption(token.rawName) };
    if (spec.type === 'boolean' && token.value !== undefined) return { error: `--${token.name} takes no value` };
    if (spec.type === 'string' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('--')))) return { error: `--${token.name} needs a value` };
  }
  return { positionals, flags: values };
}
