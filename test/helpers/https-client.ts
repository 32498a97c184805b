// A client for tests against the real server on loopback over HTTPS (or HTTP): node's fetch
// cannot be told to trust the vault's own CA nor to send from a chosen local address, node:https can.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { HttpResult } from './http-client.ts';

export interface RequestOptions {
  method?: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** PEM of the CA that signed the server certificate (the vault's own) */
  ca?: string;
  /** the source address, e.g. 127.0.0.2 (Linux routes all of 127/8 to the loopback interface) */
  localAddress?: string;
  /** a keep-alive agent from `keepAliveAgent`, so a run of requests shares one connection */
  agent?: HttpAgent;
}

/** One connection kept open between requests, from `localAddress` when given. */
export function keepAliveAgent(url: string, options: { ca?: string; localAddress?: string } = {}): HttpAgent {
  const common = { keepAlive: true, maxSockets: 1, ...(options.localAddress ? { localAddress: options.localAddress } : {}) };
  return url.startsWith('https:') ? new HttpsAgent({ ...common, ...(options.ca ? { ca: options.ca } : {}) }) : new HttpAgent(common);
}

function headersOf(response: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

export function request<T = Record<string, unknown>>(url: string, options: RequestOptions = {}): Promise<HttpResult<T>> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const send = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: options.method ?? 'GET',
        headers,
        ...(options.ca ? { ca: options.ca } : {}),
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        ...(options.agent ? { agent: options.agent } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            /* not JSON */
          }
          resolve({ status: response.statusCode ?? 0, headers: headersOf(response), body: body as T, text });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
