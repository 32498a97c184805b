// The peer tools the figures are compared with (bcftools, tabix), found on PATH and run as a
// user would run them: a new process each time, so process start is part of every timing.
// The bench never installs anything: when a tool is absent its figure is skipped with a note.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface PeerTool {
  name: string;
  path: string;
}

export function findTool(name: string): PeerTool | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return { name, path };
    } catch {
      // not in this directory
    }
  }
  return null;
}

export class PeerToolError extends Error {
  constructor(tool: string, args: readonly string[], detail: string) {
    super(`${tool} ${args.join(' ')}: ${detail}`);
    this.name = 'PeerToolError';
  }
}

export interface ToolRun {
  ms: number;
  stdout: string;
}

/** Runs the tool to completion; stdout is kept only when asked (a region listing is small). */
export function runTool(tool: PeerTool, args: readonly string[], keepStdout = false): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(tool.path, args, { stdio: ['ignore', keepStdout ? 'pipe' : 'ignore', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => {
      err = (err + b.toString('utf8')).slice(-2000);
    });
    child.on('error', (e) => reject(new PeerToolError(tool.name, args, e.message)));
    child.on('close', (code) => {
      const ms = performance.now() - start;
      if (code === 0) resolve({ ms, stdout: Buffer.concat(out).toString('utf8') });
      else reject(new PeerToolError(tool.name, args, `exit code ${String(code)}: ${err.trim().split('\n').pop() ?? ''}`));
    });
  });
}

/** First line of `bcftools --version`, or null. */
export async function toolVersion(tool: PeerTool): Promise<string> {
  return (await runTool(tool, ['--version'], true)).stdout.split('\n')[0]?.trim() ?? tool.name;
}
