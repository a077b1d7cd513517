// Every agency route (SPEC §8) in one Fastify scope: the cookie parser, the authentication hook and
// the CSRF check run here and nowhere else, so the widget's routes, the feed and the hosted form
// never set or read a cookie. A new agency route is registered below, inside this scope.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clientKeyOf } from '../client-key.ts';
import type { Config } from '../config.ts';
import { HttpError } from '../http-errors.ts';
import { agencyEntityRoutes } from '../routes/agency-entities.ts';
import { agencyProcedureRoutes } from '../routes/agency-procedures.ts';
import { agencyReviewRoutes } from '../routes/agency-reviews.ts';
import { agencySessionRoutes } from '../routes/agency-session.ts';
import { spaceAdminRoutes } from '../routes/space-admin.ts';
import { spaceHomeRoutes } from '../routes/space-home.ts';
import { spaceReviewRoutes } from '../routes/space-reviews.ts';
import { OIDC_CALLBACK_PATH, oidcLoginRoutes, providerLogoutUrl } from '../routes/oidc-login.ts';
import type { Store } from '../store/store.ts';
import type { QueueMail } from '../mail/mail-outbox.ts';
import { emailSignInRoutes } from '../mail/sign-in-routes.ts';
import { invitationMailer } from '../mail/invitation-mail.ts';
import { auditTrail } from './audit-trail.ts';
import { registerAuthentication } from './authentication.ts';
import { oidcLogin } from './oidc-login.ts';
import { agencySessions } from './sessions.ts';
import { registerSpacePages } from './space-pages.ts';

interface Options {
  config: Config;
  store: Store;
  now: () => Date;
  queueMail: QueueMail;
}

export async function agencyScope(scope: FastifyInstance, { config, store, now, queueMail }: Options): Promise<void> {
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
  // Sign-in with OpenID Connect (ProConnect) exists only when its provider is configured.
  const oidc = config.oidc && oidcLogin(config.oidc, { redirectUri: config.publicUrl + OIDC_CALLBACK_PATH, now });
  // The space's pages: their CSP lets the logout form reach the provider, whose session ends too.
  const pages = registerSpacePages(scope, { sessions, oidcLogin: oidc !== undefined, formActions: () => oidc?.logoutOrigins() ?? [] });
  if (oidc) await scope.register(oidcLoginRoutes, { config, oidc, sessions });
  await scope.register(emailSignInRoutes, {
    store,
    publicUrl: config.publicUrl,
    queue: queueMail,
    now,
    oidcLogin: oidc !== undefined,
    rateLimited: config.agencyRateLimitPerMinute > 0,
  });
  await scope.register(agencySessionRoutes, {
    ownOrigins: config.ownOrigins,
    store,
    sessions,
    now,
    oidcLogin: oidc !== undefined,
    providerLogout: oidc && ((request, reply, { redirect }) => providerLogoutUrl(config, redirect ? oidc : undefined, request, reply)),
  });
  await scope.register(agencyProcedureRoutes, { config, store, now, audit });
  // An admin who adds a member mails them an invitation with a sign-in link valid 7 days.
  const invite = invitationMailer({ store, publicUrl: config.publicUrl, queue: queueMail, now });
  await scope.register(agencyEntityRoutes, { store, now, audit, invite });
  await scope.register(agencyReviewRoutes, { store, now, exportsPerEntity: config.exportsPerEntity });
  await scope.register(spaceAdminRoutes, { config, store, now, audit, pages, invite });
  await scope.register(spaceHomeRoutes, { store, now, pages, minReviews: config.feedMinReviews });
  await scope.register(spaceReviewRoutes, { store, now, pages });
}

/** Whom an agency request is counted against: its API key, its member's session, or else its client. */
function agencyRateKey(request: FastifyRequest): string {
  const caller = request.caller;
  if (caller?.kind === 'key') return `key:${caller.keyId}`;
  if (caller?.kind === 'member') return `session:${caller.sessionId}`;
  return `client:${clientKeyOf(request)}`;
}
