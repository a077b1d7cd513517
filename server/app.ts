import Fastify, { type FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import type { Config } from './config.ts';
import type { Store } from './store/open-store.ts';
import { registerErrorHandlers } from './http-errors.ts';
import { healthRoutes } from './routes/health.ts';
import { homeRoutes } from './routes/home.ts';
import { reviewRoutes } from './routes/reviews.ts';

export interface AppOptions {
  config: Config;
  store: Store;
  /** The clock, for tests of the follow-up window (SPEC §6: 1 hour). */
  now?: () => Date;
}

export const BODY_LIMIT = 16 * 1024;

/** Builds the collector without listening (STYLE rule 1): tests call `app.inject()`, server.ts calls `listen()`. */
export async function buildApp({ config, store, now = () => new Date() }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    // SPEC §7: the request log carries no IP address, user agent or cookie.
    logger: {
      level: config.logLevel,
      serializers: {
        req: (req) => ({ method: req.method, url: req.url }),
        res: (res) => ({ statusCode: res.statusCode }),
      },
    },
  });

  // Bodies arrive as application/json or text/plain (SPEC §6): text/plain keeps the widget's
  // requests CORS "simple", with no preflight. Both go through Fastify's hardened JSON parser.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

  // CORS: the public feed is open to all; review writes answer a preflight for any registered
  // origin (a preflight has no body, so no procedure); the actual reply gets its
  // Access-Control-Allow-Origin from the review routes, once the procedure is known.
  await app.register(cors, {
    delegator: (req, callback) => {
      const path = req.url ?? '';
      if (path.startsWith('/api/v1/feed')) return callback(null, { origin: '*', methods: ['GET', 'HEAD'] });
      if (path.startsWith('/api/v1/reviews') && req.method === 'OPTIONS') {
        const origin = req.headers.origin;
        return callback(null, {
          origin: typeof origin === 'string' && store.procedures.isOriginKnown(origin),
          methods: ['POST'],
          allowedHeaders: ['content-type'],
          maxAge: 86400,
        });
      }
      callback(null, { origin: false });
    },
  });

  registerErrorHandlers(app);
  await app.register(healthRoutes);
  await app.register(homeRoutes, { config });
  await app.register(reviewRoutes, { config, store, now });
  return app;
}
