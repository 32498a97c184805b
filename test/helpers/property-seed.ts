// Property tests draw their cases from one seed per commit: a run on a given commit draws the same
// cases wherever it runs (here and on the build machine), so a test whose coverage check happened
// to pass here cannot fail there on another draw; each new commit still draws new cases.
// GENOVAULT_TEST_SEED=<n> replays a run. Loaded by .mocharc.json before any test file.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

const ROOT = join(import.meta.dirname, '..', '..');

/** HEAD's commit read from the repository's files, for a machine without the git command. */
function commitFromFiles(): string | null {
  try {
    const head = readFileSync(join(ROOT, '.git', 'HEAD'), 'utf8').trim();
    if (/^[0-9a-f]{40}$/.test(head)) return head;
    const ref = /^ref: (\S+)$/.exec(head)?.[1];
    if (!ref) return null;
    try {
      return readFileSync(join(ROOT, '.git', ref), 'utf8').trim();
    } catch {
      for (const line of readFileSync(join(ROOT, '.git', 'packed-refs'), 'utf8').split('\n')) {
        const [sha, name] = line.split(' ');
        if (name === ref) return sha ?? null;
      }
    }
  } catch {
    // not a plain checkout (a worktree's .git is a file): no commit found
  }
  return null;
}

function headCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return commitFromFiles();
  }
}

/** The seed: GENOVAULT_TEST_SEED, else the first 32 bits of the commit (the git command, or the files), else a constant. */
function propertySeed(): { seed: number; from: string } {
  const given = process.env.GENOVAULT_TEST_SEED;
  if (given !== undefined && /^-?\d+$/.test(given)) return { seed: Number(given) | 0, from: 'GENOVAULT_TEST_SEED' };
  const commit = headCommit();
  if (commit && /^[0-9a-f]{40}$/.test(commit)) return { seed: Number.parseInt(commit.slice(0, 8), 16) | 0, from: `commit ${commit.slice(0, 12)}` };
  return { seed: 20261205, from: 'the default (no commit found)' };
}

const { seed, from } = propertySeed();
fc.configureGlobal({ seed });
process.stdout.write(`property tests seeded with ${seed} (${from}); GENOVAULT_TEST_SEED=${seed} draws the same cases\n`);
