import { strict as assert } from 'node:assert';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { encodeChromosomeCalls, forTransfer, type ChromosomeCalls } from '../../../vault/ingest/chromosome-calls.ts';
import { decodeCalls } from '../../../vault/store/calls-codec.ts';

/** Three samples with a few calls each on one chromosome: every partition is small. */
function smallJob(): ChromosomeCalls {
  const sample = Int32Array.of(0, 1, 2, 0, 1, 2, 0);
  const n = sample.length;
  return {
    chrom: 'chrM', alleleRows: 4, rowPos: Int32Array.of(10, 20, 30, 40), sampleCount: 3, sample,
    allele: Int32Array.of(0, 0, 1, 2, 3, 3, 3), zygosity: new Uint8Array(n).fill(3), phased: new Uint8Array(n),
    dp: Int32Array.of(5, 6, 7, 8, 9, 10, 11), gq: new Int32Array(n).fill(-1), gt: new Int32Array(n),
    adRef: Int32Array.of(1, 2, 3, 4, 5, 6, 7), adAlt: Int32Array.of(4, 4, 4, 4, 4, 4, 4), adOther: new Int32Array(n),
  };
}

describe('chromosome calls: encoding for the encode worker', () => {
  it('regroups by sample, with each sample\'s position span', () => {
    const encoded = encodeChromosomeCalls(smallJob());
    assert.deepEqual(encoded.map((e) => [e.sample, e.rows, e.minPos, e.maxPos]), [[0, 3, 10, 40], [1, 2, 10, 40], [2, 2, 20, 40]]);
    assert.deepEqual(Array.from(decodeCalls(encoded[0]!.plaintext).dp), [5, 8, 11]);
    assert.deepEqual(Array.from(decodeCalls(encoded[0]!.plaintext).adRef), [1, 4, 7], 'AD regrouped with its call');
  });

  it('hands back plaintexts that each own their whole buffer, so they can be transferred on any Node', () => {
    const encoded = encodeChromosomeCalls(smallJob());
    const { encoded: owned, buffers } = forTransfer(encoded);
    assert.equal(new Set(buffers).size, buffers.length, 'one buffer per partition');
    owned.forEach((e, i) => {
      assert.equal(e.plaintext.byteOffset, 0);
      assert.equal(e.plaintext.byteLength, e.plaintext.buffer.byteLength);
      assert.deepEqual(Buffer.from(e.plaintext), Buffer.from(encoded[i]!.plaintext));
    });
    const { port1, port2 } = new MessageChannel();
    try {
      port1.postMessage(owned, buffers);
      const received = receiveMessageOnPort(port2)?.message as typeof owned;
      assert.deepEqual(received.map((e) => decodeCalls(e.plaintext).rows), [3, 2, 2]);
      assert.ok(buffers.every((b) => b.byteLength === 0), 'moved, not copied');
    } finally {
      port1.close();
    }
  });
});
