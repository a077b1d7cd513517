import Fastify, { type FastifyInstance, type FastifyServerOptions, type RouteShorthandOptions } from 'fastify';
import accepts from '@fastify/accepts';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import { clientKey } from './client-key.ts';
import { reviewWrites } from './review-writes.ts';
import { ratingAdmission } from './rating-admission.ts';
import { refusalCounter } from './refusal-counter.ts';
import type { Config } from './config.ts';
import type { Store } from './store/store.ts';
import { registerErrorHandlers } from './http-errors.ts';
import { healthRoutes } from './routes/health.ts';
import { homeRoutes } from './routes/home.ts';
import { reviewRoutes } from './routes/reviews.ts';
import { widgetAssetRoutes } from './routes/widget-assets.ts';
import { buttonImageRoutes } from './routes/button-image.ts';
import { hostedFormRoutes } from './routes/hosted-form.ts';
import { demoPageRoutes } from './routes/demo-pages.ts';
import { FeedBuilder } from './feed-builder.ts';
import { feedRoutes } from './routes/feed.ts';
import { observatoryRoutes } from './routes/observatory.ts';
import { privacyRoutes } from './routes/privacy.ts';

export interface AppOptions {
  config: Config;
  store: Store;
  /** The clock, for tests of the follow-up window (SPEC §6: 1 hour). */
  now?: () => Date;
}

export const BODY_LIMIT = 16 * 1024;

/** Builds the collector without listening (STYLE rule 1): tests call `app.inject()`, server.ts calls `listen()`. */
export async function buildApp({ config, store, now = () => new Date() }: AppOptions): Promise<FastifyInstance> {
  // SPEC §7: the request log carries no IP address, user agent or cookie. LOG_LEVEL=silent is no
  // logger at all: a silent pino still made a child logger for every request (issue 2 bench).
  const logger: FastifyServerOptions['logger'] = config.logLevel !== 'silent' && {
    level: config.logLevel,
    serializers: {
      req: (req) => ({ method: req.method, url: req.url }),
      res: (res) => ({ statusCode: res.statusCode }),
    },
  };
  const app = Fastify({
    logger,
    bodyLimit: BODY_LIMIT,
    // Behind a reverse proxy, the client is in X-Forwarded-For: without this every user would share
    // the proxy's address, and so one rate limit (TRUST_PROXY, README "Configuration").
    trustProxy: config.trustProxy,
  });

  // Bodies arrive as application/json or text/plain (SPEC §6): text/plain keeps the widget's
  // requests CORS "simple", with no preflight. Both go through Fastify's hardened JSON parser.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

  // Content negotiation for the not-found reply: a page for browsers, JSON for everyone else.
  await app.register(accepts);
  registerErrorHandlers(app);
  await app.register(healthRoutes, { store });
  await app.register(homeRoutes, { config });
  await app.register(privacyRoutes, { config });
  // Hot ratings, through the API or the hosted form, share one queue and one rate limit per client,
  // told apart by a keyed hash whose salt rotates daily, never by their raw address (SPEC §7).
  const writes = reviewWrites(store, now);
  const admission = ratingAdmission(store, config);
  const refusals = refusalCounter(store, now, (error) => app.log.error({ err: error }, 'refused ratings not counted'));
  app.addHook('onClose', async () => refusals.flush());
  // One hook for both routes: made without options, it counts in the plugin's own store (a
  // per-route `config.rateLimit` would give each route a store, and so each client two limits).
  // A preHandler, not onRequest: the body is parsed by then, so a 429 is counted for the procedure
  // it names, in the integration health.
  let hotRatingRoute: RouteShorthandOptions = {};
  if (config.rateLimitPerMinute > 0) {
    await app.register(rateLimit, {
      global: false,
      max: config.rateLimitPerMinute,
      timeWindow: 60_000,
      keyGenerator: (request) => clientKey(request.ip),
      // No x-ratelimit-* headers on accepted ratings: nobody reads them, and they cost every reply.
      addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    });
    hotRatingRoute = { preHandler: app.rateLimit() };
  }
  await app.register(reviewRoutes, { admission, refusals, writes, hotRatingRoute });
  await app.register(widgetAssetRoutes);
  await app.register(buttonImageRoutes);
  await app.register(hostedFormRoutes, { store, admission, refusals, writes, hotRatingRoute });
  await app.register(demoPageRoutes, { config });
  const feeds = new FeedBuilder(store, { minReviews: config.feedMinReviews, now });
  // CORS: the public feed is open to every origin; @fastify/cors runs in the feed's scope only, off
  // the hot path of ratings, whose CORS routes/reviews.ts decides from the procedure in the body.
  await app.register(async (feedScope) => {
    await feedScope.register(cors, { origin: '*', methods: ['GET', 'HEAD'] });
    await feedScope.register(feedRoutes, { feeds, now });
  });
  await app.register(observatoryRoutes, { feeds, now });
  return app;
}
