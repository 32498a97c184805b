// Worker thread: encodes chromosomes' calls into per-sample calls partitions (regroup, Arrow IPC,
// brotli) while the ingest thread numbers alleles, seals and writes. Plaintext stays in memory:
// the job and its result move between threads by transfer, never through a file.
import { parentPort } from 'node:worker_threads';
import { encodeChromosomeCalls, forTransfer, type ChromosomeCalls } from './chromosome-calls.ts';

const port = parentPort;
if (port) {
  port.on('message', (request: { id: number; job: ChromosomeCalls }) => {
    try {
      const { encoded, buffers } = forTransfer(encodeChromosomeCalls(request.job));
      port.postMessage({ id: request.id, encoded }, buffers);
    } catch (err) {
      // only a bug reaches here (the calls were validated when parsed); report it without content
      port.postMessage({ id: request.id, failure: err instanceof Error ? err.name : 'Error' });
    }
  });
}
