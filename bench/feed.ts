// npm run bench:feed — the feed's benchmark: the full default feed through the real server, over
// 1,000 procedures × 2 years holding 1 M then 10 M reviews. Targets at 10 M: warm p95 ≤ 20 ms,
// cold (first request after a write) ≤ 250 ms, and 10 M / 1 M ≤ 1.5 (the cost follows procedures
// × days, not reviews). Databases live under /tmp, never in the repository.
//
// The fill goes straight into SQLite (one INSERT … SELECT over a recursive sequence per table, in
// one transaction, journal off), then the rollups are built by the collector's own rebuild().
// `npm run bench:feed -- --engine postgres` fills PostgreSQL instead (generate_series, the same
// data), on a throwaway cluster with PostgreSQL's defaults, or on BENCH_DATABASE_URL (an admin URL:
// the bench creates and drops its databases there).
// Measurements run against `node dist/cli.js serve` in a child process, so the client's work never
// shares the server's event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openPostgres } from '../server/store/postgres/open-postgres.ts';
import { openSqlite } from '../server/store/sqlite/open-sqlite.ts';
import { startCluster, type Cluster } from '../test/helpers/postgres-cluster.ts';

const { values: args } = parseArgs({ options: { engine: { type: 'string', default: 'sqlite' } } });
if (args.engine !== 'sqlite' && args.engine !== 'postgres') throw new Error('--engine sqlite|postgres');

const DIR = process.env.BENCH_DIR ?? '/tmp/jdma-bench-feed';
const PROCEDURES = 1000;
const DAYS = 730;
const SIZES = (process.env.BENCH_SIZES ?? '1000000,10000000').split(',').map(Number);
const WARM_REQUESTS = Number(process.env.BENCH_WARM ?? 300);
const COLD_REQUESTS = Number(process.env.BENCH_COLD ?? 20);
const ENTITIES = 25;

interface Figures {
  reviews: number;
  fillSeconds: number;
  rollupSeconds: number;
  rollupRows: number;
  databaseMiB: number;
  feedKiB: number;
  startupMs: number;
  coldMs: number[];
  warmMs: number[];
}

const seconds = (since: number) => (performance.now() - since) / 1000;

/** Fills a fresh database with `reviews` reviews (and their follow-ups) spread over PROCEDURES × DAYS. */
async function fill(path: string, reviews: number): Promise<Pick<Figures, 'fillSeconds' | 'rollupSeconds' | 'rollupRows' | 'databaseMiB'>> {
  rmSync(path, { force: true });
  rmSync(`${path}-wal`, { force: true });
  rmSync(`${path}-shm`, { force: true });
  await openSqlite(path).close(); // the schema, exactly as the collector creates it

  const db = new Database(path);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1000000');
  db.pragma('temp_store = MEMORY');
  const startMs = Date.now() - DAYS * 86_400_000;
  const perProcedure = reviews / PROCEDURES;

  const started = performance.now();
  db.transaction(() => {
    const entity = db.prepare('INSERT INTO entities (id, name, created_at) VALUES (?, ?, ?)');
    for (let e = 0; e < ENTITIES; e++) entity.run(`administration-${e}`, `Administration ${e}`, new Date().toISOString());
    const procedure = db.prepare('INSERT INTO procedures (id, title, entity_id, created_at) VALUES (?, ?, ?, ?)');
    const placement = db.prepare('INSERT INTO placements (procedure_id, id) VALUES (?, ?)');
    for (let p = 0; p < PROCEDURES; p++) {
      const id = `demarche-${String(p).padStart(4, '0')}`;
      procedure.run(id, `Démarche n° ${p}`, `administration-${p % ENTITIES}`, new Date().toISOString());
      placement.run(id, 'default');
      placement.run(id, 'site');
    }
    // Reviews in (procedure, day) order, so the (procedure_id, day) index grows at its end.
    // Each procedure gets its own satisfaction mix (goodCut), so every level appears.
    db.prepare(
      `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < :n - 1)
       INSERT INTO reviews (id, procedure_id, placement_id, day, created_at, lang, satisfaction, token_hash)
       SELECT i + 1, procedure_id, placement_id, date(created_at / 1000, 'unixepoch'), created_at, 'fr',
              CASE WHEN r < good_cut THEN 'good' WHEN r < good_cut + 25 THEN 'medium' ELSE 'bad' END, randomblob(32)
         FROM (SELECT i,
                      printf('demarche-%04d', i / :per) AS procedure_id,
                      CASE WHEN i % 3 = 0 THEN 'site' ELSE 'default' END AS placement_id,
                      :start + ((i % :per) * :days / :per) * 86400000 + (i * 7919 % 86400) * 1000 AS created_at,
                      abs(random()) % 100 AS r,
                      30 + (i / :per) % 60 AS good_cut
                 FROM seq)`,
    ).run({ n: BigInt(reviews), per: BigInt(perProcedure), start: BigInt(startMs), days: BigInt(DAYS) });
    // Follow-ups for part of the reviews, in review order: 30 % clarity, 20 % help_sought (a third
    // "none"), and for those who sought the administration by phone, reached yes/no and quality.
    db.prepare(
      `INSERT INTO review_answers (review_id, question, channel, answer)
       SELECT id, question, channel, answer FROM (
         SELECT id, 'clarity' AS question, '' AS channel, CAST(1 + (id * 31 + id / 7) % 5 AS TEXT) AS answer FROM reviews WHERE id % 10 < 3
         UNION ALL SELECT id, 'help_sought', '', CASE WHEN id % 3 = 0 THEN 'none' ELSE 'phone' END FROM reviews WHERE id % 5 = 1
         UNION ALL SELECT id, 'help_sought', '', 'websites' FROM reviews WHERE id % 5 = 1 AND id % 3 = 1
         UNION ALL SELECT id, 'help_reached', 'phone', CASE WHEN id % 4 = 0 THEN 'no' ELSE 'yes' END FROM reviews WHERE id % 5 = 1 AND id % 3 <> 0
         UNION ALL SELECT id, 'help_quality', 'phone', CAST(1 + id % 5 AS TEXT) FROM reviews WHERE id % 5 = 1 AND id % 3 <> 0 AND id % 4 <> 0
       ) ORDER BY id`,
    ).run();
  })();
  const fillSeconds = seconds(started);
  db.close();

  const store = openSqlite(path);
  const rollupStarted = performance.now();
  await store.rollups.rebuild();
  const rollupSeconds = seconds(rollupStarted);
  const rollupRows = (
    store.db.prepare('SELECT (SELECT count(*) FROM daily_rollups) + (SELECT count(*) FROM monthly_rollups) AS n').get() as { n: number }
  ).n;
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  const pageCount = store.db.pragma('page_count', { simple: true }) as number;
  const pageSize = store.db.pragma('page_size', { simple: true }) as number;
  await store.close();
  return { fillSeconds, rollupSeconds, rollupRows, databaseMiB: (pageCount * pageSize) / 2 ** 20 };
}

/** The same data as fill(), in a fresh PostgreSQL database `url`; the schema is the collector's own. */
async function fillPostgres(
  url: string,
  reviews: number,
): Promise<Pick<Figures, 'fillSeconds' | 'rollupSeconds' | 'rollupRows' | 'databaseMiB'>> {
  await (await openPostgres({ databaseUrl: url, poolSize: 1 })).close(); // the schema, exactly as the collector creates it
  const client = new pg.Client({ connectionString: url });
  client.on('error', (error) => console.error('fill connection:', error.message));
  await client.connect();
  const startMs = Date.now() - DAYS * 86_400_000;
  const perProcedure = reviews / PROCEDURES;
  const started = performance.now();
  await client.query('BEGIN');
  await client.query(
    `INSERT INTO entities (id, name, created_at)
     SELECT 'administration-' || e, 'Administration ' || e, now()::text FROM generate_series(0, $1 - 1) AS e`,
    [ENTITIES],
  );
  await client.query(
    `INSERT INTO procedures (id, title, entity_id, created_at)
     SELECT 'demarche-' || lpad(p::text, 4, '0'), 'Démarche n° ' || p, 'administration-' || (p % $2), now()::text
       FROM generate_series(0, $1 - 1) AS p`,
    [PROCEDURES, ENTITIES],
  );
  await client.query("INSERT INTO placements (procedure_id, id) SELECT id, unnest(ARRAY['default', 'site']) FROM procedures");
  // The same reviews as the SQLite fill: procedure by i / per, placement, day, satisfaction mix.
  await client.query(
    `INSERT INTO reviews (id, procedure_id, placement_id, day, created_at, lang, satisfaction, token_hash)
     SELECT i + 1, procedure_id, placement_id, to_char(to_timestamp(created_at / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), created_at, 'fr',
            CASE WHEN r < good_cut THEN 'good' WHEN r < good_cut + 25 THEN 'medium' ELSE 'bad' END, '\\x00'::bytea
       FROM (SELECT i,
                    'demarche-' || lpad((i / $2)::text, 4, '0') AS procedure_id,
                    CASE WHEN i % 3 = 0 THEN 'site' ELSE 'default' END AS placement_id,
                    $3::bigint + ((i % $2) * $4 / $2) * 86400000 + (i * 7919 % 86400) * 1000 AS created_at,
                    (random() * 100)::int AS r,
                    30 + (i / $2) % 60 AS good_cut
               FROM generate_series(0::bigint, $1::bigint - 1) AS i) AS s`,
    [reviews, perProcedure, startMs, DAYS],
  );
  await client.query("SELECT setval('reviews_id_seq', $1)", [reviews]);
  await client.query(
    `INSERT INTO review_answers (review_id, question, channel, answer)
     SELECT id, 'clarity', '', (1 + (id * 31 + id / 7) % 5)::text FROM reviews WHERE id % 10 < 3
     UNION ALL SELECT id, 'help_sought', '', CASE WHEN id % 3 = 0 THEN 'none' ELSE 'phone' END FROM reviews WHERE id % 5 = 1
     UNION ALL SELECT id, 'help_sought', '', 'websites' FROM reviews WHERE id % 5 = 1 AND id % 3 = 1
     UNION ALL SELECT id, 'help_reached', 'phone', CASE WHEN id % 4 = 0 THEN 'no' ELSE 'yes' END FROM reviews WHERE id % 5 = 1 AND id % 3 <> 0
     UNION ALL SELECT id, 'help_quality', 'phone', (1 + id % 5)::text FROM reviews WHERE id % 5 = 1 AND id % 3 <> 0 AND id % 4 <> 0`,
  );
  await client.query('COMMIT');
  await client.query('VACUUM ANALYZE');
  const fillSeconds = seconds(started);

  const store = await openPostgres({ databaseUrl: url, poolSize: 1 });
  const rollupStarted = performance.now();
  await store.rollups.rebuild();
  const rollupSeconds = seconds(rollupStarted);
  await store.close();
  // Measure a settled database: statistics fresh, and the fill's dirty pages written out, so that
  // the checkpointer is not flushing gigabytes while requests are timed.
  await client.query('VACUUM ANALYZE');
  await client.query('CHECKPOINT');
  const { rows } = await client.query<{ rows: string; bytes: string }>(
    `SELECT (SELECT count(*) FROM daily_rollups) + (SELECT count(*) FROM monthly_rollups) AS rows, pg_database_size(current_database()) AS bytes`,
  );
  await client.end();
  return { fillSeconds, rollupSeconds, rollupRows: Number(rows[0]!.rows), databaseMiB: Number(rows[0]!.bytes) / 2 ** 20 };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function startServer(database: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/cli.js', 'serve'], {
    env: { ...process.env, ...database, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { child, url };
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill();
  throw new Error('the collector did not start');
}

/** One full GET of the default feed, body read to the end; returns milliseconds and the body size. */
async function timeFeed(url: string): Promise<{ ms: number; bytes: number; etag: string }> {
  const started = performance.now();
  const reply = await fetch(`${url}/api/v1/feed`);
  const body = await reply.arrayBuffer();
  const ms = performance.now() - started;
  if (reply.status !== 200) throw new Error(`feed answered ${reply.status}`);
  return { ms, bytes: body.byteLength, etag: reply.headers.get('etag') ?? '' };
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;

async function measure(database: Record<string, string>): Promise<Pick<Figures, 'startupMs' | 'coldMs' | 'warmMs' | 'feedKiB'>> {
  const { child, url } = await startServer(database);
  try {
    // The first request after start computes every procedure (as does the first one of each UTC day).
    const startup = await timeFeed(url);
    // Cold: the first request after a write (a review posted through the API).
    const coldMs: number[] = [];
    let etag = startup.etag;
    for (let i = 0; i < COLD_REQUESTS; i++) {
      const procedure = `demarche-${String((i * 389) % PROCEDURES).padStart(4, '0')}`;
      const posted = await fetch(`${url}/api/v1/reviews`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ procedure, satisfaction: 'good' }),
      });
      if (posted.status !== 201) throw new Error(`review answered ${posted.status}`);
      const cold = await timeFeed(url);
      if (cold.etag === etag) throw new Error('the feed did not change after a review');
      etag = cold.etag;
      coldMs.push(cold.ms);
    }
    // Warm: the same data, many times.
    const warmMs: number[] = [];
    for (let i = 0; i < WARM_REQUESTS; i++) warmMs.push((await timeFeed(url)).ms);
    console.log(`  first request after start (every procedure computed) ${ms(startup.ms)}, feed ${(startup.bytes / 1024).toFixed(0)} KiB`);
    return { startupMs: startup.ms, coldMs, warmMs, feedKiB: startup.bytes / 1024 };
  } finally {
    // Waited for: its database may be dropped next, which must not pull connections from under it.
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  }
}

async function main(): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  const results: Figures[] = [];
  let cluster: Cluster | undefined;
  let admin: pg.Client | undefined;
  let adminUrl = process.env.BENCH_DATABASE_URL;
  if (args.engine === 'postgres') {
    if (!adminUrl) {
      cluster = await startCluster({ durable: true });
      adminUrl = cluster.url;
    }
    admin = new pg.Client({ connectionString: adminUrl });
    admin.on('error', (error) => console.error('admin connection:', error.message));
    await admin.connect();
  }
  try {
    for (const reviews of SIZES) {
      let database: Record<string, string>;
      let filled: Pick<Figures, 'fillSeconds' | 'rollupSeconds' | 'rollupRows' | 'databaseMiB'>;
      if (admin) {
        const name = `jdma_bench_feed_${reviews}`;
        await admin.query(`DROP DATABASE IF EXISTS ${name}`);
        await admin.query(`CREATE DATABASE ${name}`);
        const url = new URL(adminUrl!);
        url.pathname = `/${name}`;
        database = { DATABASE_URL: url.toString() };
        console.log(
          `Filling PostgreSQL database ${name}: ${reviews.toLocaleString('en')} reviews over ${PROCEDURES} procedures × ${DAYS} days…`,
        );
        filled = await fillPostgres(url.toString(), reviews);
      } else {
        const path = `${DIR}/feed-${reviews}.sqlite`;
        database = { DATABASE_PATH: path };
        // BENCH_REUSE=1 measures the databases of an earlier run again, without filling them.
        const reuse = process.env.BENCH_REUSE === '1';
        console.log(
          `${reuse ? 'Reusing' : 'Filling'} ${path}: ${reviews.toLocaleString('en')} reviews over ${PROCEDURES} procedures × ${DAYS} days…`,
        );
        filled = reuse ? { fillSeconds: 0, rollupSeconds: 0, rollupRows: 0, databaseMiB: 0 } : await fill(path, reviews);
      }
      if (filled.fillSeconds > 0) {
        console.log(
          `  filled in ${filled.fillSeconds.toFixed(1)} s, rollups rebuilt in ${filled.rollupSeconds.toFixed(1)} s (${filled.rollupRows.toLocaleString('en')} rows), ${filled.databaseMiB.toFixed(0)} MiB`,
        );
      }
      results.push({ reviews, ...filled, ...(await measure(database)) });
    }
  } finally {
    if (admin) {
      for (const reviews of SIZES) await admin.query(`DROP DATABASE IF EXISTS jdma_bench_feed_${reviews} WITH (FORCE)`).catch(() => {});
      await admin.end();
    }
    cluster?.remove();
  }

  console.log(
    `\nreviews      cold p50   cold p95   cold max   warm p50   warm p95   first after start   (${COLD_REQUESTS} cold, ${WARM_REQUESTS} warm)`,
  );
  for (const r of results) {
    console.log(
      `${r.reviews.toLocaleString('en').padEnd(11)} ${ms(percentile(r.coldMs, 50)).padStart(9)}  ${ms(percentile(r.coldMs, 95)).padStart(9)}  ` +
        `${ms(Math.max(...r.coldMs)).padStart(9)}  ${ms(percentile(r.warmMs, 50)).padStart(9)}  ${ms(percentile(r.warmMs, 95)).padStart(9)}  ${ms(r.startupMs).padStart(18)}`,
    );
  }
  if (results.length === 2) {
    const [small, large] = results as [Figures, Figures];
    const ratio = (f: (r: Figures) => number) => f(large) / f(small);
    const coldRatio = ratio((r) => percentile(r.coldMs, 50));
    const warmRatio = ratio((r) => percentile(r.warmMs, 95));
    console.log(
      `\nratio ${large.reviews.toLocaleString('en')} / ${small.reviews.toLocaleString('en')}: cold p50 ${coldRatio.toFixed(2)}, ` +
        `cold max ${ratio((r) => Math.max(...r.coldMs)).toFixed(2)}, warm p95 ${warmRatio.toFixed(2)}, first after start ${ratio((r) => r.startupMs).toFixed(2)}`,
    );
    const ok = Math.max(...large.coldMs) <= 250 && percentile(large.warmMs, 95) <= 20 && coldRatio <= 1.5 && warmRatio <= 1.5;
    console.log(
      ok ? 'Targets met at 10 M: every cold request ≤ 250 ms, warm p95 ≤ 20 ms, ratios (cold p50, warm p95) ≤ 1.5.' : 'TARGETS MISSED.',
    );
    if (!ok) process.exitCode = 1;
  }
}

await main();
