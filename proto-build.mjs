import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
const root = process.argv[2];
const out = `${root}/.cache/cli/genovault.mjs`;
const t = performance.now();
const r = await build({
  entryPoints: [`${root}/vault/cli/main.ts`], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: out,
  external: ['@duckdb/node-bindings', 'esbuild', 'pino'], metafile: true, logLevel: 'warning',
  banner: { js: "import { createRequire as __gvCreateRequire } from 'node:module'; const require = __gvCreateRequire(import.meta.url);" },
  plugins: [{ name: 'meta-url', setup(b) { b.onLoad({ filter: /\.ts$/ }, async (args) => {
    let text = await readFile(args.path, 'utf8');
    if (text.includes('import.meta.url')) text = text.replaceAll('import.meta.url', `new URL(${JSON.stringify(relative(dirname(out), args.path))}, import.meta.url).href`);
    return { contents: text, loader: 'ts' };
  }); } }],
});
console.log('built in', (performance.now()-t).toFixed(0), 'ms', Object.keys(r.metafile.inputs).length, 'inputs');
