// The demo's command line and its output folder. The folder is wiped and recreated on every run
// (so each run is reproducible), but only if it is absent, empty or one the demo made itself.
import { access, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DemoOptions {
  /** folder holding the demo vault and its key file */
  outDir: string;
  /** stop after printing instead of serving */
  serve: boolean;
  help: boolean;
}

export const DEMO_HELP = `npm run demo [-- --out DIR] [-- --no-serve]
  Builds a demo vault in DIR (default .demo in the project folder; wiped and rebuilt each run):
  a synthetic population plus a real 1000 Genomes extract, demo accounts for every role, then
  serves it on https://localhost:8443 (GENOVAULT_PORT to change) until Ctrl-C.
  --no-serve (or GENOVAULT_DEMO_NO_SERVE=1) stops after printing.`;

/** Marks a folder as the demo's own, so a rerun may wipe it and nothing else. */
const MARKER = '.genovault-demo';
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export class DemoUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoUsageError';
  }
}

export function parseDemoArgs(argv: readonly string[], env: NodeJS.ProcessEnv): DemoOptions {
  const options: DemoOptions = { outDir: join(PROJECT_ROOT, '.demo'), serve: env.GENOVAULT_DEMO_NO_SERVE !== '1', help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--no-serve') options.serve = false;
    else if (arg === '--help' || arg === '-h') options.help = true;
    else if (arg === '--out' || arg.startsWith('--out=')) {
      const value = arg === '--out' ? argv[++i] : arg.slice('--out='.length);
      if (!value) throw new DemoUsageError('--out needs a folder');
      options.outDir = resolve(value);
    } else throw new DemoUsageError(`unknown option ${JSON.stringify(arg)}`);
  }
  return options;
}

/** Empties `outDir` for a fresh run; refuses a non-empty folder the demo did not create. */
export async function prepareOutDir(outDir: string): Promise<void> {
  const entries = await readdir(outDir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  if (entries.length > 0) {
    const ours = await access(join(outDir, MARKER)).then(() => true, () => false);
    if (!ours) throw new DemoUsageError(`${outDir} is not empty and was not made by the demo; refusing to wipe it`);
    await rm(outDir, { recursive: true, force: true });
  }
  await mkdir(outDir, { recursive: true, mode: 0o700 });
  await writeFile(join(outDir, MARKER), 'made by npm run demo; wiped and rebuilt on every run\n');
}
