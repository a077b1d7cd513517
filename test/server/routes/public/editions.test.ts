import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Package } from 'datapackage';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { buildApp } from '../../../../server/app.ts';
import { testConfig } from '../../../../server/config.ts';
import { publishEdition, quarterWindow } from '../../../../server/edition-publishing.ts';
import { IMPACT_COLUMNS } from '../../../../server/impact-csv.ts';
import type { Store } from '../../../../server/store/store.ts';
import type { Feed } from '../../../../shared/feed.ts';
import { runCli } from '../../../helpers/cli-process.ts';
import { addProcedure } from '../../../helpers/procedures.ts';
import { testDatabase, type TestDatabase } from '../../../helpers/test-database.ts';

// Quarterly editions (SPEC §6 "Editions"): a quarter's figures frozen once it is over, stored as
// bytes and served as they were, whatever arrives later; refusals store nothing.

const MIN_REVIEWS = 3;
const AFTER_Q3 = new Date('2026-10-01T00:30:00Z');
let app: FastifyInstance;
let store: Store;
let db: TestDatabase;
let clock = AFTER_Q3;

beforeEach(async () => {
  db = await testDatabase();
  store = await db.open();
  const origins = ['https://service.example.gouv.fr'];
  await addProcedure(store, { id: 'passeport', title: 'Demande de passeport', entity: 'Ministère de l’Intérieur', origins });
  await addProcedure(store, { id: 'impots', title: 'Déclarer ses revenus', entity: 'DGFiP', origins });
  app = await buildApp({
    config: testConfig({ ...db.options, rateLimitPerMinute: 0, ratingsPerClientPerDay: 0, feedMinReviews: MIN_REVIEWS }),
    store,
    now: () => clock,
  });
});

afterEach(async () => {
  await app?.close();
  await store?.close();
});

/** A rating (and its clarity answer) posted at `at`; the clock then goes back to where it was. */
async function review(at: string, procedure: string, satisfaction: string, clarity?: number): Promise<void> {
  const before = clock;
  clock = new Date(at);
  const created = await app.inject({ method: 'POST', url: '/api/v1/reviews', payload: { procedure, satisfaction } });
  expect(created.statusCode).toBe(201);
  if (clarity) {
    const { id, token } = created.json() as { id: number; token: string };
    const saved = await app.inject({ method: 'POST', url: `/api/v1/reviews/${id}`, payload: { token, answers: { clarity } } });
    expect(saved.statusCode).toBe(200);
  }
  clock = before;
}

async function seedQ3(): Promise<void> {
  await review('2026-08-15T12:00:00Z', 'passeport', 'good', 5);
  await review('2026-08-16T12:00:00Z', 'passeport', 'good', 4);
  await review('2026-09-30T23:00:00Z', 'passeport', 'bad', 2);
  await review('2026-08-17T12:00:00Z', 'impots', 'good'); // below the threshold: its count only
}

const publish = (quarter: string, now = clock) => publishEdition(store, { minReviews: MIN_REVIEWS, now }, quarter);
const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('publishing an edition', () => {
  test('a quarter’s window is the 12 months ending on its last day', () => {
    expect(quarterWindow('2026-Q3')).toEqual({ from: '2025-10-01', to: '2026-09-30' });
    expect(quarterWindow('2026-Q4')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(quarterWindow('2027-Q1')).toEqual({ from: '2026-04-01', to: '2027-03-31' });
    expect(quarterWindow('2026-Q5')).toBeUndefined();
  });

  test('a quarter that is not over, or a malformed one, is refused and nothing is stored', async () => {
    await seedQ3();
    const before = await db.snapshot();
    expect(await publish('2026-Q3', new Date('2026-09-30T23:59:59Z'))).toEqual({ outcome: 'not_over', endsOn: '2026-09-30' });
    expect(await publish('2026-Q4')).toEqual({ outcome: 'not_over', endsOn: '2026-12-31' });
    expect(await publish('2026-q3')).toEqual({ outcome: 'malformed' });
    expect(await db.snapshot()).toEqual(before);
    expect(await db.rows('SELECT quarter FROM editions')).toEqual([]);
  });

  test('the edition holds the window, method version, threshold and n per indicator, in JSON, CSV and the impact format', async () => {
    await seedQ3();
    const published = await publish('2026-Q3');
    expect(published.outcome).toBe('published');
    const reply = await get('/api/v1/editions/2026-Q3.json');
    expect(reply.statusCode).toBe(200);
    const edition = reply.json() as Feed & { edition: Record<string, unknown> };
    expect(edition.edition).toEqual({ quarter: '2026-Q3', published_at: '2026-10-01T00:30:00Z', method_version: 1 });
    expect(edition.window).toEqual({ from: '2025-10-01', to: '2026-09-30' });
    expect(edition.method.min_reviews).toBe(MIN_REVIEWS);
    const passeport = edition.procedures.find((p) => p.id === 'passeport')!;
    // By hand: good 10, good 10, bad 0 → 20/3 = 6.7; clarity 5, 4, 2 → marks 10, 7.5, 2.5 → 6.7.
    expect(passeport.reviews).toBe(3);
    expect(passeport.indicators.satisfaction).toMatchObject({ score: 6.7, answers: 3 });
    expect(passeport.indicators.clarity).toMatchObject({ score: 6.7, answers: 3 });
    expect(edition.procedures.find((p) => p.id === 'impots')).toMatchObject({ reviews: 1, indicators: { satisfaction: { score: null } } });

    const csv = await get('/api/v1/editions/2026-Q3.csv');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(csv.body).toContain('passeport,Demande de passeport,Ministère de l’Intérieur,2025-10-01,2026-09-30,3,6.7,');
    expect((await get('/api/v1/editions/2026-Q3')).rawPayload).toEqual(reply.rawPayload);
  });

  test('the impact file reads through the schema’s fields (types, required, allowed values)', async () => {
    await seedQ3();
    await publish('2026-Q3');
    const impact = await get('/api/v1/editions/2026-Q3.impact.csv');
    expect(impact.statusCode).toBe(200);
    const dir = await mkdtemp(join(tmpdir(), 'jdma-impact-'));
    try {
      await writeFile(join(dir, 'impact.csv'), impact.rawPayload);
      const resource = (
        await Package.load(
          { resources: [{ name: 'impact', path: 'impact.csv', profile: 'tabular-data-resource', schema: IMPACT_SCHEMA }] },
          { basePath: dir },
        )
      ).getResource('impact')!;
      const rows = await resource.read({ keyed: true, cast: true });
      expect(resource.headers).toEqual([...IMPACT_COLUMNS]);
      const passeport = rows.filter((row) => row.nom_service_public_numerique === 'Demande de passeport');
      expect(passeport.map((row) => [row.indicateur, row.valeur, row.unite_mesure])).toEqual([
        ['Nombre d’avis', 3, 'unité'],
        ['Satisfaction des usagers', 6.7, 'note sur 10'],
        ['Facilité de compréhension', 6.7, 'note sur 10'],
      ]);
      expect(passeport[1]).toMatchObject({
        administration_rattachement: 'Ministère de l’Intérieur',
        est_periode: true,
        est_cible: false,
        est_automatise: true,
      });
      expect(String(passeport[1]!.commentaires)).toMatch(/^n = 3 réponses ; intervalle de confiance à 95 % : /);
      // Below the threshold, only the count is published.
      expect(rows.filter((row) => row.nom_service_public_numerique === 'Déclarer ses revenus').map((row) => row.indicateur)).toEqual([
        'Nombre d’avis',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('served twice, byte-identical, immutable, its checksum as ETag; 304 on If-None-Match', async () => {
    await seedQ3();
    await publish('2026-Q3');
    const list = (await get('/api/v1/editions')).json() as {
      editions: { quarter: string; files: Record<string, { url: string; sha256: string; bytes: number }> }[];
    };
    expect(list.editions.map((e) => e.quarter)).toEqual(['2026-Q3']);
    for (const [name, suffix] of [
      ['json', '.json'],
      ['csv', '.csv'],
      ['impact_csv', '.impact.csv'],
    ] as const) {
      const file = list.editions[0]!.files[name]!;
      expect(file.url).toBe(`http://127.0.0.1:8080/api/v1/editions/2026-Q3${suffix}`);
      const first = await get(`/api/v1/editions/2026-Q3${suffix}`);
      const second = await get(`/api/v1/editions/2026-Q3${suffix}`);
      expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
      expect(sha256(first.rawPayload)).toBe(file.sha256);
      expect(first.rawPayload.length).toBe(file.bytes);
      expect(first.headers).toMatchObject({
        etag: `"${file.sha256}"`,
        'cache-control': 'public, max-age=31536000, immutable',
        'access-control-allow-origin': '*',
      });
      const revalidated = await get(`/api/v1/editions/2026-Q3${suffix}`, { 'if-none-match': `"${file.sha256}"` });
      expect(revalidated.statusCode).toBe(304);
      expect(revalidated.body).toBe('');
    }
  });

  test('a late review in the quarter changes the live feed, not the edition', async () => {
    await seedQ3();
    await publish('2026-Q3');
    const frozen = (await get('/api/v1/editions/2026-Q3.json')).rawPayload;
    const frozenCsv = (await get('/api/v1/editions/2026-Q3.csv')).rawPayload;
    await review('2026-09-30T23:30:00Z', 'passeport', 'good', 5);
    const live = (await get('/api/v1/feed?from=2025-10-01&to=2026-09-30')).json() as Feed;
    expect(live.procedures.find((p) => p.id === 'passeport')!.reviews).toBe(4);
    expect((await get('/api/v1/editions/2026-Q3.json')).rawPayload.equals(frozen)).toBe(true);
    expect((await get('/api/v1/editions/2026-Q3.csv')).rawPayload.equals(frozenCsv)).toBe(true);
  });

  test('publishing again, or twice at once, keeps the first edition and stores nothing more', async () => {
    await seedQ3();
    const [a, b] = await Promise.all([publish('2026-Q3'), publish('2026-Q3', new Date('2026-10-01T00:31:00Z'))]);
    expect([a.outcome, b.outcome].sort()).toEqual(['already_published', 'published']);
    const before = await db.snapshot();
    const served = (await get('/api/v1/editions/2026-Q3.json')).rawPayload;
    await review('2026-09-30T23:30:00Z', 'passeport', 'good');
    const afterReview = await db.snapshot();
    expect(await publish('2026-Q3', new Date('2027-01-05T00:00:00Z'))).toMatchObject({ outcome: 'already_published' });
    expect(await db.snapshot()).toEqual(afterReview);
    expect(afterReview.editions).toEqual(before.editions);
    expect((await get('/api/v1/editions/2026-Q3.json')).rawPayload.equals(served)).toBe(true);
  });
});

describe('refusals', () => {
  test.each([['2026-Q5'], ['2026Q3'], ['Q3-2026'], ['2026-q3'], ['2026-Q3.xml'], ['2026-Q3.csv.json'], ['26-Q3']])(
    'a malformed quarter (%s) is 400 invalid_quarter',
    async (name) => {
      const before = await db.snapshot();
      const reply = await get(`/api/v1/editions/${name}`);
      expect(reply.statusCode).toBe(400);
      expect(reply.json().error.code).toBe('invalid_quarter');
      expect(await db.snapshot()).toEqual(before);
    },
  );

  test('a quarter with no edition is 404 edition_not_found, in every format', async () => {
    await seedQ3();
    await publish('2026-Q3');
    const before = await db.snapshot();
    for (const name of ['2026-Q2', '2026-Q2.csv', '2026-Q2.impact.csv', '2026-Q4.json']) {
      const reply = await get(`/api/v1/editions/${name}`);
      expect(reply.statusCode, name).toBe(404);
      expect(reply.json().error.code).toBe('edition_not_found');
    }
    expect(await db.snapshot()).toEqual(before);
  });
});

describe('jdma edition publish', () => {
  /** The quarter now running (UTC), and the one before it, from the real clock the command reads. */
  const quarters = () => {
    const now = new Date();
    const index = now.getUTCFullYear() * 4 + Math.floor(now.getUTCMonth() / 3);
    const name = (i: number) => `${Math.floor(i / 4)}-Q${(i % 4) + 1}`;
    return { current: name(index), previous: name(index - 1) };
  };

  test('publishes an ended quarter once; refuses a running one, a malformed one and a second time, each with its status', async () => {
    const { current, previous } = quarters();
    await store.close();
    const env = { ...db.env, PUBLIC_URL: 'https://avis.example.gouv.fr' };
    const malformed = runCli(['edition', 'publish', '--quarter', '2026-T3'], env);
    expect(malformed).toMatchObject({ status: 2, stdout: '' });
    expect(malformed.stderr).toContain('trimestre invalide « 2026-T3 »');
    expect(runCli(['edition', 'publish'], env).status).toBe(2);
    const running = runCli(['edition', 'publish', '--quarter', current], env);
    expect(running.status).toBe(3);
    expect(running.stderr).toContain('n’est pas terminé');
    expect(await db.rows('SELECT quarter FROM editions')).toEqual([]);

    const done = runCli(['edition', 'publish', '--quarter', previous], env);
    expect(done).toMatchObject({ status: 0, stderr: '' });
    expect(done.stdout).toContain(`https://avis.example.gouv.fr/api/v1/editions/${previous}`);
    const stored = await db.rows('SELECT quarter, json_sha256 FROM editions');
    expect(stored).toHaveLength(1);

    const again = runCli(['edition', 'publish', '--quarter', previous], env);
    expect(again.status).toBe(4);
    expect(again.stderr).toContain('déjà publiée');
    expect(await db.rows('SELECT quarter, json_sha256 FROM editions')).toEqual(stored);
  });
});

/**
 * The fields of etalab/schema-impact-service-public-numerique v0.5.0 as its documentation lists
 * them (type, required, allowed values), as a Table Schema.
 */
const IMPACT_SCHEMA = {
  fields: [
    { name: 'administration_rattachement', type: 'string', constraints: { required: true } },
    { name: 'nom_service_public_numerique', type: 'string', constraints: { required: true } },
    { name: 'indicateur', type: 'string', constraints: { required: true } },
    { name: 'valeur', type: 'number', constraints: { required: true } },
    { name: 'unite_mesure', type: 'string', constraints: { required: true } },
    { name: 'est_cible', type: 'boolean', constraints: { required: true } },
    { name: 'type_indicateur', type: 'string', constraints: { required: true, enum: ['usage', 'impact'] } },
    {
      name: 'frequence_monitoring',
      type: 'string',
      constraints: {
        required: true,
        enum: ['quotidienne', 'hebdomadaire', 'mensuelle', 'annuelle', 'trimestrielle', 'semestrielle', 'autre'],
      },
    },
    { name: 'date', type: 'date', format: '%Y-%m-%d', constraints: { required: true } },
    { name: 'est_periode', type: 'boolean', constraints: { required: true } },
    { name: 'date_debut', type: 'date', format: '%Y-%m-%d' },
    { name: 'est_automatise', type: 'boolean', constraints: { required: true } },
    { name: 'source_collecte', type: 'string', constraints: { required: true } },
    { name: 'denom_insee', type: 'string' },
    { name: 'code_insee', type: 'string' },
    { name: 'dataviz_wish', type: 'string', constraints: { enum: ['linechart', 'barchart', 'map', 'scatterplot', 'piechart'] } },
    { name: 'commentaires', type: 'string' },
  ],
};
