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
      const result = parser.parse(request.buf, request.firstLine);
      port.postMessage({ id: request.id, result }, transferablesOf(result));
    } catch (err) {
      // Only a bug reaches here (bad input becomes result.error); report it without content.
      port.postMessage({ id: request.id, failure: err instanceof Error ? err.name : 'Error' });
    }
  });
  // loading the TypeScript loader and the parser takes a few hundred ms: say when this worker can take work
  port.postMessage({ ready: true });
}
