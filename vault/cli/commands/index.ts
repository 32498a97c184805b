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

export const COMMANDS: Record<string, CommandEntry> = {
  init: {
    summary: 'create a new vault',
    load: async () => {
      const m = await import('./init.ts');
      return { help: m.initHelp, run: (_a, f, io) => m.initCommand(f, io) };
    },
  },
  ingest: {
    summary: 'validate and seal a VCF',
    load: async () => {
      const m = await import('./ingest.ts');
      return { help: m.ingestHelp, run: (a, f, io) => m.ingestCommand(a, f, io) };
    },
  },
  variants: {
    summary: "print a patient's variants",
    load: async () => {
      const m = await import('./variants.ts');
      return { help: m.variantsHelp, run: (_a, f, io) => m.variantsCommand(f, io) };
    },
  },
  carriers: {
    summary: 'samples carrying one variant',
    load: async () => {
      const m = await import('./variants.ts');
      return { help: m.cohortHelp, run: (_a, f, io) => m.carriersCommand(f, io) };
    },
  },
  'allele-counts': {
    summary: 'allele counts over a region',
    load: async () => {
      const m = await import('./variants.ts');
      return { help: m.cohortHelp, run: (_a, f, io) => m.alleleCountsCommand(f, io) };
    },
  },
  samples: {
    summary: 'list samples',
    load: async () => {
      const m = await import('./samples.ts');
      return { help: m.samplesHelp, run: (_a, f, io) => m.samplesCommand(f, io) };
    },
  },
  'erase-sample': {
    summary: 'destroy a sample (crypto-shredding)',
    load: async () => {
      const m = await import('./keys.ts');
      return { help: m.eraseHelp, run: (_a, f, io) => m.eraseSampleCommand(f, io) };
    },
  },
  keys: {
    summary: 'rotate the master key',
    load: async () => {
      const m = await import('./keys.ts');
      return { help: m.keysHelp, run: (a, f, io) => m.keysCommand(a, f, io) };
    },
  },
  serve: {
    summary: 'serve the HTTPS API',
    load: async () => {
      const m = await import('./serve.ts');
      return { help: m.serveHelp, run: (_a, f, io) => m.serveCommand(f, io) };
    },
  },
  users: {
    summary: 'staff accounts on the host: add (the first admin), enrol, reset, list',
    load: async () => {
      const m = await import('./users.ts');
      return { help: m.usersHelp, run: (a, f, io) => m.usersCommand(a, f, io) };
    },
  },
  totp: {
    summary: 'print the current TOTP code for a secret',
    load: async () => {
      const m = await import('./totp.ts');
      return { help: m.totpHelp, run: (a, f, io) => m.totpCommand(a, f, io) };
    },
  },
  certs: {
    summary: 'issue client certificates (mutual TLS); show the CA',
    load: async () => {
      const m = await import('./certs.ts');
      return { help: m.certsHelp, run: (a, f, io) => m.certsCommand(a, f, io) };
    },
  },
  audit: {
    summary: 'verify the audit, clinical and account logs',
    load: async () => {
      const m = await import('./audit.ts');
      return { help: m.auditHelp, run: (a, f, io) => m.auditCommand(a, f, io) };
    },
  },
  duo: {
    summary: 'match a research purpose against a consent (GA4GH DUO)',
    load: async () => {
      const m = await import('./duo.ts');
      return { help: m.duoHelp, run: (a, f, io) => m.duoCommand(a, f, io) };
    },
  },
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
