// A file is recognised by its bytes even when two ingests of it are prepared at the same time
// (two hosts' commands, a command and an upload): the check is made again at commit, under the
// writer lock, against the newest committed catalog, so exactly one of them stores the sample.
import { strict as assert } from 'node:assert';
import { fileURLToPath } from 'node:url';
import { DuplicateIngestError, ingestVcf } from '../../../vault/ingest/ingest-vcf.ts';
import { Vault } from '../../../vault/store/vault.ts';
import { newMasterKey } from '../../../vault/crypto/master-key.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { holdWriterLock } from '../../helpers/hold-writer-lock.ts';

const SIMPLE_VCF = fileURLToPath(new URL('../../fixtures/conformance/examples/simple.vcf', import.meta.url));

describe('the same file ingested twice at once', function () {
  this.timeout(60_000);

  it('stores it once: the ingest that commits second is refused as already ingested and leaves nothing', async () => {
    const dir = await makeTempDir();
    try {
      const kek = newMasterKey('test');
      await (await Vault.init(dir.path, kek)).close();
      const [first, second] = [await Vault.open(dir.path, kek, { write: true }), await Vault.open(dir.path, kek, { write: true })];
      try {
        const lock = await holdWriterLock(dir.path);
        // both are prepared while neither can commit, each having seen no sample of that name
        const ingests = [first, second].map((vault) => ingestVcf(vault, SIMPLE_VCF, { patient: 'MRN-DUP-1', sample: 'NA00001', workers: 0 }));
        await new Promise((resolve) => setTimeout(resolve, 300));
        await lock.release();
        const outcomes = await Promise.allSettled(ingests);
        assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1, 'one ingest stores the file');
        const refused = outcomes.find((o) => o.status === 'rejected');
        assert.ok(refused && refused.reason instanceof DuplicateIngestError, String(refused && refused.reason));
        await first.refresh();
        assert.equal(first.catalog.data.samples.length, 1, 'one sample, not two');
        assert.equal(new Set(first.catalog.data.samples.map((s) => s.sourceSha256)).size, 1);
      } finally {
        await first.close();
        await second.close();
      }
    } finally {
      await dir.remove();
    }
  });
});
