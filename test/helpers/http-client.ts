// A tiny HTTP client for tests against the real server on loopback. Given `ca` (the vault's CA
// certificate) it speaks HTTPS through node:https, trusting that CA only; given a source address
// or a keep-alive agent it goes through node:http(s) as well: fetch can take none of these.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface HttpResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface HttpOptions {
  method?: string;
  token?: string;
  /** JSON unless a string or bytes, which are sent as they are */
  body?: unknown;
  headers?: Record<string, string>;
  /** PEM of the CA to trust: the request goes over HTTPS with node:https */
  ca?: string;
  /** the source address, e.g. 127.0.0.2 (Linux routes all of 127/8 to the loopback interface) */
  localAddress?: string;
  /** a keep-alive agent from `keepAliveAgent`, so a run of requests shares one connection */
  agent?: HttpAgent;
}

/** One connection kept open between requests, from `localAddress` when given. */
export function keepAliveAgent(url: string, options: { ca?: string; localAddress?: string } = {}): HttpAgent {
  const common = { keepAlive: true, maxSockets: 1, ...(options.localAddress !== undefined && { localAddress: options.localAddress }) };
  return url.startsWith('https:') ? new HttpsAgent({ ...common, ...(options.ca !== undefined && { ca: options.ca }) }) : new HttpAgent(common);
}

function parsed<T>(status: number, headers: Headers, text: string): HttpResult<T> {
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status, headers, body: body as T, text };
}

function overNode(url: string, method: string, headers: Record<string, string>, payload: string | Uint8Array | undefined, options: HttpOptions): Promise<{ status: number; headers: Headers; text: string }> {
  const send = url.startsWith('https:') ? httpsRequest : httpRequest;
  const { ca, localAddress, agent } = options;
  return new Promise((resolve, reject) => {
    const req = send(url, { method, headers, ...(ca !== undefined && { ca }), ...(localAddress !== undefined && { localAddress }), agent: agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const answered = new Headers();
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) answered.set(name, Array.isArray(value) ? value.join(', ') : value);
        resolve({ status: res.statusCode ?? 0, headers: answered, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export async function http<T = Record<string, unknown>>(url: string, options: HttpOptions = {}): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const payload = options.body === undefined ? undefined : typeof options.body === 'string' || options.body instanceof Uint8Array ? options.body : JSON.stringify(options.body);
  const method = options.method ?? 'GET';
  if (options.ca !== undefined || options.localAddress !== undefined || options.agent !== undefined) {
    const reply = await overNode(url, method, headers, payload, options);
    return parsed<T>(reply.status, reply.headers, reply.text);
  }
  const response = await fetch(url, { method, headers, body: payload });
  return parsed<T>(response.status, response.headers, await response.text());
}
