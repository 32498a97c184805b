// A tiny HTTP client for tests against the real server on loopback. With `ca` it speaks HTTPS
// through node:https, trusting only that CA (fetch cannot be given a CA without undici's Agent).
import { request as httpsRequest } from 'node:https';

export interface HttpResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface HttpOptions {
  method?: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** PEM of the CA to trust: the request goes over HTTPS with node:https */
  ca?: string;
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

function httpsCall(url: string, method: string, headers: Record<string, string>, payload: string | undefined, ca: string): Promise<{ status: number; headers: Headers; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method, headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const out = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) out.append(name, v);
        }
        resolve({ status: res.statusCode ?? 0, headers: out, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export async function http<T = Record<string, unknown>>(url: string, options: HttpOptions = {}): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const method = options.method ?? 'GET';
  if (options.ca !== undefined) {
    const answer = await httpsCall(url, method, headers, payload, options.ca);
    return parsed<T>(answer.status, answer.headers, answer.text);
  }
  const response = await fetch(url, { method, headers, body: payload });
  return parsed<T>(response.status, response.headers, await response.text());
}
