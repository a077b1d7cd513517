import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Package, validate } from 'datapackage';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { buildApp } from '../../../../server/app.ts';
import { testConfig } from '../../../../server/config.ts';
import { FEED_CSV_COLUMNS } from '../../../../server/feed-csv.ts';
import type { Store } from '../../../../server/store/store.ts';
import type { Feed } from '../../../../shared/feed.ts';
import { addProcedure } from '../../../helpers/procedures.ts';
import { testDatabase } from '../../../helpers/test-database.ts';

// feed.csv's Table Schema and data package, checked with Frictionless's own JavaScript library
// (datapackage, which reads and casts each row through tableschema): the descriptor is valid, and
// the CSV the collector serves reads through the schema with every row typed, or fails.

let app: FastifyInstance;
let store: Store;
let dir: string;
let clock = new Date('2026-11-22T10:00:00Z');

beforeEach(async () => {
  const db = await testDatabase();
  store = await db.open();
  const origins = ['https://service.example.gouv.fr'];
  await addProcedure(store, { id: 'passeport', title: 'Demande de passeport', entity: 'Ministère de l’Intérieur', origins });
  await addProcedure(store, { id: 'impots', title: '=Impôts, « en ligne »', entity: 'DGFiP', origins });
  app = await buildApp({
    config: testConfig({ ...db.options, rateLimitPerMinute: 0, ratingsPerClientPerDay: 0, feedMinReviews: 3 }),
    store,
    now: () => clock,
  });
  dir = await mkdtemp(join(tmpdir(), 'jdma-open-data-'));
});

afterEach(async () => {
  await app?.close();
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

async function review(procedure: string, satisfaction: string, clarity?: number): Promise<void> {
  clock = new Date('2026-11-01T12:00:00Z');
  const created = await app.inject({ method: 'POST', url: '/api/v1/reviews', payload: { procedure, satisfaction } });
  expect(created.statusCode).toBe(201);
  if (clarity) {
    const { id, token } = created.json() as { id: number; token: string };
    const saved = await app.inject({ method: 'POST', url: `/api/v1/reviews/${id}`, payload: { token, answers: { clarity } } });
    expect(saved.statusCode).toBe(200);
  }
  clock = new Date('2026-11-22T10:00:00Z');
}

async function json(url: string) {
  const reply = await app.inject({ method: 'GET', url });
  expect(reply.statusCode).toBe(200);
  expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(reply.headers['access-control-allow-origin']).toBe('*');
  return reply.json();
}

/**
 * The served data package, its resource pointed at a local copy of `csv` so that the library reads
 * that. The CSV starts with a UTF-8 byte-order mark for spreadsheets; Python's frictionless and
 * spreadsheets skip it, this JavaScript library reads it into the first header: it is removed here.
 */
async function packageOf(csv: string) {
  await writeFile(join(dir, 'feed.csv'), csv.replace(/^\uFEFF/, ''));
  const descriptor = await json('/api/v1/datapackage.json');
  descriptor.resources[0].path = 'feed.csv';
  return Package.load(descriptor, { basePath: dir });
}

describe('feed.csv as open data', () => {
  test('the data package is valid for Frictionless (tabular-data-package), and names the collector’s CSV', async () => {
    const descriptor = await json('/api/v1/datapackage.json');
    expect(await validate(descriptor)).toEqual({ valid: true, errors: [] });
    expect(descriptor.resources[0].path).toBe('http://127.0.0.1:8080/api/v1/feed.csv');
    const loaded = await Package.load(descriptor);
    expect(loaded.valid, String(loaded.errors)).toBe(true);
  });

  test('the Table Schema served alone is the package’s, and describes every CSV column in order', async () => {
    const schema = await json('/api/v1/feed.tableschema.json');
    expect(schema).toEqual((await json('/api/v1/datapackage.json')).resources[0].schema);
    expect(schema.fields.map((f: { name: string }) => f.name)).toEqual([...FEED_CSV_COLUMNS]);
  });

  test('the CSV the collector serves reads through the schema, every row typed as the JSON has it', async () => {
    for (const [satisfaction, clarity] of [
      ['good', 5],
      ['good', 4],
      ['medium', 2],
      ['bad', undefined],
    ] as const) {
      await review('passeport', satisfaction, clarity);
    }
    await review('impots', 'good'); // below the threshold: empty cells
    const csv = await app.inject({ method: 'GET', url: '/api/v1/feed.csv' });
    const feed = (await app.inject({ method: 'GET', url: '/api/v1/feed' })).json() as Feed;

    const resource = (await packageOf(csv.body)).getResource('feed')!;
    const rows = await resource.read({ keyed: true, cast: true });
    expect(resource.headers).toEqual([...FEED_CSV_COLUMNS]);
    expect(rows).toHaveLength(2);
    const passeport = rows.find((row) => row.id === 'passeport')!;
    const indicators = feed.procedures.find((p) => p.id === 'passeport')!.indicators;
    expect(passeport).toMatchObject({
      reviews: 4,
      satisfaction_score: indicators.satisfaction.score,
      satisfaction_score_low: indicators.satisfaction.interval!.low,
      satisfaction_score_high: indicators.satisfaction.interval!.high,
      clarity_answers: 3,
      satisfaction_level: indicators.satisfaction.level,
    });
    expect(passeport.window_from).toBeInstanceOf(Date);
    expect(rows.find((row) => row.id === 'impots')).toMatchObject({ title: "'=Impôts, « en ligne »", satisfaction_score: null });
  });

  test('a CSV that breaks the schema does not read: the schema constrains, it does not only list', async () => {
    await review('passeport', 'good');
    await review('passeport', 'good');
    await review('passeport', 'good');
    const csv = (await app.inject({ method: 'GET', url: '/api/v1/feed.csv' })).body;
    const [header, row] = csv.split('\r\n');
    const cells = row!.split(',');
    // The control: the row as served reads.
    const served = (await packageOf(`${header}\r\n${row}\r\n`)).getResource('feed')!;
    expect(await served.read({ keyed: true, cast: true })).toHaveLength(1);
    for (const [column, value] of [
      ['satisfaction_score', '11'],
      ['reviews', '-1'],
      ['satisfaction_level', 'excellent'],
      ['window_from', '2026-13-01'],
    ] as const) {
      const broken = [...cells];
      broken[FEED_CSV_COLUMNS.indexOf(column)] = value;
      const resource = (await packageOf(`${header}\r\n${broken.join(',')}\r\n`)).getResource('feed')!;
      await expect(resource.read({ keyed: true, cast: true }), column).rejects.toThrow();
    }
  });
});
