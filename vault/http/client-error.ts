// Answers what node's HTTP parser refuses before koa sees it: headers past the size limit (431),
// a request that is not HTTP/1.1 or names a method node does not know (400), a request that
// took too long to arrive (408), and CONNECT (501). Same problem+json body, request id and
// security headers as the app's own answers; then the connection closes.
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { PROBLEM_CONTENT_TYPE } from '../../schemas/http/problem.ts';
import { ApiError, headersTooLarge, malformedRequest, methodNotImplemented } from './api-error.ts';
import { problemOf } from './problem-response.ts';
import { REQUEST_ID_HEADER } from './request-id.ts';
import { securityHeaders } from './security-headers.ts';

/** Request line and headers together; node's own default, stated so that 431 can name it. */
export const MAX_HEADER_BYTES = 16 * 1024;

const requestTimedOut = () => new ApiError({ code: 'request_timeout', status: 408, title: 'Request timeout', detail: 'the request did not arrive in time' });

function errorFor(code: string | undefined): ApiError {
  if (code === 'HPE_HEADER_OVERFLOW') return headersTooLarge(MAX_HEADER_BYTES);
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return requestTimedOut();
  return malformedRequest();
}

/** A whole HTTP/1.1 response carrying `error` as problem+json. */
export function rawProblemResponse(error: ApiError, options: { tls: boolean }): { bytes: Buffer; requestId: string } {
  const requestId = randomUUID();
  const body = JSON.stringify(problemOf(error, requestId));
  const headers: Record<string, string> = {
    'Content-Type': PROBLEM_CONTENT_TYPE,
    'Content-Length': String(Buffer.byteLength(body)),
    Connection: 'close',
    [REQUEST_ID_HEADER]: requestId,
    ...securityHeaders(options),
    ...error.headers,
  };
  const head = [`HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)].join('\r\n');
  return { bytes: Buffer.from(`${head}\r\n\r\n${body}`, 'utf8'), requestId };
}

function answer(socket: Duplex, error: ApiError, options: { tls: boolean; logger?: Logger | undefined }): void {
  const { bytes, requestId } = rawProblemResponse(error, options);
  // the raw request is never logged: it may hold a token or PHI in its URL
  options.logger?.info({ requestId, status: error.status, code: error.code }, 'request refused before routing');
  socket.end(bytes);
}

export function answerRequestsOutsideTheApp(server: Server, options: { tls: boolean; logger?: Logger | undefined }): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // a client that hung up, or a socket already answered, has nobody left to read a problem
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    answer(socket, errorFor(err.code), options);
  });
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => answer(socket, methodNotImplemented(), options));
}
