// Worker thread: parses chunks of body lines with the header it was started with, and hands the
// typed arrays back without copying.
import { parentPort, workerData } from 'node:worker_threads';
import { ChunkParser } from './chunk-parser.ts';
import { transferablesOf } from './chunk-result.ts';
import type { VcfHeader } from './vcf-header.ts';

interface ChunkRequest {
  id: number;
  buf: Uint8Array;
  firstLine: number;
}

const port = parentPort;
if (port) {
  const parser = new ChunkParser(workerData as VcfHeader);
  port.on('message', (request: ChunkRequest) => {
    try {
      // a Buffer view: Buffer#indexOf is a memchr, Uint8Array#indexOf a generic loop (~70 ms per worker on the bench file)
      const buf = Buffer.from(request.buf.buffer, request.buf.byteOffset, request.buf.byteLength);
      const result = parser.parse(buf, request.firstLine);
      port.postMessage({ id: request.id, result }, transferablesOf(result));
    } catch (err) {
      // Only a bug reaches here (bad input becomes result.error); report it without content.
      port.postMessage({ id: request.id, failure: err instanceof Error ? err.name : 'Error' });
    }
  });
  // loading the TypeScript loader and the parser takes a few hundred ms: say when this worker can take work
  port.postMessage({ ready: true });
}
