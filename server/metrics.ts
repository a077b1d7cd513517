import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

// What the operator's Prometheus scrapes from GET /metrics. One registry per collector (not
// prom-client's global one), so that several apps in one process (tests) never share counts.
// Every label value comes from a short list of our own (route patterns, error codes, channels):
// never a raw URL, an origin or anything a client made up, which would grow the series without end.

export type Metrics = ReturnType<typeof createMetrics>;

export type RatingChannel = 'api' | 'hosted_form';
export type FeedCacheResult = 'hit' | 'miss' | 'not_modified';

/** A child bound to its labels, for a hot path that must not look labels up per request. */
interface Observer {
  observe(value: number): void;
}
interface Incrementer {
  inc(value?: number): void;
}

export function createMetrics() {
  const registry = new Registry();
  // Process figures, among them nodejs_eventloop_lag_seconds: a saturated event loop is what
  // slows every reply at once.
  collectDefaultMetrics({ register: registry });

  const accepted = new Counter({
    name: 'jdma_ratings_accepted_total',
    help: 'Hot ratings stored, by channel (the API, used by the widget, or the hosted form).',
    labelNames: ['channel'] as const,
    registers: [registry],
  });
  const refused = new Counter({
    name: 'jdma_ratings_refused_total',
    help: 'Refused rating and follow-up attempts, by reason: the error codes the integration health counts.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'jdma_http_request_duration_seconds',
    help: 'Time from receiving a request to sending its reply, by route pattern, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const batches = new Histogram({
    name: 'jdma_group_commit_batch_size',
    help: 'Hot ratings committed together in one transaction (group commit).',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
    registers: [registry],
  });
  const feedCache = new Counter({
    name: 'jdma_feed_cache_requests_total',
    help: 'Feed requests (API and observatory): answered from the cache, computed, or not modified (ETag).',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const serverErrors = new Counter({
    name: 'jdma_server_errors_total',
    help: 'Replies 503 storage_unavailable (the database out of reach) and 500 internal_error.',
    labelNames: ['code'] as const,
    registers: [registry],
  });

  const mailsSent = new Counter({
    name: 'jdma_mails_sent_total',
    help: 'Mails delivered by this collector (SMTP, or an .eml file).',
    registers: [registry],
  });
  const mailsFailed = new Counter({
    name: 'jdma_mails_failed_total',
    help: 'Mails this collector gave up on, a day after they were queued (jdma mail list --failed).',
    registers: [registry],
  });
  // Read from the outbox at each scrape: the rows every collector on the database still has to send.
  let countQueued: (() => Promise<number>) | undefined;
  new Gauge({
    name: 'jdma_mails_queued',
    help: 'Mails in the outbox not yet sent, by any collector on this database (retries included).',
    registers: [registry],
    async collect() {
      // A database out of reach leaves the last figure: the scrape still answers.
      if (!countQueued) return;
      try {
        this.set(await countQueued());
      } catch {}
    },
  });
  for (const counter of [mailsSent, mailsFailed]) counter.inc(0);

  const accepting: Record<RatingChannel, Incrementer> = { api: accepted.labels('api'), hosted_form: accepted.labels('hosted_form') };
  const caching: Record<FeedCacheResult, Incrementer> = {
    hit: feedCache.labels('hit'),
    miss: feedCache.labels('miss'),
    not_modified: feedCache.labels('not_modified'),
  };
  // Published from 0, so that a rate over the first scrapes is right: a series appears at its first count otherwise.
  for (const child of [...Object.values(accepting), ...Object.values(caching)]) child.inc(0);
  // Reasons and codes are our error codes: few, and each child made once, on first use.
  const childOf = (counter: Counter<'reason'> | Counter<'code'>, children: Map<string, Incrementer>, value: string): Incrementer => {
    let child = children.get(value);
    if (!child) children.set(value, (child = counter.labels(value)));
    return child;
  };
  const refusedBy = new Map<string, Incrementer>();
  const errorsBy = new Map<string, Incrementer>();

  return {
    registry,
    ratingAccepted: (channel: RatingChannel): void => accepting[channel].inc(),
    ratingRefused: (reason: string): void => childOf(refused, refusedBy, reason).inc(),
    batchCommitted: (size: number): void => batches.observe(size),
    feedCache: (result: FeedCacheResult): void => caching[result].inc(),
    serverError: (code: string): void => childOf(serverErrors, errorsBy, code).inc(),
    mailSent: (): void => mailsSent.inc(),
    mailFailed: (): void => mailsFailed.inc(),
    /** Where the queued-mails gauge reads its figure. */
    watchOutbox: (count: () => Promise<number>): void => {
      countQueued = count;
    },
    /** The latency observers of one route, one per status code, made on first use. */
    routeLatency(route: string, method: string): (status: number, seconds: number) => void {
      const byStatus = new Map<number, Observer>();
      return (status, seconds) => {
        let child = byStatus.get(status);
        if (!child) byStatus.set(status, (child = latency.labels(route, method, String(status))));
        child.observe(seconds);
      };
    },
  };
}
