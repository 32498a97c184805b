#!/usr/bin/env node
// Launcher for the `genovault` command. Runs the prebuilt bundle of the CLI in this process when
// it is current (cli-bundle.mjs), building it first when a source changed; when it cannot be
// built (a read-only install), runs the TypeScript sources under Node with the tsx loader,
// forwarding signals and the exit code.
import { fileURLToPath } from 'node:url';
import { buildCliBundle, bundleUrl, freshCliBundle } from './cli-bundle.mjs';

async function bundledEntry() {
  if (process.env.GENOVAULT_CLI_FROM_SOURCE === '1') return null;
  return freshCliBundle() ?? (await buildCliBundle().catch(() => null));
}

const entry = await bundledEntry();
if (entry) {
  await import(bundleUrl(entry));
} else {
  const { spawn } = await import('node:child_process');
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), main, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}
