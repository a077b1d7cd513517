// Who is calling an agency route (SPEC §8): an `Authorization: Bearer jdma_…` key, else the session
// cookie. Registered inside the agency scope only (agency-scope.ts): the widget's routes, the feed
// and the hosted form never parse, set or read a cookie.
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../../http-errors.ts';
import type { Store } from '../../store/store.ts';
import type { Caller } from '../../agency/access.ts';
import { hashSecret } from '../../agency/secrets.ts';
import { type AgencySessions, isCsrfTokenValid } from '../../agency/sessions.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: a state-changing route that needs no CSRF token (it carries its own proof, as a login link does). */
    csrf?: boolean;
  }
}

const BEARER = /^Bearer (jdma_[A-Za-z0-9_-]{16,128})$/;
const STATE_CHANGING = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

const unauthenticated = (message: string) => new HttpError(401, 'unauthenticated', message);

export async function registerAuthentication(
  scope: FastifyInstance,
  { store, sessions, now }: { store: Store; sessions: AgencySessions; now: () => Date },
): Promise<void> {
  await scope.register(cookie);
  // Server-rendered forms post application/x-www-form-urlencoded (logout, the agency pages).
  await scope.register(formbody);
  scope.decorateRequest('caller', null);

  // A wrong key is refused once the rate limit (a route hook, agency-scope.ts) has counted it
  // against its client: thrown here, it would pass uncounted, and guesses could go on unlimited.
  const refusedKeys = new WeakMap<FastifyRequest, HttpError>();
  scope.addHook('preParsing', async (request) => {
    const refusal = refusedKeys.get(request);
    if (refusal) throw refusal;
  });

  scope.addHook('onRequest', async (request, reply) => {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const key = BEARER.exec(authorization)?.[1];
      if (!key) return void refusedKeys.set(request, unauthenticated('Send an API key as Authorization: Bearer jdma_….'));
      const found = await store.apiKeys.use(hashSecret(key), now());
      if (!found) return void refusedKeys.set(request, unauthenticated('This API key is unknown or revoked.'));
      request.caller = { kind: 'key', keyId: found.id, name: found.name, entityId: found.entityId, procedureIds: found.procedureIds };
      return;
    }
    const live = await sessions.resume(request, reply);
    if (live) {
      const caller: Caller = {
        kind: 'member',
        email: live.session.email,
        sessionId: live.session.idHash.toString('hex'),
        roles: live.roles,
      };
      request.caller = caller;
    }
  });

  // After the body is parsed (a form carries its token as `_csrf`), before any handler: a refused
  // request changes nothing. A key is exempt: a browser never sends it by itself, a cookie it does.
  scope.addHook('preHandler', async (request, reply) => {
    if (!STATE_CHANGING.has(request.method) || request.caller?.kind !== 'member') return;
    if (request.routeOptions.config.csrf === false) return;
    const live = await sessions.resume(request, reply);
    if (!live || !isCsrfTokenValid(live.secret, csrfTokenSent(request))) {
      throw new HttpError(403, 'csrf_invalid', 'This request needs the session’s CSRF token (x-csrf-token header, or _csrf form field).');
    }
  });
}

function csrfTokenSent(request: FastifyRequest): unknown {
  const header = request.headers['x-csrf-token'];
  if (header !== undefined) return header;
  const type = request.headers['content-type'];
  if (type?.startsWith('application/x-www-form-urlencoded') || type?.startsWith('multipart/form-data')) {
    return (request.body as Record<string, unknown> | undefined)?._csrf;
  }
  return undefined;
}
