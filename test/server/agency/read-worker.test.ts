// The read worker (`jdma serve`'s agency listings and exports, in a thread of their own) answers
// exactly what the same reads answer in the main thread, on both engines; a client that goes away
// stops its export without stopping the worker; a worker that cannot reach the database fails its
// reads with 503 and the next read starts a new one.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type AgencyReads, inThreadReads } from '../../../server/agency/agency-reads.ts';
import { reviewFiltersOf } from '../../../server/agency/review-listing.ts';
import { workerReads } from '../../../server/agency/worker-reads.ts';
import { HttpError } from '../../../server/http-errors.ts';
import type { Store } from '../../../server/store/store.ts';
import { READ_WORKER, tempDir } from '../../helpers/test-server.ts';
import { seedReviews } from '../../helpers/seed-reviews.ts';
import { type TestDatabase, testDatabase } from '../../helpers/test-database.ts';

let db: TestDatabase;
let store: Store;
let here: AgencyReads;
let worker: AgencyReads;

beforeAll(async () => {
  if (!existsSync(READ_WORKER)) throw new Error('dist/read-worker.js is missing: run `node esbuild.config.mjs` first (npm test does)');
  db = await testDatabase();
  store = await db.open();
  await store.entities.add({ id: 'ministere-a', name: 'Ministère A' });
  await store.procedures.add({ id: 'demarche-a', title: 'Démarche A', entityId: 'ministere-a', origins: [], placements: ['site'] });
  await seedReviews(db, { procedureId: 'demarche-a', count: 6_000, lastDay: '2026-12-01', days: 400, commentEvery: 3 });
  here = inThreadReads(store);
  worker = workerReads(READ_WORKER, db.options);
}, 60_000);
afterAll(async () => {
  await worker?.close();
  await store?.close();
});

const filters = (query: Parameters<typeof reviewFiltersOf>[0] = {}) => reviewFiltersOf(query, '2026-12-01');

async function bytesOf(body: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

test('listings and searches answer the same in the worker as in the main thread', async () => {
  for (const query of [
    {},
    { q: 'demarche' },
    { q: 'introuvable' },
    { satisfaction: 'good' as const, has_comment: true },
    { satisfaction: 'bad' as const, has_comment: true },
  ]) {
    const options = { after: null, limit: 20, storePages: 10 };
    const expected = await here.list('demarche-a', filters(query), options);
    const got = await worker.list('demarche-a', filters(query), options);
    expect(got).toEqual(expected);
    // Comments are on every third review, all of them « good »: a search for a word none holds, and « bad » with a comment, find none.
    const none = query.q === 'introuvable' || query.satisfaction === 'bad';
    expect(got.reviews.length > 0).toBe(!none);
  }
  // A page further on, from the cursor the first gave.
  const first = await worker.list('demarche-a', filters(), { after: null, limit: 50 });
  expect(first.next).not.toBeNull();
  expect(await worker.list('demarche-a', filters(), { after: first.next, limit: 50 })).toEqual(
    await here.list('demarche-a', filters(), { after: first.next, limit: 50 }),
  );
});

test('a CSV export is the same bytes; an XLSX export holds the same rows', async () => {
  const window = filters({ from: '2025-11-01', to: '2026-12-01' });
  const csv = await bytesOf(await worker.exportBody('csv', 'demarche-a', window));
  expect(csv.equals(await bytesOf(await here.exportBody('csv', 'demarche-a', window)))).toBe(true);
  expect(csv.toString('utf8').split('\r\n').length).toBeGreaterThan(5_000);

  // An XLSX file holds its time of writing: compared by its rows, read back with exceljs.
  const { default: Excel } = await import('exceljs');
  const rowsOf = async (reads: AgencyReads) => {
    const workbook = new Excel.Workbook();
    await workbook.xlsx.load((await bytesOf(await reads.exportBody('xlsx', 'demarche-a', window))) as unknown as ArrayBuffer);
    const rows: unknown[] = [];
    workbook.getWorksheet('Avis')!.eachRow((row) => rows.push(row.values));
    return rows;
  };
  const rows = await rowsOf(worker);
  expect(rows.length).toBeGreaterThan(5_000);
  expect(rows).toEqual(await rowsOf(here));
});

test('a client that goes away stops its export; the worker goes on serving', async () => {
  const body = await worker.exportBody('csv', 'demarche-a', filters({ from: '2025-11-01', to: '2026-12-01' }));
  const first = await new Promise<Buffer>((resolve) => body.once('data', resolve));
  expect(first.length).toBeGreaterThan(0);
  body.destroy();
  expect((await worker.list('demarche-a', filters(), { after: null, limit: 5 })).reviews).toHaveLength(5);
});

test('a worker that cannot open the database fails its reads with 503, and is started again for the next', async () => {
  const { dir, remove } = tempDir();
  try {
    // A directory where the database file should be: SQLite cannot open it, on any engine's machine.
    const broken = workerReads(READ_WORKER, { databasePath: dir });
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await broken.list('demarche-a', filters(), { after: null, limit: 5 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect(error).toMatchObject({ statusCode: 503, code: 'storage_unavailable' });
    }
    await broken.close();
  } finally {
    remove();
  }
});
