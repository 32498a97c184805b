// The command table: name → handler and its help text.
import type { CommandIo, Flags } from '../cli-context.ts';
import { initCommand, initHelp } from './init.ts';
import { ingestCommand, ingestHelp } from './ingest.ts';
import { validateCommand, validateHelp } from './validate.ts';
import { variantsCommand, variantsHelp, carriersCommand, alleleCountsCommand, cohortHelp } from './variants.ts';
import { samplesCommand, samplesHelp } from './samples.ts';
import { keysCommand, keysHelp, eraseSampleCommand, eraseHelp } from './keys.ts';
import { serveCommand, serveHelp } from './serve.ts';
import { usersCommand, usersHelp } from './users.ts';
import { totpCommand, totpHelp } from './totp.ts';
import { certsCommand, certsHelp } from './certs.ts';
import { auditCommand, auditHelp } from './audit.ts';
import { duoCommand, duoHelp } from './duo.ts';

export interface Command {
  summary: string;
  help: string;
  run(args: string[], flags: Flags, io: CommandIo): Promise<number>;
}

export const COMMANDS: Record<string, Command> = {
  init: { summary: 'create a new vault', help: initHelp, run: (_a, f, io) => initCommand(f, io) },
  ingest: { summary: 'validate and seal a VCF', help: ingestHelp, run: (a, f, io) => ingestCommand(a, f, io) },
  validate: { summary: 'check a VCF as ingest would, storing nothing', help: validateHelp, run: (a, f, io) => validateCommand(a, f, io) },
  variants: { summary: "print a patient's variants", help: variantsHelp, run: (_a, f, io) => variantsCommand(f, io) },
  carriers: { summary: 'samples carrying one variant', help: cohortHelp, run: (_a, f, io) => carriersCommand(f, io) },
  'allele-counts': { summary: 'allele counts over a region', help: cohortHelp, run: (_a, f, io) => alleleCountsCommand(f, io) },
  samples: { summary: 'list samples', help: samplesHelp, run: (_a, f, io) => samplesCommand(f, io) },
  'erase-sample': { summary: 'destroy a sample (crypto-shredding)', help: eraseHelp, run: (_a, f, io) => eraseSampleCommand(f, io) },
  keys: { summary: 'rotate the master key', help: keysHelp, run: (a, f, io) => keysCommand(a, f, io) },
  serve: { summary: 'serve the HTTPS API', help: serveHelp, run: (_a, f, io) => serveCommand(f, io) },
  users: { summary: 'staff accounts on the host: add (the first admin), enrol, reset, list', help: usersHelp, run: (a, f, io) => usersCommand(a, f, io) },
  totp: { summary: 'print the current TOTP code for a secret', help: totpHelp, run: (a, f, io) => totpCommand(a, f, io) },
  certs: { summary: 'issue client certificates (mutual TLS); show the CA', help: certsHelp, run: (a, f, io) => certsCommand(a, f, io) },
  audit: { summary: 'verify the audit, clinical and account logs', help: auditHelp, run: (a, f, io) => auditCommand(a, f, io) },
  duo: { summary: 'match a research purpose against a consent (GA4GH DUO)', help: duoHelp, run: (a, f, io) => duoCommand(a, f, io) },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'genovault: a genomic data vault with consent-gated access',
    '',
    'usage: genovault <command> [options]   (genovault <command> --help for details)',
    '',
    ...lines,
    '',
    'Common options: --data-dir D (GENOVAULT_DATA_DIR), --master-key-file F (GENOVAULT_MASTER_KEY_FILE);',
    'the master key may instead be given as GENOVAULT_MASTER_KEY (base64 of 32 bytes). Secrets are never printed.',
  ].join('\n');
}
