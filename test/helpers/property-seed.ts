// Property tests draw their cases from one seed per commit: a run on a given commit draws the same
// cases wherever it runs (here and on the build machine), so a test whose coverage check happened
// to pass here cannot fail there on another draw; each new commit still draws new cases.
// GENOVAULT_TEST_SEED=<n> replays a run. Loaded by .mocharc.json before any test file.
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';

/** The seed: GENOVAULT_TEST_SEED, else the first 32 bits of the commit, else a constant (no git). */
function propertySeed(): { seed: number; from: string } {
  const given = process.env.GENOVAULT_TEST_SEED;
  if (given !== undefined && /^-?\d+$/.test(given)) return { seed: Number(given) | 0, from: 'GENOVAULT_TEST_SEED' };
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: import.meta.dirname, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    if (/^[0-9a-f]{40}$/.test(commit)) return { seed: Number.parseInt(commit.slice(0, 8), 16) | 0, from: `commit ${commit.slice(0, 12)}` };
  } catch {
    // not a git checkout
  }
  return { seed: 20261205, from: 'the default (no commit found)' };
}

const { seed, from } = propertySeed();
fc.configureGlobal({ seed });
process.stdout.write(`property tests seeded with ${seed} (${from}); GENOVAULT_TEST_SEED=${seed} draws the same cases\n`);
