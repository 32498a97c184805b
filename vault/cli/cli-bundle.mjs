// The `genovault` command as prebuilt JavaScript. Run from TypeScript through tsx, every start
// transpiled ~250 files and loaded zod, Arrow and DuckDB as hundreds of small modules: about 2 s
// before a one-patient query began. esbuild bundles the CLI once (at `npm ci`, through the
// `prepare` script, or at the first run after a source file changed), one chunk per command, so a
// command loads only what it uses. Not a build step anyone has to remember: the launcher checks
// that the bundle is newer than every source file it was built from, and rebuilds it when not.
//
// Layout: .cache/genovault-cli/current.json names the build (its folder, when it was built, the
// project files it was built from); each build sits in its own folder, written whole before
// current.json points at it, so a process never loads half a build.
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { statSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE = join(PROJECT_ROOT, '.cache', 'genovault-cli');
const POINTER = join(CACHE, 'current.json');
const ENTRY = join(PROJECT_ROOT, 'vault', 'cli', 'main.ts');
/** kept outside the bundle: a native binding, esbuild's own binary, pino's worker transports */
const EXTERNAL = ['@duckdb/node-bindings', 'esbuild', 'pino'];
/** builds older than this are removed (a long-running command may still load chunks of its own) */
const KEEP_OLD_BUILDS_MS = 24 * 3600 * 1000;
/** beside the sources: a new install (npm ci) changes what the bundled packages are */
const ALSO_WATCHED = ['package.json', 'package-lock.json', join('node_modules', '.package-lock.json')];

/**
 * Every module keeps its own `import.meta.url` (data files, worker entry points are found beside
 * their source), written relative to the bundle so the project folder can move.
 */
function keepModuleUrls(outDir) {
  return {
    name: 'keep-module-urls',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        let contents = await readFile(args.path, 'utf8');
        if (contents.includes('import.meta.url')) {
          const fromBundle = relative(outDir, args.path).split(sep).join('/');
          contents = contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`);
        }
        return { contents, loader: 'ts' };
      });
    },
  };
}

/** Builds the bundle and points current.json at it; returns the entry file. */
export async function buildCliBundle() {
  const { build } = await import('esbuild');
  const builtAt = Date.now();
  const id = `${builtAt.toString(36)}-${randomBytes(4).toString('hex')}`;
  const outDir = join(CACHE, id);
  await mkdir(outDir, { recursive: true });
  try {
    const result = await build({
      entryPoints: { genovault: ENTRY },
      absWorkingDir: PROJECT_ROOT,
      outdir: outDir,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outExtension: { '.js': '.mjs' },
      chunkNames: 'chunk-[hash]',
      external: EXTERNAL,
      metafile: true,
      logLevel: 'silent',
      legalComments: 'none',
      minify: true,
      keepNames: true,
      // CommonJS packages inside an ES module bundle still call require()
      banner: { js: "import { createRequire as __genovaultRequire } from 'node:module'; const require = __genovaultRequire(import.meta.url);" },
      plugins: [keepModuleUrls(outDir)],
    });
    const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.split('/').includes('node_modules'));
    const pointer = { id, builtAt, inputs: [...inputs, ...ALSO_WATCHED] };
    const temp = `${POINTER}.${id}.tmp`;
    await writeFile(temp, JSON.stringify(pointer));
    await rename(temp, POINTER);
  } catch (err) {
    await rm(outDir, { recursive: true, force: true });
    throw err;
  }
  await removeOldBuilds(id);
  return join(outDir, 'genovault.mjs');
}

async function removeOldBuilds(current) {
  for (const name of await readdir(CACHE).catch(() => [])) {
    if (name === current || name.endsWith('.json') || name.endsWith('.tmp')) continue;
    const builtAt = parseInt(name.split('-')[0] ?? '', 36);
    if (Number.isFinite(builtAt) && Date.now() - builtAt > KEEP_OLD_BUILDS_MS) await rm(join(CACHE, name), { recursive: true, force: true });
  }
}

/** The bundle's entry file when it is newer than every file it was built from; null otherwise. */
export function freshCliBundle() {
  let pointer;
  try {
    pointer = JSON.parse(readFileSync(POINTER, 'utf8'));
  } catch {
    return null;
  }
  const entry = join(CACHE, String(pointer.id), 'genovault.mjs');
  try {
    statSync(entry);
    for (const input of pointer.inputs) {
      const stat = statSync(join(PROJECT_ROOT, input), { throwIfNoEntry: false });
      // a watched file that is absent (no node_modules lock yet) changes nothing; a source that vanished does
      if (!stat) {
        if (ALSO_WATCHED.includes(input)) continue;
        return null;
      }
      if (stat.mtimeMs >= pointer.builtAt) return null;
    }
  } catch {
    return null;
  }
  return entry;
}

export const bundleUrl = (entry) => pathToFileURL(entry).href;

// `node vault/cli/cli-bundle.mjs` (the `prepare` script): build now, or say why not and go on;
// the launcher falls back to running the TypeScript sources.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const entry = await buildCliBundle();
    process.stderr.write(`genovault: CLI bundle built (${relative(PROJECT_ROOT, dirname(entry))})\n`);
  } catch (err) {
    process.stderr.write(`genovault: CLI bundle not built (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); the CLI will run from source\n`);
  }
}
