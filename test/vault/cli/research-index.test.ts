// `genovault index status` and `genovault index rebuild` through the real CLI: status tells what
// the index holds (counts only), rebuild replaces it and is recorded in the audit log.
import { strict as assert } from 'node:assert';
import { fileURLToPath } from 'node:url';
import { makeCliVault, type CliVault } from './cli-vault-kit.ts';

const VCF = fileURLToPath(new URL('../../fixtures/conformance/examples/simple.vcf', import.meta.url));

describe('genovault index', function () {
  this.timeout(120_000);
  let v: CliVault;
  before(async () => {
    v = await makeCliVault();
    const ingest = await v.cli(['ingest', '--patient', 'MRN-IX-1', '--sample', 'NA00001', VCF]);
    assert.equal(ingest.code, 0, ingest.stderr);
  });
  after(() => v.remove());

  it('status says what the index holds and that cohort answers read it; rebuild replaces it', async () => {
    const status = await v.cli(['index', 'status']);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /^research index: 1000000-base windows, 1 samples, \d+ segments/m);
    assert.match(status.stdout, /^NCBI36: 1 of 1 samples indexed \(cohort answers read the index\)$/m);
    assert.doesNotMatch(status.stdout, /MRN|NA00001/);

    const rebuild = await v.cli(['index', 'rebuild', '--window-width', '250000']);
    assert.equal(rebuild.code, 0, rebuild.stderr);
    assert.match(rebuild.stdout, /^research index rebuilt: 1 samples, \d+ calls in \d+ segments of 250000-base windows/m);
    assert.match((await v.cli(['index', 'status'])).stdout, /^research index: 250000-base windows/m);
    const carriers = await v.cli(['carriers', '--variant', 'chr20:1110696:A:G', '--format', 'json']);
    assert.equal(carriers.code, 0, carriers.stderr);
    assert.equal((JSON.parse(carriers.stdout) as { carriers: unknown[] }).carriers.length, 1);
    const audit = await v.cli(['audit', 'verify']);
    assert.equal(audit.code, 0, audit.stderr);
  });

  it('refuses an unknown subcommand and a window width out of range, changing nothing', async () => {
    const unknown = await v.cli(['index', 'compact']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /genovault index rebuild/);
    const width = await v.cli(['index', 'rebuild', '--window-width', '12']);
    assert.notEqual(width.code, 0);
    assert.match(width.stderr, /--window-width must be a whole number of bases from 1000/);
    assert.match((await v.cli(['index', 'status'])).stdout, /^research index: 250000-base windows/m);
  });
});
