// Exports of a million reviews (SPEC §8) from the real collector in its own process: every row
// there, and the server's memory bounded while it streams them. The time to the first byte is
// measured by npm run bench:agency, not asserted here.
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { utcDay } from '../../../shared/feed-window.ts';
import { hashSecret, newSecret } from '../../../server/agency/secrets.ts';
import { exited, serve, type ServeProcess } from '../../helpers/cli-process.ts';
import { seedReviews } from '../../helpers/seed-reviews.ts';
import { testDatabase } from '../../helpers/test-database.ts';
import { freePort, tempDir } from '../../helpers/test-server.ts';

const REVIEWS = 1_000_000;
/** Generous: the export streams keyset batches of 1,000; growth with the row count would be ~1 GB. */
const RSS_BOUND = 200 * 2 ** 20;
const dir = tempDir();
let server: ServeProcess;
let key: string;
/** The server's RSS once started, before any export: each export's peak is measured against it, not against the last export's leftovers. */
let startRss: number;

beforeAll(async () => {
  const db = await testDatabase();
  const store = await db.open();
  await store.entities.add({ id: 'ministere', name: 'Ministère' });
  await store.procedures.add({ id: 'grande-demarche', title: 'Grande démarche', entityId: 'ministere', origins: [] });
  key = newSecret('jdma_');
  await store.apiKeys.add({ entityId: 'ministere', name: 'export', hash: hashSecret(key), procedureIds: null });
  await store.close();
  await seedReviews(db, { procedureId: 'grande-demarche', count: REVIEWS, lastDay: utcDay(new Date()), days: 300, commentEvery: 4 });
  server = await serve({ ...db.env, PORT: String(await freePort()), LOG_LEVEL: 'silent' });
  startRss = rssOf(server.child.pid!);
}, 300_000);

afterAll(async () => {
  server?.child.kill('SIGTERM');
  if (server) await exited(server.child);
  dir.remove();
});

const rssOf = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;

/** Streams an export to `sink`, sampling the server's RSS meanwhile; returns its peak's growth over the started server's. */
async function exportWhileWatching(format: 'csv' | 'xlsx', sink: Writable): Promise<number> {
  const pid = server.child.pid!;
  const before = rssOf(pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 50);
  try {
    const reply = await fetch(`${server.url}/api/v1/procedures/grande-demarche/reviews.${format}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(reply.status).toBe(200);
    await pipeline(Readable.fromWeb(reply.body! as import('node:stream/web').ReadableStream), sink);
  } finally {
    clearInterval(sampler);
  }
  const growth = peak - startRss;
  console.log(
    `${format}: server RSS ${(startRss / 2 ** 20).toFixed(0)} MiB started, ${(before / 2 ** 20).toFixed(0)} MiB before, peak +${(growth / 2 ** 20).toFixed(0)} MiB over the started server`,
  );
  return growth;
}

test('a CSV export of 1,000,000 reviews has every row, in bounded server memory', async () => {
  let lines = 0;
  let head = '';
  const growth = await exportWhileWatching(
    'csv',
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        const text = chunk.toString('utf8');
        if (head.length < 2000) head += text.slice(0, 2000);
        // Seeded comments hold no line break: one per row (its CRLF may straddle two chunks).
        lines += text.split('\n').length - 1;
        done();
      },
    }),
  );
  expect(head.startsWith('\uFEFFid,created_at,day,placement,lang,satisfaction,clarity,help_sought,')).toBe(true);
  expect(lines).toBe(REVIEWS + 1);
  expect(growth).toBeLessThan(RSS_BOUND);
}, 300_000);

test('an XLSX export of 1,000,000 reviews has every row, readable by exceljs, in bounded server memory', async () => {
  const path = join(dir.dir, 'avis.xlsx');
  const growth = await exportWhileWatching('xlsx', createWriteStream(path));
  expect(growth).toBeLessThan(RSS_BOUND);
  let rows = 0;
  let header: unknown[] = [];
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
  });
  let labelledRows = 0;
  for await (const sheet of reader) {
    // The machine sheet « Avis » comes first, then the labelled one (review-export.ts), each with its header.
    const machine = rows === 0;
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      if (machine) {
        if (rows === 0) header = (row.values as unknown[]).slice(1, 4);
        rows++;
      } else labelledRows++;
    }
  }
  expect(header).toEqual(['id', 'created_at', 'day']);
  expect(rows).toBe(REVIEWS + 1);
  expect(labelledRows).toBe(REVIEWS + 1);
}, 600_000);
