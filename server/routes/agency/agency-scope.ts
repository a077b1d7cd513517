// Every agency route (SPEC §8) in one Fastify scope: the cookie parser, the authentication hook and
// the CSRF check run here and nowhere else, so the widget's routes, the feed and the hosted form
// never set or read a cookie. A new agency route goes in the scope of its audience, inside this
// one: api/api-scope.ts (JSON) or space/space-scope.ts (pages, with their CSP and error pages).
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clientKeyOf } from '../../client-key.ts';
import type { Config } from '../../config.ts';
import { HttpError } from '../../http-errors.ts';
import type { Store } from '../../store/store.ts';
import type { AgencyReads } from '../../agency/agency-reads.ts';
import { invitationMailer } from '../../agency/invitation-mail.ts';
import type { QueueMail } from '../../mail/mail-outbox.ts';
import { auditTrail } from '../../agency/audit-trail.ts';
import { registerAuthentication } from './authentication.ts';
import { agencySessions } from '../../agency/sessions.ts';
import { apiScope } from './api/api-scope.ts';
import { spaceScope } from './space/space-scope.ts';

interface Options {
  config: Config;
  store: Store;
  reads: AgencyReads;
  now: () => Date;
  queueMail: QueueMail;
}

export async function agencyScope(scope: FastifyInstance, { config, store, reads, now, queueMail }: Options): Promise<void> {
  const sessions = agencySessions(store, config, now);
  await registerAuthentication(scope, { store, sessions, now });
  if (config.agencyRateLimitPerMinute > 0) {
    // One API key, or one member's session, could otherwise take the whole machine: a read-only
    // key ran empty exports in a loop, 750 a second, each an audit entry. The plugin's hook is a
    // route hook, so it runs after the authentication hook above and can count per key or session;
    // without either (the sign-in pages, a wrong key), per client, like the hot-rating limit.
    await scope.register(rateLimit, {
      max: config.agencyRateLimitPerMinute,
      timeWindow: 60_000,
      keyGenerator: agencyRateKey,
      addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
      errorResponseBuilder: (_request, { after }) =>
        new HttpError(429, 'rate_limited', `Too many requests from this API key or session: try again in ${after}.`),
    });
  }
  // Replies here are one member's or one key's own data: no cache, shared or private, keeps them.
  scope.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-store');
    return payload;
  });
  const audit = auditTrail(store, now);
  // An admin who adds a member mails them an invitation with a sign-in link valid 7 days.
  const invite = invitationMailer({ store, publicUrl: config.publicUrl, queue: queueMail, now });
  await scope.register(apiScope, { config, store, reads, now, audit, invite });
  await scope.register(spaceScope, { config, store, reads, now, audit, sessions, invite, queueMail });
}

/** Whom an agency request is counted against: its API key, its member's session, or else its client. */
function agencyRateKey(request: FastifyRequest): string {
  const caller = request.caller;
  if (caller?.kind === 'key') return `key:${caller.keyId}`;
  if (caller?.kind === 'member') return `session:${caller.sessionId}`;
  return `client:${clientKeyOf(request)}`;
}
