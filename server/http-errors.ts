import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES, type ErrorCode } from './error-codes.ts';
import { StorageUnavailableError } from './store/store.ts';

// One error shape for every reply (SPEC §6): {"error": {"code", "message", "details"?}}.
export interface ErrorDetail {
  field: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
  }
}

/** Fastify's own errors (body parsing, limits) mapped to our codes; their status is the code's (error-codes.ts). */
const FASTIFY_CODES: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'body_too_large', message: 'The request body is larger than 16 KiB.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type', message: 'Send the body as application/json or text/plain.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'invalid_json', message: 'The request body is empty.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'invalid_json', message: 'The request body is not valid JSON.' },
  FST_ERR_BAD_URL: { code: 'invalid_url', message: 'The address is not valid (a malformed percent-encoding).' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'url_too_long', message: 'A part of the address is too long.' },
};

/** A reply of `code` at the status the registry gives it. */
const byCode = (code: ErrorCode, message: string) => ({ status: ERROR_CODES[code].status, code, message });

/** What a failed request is told: status, code, message and details, for any error thrown on the way. */
export function errorReplyOf(error: FastifyError | HttpError | StorageUnavailableError): {
  status: number;
  code: ErrorCode;
  message: string;
  details?: ErrorDetail[];
} {
  if (error instanceof HttpError) return { status: error.statusCode, code: error.code, message: error.message, details: error.details };
  // The database is out of reach: nothing was committed, and the widget queues the rating for later.
  if (error instanceof StorageUnavailableError) {
    return byCode('storage_unavailable', 'The database is unavailable: try again in a moment.');
  }
  const known = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (known) return byCode(known.code, known.message);
  if (error.statusCode === 429) return byCode('rate_limited', 'Too many requests: try again in a minute.');
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, code: 'bad_request', message: 'The request could not be understood.' };
  }
  return byCode('internal_error', 'Something went wrong on our side.');
}

/**
 * Fastify's router refuses some addresses before any route or hook runs (a malformed
 * percent-encoding, a path parameter over 100 characters) and, left alone, answers them in a JSON
 * shape of its own: this answers them in ours. Passed as the `frameworkErrors` option of Fastify().
 */
export function frameworkErrorReply(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const { status, code, message } = errorReplyOf(error);
  void reply.code(status).send(errorBody(code, message));
}

/** Node's own refusals, before any request object exists, mapped to our codes; any other is a 400 bad_request. */
const CLIENT_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  HPE_HEADER_OVERFLOW: { code: 'headers_too_large', message: 'The request line and headers are larger than 16 KiB.' },
  ERR_HTTP_REQUEST_TIMEOUT: { code: 'request_timeout', message: 'The request took too long to arrive.' },
};

/**
 * Node's HTTP parser refuses some requests before Fastify sees them (a malformed request line or
 * header, headers over Node's 16 KiB): Fastify's default then writes a JSON shape of its own on the
 * socket, and this writes ours. Passed as the `clientErrorHandler` option of Fastify().
 */
export function clientErrorReply(error: NodeJS.ErrnoException, socket: Duplex): void {
  // A reset connection, or one already closed, has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = CLIENT_ERRORS[error.code ?? ''];
  const { status, code, message } = known
    ? byCode(known.code, known.message)
    : byCode('bad_request', 'The request could not be understood (a malformed request line or header).');
  const body = JSON.stringify(errorBody(code, message));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/**
 * The app's error and not-found handlers. `sendNotFoundPage`: sends the page a browser gets for an
 * unknown address, given by the app (pages are rendered and sent above this module, which only
 * knows the shape); its security headers, CSP included, are the page hook's (page-headers.ts).
 */
export function registerErrorHandlers(
  app: FastifyInstance,
  {
    sendNotFoundPage,
    onServerError,
  }: { sendNotFoundPage: (reply: FastifyReply) => FastifyReply; onServerError?: ((code: string) => void) | undefined },
): void {
  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    const { status, code, message, details } = errorReplyOf(error);
    if (status >= 500) onServerError?.(code);
    if (status === 500) request.log.error({ err: error }, 'unhandled error');
    if (status === 503) request.log.warn({ err: error }, 'storage unavailable');
    return reply.code(status).send(errorBody(code, message, details));
  });
  app.setNotFoundHandler((request, reply) => {
    if (wantsPage(request)) {
      return sendNotFoundPage(reply);
    }
    return reply.code(404).send(errorBody('not_found', 'No such page.'));
  });
}

// A person's browser following a link gets a page; scripts, curl and fetch() (which accept any type
// or ask for JSON) keep the one error shape they can parse, and the API stays JSON whatever is asked.
function wantsPage(request: FastifyRequest): boolean {
  if (request.url.startsWith('/api/')) return false;
  return request.accepts().type(['application/json', 'text/html']) === 'text/html';
}

export function errorBody(code: ErrorCode, message: string, details?: ErrorDetail[]) {
  return { error: details ? { code, message, details } : { code, message } };
}
