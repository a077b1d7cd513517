import pg from 'pg';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { procedureStats } from '../../../server/agency/procedure-stats.ts';
import { randomBytes } from 'node:crypto';
import type { FollowUpAnswers, SatisfactionAnswer } from '../../../shared/questionnaire.ts';
import type { Procedure, ReviewFilters, ReviewRecord, Store } from '../../../server/store/store.ts';
import { testDatabase, type TestDatabase } from '../../helpers/test-database.ts';
import { seedReviews } from '../../helpers/seed-reviews.ts';

// The agency's listing, search and moderation, at the store (both engines): what the routes of
// routes/agency/api/agency-reviews.ts hand on, with nothing of HTTP in the way.

let db: TestDatabase;
let store: Store;
let procedure: Procedure;

beforeEach(async () => {
  db = await testDatabase();
  store = await db.open();
  await store.entities.add({ id: 'interieur', name: 'Ministère de l’Intérieur' });
  await store.procedures.add({ id: 'passeport', title: 'Passeport', entityId: 'interieur', origins: [] });
  await store.procedures.addPlacement('passeport', 'site');
  procedure = (await store.procedures.find('passeport'))!;
});
afterEach(async () => store?.close());

const WINDOW = { from: '2026-01-01', to: '2026-12-31' };
const all = (extra: Partial<ReviewFilters> = {}): ReviewFilters => ({
  ...WINDOW,
  placementId: null,
  satisfaction: null,
  hasComment: null,
  q: null,
  ...extra,
});

async function rate(at: string, satisfaction: SatisfactionAnswer = 'good', placementId = 'default', answers?: FollowUpAnswers) {
  const id = await store.reviews.create({
    procedureId: 'passeport',
    placementId,
    satisfaction,
    lang: 'fr',
    tokenHash: randomBytes(32),
    createdAt: new Date(at),
  });
  if (answers) await store.reviews.replaceFollowUps(id, answers, new Date(at));
  return id;
}

/** Every review of a listing, page by page; `between` runs after each page. */
async function listAll(filters: ReviewFilters, limit: number, options: { scan?: number; between?: () => Promise<void> } = {}) {
  const seen: ReviewRecord[] = [];
  let pages = 0;
  for (let after = null as Parameters<Store['reviews']['page']>[2]['after']; ; ) {
    const page = await store.reviews.page('passeport', filters, { after, limit, ...(options.scan && { scan: options.scan }) });
    expect(page.reviews.length).toBeLessThanOrEqual(limit);
    seen.push(...page.reviews);
    pages++;
    await options.between?.();
    if (!page.next) return { seen, pages };
    after = page.next;
  }
}

test('paging 10,000 reviews while others arrive shows each review once, none missing, newest first', async () => {
  await seedReviews(db, { procedureId: 'passeport', count: 10_000, lastDay: '2026-11-30', days: 300, commentEvery: 7 });
  const before = await db.rows<{ id: number }>('SELECT id FROM reviews ORDER BY id');
  let inserted = 0;
  const { seen } = await listAll(all(), 97, {
    // New reviews land everywhere in the window: today, and on days already listed or not yet.
    between: async () => {
      for (const day of ['2026-11-30', '2026-06-15', '2026-02-01']) {
        await rate(`${day}T10:00:00Z`);
        inserted++;
      }
    },
  });
  const ids = seen.map((review) => review.id);
  expect(new Set(ids).size).toBe(ids.length);
  const shown = new Set(ids);
  expect(before.filter(({ id }) => !shown.has(Number(id)))).toEqual([]);
  expect(inserted).toBeGreaterThan(300);
  const order = seen.map((review) => [review.day, review.id] as const);
  for (let i = 1; i < order.length; i++) {
    const [day, id] = order[i]!;
    const [previousDay, previousId] = order[i - 1]!;
    expect(day < previousDay || (day === previousDay && id < previousId)).toBe(true);
  }
});

test('a review carries its date, placement, language, every answer and its free text', async () => {
  const id = await rate('2026-05-04T08:30:00Z', 'medium', 'site', {
    clarity: 2,
    help_sought: ['phone', 'other', 'counter'],
    help_other: 'Un forum',
    help_reached: { phone: 'yes', counter: 'no' },
    help_quality: { phone: 4 },
    comment: 'Trop long',
  });
  const { reviews, next } = await store.reviews.page('passeport', all(), { after: null, limit: 10 });
  expect(next).toBeNull();
  expect(reviews).toEqual([
    {
      id,
      createdAt: Date.parse('2026-05-04T08:30:00Z'),
      day: '2026-05-04',
      placementId: 'site',
      test: false,
      lang: 'fr',
      answers: {
        satisfaction: 'medium',
        clarity: 2,
        help_sought: ['counter', 'phone', 'other'],
        help_reached: { counter: 'no', phone: 'yes' },
        help_quality: { phone: 4 },
      },
      formVersion: null,
      comment: 'Trop long',
      helpOther: 'Un forum',
      hidden: null,
      piiSuspected: false,
      suspects: [],
      status: 'new',
      tags: [],
      spam: null,
      duplicate: null,
    },
  ]);
});

test('filters: window, placement, satisfaction, has_comment, and q without accents or case', async () => {
  const a = await rate('2026-03-01T10:00:00Z', 'good', 'site', { comment: 'La Démarche était CLAIRE' });
  const b = await rate('2026-03-02T10:00:00Z', 'bad', 'default', { comment: 'Cœur de la démarche : illisible' });
  const c = await rate('2026-03-03T10:00:00Z', 'bad', 'default', { help_sought: ['other'], help_other: 'Une amie, ÉLODIE' });
  const d = await rate('2026-04-01T10:00:00Z', 'good', 'default');
  const ids = async (extra: Partial<ReviewFilters>) => (await listAll(all(extra), 10)).seen.map((review) => review.id);
  expect(await ids({})).toEqual([d, c, b, a]);
  expect(await ids({ from: '2026-03-02', to: '2026-03-03' })).toEqual([c, b]);
  expect(await ids({ placementId: 'site' })).toEqual([a]);
  expect(await ids({ satisfaction: 'bad' })).toEqual([c, b]);
  expect(await ids({ hasComment: true })).toEqual([b, a]);
  expect(await ids({ hasComment: false })).toEqual([d, c]);
  expect(await ids({ q: 'demarche' })).toEqual([b, a]);
  expect(await ids({ q: 'DÉMARCHE' })).toEqual([b, a]);
  expect(await ids({ q: 'coeur' })).toEqual([b]);
  expect(await ids({ q: 'elodie' })).toEqual([c]);
  expect(await ids({ q: 'demarche', satisfaction: 'good' })).toEqual([a]);
  expect(await ids({ q: 'absent' })).toEqual([]);
  // Characters that mean something to LIKE are searched as themselves.
  expect(await ids({ q: '%' })).toEqual([]);
});

test('a filtered page scans a bounded number of reviews; the cursor goes on from where the scan stopped', async () => {
  await seedReviews(db, { procedureId: 'passeport', count: 3000, lastDay: '2026-11-30', days: 100, commentEvery: 50 });
  const bounded = await listAll(all({ q: 'tres bien' }), 20, { scan: 400 });
  const unbounded = await listAll(all({ q: 'tres bien' }), 20);
  expect(bounded.seen.map((r) => r.id)).toEqual(unbounded.seen.map((r) => r.id));
  expect(bounded.seen).toHaveLength(60);
  expect(bounded.pages).toBeGreaterThan(unbounded.pages);
});

test('hidden free text leaves lists, search and exports; its answers keep counting; restore brings it back', async () => {
  const id = await rate('2026-03-01T10:00:00Z', 'bad', 'default', {
    clarity: 1,
    help_sought: ['other'],
    help_other: 'Mon voisin',
    comment: 'Texte injurieux',
  });
  const counts = () => store.rollups.monthCounts('passeport', WINDOW, null, '2026-12-31');
  const countsBefore = await counts();
  const at = new Date('2026-03-05T09:00:00Z');

  const hidden = await store.reviews.setHidden('passeport', id, { reason: 'Injurieux', by: 'admin@interieur.gouv.fr', at });
  expect(hidden).toMatchObject({
    changed: true,
    review: { id, comment: null, helpOther: null, hidden: { reason: 'Injurieux', at: at.getTime(), by: 'admin@interieur.gouv.fr' } },
  });
  expect((await store.reviews.setHidden('passeport', id, { reason: 'Autre', by: 'x@y.fr', at }))?.changed).toBe(false);
  const [listed] = (await store.reviews.page('passeport', all(), { after: null, limit: 10 })).reviews;
  expect(listed).toMatchObject({
    comment: null,
    helpOther: null,
    answers: { satisfaction: 'bad', clarity: 1 },
    hidden: { reason: 'Injurieux' },
  });
  expect((await store.reviews.page('passeport', all({ q: 'injurieux' }), { after: null, limit: 10 })).reviews).toEqual([]);
  const exported: ReviewRecord[] = [];
  for await (const batch of store.reviews.batches('passeport', all())) exported.push(...batch);
  expect(exported).toMatchObject([{ id, comment: null, helpOther: null }]);
  expect(await counts()).toEqual(countsBefore);
  // Nothing is deleted: the text is still stored.
  expect(await db.rows('SELECT comment FROM reviews WHERE id = ?', id)).toEqual([{ comment: 'Texte injurieux' }]);

  const restored = await store.reviews.setHidden('passeport', id, null);
  expect(restored).toMatchObject({ changed: true, review: { comment: 'Texte injurieux', helpOther: 'Mon voisin', hidden: null } });
  expect((await store.reviews.page('passeport', all({ q: 'injurieux' }), { after: null, limit: 10 })).reviews).toHaveLength(1);
  expect(await store.reviews.setHidden('other', id, null)).toBeUndefined();
  expect(await store.reviews.setHidden('passeport', id + 1000, null)).toBeUndefined();
});

test('retention erases the search text with the free text', async () => {
  await rate('2026-03-01T10:00:00Z', 'good', 'default', { comment: 'Démarche longue' });
  await store.reviews.purge(Date.parse('2026-04-01T00:00:00Z'), 0);
  expect(await db.rows('SELECT comment, help_other, search_text FROM reviews')).toEqual([
    { comment: null, help_other: null, search_text: null },
  ]);
  expect((await store.reviews.page('passeport', all({ q: 'demarche' }), { after: null, limit: 10 })).reviews).toEqual([]);
});

test('stats of 3 reviews give exact scores, series and placements, with no threshold', async () => {
  await rate('2026-03-02T10:00:00Z', 'good', 'site', { clarity: 5, help_sought: ['none'] });
  await rate('2026-03-04T10:00:00Z', 'medium', 'default', {
    clarity: 3,
    help_sought: ['phone'],
    help_reached: { phone: 'yes' },
    help_quality: { phone: 2 },
  });
  await rate('2026-04-20T10:00:00Z', 'bad', 'default');
  const stats = await procedureStats(
    store,
    procedure,
    { window: { from: '2026-03-01', to: '2026-04-30' }, placement: null, interval: 'month' },
    '2026-05-01',
  );
  expect(stats.reviews).toBe(3);
  expect(stats.indicators.satisfaction).toEqual({
    score: 5,
    interval: { low: 0, high: 10 },
    level: 'average',
    answers: 3,
    counts: { good: 1, medium: 1, bad: 1 },
  });
  expect(stats.indicators.clarity).toEqual({
    score: 7.5,
    interval: { low: 0, high: 10 },
    level: 'average',
    answers: 2,
    counts: { 1: 0, 2: 0, 3: 1, 4: 0, 5: 1 },
  });
  expect(stats.indicators.help_reachable).toMatchObject({ rate: 1, level: 'good', answers: 1 });
  expect(stats.indicators.help_quality).toMatchObject({ score: 2.5, level: 'poor', answers: 1 });
  expect(stats.indicators.autonomy).toMatchObject({ rate: 0.5, level: null, counts: { none: 1, sought: 1 } });
  expect(stats.series.map(({ from, to, reviews, indicators }) => [from, to, reviews, indicators.satisfaction.score])).toEqual([
    ['2026-03-01', '2026-03-31', 2, 7.5],
    ['2026-04-01', '2026-04-30', 1, 0],
  ]);
  expect(stats.placements.map(({ placement, reviews, indicators }) => [placement, reviews, indicators.satisfaction.score])).toEqual([
    ['default', 2, 2.5],
    ['site', 1, 10],
  ]);

  const weekly = await procedureStats(
    store,
    procedure,
    { window: { from: '2026-03-01', to: '2026-03-10' }, placement: 'site', interval: 'week' },
    '2026-05-01',
  );
  // 2026-03-01 is a Sunday: its week started on Monday 23 February, clipped to the window.
  expect(weekly.series.map(({ from, to, reviews }) => [from, to, reviews])).toEqual([
    ['2026-03-01', '2026-03-01', 0],
    ['2026-03-02', '2026-03-08', 1],
    ['2026-03-09', '2026-03-10', 0],
  ]);
  expect(weekly.placements.map((p) => p.placement)).toEqual(['site']);
  const daily = await procedureStats(
    store,
    procedure,
    { window: { from: '2026-03-01', to: '2026-03-04' }, placement: null, interval: 'day' },
    '2026-05-01',
  );
  expect(daily.series.map((point) => point.reviews)).toEqual([0, 1, 0, 1]);
  expect(daily.reviews).toBe(2);
});

test('a rename onto a name another connection takes meanwhile is told taken by the unique constraint, and changes nothing', async () => {
  const delays = (await store.tags.add('interieur', 'Délais', 0))!;
  const welcome = (await store.tags.add('interieur', 'Accueil', 0))!;
  const rivalRename = `UPDATE entity_tags SET name = 'Attente' WHERE id = ${delays.id}`;
  let outcome: Promise<'renamed' | 'missing' | 'taken'>;
  if (db.engine === 'postgres') {
    // The store's rename must be waiting on the rival's uncommitted row, as in two requests at once,
    // so that only the constraint (never a look beforehand) can see the name is taken.
    const rival = new pg.Client({ connectionString: db.options.databaseUrl });
    await rival.connect();
    try {
      await rival.query('BEGIN');
      await rival.query(rivalRename);
      outcome = store.tags.rename('interieur', welcome.id, 'Attente');
      for (let waiting = 0; waiting === 0; ) {
        const { rows } = await rival.query(
          "SELECT count(*)::integer AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database() AND pid <> pg_backend_pid()",
        );
        waiting = rows[0].n;
      }
      await rival.query('COMMIT');
    } finally {
      await rival.end();
    }
  } else {
    // SQLite takes one writer at a time: the rival's rename is committed before the store's runs.
    await db.exec(rivalRename);
    outcome = store.tags.rename('interieur', welcome.id, 'Attente');
  }
  expect(await outcome).toBe('taken');
  const rows = await db.rows<{ id: number; name: string }>('SELECT id, name FROM entity_tags ORDER BY id');
  expect(rows.map((row) => [Number(row.id), row.name])).toEqual([
    [delays.id, 'Attente'],
    [welcome.id, 'Accueil'],
  ]);
});
