// Reads a JSON request body without a body-parser dependency: checks the media type, stops
// reading at the route's size limit, and reports malformed JSON by position only (V8's own
// message quotes the input, which may be PHI).
import type { HttpContext } from './http-context.ts';
import { malformedJson, payloadTooLarge, unsupportedMediaType, validationFailed } from './api-error.ts';

export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;

function requestHasBody(ctx: HttpContext): boolean {
  const length = ctx.req.headers['content-length'];
  return ctx.req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function checkMediaType(ctx: HttpContext): void {
  if (!ctx.request.is('application/json', '+json')) throw unsupportedMediaType('application/json');
  const charset = ctx.request.charset;
  if (charset && charset.toLowerCase() !== 'utf-8') throw unsupportedMediaType('application/json in UTF-8');
}

async function readLimited(ctx: HttpContext, limitBytes: number): Promise<Buffer> {
  const declared = Number(ctx.req.headers['content-length']);
  const tooLarge = () => {
    // we stop reading mid-body, so the connection cannot carry another request
    ctx.set('Connection', 'close');
    return payloadTooLarge(limitBytes);
  };
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limitBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/** Turns V8's "at position N" into line and column; never echoes the text itself. */
export function describeJsonError(text: string, err: unknown): string {
  const match = err instanceof SyntaxError ? /position (\d+)/.exec(err.message) : null;
  if (!match?.[1]) return 'the body is not valid JSON';
  const position = Number(match[1]);
  const before = text.slice(0, position).split('\n');
  const line = before.length;
  const column = (before[before.length - 1]?.length ?? 0) + 1;
  return `the body is not valid JSON (line ${line}, column ${column})`;
}

/**
 * Parses the request body as JSON. A route that declares a body requires one: a missing body
 * is a validation failure on `body`, a wrong type 415, an oversized one 413, bad JSON 400.
 */
export async function readJsonBody(ctx: HttpContext, limitBytes = DEFAULT_BODY_LIMIT_BYTES): Promise<unknown> {
  if (!requestHasBody(ctx)) throw validationFailed([{ path: 'body', message: 'a JSON body is required' }]);
  checkMediaType(ctx);
  const bytes = await readLimited(ctx, limitBytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw malformedJson('the body is not valid UTF-8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw malformedJson(describeJsonError(text, err));
  }
}
