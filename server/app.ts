import { constants as zlibConstants } from 'node:zlib';
import Fastify, {
  type FastifyInstance,
  type FastifyServerOptions,
  type onResponseHookHandler,
  type onRouteHookHandler,
  type RouteShorthandOptions,
} from 'fastify';
import accepts from '@fastify/accepts';
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import { clientKeyOf, proxyTrust } from './client-key.ts';
import { loggableUrl } from './loggable-url.ts';
import { ratingQuota } from './rating-quota.ts';
import { hostedFormGuard } from './hosted-form-guard.ts';
import { reviewWrites } from './review-writes.ts';
import { ratingAdmission } from './rating-admission.ts';
import { refusalCounter } from './refusal-counter.ts';
import { type PurgeSchedule, schedulePurge } from './retention.ts';
import { scheduleTermCounting } from './term-counting.ts';
import type { Config } from './config.ts';
import type { Store } from './store/store.ts';
import { clientErrorReply, frameworkErrorReply, registerErrorHandlers } from './http-errors.ts';
import { registerPageHeaders } from './page-headers.ts';
import { notFoundPage } from './pages/not-found-page.ts';
import { sendPage } from './pages/kit/send-page.ts';
import { registerApiDocs } from './api-docs.ts';
import { apiDocsRoutes } from './routes/public/api-docs.ts';
import { healthRoutes } from './routes/public/health.ts';
import { homeRoutes } from './routes/public/home.ts';
import { accessibilityRoutes } from './routes/public/accessibility.ts';
import { reviewRoutes } from './routes/public/reviews.ts';
import { problemReportRoutes } from './routes/public/problem-reports.ts';
import { problemFormRoutes } from './routes/public/problem-form.ts';
import { problemReportWrites } from './problem-report-writes.ts';
import { widgetAssetRoutes } from './routes/public/widget-assets.ts';
import { dsfrAssetRoutes } from './routes/public/dsfr-assets.ts';
import { buttonImageRoutes } from './routes/public/button-image.ts';
import { entityLogoRoutes } from './routes/public/entity-logos.ts';
import { hostedFormRoutes } from './routes/public/hosted-form.ts';
import { demoPageRoutes } from './routes/public/demo-pages.ts';
import { FeedBuilder } from './feed-builder.ts';
import { feedRoutes } from './routes/public/feed.ts';
import { formConfigRoutes } from './routes/public/form-config.ts';
import { observatoryRoutes } from './routes/public/observatory.ts';
import { privacyRoutes } from './routes/public/privacy.ts';
import { metricsRoutes } from './routes/public/metrics.ts';
import { observatoireStatsRoutes } from './routes/public/observatoire-stats.ts';
import { openDataRoutes } from './routes/public/open-data.ts';
import { editionRoutes } from './routes/public/editions.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { type AgencyReads, inThreadReads } from './agency/agency-reads.ts';
import { agencyScope } from './routes/agency/agency-scope.ts';
import { type MailSender, mailQueue, mailSender } from './mail/mail-outbox.ts';
import { mailTransport } from './mail/mail-transport.ts';
import { alertJob } from './jobs/alert-job.ts';
import { digestJob } from './jobs/digest-job.ts';
import { tagModelJob } from './agency/tag-suggestions.ts';
import { scheduleNotifications } from './mail/notification-schedule.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Resolves once the hourly purge's run under way (the one the app starts when ready, at first) is over. */
    purgeSettled(): Promise<void>;
  }
}

export interface AppOptions {
  config: Config;
  store: Store;
  /** The clock, for tests of the follow-up window (SPEC §6: 1 hour) and of the hosted form's render time. */
  now?: () => Date;
  /**
   * Where /metrics counts, when METRICS_TOKEN is set: made by whoever opened the store, so that it
   * also sees the store's group-commit batches (server.ts). Made here when not given.
   */
  metrics?: Metrics | undefined;
  /** Told of every route as it is registered: the OpenAPI test checks each one is documented. */
  onRoute?: onRouteHookHandler;
  /** Where the request log is written: standard output unless given (tests read the log). */
  logStream?: { write(line: string): void };
  /** Where the agency's listings and exports run: this thread unless given (server.ts gives the read worker). */
  reads?: AgencyReads | undefined;
  /** How often the alert and digest jobs are ticked: NOTIFICATION_TICK_MS unless given (tests of several collectors). */
  notificationTickMs?: number | undefined;
}

export const BODY_LIMIT = 16 * 1024;

/** Builds the collector without listening (STYLE rule 1): tests call `app.inject()`, server.ts calls `listen()`. */
export async function buildApp({
  config,
  store,
  now = () => new Date(),
  metrics: given,
  onRoute,
  logStream,
  reads = inThreadReads(store),
  notificationTickMs,
}: AppOptions): Promise<FastifyInstance> {
  // SPEC §7: the request log carries no IP address, user agent or cookie, and its URLs no token,
  // e-mail address or query value. LOG_LEVEL=silent is no logger at all: a silent pino still made
  // a child logger for every request (measured with npm run bench).
  const logger: FastifyServerOptions['logger'] = config.logLevel !== 'silent' && {
    level: config.logLevel,
    ...(logStream && { stream: logStream }),
    serializers: {
      req: (req) => ({ method: req.method, url: loggableUrl(req.url) }),
      res: (res) => ({ statusCode: res.statusCode }),
    },
  };
  const app = Fastify({
    logger,
    bodyLimit: BODY_LIMIT,
    // Behind a reverse proxy, the client is in X-Forwarded-For: without this every user would share
    // the proxy's address, and so one rate limit (TRUST_PROXY, README "Configuration").
    trustProxy: proxyTrust(config.trustProxy),
    frameworkErrors: frameworkErrorReply,
    clientErrorHandler: clientErrorReply,
  });
  if (onRoute) app.addHook('onRoute', onRoute);

  // Bodies arrive as application/json or text/plain (SPEC §6): text/plain keeps the widget's
  // requests CORS "simple", with no preflight. Both go through Fastify's hardened JSON parser.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

  // Without METRICS_TOKEN nothing is measured: no latency hook, no counter, nothing on the hot path.
  const metrics = config.metricsToken ? (given ?? createMetrics()) : undefined;
  if (metrics) {
    // Each route gets its own latency hook, labelled once with its pattern (never the raw URL).
    // Requests that match no route (404) are not timed: their URLs are whatever clients send.
    app.addHook('onRoute', (route) => {
      const observe = metrics.routeLatency(route.url, [route.method].flat().join(','));
      const timed: onResponseHookHandler = (_request, reply, done) => {
        observe(reply.statusCode, reply.elapsedTime / 1000);
        done();
      };
      route.onResponse = [...[route.onResponse ?? []].flat(), timed];
    });
  }

  // Content negotiation for the not-found reply: a page for browsers, JSON for everyone else.
  await app.register(accepts);
  // Pages, stylesheets, scripts, JSON and CSV go out compressed as the client accepts (brotli, else
  // gzip). Brotli's quality 5 rather than its maximum 11, since every reply is compressed afresh:
  // measured on pages.css, 6 % larger than quality 11 for a twenty-fifth of the CPU (0.23 ms, 5.9 ms). Files already compressed (the widget, DSFR) say so in
  // their Content-Encoding and pass through untouched.
  await app.register(compress, { encodings: ['br', 'gzip'], brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } } });
  registerPageHeaders(app, config);
  registerErrorHandlers(app, {
    sendNotFoundPage: (reply) => sendPage(reply, 404, notFoundPage()),
    onServerError: metrics?.serverError,
  });
  // Before every route: the OpenAPI document is made from the routes registered after it.
  await registerApiDocs(app, { publicUrl: config.publicUrl });
  await app.register(apiDocsRoutes);
  if (metrics && config.metricsToken) await app.register(metricsRoutes, { metrics, token: config.metricsToken });
  await app.register(healthRoutes, { store });
  await app.register(homeRoutes, { config });
  await app.register(privacyRoutes, { config });
  await app.register(accessibilityRoutes, { config });
  // Hot ratings, through the API or the hosted form, share one queue and one rate limit per client,
  // told apart by a keyed hash whose salt rotates daily, never by their raw address (SPEC §7).
  app.decorateRequest('clientKey', '');
  const writes = reviewWrites(store, now, metrics?.ratingAccepted);
  const quota = ratingQuota(config.ratingsPerClientPerDay, now);
  const admission = ratingAdmission(store, config);
  const refusals = refusalCounter(
    store,
    now,
    (error) => app.log.error({ err: error }, 'refused ratings not counted'),
    // A defaulted placement is in the integration health as a warning, but its rating was stored.
    metrics && ((reason) => reason !== 'placement_defaulted' && metrics.ratingRefused(reason)),
  );
  app.addHook('onClose', async () => refusals.flush());
  // Free text past its retention and token hashes past their hour are erased while the collector runs.
  let purges: PurgeSchedule | undefined;
  // Tests wait for the purge that starts with the app before they write what it would act on.
  app.decorate('purgeSettled', async () => purges?.settled());
  // Comment terms are counted off the request path (term-counting.ts).
  let stopTermCounting = async (): Promise<void> => {};
  app.addHook('onReady', async () => {
    purges = schedulePurge(
      store,
      config.freeTextRetentionDays,
      now,
      (error) => app.log.error({ err: error }, 'purge failed'),
      config.termMinReviews,
    );
    stopTermCounting = scheduleTermCounting(store, (error) => app.log.error({ err: error }, 'term counting failed'));
  });
  app.addHook('onClose', async () => {
    await purges?.stop();
    await stopTermCounting();
  });
  // One hook for both hot-rating routes: made without options, it counts in the plugin's own store
  // (a per-route `config.rateLimit` would give each route a store, and so each client two limits).
  // A preHandler, not onRequest: the body is parsed by then, so a 429 is counted for the procedure
  // it names, in the integration health.
  // Follow-ups get a limit of their own, at the same rate: a person sends one or two per rating, so
  // the rating limit already bounds them, and a separate count keeps a person's follow-ups from
  // using up their ratings (or a script's follow-up flood from blocking ratings). Without it, one
  // client could replay a token to rewrite a review's answers, each time a transaction that moves
  // rollup counts, or guess tokens, as fast as it can send.
  let hotRatingRoute: RouteShorthandOptions = {};
  let followUpRoute: RouteShorthandOptions = {};
  if (config.rateLimitPerMinute > 0) {
    await app.register(rateLimit, {
      global: false,
      max: config.rateLimitPerMinute,
      timeWindow: 60_000,
      keyGenerator: clientKeyOf,
      // No x-ratelimit-* headers on accepted ratings: nobody reads them, and they cost every reply.
      addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    });
    hotRatingRoute = { preHandler: app.rateLimit() };
    // Given options, the plugin makes a store of its own for this hook: one count for both follow-up routes.
    followUpRoute = { preHandler: app.rateLimit({ max: config.rateLimitPerMinute, timeWindow: 60_000 }) };
  }
  await app.register(reviewRoutes, { admission, refusals, writes, quota, hotRatingRoute, followUpRoute });
  const reports = problemReportWrites(store, now);
  await app.register(problemReportRoutes, { store, admission, refusals, reports, quota, hotRatingRoute });
  await app.register(widgetAssetRoutes);
  await app.register(dsfrAssetRoutes);
  await app.register(buttonImageRoutes);
  await app.register(entityLogoRoutes, { store });
  const formSecret = config.hostedFormSecret;
  // HOSTED_FORM_SECRET when set, otherwise the key the database holds: every collector agrees.
  const guard = hostedFormGuard(formSecret ? async () => Buffer.from(formSecret) : () => store.hostedForms.signingKey(), now);
  await app.register(hostedFormRoutes, { store, admission, refusals, writes, quota, guard, hotRatingRoute, followUpRoute });
  await app.register(problemFormRoutes, { store, admission, refusals, reports, quota, guard, hotRatingRoute });
  await app.register(demoPageRoutes, { config });
  const feeds = new FeedBuilder(store, { minReviews: config.feedMinReviews, now, onCache: metrics?.feedCache });
  // CORS: the public feed is open to every origin; @fastify/cors runs in the feed's scope only, off
  // the hot path of ratings, whose CORS routes/public/reviews.ts decides from the procedure in the body.
  await app.register(async (feedScope) => {
    // Not strict: its strict check answers an OPTIONS that is not a full preflight with a text/plain
    // 400, outside the one error shape; answering it like a preflight tells nobody anything.
    await feedScope.register(cors, { origin: '*', methods: ['GET', 'HEAD'], strictPreflight: false });
    await feedScope.register(feedRoutes, { feeds, now });
    await feedScope.register(observatoireStatsRoutes, { store, minReviews: config.feedMinReviews, now });
    await feedScope.register(openDataRoutes, { publicUrl: config.publicUrl });
    await feedScope.register(editionRoutes, { store, publicUrl: config.publicUrl });
    await feedScope.register(formConfigRoutes, { store });
  });
  await app.register(observatoryRoutes, { feeds, now });
  // Mail (README "Mail"): queued as outbox rows; this collector's sender delivers due rows, its own
  // as soon as they are queued, other processes' (the CLI, another collector) at its next poll.
  let sender: MailSender | undefined;
  const queueMail = mailQueue(store, config.mail, now, () => sender?.wake());
  metrics?.watchOutbox(() => store.mails.countQueued());
  app.addHook('onReady', async () => {
    sender = mailSender({
      store,
      transport: mailTransport(config.mail),
      now,
      onWritten: (_mail, path) => app.log.info(`mail written to ${path} (SMTP_URL is not set)`),
      onError: (error) => app.log.error({ err: error }, 'mail sending failed'),
      onSent: metrics?.mailSent,
      onFailed: metrics?.mailFailed,
    });
  });
  app.addHook('onClose', async () => sender?.stop());
  // Alerts, digests and the suggested tags' training: ticked here, decided by their job rows, so that
  // one collector of several runs each.
  let stopNotifications = async (): Promise<void> => {};
  app.addHook('onReady', async () => {
    const deps = { store, queue: queueMail, publicUrl: config.publicUrl, now };
    stopNotifications = scheduleNotifications(
      [
        alertJob(deps, config.alerts),
        digestJob(deps, config.termMinReviews),
        tagModelJob({ ...deps, termMinReviews: config.termMinReviews }),
      ],
      (error) => app.log.error({ err: error }, 'alerts, digests or tag models failed'),
      notificationTickMs,
    );
  });
  app.addHook('onClose', async () => stopNotifications());
  // The agency API and space (SPEC §8): sessions, API keys and CSRF live in this scope only.
  await app.register(agencyScope, { config, store, reads, now, queueMail });
  return app;
}
