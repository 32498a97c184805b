// HTTPS requests that trust exactly one CA, the vault's own (tls/ca-certificate.pem). Node's
// fetch cannot be given a CA, so this goes through node:https; it answers in the same shape as
// http-client.ts, so a test can run the same steps over either. `raw` sends a request exactly as
// written (any method, path spelling or header size) and returns what came back.
import { request } from 'node:https';
import { connect } from 'node:tls';
import type { HttpResult } from './http-client.ts';

export interface HttpsRequestOptions {
  method?: string;
  /** sent as `Authorization: Bearer <token>` */
  token?: string;
  /** serialized as JSON */
  body?: unknown;
  /** sent exactly as given (malformed JSON, say), with whatever content-type `headers` names */
  rawBody?: string;
  headers?: Record<string, string>;
}

export type HttpsClient = <T = Record<string, unknown>>(url: string, options?: HttpsRequestOptions) => Promise<HttpResult<T>>;

function parseBody(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}

/** A client for the vault's https address; `ca` is the PEM of the vault's CA, whose certificate names localhost. */
export function httpsClient(ca: string, servername = 'localhost'): HttpsClient {
  return <T>(url: string, options: HttpsRequestOptions = {}) =>
    new Promise<HttpResult<T>>((resolve, reject) => {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      // agent: false, so no pooled socket outlives the test
      const req = request(url, { method: options.method ?? 'GET', headers, ca, servername, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) responseHeaders.append(name, v);
          }
          resolve({ status: res.statusCode ?? 0, headers: responseHeaders, body: parseBody(text) as T, text });
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
}

export interface RawReply {
  status: number;
  /** header names in lower case */
  headers: Record<string, string>;
  text: string;
}

/**
 * Writes `head` (request line and headers, without the blank line) over TLS as is, then reads
 * until the server closes. For what an HTTP client library would refuse or normalise.
 */
export function rawHttps(url: string, ca: string, head: string, servername = 'localhost'): Promise<RawReply> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.hostname, port: Number(target.port), ca, servername }, () => {
      socket.write(`${head}\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
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
