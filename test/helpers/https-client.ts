// A request written over TLS exactly as given (any method, request line or header size), trusting
// only the vault's CA, for what an HTTP client library would refuse or normalise. Ordinary HTTPS
// requests go through http-client.ts with its `ca` option.
import { connect } from 'node:tls';

export interface RawReply {
  status: number;
  /** header names in lower case */
  headers: Record<string, string>;
  text: string;
}

/** Writes `head` (request line and any headers, without the blank line), then reads until the server closes. */
export function rawHttps(url: string, ca: string, head: string): Promise<RawReply> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.hostname, port: Number(target.port), ca }, () => {
      socket.write(`${head}\r\nHost: ${target.host}\r\nConnection: close\r\n\r\n`);
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const response = Buffer.concat(chunks).toString('utf8');
      const split = response.indexOf('\r\n\r\n');
      const [statusLine = '', ...lines] = response.slice(0, split < 0 ? response.length : split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0), headers, text: split < 0 ? '' : response.slice(split + 4) });
    });
  });
}
