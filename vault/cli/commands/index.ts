// The command table: name → summary, and a loader for its module. A command's module (and what it
// imports: DuckDB, the VCF reader, the service, node-forge...) loads only when that command runs,
// so `genovault --help` or a query pays for nothing it does not use.
import type { CommandIo, Flags } from '../cli-context.ts';

export interface Command {
  help: string;
  run(args: string[], flags: Flags, io: CommandIo): Promise<number>;
}

export interface CommandEntry {
  summary: string;
  load(): Promise<Command>;
}

/** An entry whose module loads when the command runs; `pick` takes its help and handler from it. */
function lazy<M>(summary: string, load: () => Promise<M>, pick: (m: M) => Command): CommandEntry {
  return { summary, load: async () => pick(await load()) };
}

const variants = () => import('./variants.ts');
const keys = () => import('./keys.ts');

export const COMMANDS: Record<string, CommandEntry> = {
  init: lazy('create a new vault', () => import('./init.ts'), (m) => ({ help: m.initHelp, run: (_a, f, io) => m.initCommand(f, io) })),
  ingest: lazy('validate and seal a VCF', () => import('./ingest.ts'), (m) => ({ help: m.ingestHelp, run: (a, f, io) => m.ingestCommand(a, f, io) })),
  validate: lazy('check a VCF as ingest would, storing nothing', () => import('./validate.ts'), (m) => ({ help: m.validateHelp, run: (a, f, io) => m.validateCommand(a, f, io) })),
  variants: lazy("print a patient's variants", variants, (m) => ({ help: m.variantsHelp, run: (_a, f, io) => m.variantsCommand(f, io) })),
  carriers: lazy('samples carrying one variant', variants, (m) => ({ help: m.cohortHelp, run: (_a, f, io) => m.carriersCommand(f, io) })),
  'allele-counts': lazy('allele counts over a region', variants, (m) => ({ help: m.cohortHelp, run: (_a, f, io) => m.alleleCountsCommand(f, io) })),
  samples: lazy('list samples', () => import('./samples.ts'), (m) => ({ help: m.samplesHelp, run: (_a, f, io) => m.samplesCommand(f, io) })),
  'erase-sample': lazy('destroy a sample (crypto-shredding)', keys, (m) => ({ help: m.eraseHelp, run: (_a, f, io) => m.eraseSampleCommand(f, io) })),
  keys: lazy('rotate the master key', keys, (m) => ({ help: m.keysHelp, run: (a, f, io) => m.keysCommand(a, f, io) })),
  index: lazy('the research index: status, rebuild', () => import('./research-index.ts'), (m) => ({ help: m.indexHelp, run: (a, f, io) => m.indexCommand(a, f, io) })),
  serve: lazy('serve the HTTPS API', () => import('./serve.ts'), (m) => ({ help: m.serveHelp, run: (_a, f, io) => m.serveCommand(f, io) })),
  users: lazy('staff accounts on the host: add (the first admin), enrol, reset, list', () => import('./users.ts'), (m) => ({ help: m.usersHelp, run: (a, f, io) => m.usersCommand(a, f, io) })),
  totp: lazy('print the current TOTP code for a secret', () => import('./totp.ts'), (m) => ({ help: m.totpHelp, run: (a, f, io) => m.totpCommand(a, f, io) })),
  certs: lazy('issue client certificates (mutual TLS); show the CA', () => import('./certs.ts'), (m) => ({ help: m.certsHelp, run: (a, f, io) => m.certsCommand(a, f, io) })),
  targets: lazy('name capture-kit target BEDs for uploads', () => import('./targets.ts'), (m) => ({ help: m.targetsHelp, run: (a, f, io) => m.targetsCommand(a, f, io) })),
  audit: lazy('verify the audit, clinical, account, consent and policy logs', () => import('./audit.ts'), (m) => ({ help: m.auditHelp, run: (a, f, io) => m.auditCommand(a, f, io) })),
  duo: lazy('match a research purpose against a consent (GA4GH DUO)', () => import('./duo.ts'), (m) => ({ help: m.duoHelp, run: (a, f, io) => m.duoCommand(a, f, io) })),
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'genovault: a genomic data vault with consent-gated access',
    '',
    'usage: genovault <command> [options]   (genovault <command> --help for details)',
    '       genovault --version',
    '',
    ...lines,
    '',
    'Common options: --data-dir D (GENOVAULT_DATA_DIR), --master-key-file F (GENOVAULT_MASTER_KEY_FILE);',
    'the master key may instead be given as GENOVAULT_MASTER_KEY (base64 of 32 bytes). Master keys and',
    'passwords are never printed; a credential a command has just made for someone (a one-time enrolment',
    "code, a service account's API token, your own TOTP secret when you enrol) is printed once, to hand over or keep.",
  ].join('\n');
}
