import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import { buildApp } from '../../../../server/app.ts';
import { testConfig, type Config } from '../../../../server/config.ts';
import { createMetrics } from '../../../../server/metrics.ts';
import { StorageUnavailableError, type Store } from '../../../../server/store/store.ts';
import { postRatingForm } from '../../../helpers/hosted-form.ts';
import { testDatabase } from '../../../helpers/test-database.ts';
import { startTestServer, tempDir } from '../../../helpers/test-server.ts';
import { addProcedure } from '../../../helpers/procedures.ts';

// GET /metrics: Prometheus' text format, for the operator, behind METRICS_TOKEN. The counts are
// read back from the exposition text, as Prometheus reads them.

const COLLECTOR = 'http://127.0.0.1:8080';
const AGENCY = 'https://passeport.example.gouv.fr';
const TOKEN = 'un-jeton-de-test-assez-long';

let app: FastifyInstance;
let store: Store;
let clock = new Date('2026-11-22T10:00:00Z');
const thinking = { advance: (ms: number) => void (clock = new Date(clock.getTime() + ms)) };

async function start(overrides: Partial<Config> = {}, wrapStore: (store: Store) => Store = (s) => s): Promise<void> {
  const db = await testDatabase();
  const metrics = createMetrics();
  store = await db.open({ onBatch: metrics.batchCommitted });
  await addProcedure(store, { id: 'demande-passeport', title: 'Demande de passeport', entity: 'Intérieur', origins: [AGENCY] });
  const config = testConfig({ ...db.options, publicUrl: COLLECTOR, metricsToken: TOKEN, feedMinReviews: 1, ...overrides });
  app = await buildApp({ config, store: wrapStore(store), now: () => clock, metrics });
}
afterEach(async () => {
  await app?.close();
  await store?.close();
});

const rate = (body: Record<string, unknown>, origin = AGENCY) =>
  app.inject({ method: 'POST', url: '/api/v1/reviews', headers: { 'content-type': 'text/plain', origin }, payload: JSON.stringify(body) });

const scrape = (authorization?: string) => app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });

/** The samples of an exposition text, by `name{label="value",…}` with labels in name order. */
function samples(text: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const [, name, labels = '', value] = match;
    const pairs = [...labels.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => `${k}="${v}"`).sort();
    found.set(pairs.length ? `${name}{${pairs.join(',')}}` : name!, Number(value));
  }
  return found;
}

describe('GET /metrics', () => {
  test('without METRICS_TOKEN the address does not exist: 404, as any unknown one', async () => {
    await start({ metricsToken: undefined });
    const reply = await scrape(`Bearer ${TOKEN}`);
    expect(reply.statusCode).toBe(404);
    expect(reply.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });

  test.each([
    ['no Authorization header', undefined],
    ['a wrong token', 'Bearer un-autre-jeton-de-test-assez-long'],
    ['the token without "Bearer"', TOKEN],
    ['the token as Basic credentials', `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`],
    ['the token cut short', `Bearer ${TOKEN.slice(0, -1)}`],
  ])('with %s: 401 unauthorized, in the one error shape, and no figure', async (_name, authorization) => {
    await start();
    const reply = await scrape(authorization);
    expect(reply.statusCode).toBe(401);
    expect(reply.headers['www-authenticate']).toBe('Bearer');
    expect(reply.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    expect(reply.body).not.toContain('jdma_');
  });

  test('with the token: ratings accepted and refused by reason, latency per route pattern, batches, feed cache, event-loop lag', async () => {
    await start({ ratingsPerClientPerDay: 4 });
    for (const satisfaction of ['good', 'medium', 'bad'])
      expect((await rate({ procedure: 'demande-passeport', satisfaction })).statusCode).toBe(201);
    expect(
      (await postRatingForm(app, thinking, '/avis/demande-passeport', { satisfaction: 'good' }, { origin: COLLECTOR })).statusCode,
    ).toBe(201);
    // Refusals, each with the code the integration health counts.
    expect((await rate({ procedure: 'demande-passeport', satisfaction: 'good' })).statusCode).toBe(429); // the 5th of the day
    expect((await rate({ procedure: 'inconnue', satisfaction: 'good' })).statusCode).toBe(404);
    expect((await rate({ procedure: 'inconnue-aussi', satisfaction: 'good' })).statusCode).toBe(404);
    expect((await rate({ procedure: 'demande-passeport', satisfaction: 'great' })).statusCode).toBe(400);
    expect((await rate({ procedure: 'demande-passeport', satisfaction: 'good' }, 'https://evil.example')).statusCode).toBe(403);
    expect(
      (await postRatingForm(app, thinking, '/avis/demande-passeport', { satisfaction: 'good', website: 'x' }, { origin: COLLECTOR }))
        .statusCode,
    ).toBe(400);
    // The feed: computed, then from the cache, then not modified for a client that has it.
    const feed = await app.inject({ url: '/api/v1/feed' });
    await app.inject({ url: '/api/v1/feed' });
    expect((await app.inject({ url: '/api/v1/feed', headers: { 'if-none-match': String(feed.headers.etag) } })).statusCode).toBe(304);
    await app.inject({ url: `/api/v1/reviews/123456789/${'x'.repeat(5)}` }); // unmatched: never a label

    const reply = await scrape(`Bearer ${TOKEN}`);
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const figures = samples(reply.body);
    expect(figures.get('jdma_ratings_accepted_total{channel="api"}')).toBe(3);
    expect(figures.get('jdma_ratings_accepted_total{channel="hosted_form"}')).toBe(1);
    expect(Object.fromEntries([...figures].filter(([key]) => key.startsWith('jdma_ratings_refused_total')))).toEqual({
      'jdma_ratings_refused_total{reason="too_many_ratings"}': 1,
      'jdma_ratings_refused_total{reason="unknown_procedure"}': 2,
      'jdma_ratings_refused_total{reason="invalid_body"}': 1,
      'jdma_ratings_refused_total{reason="origin_not_allowed"}': 1,
      'jdma_ratings_refused_total{reason="honeypot"}': 1,
    });
    expect(figures.get('jdma_http_request_duration_seconds_count{method="POST",route="/api/v1/reviews",status="201"}')).toBe(3);
    expect(figures.get('jdma_http_request_duration_seconds_count{method="POST",route="/api/v1/reviews",status="404"}')).toBe(2);
    expect(figures.get('jdma_http_request_duration_seconds_count{method="POST",route="/avis/:procedure",status="201"}')).toBe(1);
    expect(figures.get('jdma_http_request_duration_seconds_count{method="GET",route="/api/v1/feed",status="304"}')).toBe(1);
    expect(figures.get('jdma_http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/api/v1/reviews",status="201"}')).toBe(3);
    expect([...figures.keys()].filter((key) => key.includes('123456789') || key.includes('inconnue'))).toEqual([]);
    // Every accepted rating went through one group-commit batch or another.
    expect(figures.get('jdma_group_commit_batch_size_sum')).toBe(4);
    expect(figures.get('jdma_group_commit_batch_size_count')).toBe(4); // posted one after the other
    expect(figures.get('jdma_feed_cache_requests_total{result="miss"}')).toBe(1);
    expect(figures.get('jdma_feed_cache_requests_total{result="hit"}')).toBe(1);
    expect(figures.get('jdma_feed_cache_requests_total{result="not_modified"}')).toBe(1);
    expect(figures.get('nodejs_eventloop_lag_seconds')).toEqual(expect.any(Number));
    expect(figures.get('jdma_server_errors_total{code="storage_unavailable"}')).toBeUndefined();
  });

  test.each([
    ['the database out of reach', new StorageUnavailableError('connection refused'), 503, 'storage_unavailable'],
    ['an unexpected database error', new Error('disk I/O error'), 500, 'internal_error'],
  ])('%s is counted by its code (%s → %i)', async (_name, failure, status, code) => {
    await start({}, (real) => ({ ...real, reviews: { ...real.reviews, create: () => Promise.reject(failure) } }));
    const reply = await rate({ procedure: 'demande-passeport', satisfaction: 'good' });
    expect(reply.statusCode).toBe(status);
    expect(reply.json().error.code).toBe(code);
    const figures = samples((await scrape(`Bearer ${TOKEN}`)).body);
    expect(figures.get(`jdma_server_errors_total{code="${code}"}`)).toBe(1);
    expect(figures.get('jdma_ratings_accepted_total{channel="api"}')).toBe(0);
  });

  test('the collector as started (jdma serve) counts the group-commit batches of its store', async () => {
    const temp = tempDir();
    const server = await startTestServer(`${temp.dir}/metrics.sqlite`, { metricsToken: TOKEN, rateLimitPerMinute: 0 });
    try {
      const post = () =>
        fetch(`${server.url}/api/v1/reviews`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ procedure: 'demo', satisfaction: 'good' }),
        });
      expect((await Promise.all(Array.from({ length: 5 }, post))).map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
      const text = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
      expect(samples(text).get('jdma_group_commit_batch_size_sum')).toBe(5);
    } finally {
      await server.close();
      temp.remove();
    }
  });
});
