// consent/duo may import schemas/, zod and node built-ins only, so the ledger, the policy and the
// research gateway can all use it without pulling in each other.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';

const DIR = new URL('../../../consent/duo/', import.meta.url);

describe('consent/duo imports', () => {
  it('imports only its own files, schemas/, zod and node built-ins', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length >= 8);
    for (const file of files) {
      const text = readFileSync(new URL(file, DIR), 'utf8');
      for (const [, from] of text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)) {
        const allowed = /^\.\/[\w-]+\.ts$/.test(from!) || /^\.\.\/\.\.\/schemas\/[\w-]+\.ts$/.test(from!) || from === 'zod' || from!.startsWith('node:');
        assert.ok(allowed, `${file} imports ${from}`);
      }
      for (const [, dynamic] of text.matchAll(/import\(\s*'([^']+)'/g)) assert.fail(`${file} imports ${dynamic} dynamically`);
    }
  });
});
