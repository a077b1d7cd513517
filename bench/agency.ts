// npm run bench:agency — the agency's reads over 10 M reviews: 10 procedures × 2 years, 1 M reviews
// each, a fifth with a comment. Measured on one procedure (1 M reviews): its stats (targets: warm
// p95 ≤ 20 ms), pages of its reviews with and without filters and search (p95 ≤ 50 ms), and its
// exports (rows/s, time to first byte, peak RSS). Databases live under /tmp, never in the repository.
//
// The fill goes straight into the database (one INSERT … SELECT over a sequence), then the rollups
// are built by the collector's own rebuild(). Measurements call the store and the services the
// routes call (procedureStats, reviews.page, csvExport / xlsxExport over reviews.batches) in this
// process: the HTTP layer adds the same small cost to each, and the access check one indexed read.
// `npm run bench:agency -- --engine postgres` fills PostgreSQL instead (a throwaway cluster, or
// BENCH_DATABASE_URL, an admin URL); BENCH_REVIEWS sets the total (default 10,000,000).
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { mkdirSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { addDays, utcDay } from '../shared/feed-window.ts';
import { procedureStats, type StatsInterval } from '../server/agency/procedure-stats.ts';
import { csvExport, xlsxExport } from '../server/agency/review-export.ts';
import { openPostgres } from '../server/store/postgres/open-postgres.ts';
import { searchTextOf } from '../server/store/review-records.ts';
import { openSqlite } from '../server/store/sqlite/open-sqlite.ts';
import type { ReviewFilters, ReviewRecord, Store } from '../server/store/store.ts';
import { type BenchPostgres, benchPostgres } from './helpers/bench-postgres.ts';

const { values: args } = parseArgs({ options: { engine: { type: 'string', default: 'sqlite' } } });
if (args.engine !== 'sqlite' && args.engine !== 'postgres') throw new Error('--engine sqlite|postgres');

const DIR = process.env.BENCH_DIR ?? '/tmp/jdma-bench-agency';
const REVIEWS = Number(process.env.BENCH_REVIEWS ?? 10_000_000);
const PROCEDURES = 10;
const DAYS = 730;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const MEASURED = 'demarche-00';
/** Reviews a filtered page examines at most (the store's PAGE_SCAN unless set): to tune it. */
const SCAN = Number(process.env.BENCH_SCAN ?? 0);
const today = utcDay(new Date());
const start = addDays(today, -(DAYS - 1));

const seconds = (since: number) => (performance.now() - since) / 1000;
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

// Review i: procedure i / per, day spread over DAYS, a comment on one in five. The rare word
// (« Élodie ») is in one comment in 10,000, the common one (« démarche ») in every comment.
const COMMENT_SQL = (i: string) => `CASE WHEN ${i} % 5 = 0 THEN 'La démarche n° ' || ${i} || ' était ' ||
  CASE ${i} % 4 WHEN 0 THEN 'trop longue, le formulaire a planté deux fois' WHEN 1 THEN 'claire et rapide, merci'
  WHEN 2 THEN 'compliquée : impossible de joindre le service par téléphone' ELSE 'correcte mais le site est lent' END ||
  CASE WHEN ${i} % 50000 = 0 THEN ', merci à Élodie' ELSE '' END END`;

async function fillSqlite(path: string): Promise<void> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  await openSqlite(path).close(); // the schema, exactly as the collector creates it
  const db = new Database(path);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1000000');
  db.function('jdma_fold', { deterministic: true }, (text) => searchTextOf(text as string | null, null));
  const per = REVIEWS / PROCEDURES;
  const startMs = Date.parse(`${start}T00:00:00Z`);
  db.transaction(() => {
    db.prepare("INSERT INTO entities (id, name, created_at) VALUES ('ministere', 'Ministère', ?)").run(today);
    for (let p = 0; p < PROCEDURES; p++) {
      const id = `demarche-${String(p).padStart(2, '0')}`;
      db.prepare("INSERT INTO procedures (id, title, entity_id, created_at) VALUES (?, ?, 'ministere', ?)").run(id, `Démarche ${p}`, today);
      db.prepare("INSERT INTO placements (procedure_id, id) VALUES (?, 'default'), (?, 'site')").run(id, id);
    }
    // Reviews in (procedure, day) order, as they would arrive: the listing index grows at its end.
    db.prepare(
      `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < :n - 1)
       INSERT INTO reviews (id, procedure_id, placement_id, day, created_at, lang, satisfaction, token_hash, followed_up_at, comment, search_text)
       SELECT i + 1, printf('demarche-%02d', i / :per), CASE WHEN i % 3 = 0 THEN 'site' ELSE 'default' END,
              date(at / 1000, 'unixepoch'), at, 'fr', CASE WHEN i % 10 < 6 THEN 'good' WHEN i % 10 < 8 THEN 'medium' ELSE 'bad' END,
              x'00', CASE WHEN i % 5 = 0 THEN at END, comment, jdma_fold(comment)
         FROM (SELECT i, :start + ((i % :per) * :days / :per) * 86400000 + (i * 7919 % 86400) * 1000 AS at, ${COMMENT_SQL('i')} AS comment FROM seq)`,
    ).run({ n: BigInt(REVIEWS), per: BigInt(per), start: BigInt(startMs), days: BigInt(DAYS) });
    db.prepare(
      `INSERT INTO review_answers (review_id, question, channel, answer)
       SELECT id, question, channel, answer FROM (
         SELECT id, 'clarity' AS question, '' AS channel, CAST(1 + id % 5 AS TEXT) AS answer FROM reviews WHERE (id - 1) % 5 = 0
         UNION ALL SELECT id, 'help_sought', '', CASE WHEN id % 3 = 0 THEN 'none' ELSE 'phone' END FROM reviews WHERE (id - 1) % 5 = 0
         UNION ALL SELECT id, 'help_reached', 'phone', CASE WHEN id % 4 = 0 THEN 'no' ELSE 'yes' END FROM reviews WHERE (id - 1) % 5 = 0 AND id % 3 <> 0
       ) ORDER BY id`,
    ).run();
  })();
  db.close();
  const store = openSqlite(path);
  await store.rollups.rebuild();
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  await store.close();
}

async function fillPostgres(url: string): Promise<void> {
  await (await openPostgres({ databaseUrl: url, poolSize: 1 })).close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const per = REVIEWS / PROCEDURES;
  await client.query('BEGIN');
  await client.query("INSERT INTO entities (id, name, created_at) VALUES ('ministere', 'Ministère', now()::text)");
  await client.query(
    `INSERT INTO procedures (id, title, entity_id, created_at)
     SELECT 'demarche-' || lpad(p::text, 2, '0'), 'Démarche ' || p, 'ministere', now()::text FROM generate_series(0, $1 - 1) AS p`,
    [PROCEDURES],
  );
  await client.query("INSERT INTO placements (procedure_id, id) SELECT id, unnest(ARRAY['default', 'site']) FROM procedures");
  await client.query(
    `INSERT INTO reviews (id, procedure_id, placement_id, day, created_at, lang, satisfaction, token_hash, followed_up_at, comment, search_text)
     SELECT i + 1, 'demarche-' || lpad((i / $2)::text, 2, '0'), CASE WHEN i % 3 = 0 THEN 'site' ELSE 'default' END,
            to_char(to_timestamp(at / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), at, 'fr',
            CASE WHEN i % 10 < 6 THEN 'good' WHEN i % 10 < 8 THEN 'medium' ELSE 'bad' END, '\\x00'::bytea,
            CASE WHEN i % 5 = 0 THEN at END, comment, lower(regexp_replace(normalize(comment, NFKD), '[\\u0300-\\u036f]', '', 'g'))
       FROM (SELECT i, $3::bigint + ((i % $2) * $4 / $2) * 86400000 + (i * 7919 % 86400) * 1000 AS at, ${COMMENT_SQL('i')} AS comment
               FROM generate_series(0::bigint, $1::bigint - 1) AS i) AS s`,
    [REVIEWS, per, Date.parse(`${start}T00:00:00Z`), DAYS],
  );
  await client.query("SELECT setval('reviews_id_seq', $1)", [REVIEWS]);
  await client.query(
    `INSERT INTO review_answers (review_id, question, channel, answer)
     SELECT id, 'clarity', '', (1 + id % 5)::text FROM reviews WHERE (id - 1) % 5 = 0
     UNION ALL SELECT id, 'help_sought', '', CASE WHEN id % 3 = 0 THEN 'none' ELSE 'phone' END FROM reviews WHERE (id - 1) % 5 = 0
     UNION ALL SELECT id, 'help_reached', 'phone', CASE WHEN id % 4 = 0 THEN 'no' ELSE 'yes' END FROM reviews WHERE (id - 1) % 5 = 0 AND id % 3 <> 0`,
  );
  await client.query('COMMIT');
  const store = await openPostgres({ databaseUrl: url, poolSize: 1 });
  await store.rollups.rebuild();
  await store.close();
  await client.query('VACUUM ANALYZE');
  await client.query('CHECKPOINT');
  await client.end();
}

async function timed(n: number, run: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await run(i);
    times.push(performance.now() - started);
  }
  return times;
}

const report = (label: string, times: number[], target?: number) => {
  const p95 = percentile(times, 95);
  const verdict = target === undefined ? '' : p95 <= target ? `  (target ≤ ${target} ms: met)` : `  (target ≤ ${target} ms: MISSED)`;
  console.log(`  ${label.padEnd(46)} p50 ${ms(percentile(times, 50)).padStart(9)}   p95 ${ms(p95).padStart(9)}${verdict}`);
  return target === undefined || p95 <= target;
};

async function measure(store: Store): Promise<boolean> {
  const procedure = (await store.procedures.find(MEASURED))!;
  let ok = true;
  const window = { from: addDays(today, -364), to: today };
  console.log(
    `\nStats of ${MEASURED} (${(REVIEWS / PROCEDURES).toLocaleString('en')} reviews), 12-month window, ${REQUESTS} warm requests:`,
  );
  for (const interval of ['month', 'week', 'day'] as StatsInterval[]) {
    await procedureStats(store, procedure, { window, placement: null, interval }, today);
    const times = await timed(REQUESTS, () => procedureStats(store, procedure, { window, placement: null, interval }, today));
    ok = report(`interval=${interval}`, times, interval === 'month' ? 20 : undefined) && ok;
  }

  const filters = (extra: Partial<ReviewFilters>): ReviewFilters => ({
    from: start,
    to: today,
    placementId: null,
    satisfaction: null,
    hasComment: null,
    q: null,
    ...extra,
  });
  console.log(`\nPages of 50 reviews of ${MEASURED}, newest first, ${REQUESTS} pages followed by cursor:`);
  const cases: [string, Partial<ReviewFilters>][] = [
    ['no filter', {}],
    ['satisfaction=bad', { satisfaction: 'bad' }],
    ['has_comment=true', { hasComment: true }],
    ['q=demarche (in every comment)', { q: 'demarche' }],
    ['q=TELEPHONE (in a quarter of them)', { q: 'TELEPHONE' }],
    ['q=elodie (in 1 comment of 10,000)', { q: 'elodie' }],
  ];
  for (const [label, extra] of cases) {
    let after: Parameters<Store['reviews']['page']>[2]['after'] = null;
    let shown = 0;
    const times = await timed(REQUESTS, async () => {
      const page = await store.reviews.page(MEASURED, filters(extra), { after, limit: 50, ...(SCAN && { scan: SCAN }) });
      shown += page.reviews.length;
      after = page.next;
    });
    ok = report(`${label} (${shown.toLocaleString('en')} shown)`, times, 50) && ok;
  }

  console.log(`\nExports of ${MEASURED}, whole 2 years (every review):`);
  for (const [format, make] of [
    ['csv', (read: () => AsyncIterable<ReviewRecord[]>) => csvExport(read())],
    ['xlsx', xlsxExport],
  ] as const) {
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    let bytes = 0;
    let firstByte = 0;
    const started = performance.now();
    await pipeline(
      await make(() => store.reviews.batches(MEASURED, filters({}))),
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          if (bytes === 0) firstByte = performance.now() - started;
          bytes += chunk.length;
          done();
        },
      }),
    );
    const elapsed = seconds(started);
    clearInterval(sampler);
    const rows = REVIEWS / PROCEDURES;
    console.log(
      `  ${format.padEnd(5)} ${rows.toLocaleString('en')} rows in ${elapsed.toFixed(1)} s: ${Math.round(rows / elapsed).toLocaleString('en')} rows/s, ` +
        `${mib(bytes)}, first byte after ${ms(firstByte)}, RSS ${mib(rssBefore)} → peak ${mib(peak)} (+${mib(peak - rssBefore)})`,
    );
  }
  return ok;
}

async function main(): Promise<void> {
  let store: Store;
  let bench: BenchPostgres | undefined;
  const name = `jdma_bench_agency_${REVIEWS}`;
  const filling = performance.now();
  if (args.engine === 'postgres') {
    bench = await benchPostgres(name);
    const url = new URL(bench.url);
    console.log(`Filling PostgreSQL ${name}: ${REVIEWS.toLocaleString('en')} reviews over ${PROCEDURES} procedures × ${DAYS} days…`);
    await fillPostgres(url.toString());
    store = await openPostgres({ databaseUrl: url.toString(), poolSize: 4 });
  } else {
    mkdirSync(DIR, { recursive: true });
    const path = `${DIR}/agency-${REVIEWS}.sqlite`;
    const reuse = process.env.BENCH_REUSE === '1';
    console.log(
      `${reuse ? 'Reusing' : 'Filling'} ${path}: ${REVIEWS.toLocaleString('en')} reviews over ${PROCEDURES} procedures × ${DAYS} days…`,
    );
    if (!reuse) await fillSqlite(path);
    store = openSqlite(path);
  }
  console.log(`  ready in ${seconds(filling).toFixed(1)} s (fill, rollups)`);
  let ok = false;
  try {
    ok = await measure(store);
  } finally {
    await store.close();
    await bench?.drop();
  }
  console.log(ok ? '\nTargets met: stats p95 ≤ 20 ms, every page p95 ≤ 50 ms.' : '\nTARGETS MISSED.');
  if (!ok) process.exitCode = 1;
}

await main();
