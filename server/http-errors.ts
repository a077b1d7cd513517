import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { PAGE_CSP } from './pages/html.ts';
import { notFoundPage } from './pages/not-found-page.ts';

// One error shape for every reply (SPEC §6): {"error": {"code", "message", "details"?}}.
export interface ErrorDetail {
  field: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
  }
}

/** Fastify's own errors (body parsing, limits) mapped to our codes. */
const FASTIFY_CODES: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'body_too_large', message: 'The request body is larger than 16 KiB.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: 'Send the body as application/json or text/plain.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json', message: 'The request body is empty.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json', message: 'The request body is not valid JSON.' },
};

export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) {
      return reply.code(error.statusCode).send(errorBody(error.code, error.message, error.details));
    }
    const known = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (known) return reply.code(known.status).send(errorBody(known.code, known.message));
    if (error.statusCode === 429) {
      return reply.code(429).send(errorBody('rate_limited', 'Too many requests: try again in a minute.'));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send(errorBody('bad_request', 'The request could not be understood.'));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send(errorBody('internal_error', 'Something went wrong on our side.'));
  });
  app.setNotFoundHandler((request, reply) => {
    if (wantsPage(request)) {
      return reply.code(404).type('text/html; charset=utf-8').header('content-security-policy', PAGE_CSP).send(notFoundPage());
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

export function errorBody(code: string, message: string, details?: ErrorDetail[]) {
  return { error: details ? { code, message, details } : { code, message } };
}
