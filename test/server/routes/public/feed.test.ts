import Ajv2020 from 'ajv/dist/2020.js';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import { buildApp } from '../../../../server/app.ts';
import { testConfig, type Config } from '../../../../server/config.ts';
import { FEED_CSV_COLUMNS } from '../../../../server/feed-csv.ts';
import type { Store } from '../../../../server/store/store.ts';
import type { Feed, FeedProcedure } from '../../../../shared/feed.ts';
import type { FollowUpAnswers } from '../../../../shared/questionnaire.ts';
import { testDatabase, type TestDatabase } from '../../../helpers/test-database.ts';
import { addProcedure } from '../../../helpers/procedures.ts';

// The feed (SPEC §4, §6) through the real API: reviews and follow-ups are posted with POST /api/v1/reviews on
// chosen days (the app's injectable clock), then the feed is read as a dashboard reads it.

const TODAY = '2026-11-22';
let app: FastifyInstance;
let store: Store;
let db: TestDatabase;
let clock = new Date(`${TODAY}T10:00:00Z`);

async function start(overrides: Partial<Config> = {}): Promise<void> {
  db = await testDatabase();
  store = await db.open();
  const origins = ['https://service.example.gouv.fr'];
  await addProcedure(store, {
    id: 'passeport',
    title: 'Demande de passeport',
    entity: 'Ministère de l’Intérieur',
    origins,
    placements: ['site', 'email'],
  });
  await addProcedure(store, { id: 'impots', title: 'Déclarer ses revenus, « en ligne »', entity: 'DGFiP', origins });
  await addProcedure(store, { id: 'carte-grise', title: 'Carte grise', entity: 'Ministère de l’Intérieur', origins });
  app = await buildApp({
    config: testConfig({ ...db.options, rateLimitPerMinute: 0, ratingsPerClientPerDay: 0, ...overrides }),
    store,
    now: () => clock,
  });
}

afterEach(async () => {
  await app?.close();
  await store?.close();
});

interface Posted {
  id: number;
  token: string;
}

/** Posts a hot rating at noon (UTC) on `day`, then optional follow-ups a few minutes later. */
async function review(
  day: string,
  procedure: string,
  satisfaction: string,
  placement?: string,
  answers?: FollowUpAnswers,
): Promise<Posted> {
  clock = new Date(`${day}T12:00:00Z`);
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/reviews',
    payload: { procedure, satisfaction, ...(placement && { placement }) },
  });
  expect(created.statusCode).toBe(201);
  const posted = created.json() as Posted;
  if (answers) await followUp(posted, answers);
  clock = new Date(`${TODAY}T10:00:00Z`);
  return posted;
}

async function followUp(posted: Posted, answers: FollowUpAnswers): Promise<void> {
  const at = clock;
  clock = new Date(clock.getTime() + 5 * 60_000);
  const reply = await app.inject({ method: 'POST', url: `/api/v1/reviews/${posted.id}`, payload: { token: posted.token, answers } });
  expect(reply.statusCode).toBe(200);
  clock = at;
}

async function getFeed(query = ''): Promise<Feed> {
  const reply = await app.inject({ method: 'GET', url: `/api/v1/feed${query}` });
  expect(reply.statusCode).toBe(200);
  return reply.json() as Feed;
}

const procedure = (feed: Feed, id: string): FeedProcedure => feed.procedures.find((p) => p.id === id)!;

/** A small but complete workload for `passeport`, computed by hand below. */
async function postWorkload(): Promise<void> {
  // 2025-11-22 is the day before the default window (2025-11-23 … 2026-11-22): never counted by default.
  await review('2025-11-22', 'passeport', 'bad', 'site', { clarity: 1 });
  await review('2025-11-23', 'passeport', 'medium', 'site', { clarity: 3, help_sought: ['none'] });
  await review('2026-10-15', 'passeport', 'good', 'email', {
    clarity: 5,
    help_sought: ['phone', 'email', 'relative'],
    help_reached: { phone: 'yes', email: 'no' },
    help_quality: { phone: 4 },
  });
  await review('2026-10-15', 'passeport', 'bad', 'email', {
    help_sought: ['counter', 'chat'],
    help_reached: { counter: 'yes', chat: 'yes' },
    help_quality: { counter: 2, chat: 5 },
  });
  await review('2026-11-01', 'passeport', 'good', undefined, { clarity: 4, help_sought: ['none'], comment: 'SECRET-COMMENT' });
  await review('2026-11-22', 'passeport', 'good', 'site');
  await review('2026-11-22', 'impots', 'medium');
}

describe('the feed’s numbers are the method of SPEC §4 over the reviews posted through the API', () => {
  test('over the default window, with hand-computed indicators and trend', async () => {
    await start({ feedMinReviews: 3 });
    await postWorkload();
    const feed = await getFeed();

    expect(feed.window).toEqual({ from: '2025-11-23', to: TODAY });
    expect(feed.method.min_reviews).toBe(3);
    expect(feed.generated_at).toBe('2026-11-22T10:00:00Z');
    // carte-grise, never rated, is not listed: only procedures with a review in the window are.
    expect(feed.procedures.map((p) => p.id)).toEqual(['impots', 'passeport']);

    const passeport = procedure(feed, 'passeport');
    expect(passeport).toMatchObject({ id: 'passeport', title: 'Demande de passeport', entity: 'Ministère de l’Intérieur', reviews: 5 });
    expect(passeport.indicators).toEqual({
      // 3 good, 1 medium, 1 bad: (30 + 5 + 0) / 5 = 7.0
      satisfaction: { score: 7, interval: { low: 0.8, high: 10 }, level: 'average', answers: 5, counts: { good: 3, medium: 1, bad: 1 } },
      // 3, 5, 4 → 5 + 10 + 7.5 = 22.5 / 3 = 7.5
      clarity: { score: 7.5, interval: { low: 0, high: 10 }, level: 'average', answers: 3, counts: { 1: 0, 2: 0, 3: 1, 4: 1, 5: 1 } },
      // phone yes, email no, counter yes, chat yes: 3 / 4 = 0.75, across channels
      help_reachable: { rate: 0.75, interval: { low: 0.3, high: 0.96 }, level: 'average', answers: 4, counts: { yes: 3, no: 1 } },
      // phone 4, counter 2, chat 5 → 7.5 + 2.5 + 10 = 20 / 3 = 6.67
      help_quality: { score: 6.7, interval: { low: 0, high: 10 }, level: 'average', answers: 3, counts: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 1 } },
      // 4 reviews answered help_sought (one of them with three channels), 2 of them "none"
      autonomy: { rate: 0.5, interval: { low: 0.15, high: 0.85 }, level: null, answers: 4, counts: { none: 2, sought: 2 } },
    });

    // Every month the window touches; satisfaction only where the month alone has 3 reviews.
    expect(passeport.trend).toHaveLength(13);
    expect(passeport.trend[0]).toEqual({ month: '2025-11', reviews: 1, satisfaction: null, satisfaction_interval: null });
    expect(passeport.trend.filter((p) => p.reviews > 0)).toEqual([
      { month: '2025-11', reviews: 1, satisfaction: null, satisfaction_interval: null },
      { month: '2026-10', reviews: 2, satisfaction: null, satisfaction_interval: null },
      { month: '2026-11', reviews: 2, satisfaction: null, satisfaction_interval: null },
    ]);

    // Below the threshold: the review count, nothing else.
    expect(procedure(feed, 'impots')).toMatchObject({
      reviews: 1,
      indicators: { satisfaction: { score: null, level: 'not_enough_data', answers: null, counts: null } },
    });
    // Asked for by id, a procedure without reviews is there, with its count of 0.
    expect(procedure(await getFeed('?procedure=carte-grise'), 'carte-grise').reviews).toBe(0);
  });

  test('a month that alone reaches the threshold publishes its satisfaction in the trend', async () => {
    await start({ feedMinReviews: 3 });
    for (const satisfaction of ['good', 'good', 'medium']) await review('2026-09-03', 'carte-grise', satisfaction);
    await review('2026-08-31', 'carte-grise', 'bad');
    const trend = procedure(await getFeed('?procedure=carte-grise'), 'carte-grise').trend;
    expect(trend.find((p) => p.month === '2026-09')).toEqual({
      month: '2026-09',
      reviews: 3,
      satisfaction: 8.3,
      satisfaction_interval: { low: 0, high: 10 },
    });
    expect(trend.find((p) => p.month === '2026-08')).toEqual({
      month: '2026-08',
      reviews: 1,
      satisfaction: null,
      satisfaction_interval: null,
    });
  });

  test('the window is inclusive on both ends (UTC days)', async () => {
    await start({ feedMinReviews: 1 });
    await postWorkload();
    const reviews = async (query: string) => procedure(await getFeed(query), 'passeport').reviews;
    expect(await reviews('?from=2026-10-15&to=2026-11-01')).toBe(3);
    expect(await reviews('?from=2026-10-16&to=2026-11-01')).toBe(1);
    expect(await reviews('?from=2026-10-15&to=2026-10-31')).toBe(2);
    expect(await reviews('?from=2025-11-22&to=2025-11-22')).toBe(1);
    expect(await reviews('?from=2025-11-22')).toBe(6);
    // A review at 23:59:59 UTC belongs to its day, one at 00:00:00 to the next.
    clock = new Date('2026-06-30T23:59:59Z');
    await app.inject({ method: 'POST', url: '/api/v1/reviews', payload: { procedure: 'carte-grise', satisfaction: 'good' } });
    clock = new Date('2026-07-01T00:00:00Z');
    await app.inject({ method: 'POST', url: '/api/v1/reviews', payload: { procedure: 'carte-grise', satisfaction: 'good' } });
    clock = new Date(`${TODAY}T10:00:00Z`);
    expect(procedure(await getFeed('?to=2026-06-30&from=2026-06-30'), 'carte-grise').reviews).toBe(1);
    expect(procedure(await getFeed('?from=2026-07-01&to=2026-07-01'), 'carte-grise').reviews).toBe(1);
  });

  test('filters: procedure list, entity, placement', async () => {
    await start({ feedMinReviews: 1 });
    await postWorkload();
    expect((await getFeed('?procedure=passeport,impots')).procedures.map((p) => p.id)).toEqual(['impots', 'passeport']);
    // An entity's list is a list: carte-grise, never rated, is not in it.
    expect((await getFeed(`?entity=${encodeURIComponent('Ministère de l’Intérieur')}`)).procedures.map((p) => p.id)).toEqual(['passeport']);
    expect((await getFeed('?entity=Nobody')).procedures).toEqual([]);

    const site = procedure(await getFeed('?placement=site'), 'passeport');
    expect(site.reviews).toBe(2); // 2025-11-23 medium and 2026-11-22 good; 2025-11-22 is outside the window
    expect(site.indicators.satisfaction.counts).toEqual({ good: 1, medium: 1, bad: 0 });
    expect(site.indicators.clarity.counts).toEqual({ 1: 0, 2: 0, 3: 1, 4: 0, 5: 0 });
    expect(procedure(await getFeed('?placement=default'), 'passeport').reviews).toBe(1);
  });

  test('the publication threshold: 99 reviews publish no score, the 100th publishes it (default threshold)', async () => {
    await start();
    for (let i = 0; i < 99; i++) await review('2026-11-20', 'passeport', i < 60 ? 'good' : i < 90 ? 'medium' : 'bad');
    const below = procedure(await getFeed(), 'passeport');
    expect(below.reviews).toBe(99);
    expect(below.indicators.satisfaction).toEqual({ score: null, interval: null, level: 'not_enough_data', answers: null, counts: null });
    await review('2026-11-21', 'passeport', 'bad');
    const at = procedure(await getFeed(), 'passeport');
    expect(at.indicators.satisfaction).toEqual({
      score: 7.5,
      interval: { low: 6.8, high: 8.2 },
      level: 'average',
      answers: 100,
      counts: { good: 60, medium: 30, bad: 10 },
    });
    expect(at.indicators.clarity).toEqual({
      score: null,
      interval: null,
      level: 'no_answers',
      answers: 0,
      counts: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 },
    });
    expect(at.trend.at(-1)).toEqual({ month: '2026-11', reviews: 100, satisfaction: 7.5, satisfaction_interval: { low: 6.8, high: 8.2 } });
  });

  test('a replaced follow-up moves its counts and never double-counts', async () => {
    await start({ feedMinReviews: 1 });
    const posted = await review('2026-11-10', 'passeport', 'good', 'site', {
      clarity: 1,
      help_sought: ['phone'],
      help_reached: { phone: 'no' },
    });
    let indicators = procedure(await getFeed(), 'passeport').indicators;
    expect(indicators.clarity.counts).toEqual({ 1: 1, 2: 0, 3: 0, 4: 0, 5: 0 });
    expect(indicators.help_reachable.counts).toEqual({ yes: 0, no: 1 });
    expect(indicators.autonomy.counts).toEqual({ none: 0, sought: 1 });

    clock = new Date('2026-11-10T12:30:00Z');
    await followUp(posted, { clarity: 5, help_sought: ['none'] });
    clock = new Date(`${TODAY}T10:00:00Z`);
    indicators = procedure(await getFeed(), 'passeport').indicators;
    expect(indicators.satisfaction.counts).toEqual({ good: 1, medium: 0, bad: 0 });
    expect(indicators.clarity).toEqual({
      score: 10,
      interval: { low: 0, high: 10 },
      level: 'good',
      answers: 1,
      counts: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 1 },
    });
    expect(indicators.help_reachable).toEqual({ rate: null, interval: null, level: 'no_answers', answers: 0, counts: { yes: 0, no: 0 } });
    expect(indicators.autonomy).toEqual({
      rate: 1,
      interval: { low: 0.2, high: 1 },
      level: null,
      answers: 1,
      counts: { none: 1, sought: 0 },
    });

    // The same follow-up sent twice changes nothing.
    clock = new Date('2026-11-10T12:40:00Z');
    await followUp(posted, { clarity: 5, help_sought: ['none'] });
    clock = new Date(`${TODAY}T10:00:00Z`);
    expect(procedure(await getFeed(), 'passeport').indicators).toEqual(indicators);
    const stored = await db.rows(
      "SELECT day, question, answer, count FROM daily_rollups WHERE procedure_id = 'passeport' ORDER BY question, answer",
    );
    expect(stored).toEqual([
      { day: '2026-11-10', question: 'autonomy', answer: 'none', count: 1 },
      { day: '2026-11-10', question: 'clarity', answer: '5', count: 1 },
      { day: '2026-11-10', question: 'help_sought', answer: 'none', count: 1 },
      { day: '2026-11-10', question: 'satisfaction', answer: 'good', count: 1 },
    ]);
  });

  test('no free text ever appears in the feed, its CSV or the observatory pages', async () => {
    await start({ feedMinReviews: 1 });
    await review('2026-11-01', 'passeport', 'good', undefined, {
      help_sought: ['other'],
      help_other: 'SECRET-OTHER',
      comment: 'SECRET-COMMENT',
    });
    for (const url of ['/api/v1/feed', '/api/v1/feed.csv', '/observatoire', '/observatoire/passeport']) {
      const body = (await app.inject({ method: 'GET', url })).body;
      expect(body).not.toContain('SECRET');
    }
  });
});

describe('HTTP behaviour', () => {
  test('a window ending on the last day the query accepts (9999-12-31) is served, not computed for ever', async () => {
    await start({ feedMinReviews: 1 });
    for (const url of ['/api/v1/feed?to=9999-12-31', '/api/v1/feed.csv?from=9999-12-01&to=9999-12-31']) {
      const reply = await app.inject({ method: 'GET', url });
      expect(reply.statusCode).toBe(200);
    }
  });

  test('ETag changes exactly when the data changes; If-None-Match gets a 304; public cache for a minute', async () => {
    await start({ feedMinReviews: 1 });
    const first = await app.inject({ method: 'GET', url: '/api/v1/feed' });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
    expect(first.headers['cache-control']).toBe('public, max-age=60');

    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(first.body).toBe(JSON.stringify(first.json())); // plain JSON, keys in the documented order

    const again = await app.inject({ method: 'GET', url: '/api/v1/feed' });
    expect(again.headers.etag).toBe(etag);
    expect(again.body).toBe(first.body);

    const notModified = await app.inject({ method: 'GET', url: '/api/v1/feed', headers: { 'if-none-match': etag } });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.body).toBe('');
    expect(notModified.headers.etag).toBe(etag);
    expect((await app.inject({ method: 'GET', url: '/api/v1/feed', headers: { 'if-none-match': `"other", ${etag}` } })).statusCode).toBe(
      304,
    );
    expect((await app.inject({ method: 'GET', url: '/api/v1/feed', headers: { 'if-none-match': etag.slice(2) } })).statusCode).toBe(304);
    expect((await app.inject({ method: 'GET', url: '/api/v1/feed', headers: { 'if-none-match': '"other"' } })).statusCode).toBe(200);
    // The CSV describes the same data in other bytes: its own ETag.
    const csv = await app.inject({ method: 'GET', url: '/api/v1/feed.csv', headers: { 'if-none-match': etag } });
    expect(csv.statusCode).toBe(200);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/feed.csv', headers: { 'if-none-match': csv.headers.etag as string } })).statusCode,
    ).toBe(304);

    const posted = await review('2026-11-21', 'passeport', 'good');
    const afterReview = await app.inject({ method: 'GET', url: '/api/v1/feed', headers: { 'if-none-match': etag } });
    expect(afterReview.statusCode).toBe(200);
    expect(afterReview.headers.etag).not.toBe(etag);
    expect(procedure(afterReview.json(), 'passeport').reviews).toBe(1);

    clock = new Date('2026-11-21T12:10:00Z');
    await followUp(posted, { clarity: 2 });
    clock = new Date(`${TODAY}T10:00:00Z`);
    const afterFollowUp = await app.inject({ method: 'GET', url: '/api/v1/feed' });
    expect(afterFollowUp.headers.etag).not.toBe(afterReview.headers.etag);

    // Another procedure's review changes the full feed, not a feed filtered on passeport.
    const filtered = await app.inject({ method: 'GET', url: '/api/v1/feed?procedure=passeport' });
    await review('2026-11-21', 'impots', 'good');
    expect((await app.inject({ method: 'GET', url: '/api/v1/feed?procedure=passeport' })).headers.etag).toBe(filtered.headers.etag);
    expect((await app.inject({ method: 'GET', url: '/api/v1/feed' })).headers.etag).not.toBe(afterFollowUp.headers.etag);

    // A new day moves the default window: new data, new ETag.
    clock = new Date('2026-11-23T00:00:01Z');
    const tomorrow = await app.inject({ method: 'GET', url: '/api/v1/feed?procedure=passeport' });
    expect(tomorrow.headers.etag).not.toBe(filtered.headers.etag);
    expect(tomorrow.json().window).toEqual({ from: '2025-11-24', to: '2026-11-23' });
  });

  test('a list and the same procedures asked for by id are different feeds, with different ETags', async () => {
    await start({ feedMinReviews: 1 });
    await review('2025-11-22', 'passeport', 'bad'); // the day before the default window
    const list = await app.inject({ method: 'GET', url: '/api/v1/feed' });
    // A list leaves out a procedure without reviews in the window; asked for by id, it is there.
    expect((list.json() as Feed).procedures).toEqual([]);
    const byId = await app.inject({ method: 'GET', url: '/api/v1/feed?procedure=passeport' });
    expect(byId.statusCode).toBe(200);
    expect(procedure(byId.json() as Feed, 'passeport').reviews).toBe(0);
    expect(byId.headers.etag).not.toBe(list.headers.etag);
    const revalidated = await app.inject({
      method: 'GET',
      url: '/api/v1/feed?procedure=passeport',
      headers: { 'if-none-match': list.headers.etag as string },
    });
    expect(revalidated.statusCode).toBe(200);
  });

  test('a review written by another process (another connection to the database) shows within a second', async () => {
    await start({ feedMinReviews: 1 });
    const before = await app.inject({ method: 'GET', url: '/api/v1/feed?procedure=passeport' });
    expect((await app.inject({ method: 'GET', url: '/api/v1/feed?procedure=passeport' })).headers.etag).toBe(before.headers.etag);

    const other = await db.open();
    await other.reviews.create({
      procedureId: 'passeport',
      placementId: 'default',
      satisfaction: 'good',
      lang: 'fr',
      tokenHash: Buffer.alloc(32),
      createdAt: new Date(`${TODAY}T09:00:00Z`),
    });
    await other.close();

    // SQLite sees another connection's commit at the next request; PostgreSQL within a second (a poll).
    const feed = () =>
      app.inject({ method: 'GET', url: '/api/v1/feed?procedure=passeport', headers: { 'if-none-match': before.headers.etag as string } });
    await expect.poll(async () => (await feed()).statusCode, { timeout: 1000, interval: 50 }).toBe(200);
    const after = await feed();
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(procedure(after.json(), 'passeport').reviews).toBe(1);
  });

  test('CORS is open to every origin, on the feed, its CSV and its schema', async () => {
    await start();
    for (const url of ['/api/v1/feed', '/api/v1/feed.csv', '/api/v1/feed/schema.json']) {
      const reply = await app.inject({ method: 'GET', url, headers: { origin: 'https://dashboard.example.org' } });
      expect(reply.statusCode).toBe(200);
      expect(reply.headers['access-control-allow-origin']).toBe('*');
    }
  });

  // Every 400 of the feed: code invalid_query, details naming the offending parameter(s).
  const badQueries: { name: string; query: string; fields: string[] }[] = [
    { name: 'malformed date', query: '?from=2026-1-01', fields: ['from'] },
    { name: 'impossible date', query: '?to=2026-02-30', fields: ['to'] },
    { name: 'date with a time', query: '?from=2026-01-01T00:00:00Z', fields: ['from'] },
    { name: 'inverted range', query: '?from=2026-03-01&to=2026-02-28', fields: ['from'] },
    { name: 'from after today (default to)', query: '?from=2026-12-01', fields: ['from'] },
    { name: 'window over 5 years', query: '?from=2021-11-22&to=2026-11-22', fields: ['from'] },
    { name: 'unknown query parameter', query: '?procedures=passeport', fields: ['procedures'] },
    { name: 'two unknown query parameters', query: '?year=2026&format=xml', fields: ['year', 'format'] },
    { name: 'parameter given twice', query: '?from=2026-01-01&from=2026-02-01', fields: ['from'] },
    { name: 'procedure id not a slug', query: '?procedure=Passeport', fields: ['procedure'] },
    { name: 'empty procedure in the list', query: '?procedure=passeport,', fields: ['procedure'] },
    { name: 'unknown procedure', query: '?procedure=passeport,inconnue', fields: ['procedure'] },
    { name: 'empty entity', query: '?entity=', fields: ['entity'] },
    { name: 'placement not a slug', query: '?placement=Site%20web', fields: ['placement'] },
  ];
  test.each(badQueries)('400 invalid_query: $name', async ({ query, fields }) => {
    await start();
    for (const path of ['/api/v1/feed', '/api/v1/feed.csv']) {
      const reply = await app.inject({ method: 'GET', url: `${path}${query}` });
      expect(reply.statusCode).toBe(400);
      const { error } = reply.json();
      expect(error.code).toBe('invalid_query');
      expect(error.message).toEqual(expect.any(String));
      expect(error.details.map((d: { field: string }) => d.field)).toEqual(fields);
    }
  });
});

describe('observatory pages, as served', () => {
  test('a procedure titled <script>alert(1)</script> shows as text, under a strict CSP', async () => {
    await start({ feedMinReviews: 1 });
    await addProcedure(store, {
      id: 'xss',
      title: '<script>alert(1)</script>',
      entity: '"><img src=x onerror=alert(2)>',
      origins: ['https://a.fr'],
    });
    await review('2026-11-01', 'xss', 'good');
    for (const url of ['/observatoire', '/observatoire/xss', '/observatoire/xss?lang=en']) {
      const reply = await app.inject({ method: 'GET', url });
      expect(reply.statusCode).toBe(200);
      expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(reply.headers['content-security-policy']).toContain("script-src 'self'");
      expect(reply.headers['content-security-policy']).not.toContain('unsafe-inline');
      expect(reply.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(reply.body).not.toContain('<script');
      expect(reply.body).not.toContain('<img');
    }
  });

  test('500 procedures nobody rated leave /observatoire, the feed and its CSV unchanged, byte for byte', async () => {
    await start({ feedMinReviews: 1 });
    await postWorkload();
    const interior = `?entity=${encodeURIComponent('Ministère de l’Intérieur')}`;
    const urls = ['/observatoire', '/observatoire?lang=en', '/api/v1/feed', '/api/v1/feed.csv', `/api/v1/feed${interior}`];
    const read = async () =>
      Promise.all(
        urls.map(async (url) => {
          const reply = await app.inject({ method: 'GET', url });
          expect(reply.statusCode, url).toBe(200);
          return { url, etag: reply.headers.etag, body: reply.body };
        }),
      );
    const before = await read();
    for (let i = 0; i < 500; i++) {
      await addProcedure(store, {
        id: `vide-${i}`,
        title: 'Une démarche sans avis '.repeat(9),
        entity: 'Ministère de l’Intérieur',
        origins: ['https://a.fr'],
      });
    }
    expect(await read()).toEqual(before);
    // Each is still there when asked for by id: its agency checks its integration.
    expect(procedure(await getFeed('?procedure=vide-499'), 'vide-499').reviews).toBe(0);
    expect((await app.inject({ method: 'GET', url: '/observatoire/vide-499' })).statusCode).toBe(200);
    // The first review lists it.
    await review('2026-11-21', 'vide-7', 'good');
    expect((await getFeed()).procedures.map((p) => p.id)).toEqual(['impots', 'passeport', 'vide-7']);
  });

  test('an unknown procedure is a 404 page, in the asked language', async () => {
    await start();
    const reply = await app.inject({ method: 'GET', url: '/observatoire/inconnue?lang=en' });
    expect(reply.statusCode).toBe(404);
    expect(reply.body).toContain('<html lang="en">');
    expect(reply.body).toContain('Procedure not found');
    expect((await app.inject({ method: 'GET', url: '/observatoire/NOT_A_SLUG' })).statusCode).toBe(404);
  });
});

describe('schema and CSV', () => {
  test('real feed output validates against the published JSON Schema, in every indicator shape', async () => {
    await start({ feedMinReviews: 3 });
    await postWorkload(); // passeport above the threshold, impots below, carte-grise without reviews
    await review('2026-11-02', 'impots', 'good');
    await review('2026-11-02', 'impots', 'good'); // impots: 3 reviews, no follow-up: no_answers shapes
    const schema = await app.inject({ method: 'GET', url: '/api/v1/feed/schema.json' });
    expect(schema.headers['content-type']).toMatch(/^application\/schema\+json/);
    const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema.json());

    const feed = await getFeed();
    expect(procedure(feed, 'impots').indicators.clarity.level).toBe('no_answers');
    expect(validate(feed), JSON.stringify(validate.errors)).toBe(true);
    const unrated = await getFeed('?procedure=carte-grise');
    expect(procedure(unrated, 'carte-grise').indicators.clarity.level).toBe('not_enough_data');
    expect(validate(unrated), JSON.stringify(validate.errors)).toBe(true);

    // The schema is not a rubber stamp: a free-text field or a score without its counts fails it.
    const leaked = structuredClone(feed) as unknown as { procedures: Record<string, unknown>[] };
    leaked.procedures[0]!.comment = 'free text';
    expect(validate(leaked)).toBe(false);
    const countless = structuredClone(feed);
    (procedure(countless, 'passeport').indicators.satisfaction as { counts: unknown }).counts = null;
    expect(validate(countless)).toBe(false);
  });

  test('the CSV has one row per procedure, stable columns, a BOM, and parses back to the JSON', async () => {
    await start({ feedMinReviews: 3 });
    await addProcedure(store, { id: 'formule', title: '=HYPERLINK("x")', entity: 'Test, "quotes"', origins: ['https://a.fr'] });
    await postWorkload();
    await review('2026-11-02', 'formule', 'good');
    const json = await getFeed();
    const reply = await app.inject({ method: 'GET', url: '/api/v1/feed.csv' });
    expect(reply.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(reply.headers['content-disposition']).toBe('attachment; filename="jdma-feed-2025-11-23-2026-11-22.csv"');
    expect(reply.headers.etag).toMatch(/-csv"$/);
    expect(reply.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));

    const [header, ...rows] = parseCsv(reply.body.replace(/^\uFEFF/, ''));
    expect(header).toEqual([...FEED_CSV_COLUMNS]);
    expect(header!.slice(0, 12)).toEqual([
      'id',
      'title',
      'entity',
      'window_from',
      'window_to',
      'reviews',
      'satisfaction_score',
      'satisfaction_level',
      'satisfaction_answers',
      'satisfaction_good',
      'satisfaction_medium',
      'satisfaction_bad',
    ]);
    expect(rows).toHaveLength(json.procedures.length);
    rows.forEach((cells, i) => {
      const fields = Object.fromEntries(header!.map((name, j) => [name, cells[j]]));
      expect(fields).toEqual(flatten(json, json.procedures[i]!));
    });
    // The one deliberate difference: a cell a spreadsheet would run as a formula is prefixed with an apostrophe.
    expect(rows.find((cells) => cells[0] === 'formule')![1]).toBe('\'=HYPERLINK("x")');
  });

  test('every way a cell can start a formula is defused, also after spaces; other text is left alone', async () => {
    await start();
    const starts = ['=', '+', '-', '@', '\t', '\r', '\n', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20', '  =', ' \u3000+', ' \t'];
    const titles = new Map(starts.map((start, i) => [`formule-${i}`, `${start}HYPERLINK("x")`]));
    const harmless = new Map([
      ['texte-1', 'a=b'],
      ['texte-2', '  texte'],
      ['texte-3', 'Ministère « A »'],
    ]);
    // Stored directly: the API refuses a title with a tab or a line break, but older rows may hold one.
    for (const [id, title] of [...titles, ...harmless]) {
      await addProcedure(store, { id, title, entity: `${title} ${id}`, origins: ['https://a.fr'] });
      // The public list shows rated procedures only.
      await review('2026-10-15', id, 'good');
    }
    const reply = await app.inject({ method: 'GET', url: '/api/v1/feed.csv' });
    const byId = new Map(parseCsv(reply.body.replace(/^\uFEFF/, '')).map((cells) => [cells[0], cells]));
    for (const [id, title] of titles) {
      expect(byId.get(id)!.slice(1, 3), JSON.stringify(title)).toEqual([`'${title}`, `'${title} ${id}`]);
    }
    for (const [id, title] of harmless) expect(byId.get(id)!.slice(1, 3)).toEqual([title, `${title} ${id}`]);
  });
});

/** The JSON feed flattened the way the CSV documents it: null as an empty cell, formulas defused. */
function flatten(feed: Feed, p: FeedProcedure): Record<string, string> {
  const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
  const defuse = (value: string) => (/^\s*[=+\-@\t\r\n＝＋－＠]/.test(value) ? `'${value}` : value);
  const out: Record<string, string> = {
    id: p.id,
    title: defuse(p.title),
    entity: defuse(p.entity),
    window_from: feed.window.from,
    window_to: feed.window.to,
    reviews: text(p.reviews),
  };
  for (const [name, indicator] of Object.entries(p.indicators) as [string, Record<string, unknown>][]) {
    const valueKey = 'score' in indicator ? 'score' : 'rate';
    out[`${name}_${valueKey}`] = text(indicator[valueKey]);
    out[`${name}_level`] = text(indicator.level);
    out[`${name}_answers`] = text(indicator.answers);
    const interval = indicator.interval as { low: number; high: number } | null;
    out[`${name}_${valueKey}_low`] = text(interval?.low);
    out[`${name}_${valueKey}_high`] = text(interval?.high);
  }
  const countKeys = {
    satisfaction: ['good', 'medium', 'bad'],
    clarity: ['1', '2', '3', '4', '5'],
    help_reachable: ['yes', 'no'],
    help_quality: ['1', '2', '3', '4', '5'],
    autonomy: ['none', 'sought'],
  };
  for (const [name, keys] of Object.entries(countKeys)) {
    const counts = (p.indicators as unknown as Record<string, { counts: Record<string, number> | null }>)[name]!.counts;
    for (const key of keys) out[`${name}_${key}`] = text(counts?.[key]);
  }
  return out;
}

/** RFC 4180, as a spreadsheet reads it: quoted fields with doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') record.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field), records.push(record), (field = ''), (record = []), i++;
    } else field += c;
  }
  expect(field).toBe('');
  expect(record).toEqual([]);
  return records;
}
