// npm run bench:insights — comment insights of one procedure of 1 M reviews over 12 months, a fifth
// with a comment (target: p95 ≤ 100 ms on either engine), and the size of its term rollups against
// the comments' counted terms (target: under half; SPEC §8). SQLite, in a file under /tmp, never in
// the repository; `npm run bench:insights -- --engine postgres` on PostgreSQL instead: a throwaway
// cluster with PostgreSQL's defaults, or BENCH_DATABASE_URL (an admin URL: the bench creates and
// drops its database there).
//
// Reviews go straight into the database (one INSERT … SELECT over a sequence) and their rollups are
// built by the collector's own rebuild(). The term counts are written through the store's own
// count(), as the term tick writes them, from synthetic comments: each writes 6 words and 3 bigrams
// drawn from Zipf-distributed vocabularies (10,000 words, 20,000 bigrams), as real comments repeat
// a few words often and most words rarely. Measurements call commentInsights(), what the route calls.
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { commentInsights } from '../server/agency/comment-insights.ts';
import { TERM_MONTH_KEEP } from '../server/retention.ts';
import { openPostgres } from '../server/store/postgres/open-postgres.ts';
import { openSqlite } from '../server/store/sqlite/open-sqlite.ts';
import type { PendingTerms, Store } from '../server/store/store.ts';
import { addDays, utcDay } from '../shared/feed-window.ts';
import { SATISFACTION_ANSWERS } from '../shared/questionnaire.ts';
import { type BenchPostgres, benchPostgres } from './helpers/bench-postgres.ts';
import { seededRandom, zipf } from '../test/helpers/seeded-random.ts';

const { values: args } = parseArgs({ options: { engine: { type: 'string', default: 'sqlite' } } });
if (args.engine !== 'sqlite' && args.engine !== 'postgres') throw new Error('--engine sqlite|postgres');

const PATH = process.env.BENCH_DB ?? '/tmp/jdma-bench-insights.sqlite';
const REVIEWS = Number(process.env.BENCH_REVIEWS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 30);
const DAYS = 365;
const WORDS = 10_000;
const BIGRAMS = 20_000;
// BENCH_TODAY (YYYY-MM-DD) sets the last day of the fill: the last of a month reads the most day rows.
const today = process.env.BENCH_TODAY ?? utcDay(new Date());
const start = addDays(today, -(DAYS - 1));

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** The bench's own statements, beside the store: `?` placeholders on either engine. */
interface Sql {
  run(sql: string, ...params: unknown[]): Promise<void>;
  value(sql: string, ...params: unknown[]): Promise<number>;
}

let store: Store;
let sql: Sql;
let closeSql = async () => {};
let bench: BenchPostgres | undefined;
const NAME = 'jdma_bench_insights';
if (args.engine === 'postgres') {
  bench = await benchPostgres(NAME);
  const url = new URL(bench.url);
  store = await openPostgres({ databaseUrl: url.toString(), poolSize: 4 });
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const numbered = (text: string) => {
    let n = 0;
    return text.replace(/\?/g, () => `$${++n}`);
  };
  sql = {
    run: async (text, ...params) => void (await client.query(numbered(text), params)),
    value: async (text, ...params) => Number(Object.values((await client.query(numbered(text), params)).rows[0] as object)[0]),
  };
  closeSql = () => client.end();
} else {
  if (!process.env.BENCH_KEEP) rmSync(PATH, { force: true });
  for (const suffix of ['-wal', '-shm']) rmSync(`${PATH}${suffix}`, { force: true });
  store = openSqlite(PATH);
  const withDb = <T>(use: (db: Database.Database) => T): T => {
    const db = new Database(PATH);
    try {
      return use(db);
    } finally {
      db.close();
    }
  };
  sql = {
    run: async (text, ...params) => void withDb((db) => db.prepare(text).run(...params)),
    value: async (text, ...params) =>
      withDb((db) =>
        Number(
          db
            .prepare(text)
            .pluck()
            .get(...params),
        ),
      ),
  };
}
let started = performance.now();
await sql.run("INSERT INTO entities (id, name, created_at) VALUES ('ministere', 'Ministère', ?)", today);
await sql.run("INSERT INTO procedures (id, title, entity_id, created_at) VALUES ('demarche', 'Démarche', 'ministere', ?)", today);
await sql.run("INSERT INTO placements (procedure_id, id) VALUES ('demarche', 'default'), ('demarche', 'site')");
// Review i on day i × DAYS / n of the year, at a second of it that 7919 scatters; the placement and
// the answer by i's remainders.
if (args.engine === 'postgres') {
  await sql.run(
    `INSERT INTO reviews (id, procedure_id, placement_id, day, created_at, lang, satisfaction, token_hash)
     SELECT i + 1, 'demarche', CASE WHEN i % 3 = 0 THEN 'site' ELSE 'default' END,
            to_char(to_timestamp(at / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), at, 'fr',
            CASE WHEN i % 10 < 6 THEN 'good' WHEN i % 10 < 8 THEN 'medium' ELSE 'bad' END, '\\x00'::bytea
       FROM (SELECT i, ?::bigint + (i * ?::bigint / ?::bigint) * 86400000 + (i * 7919 % 86400) * 1000 AS at
               FROM generate_series(0::bigint, ?::bigint - 1) AS i) AS s`,
    Date.parse(`${start}T00:00:00Z`),
    DAYS,
    REVIEWS,
    REVIEWS,
  );
} else {
  await sql.run(
    `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ? - 1)
     INSERT INTO reviews (id, procedure_id, placement_id, day, created_at, lang, satisfaction, token_hash)
     SELECT i + 1, 'demarche', CASE WHEN i % 3 = 0 THEN 'site' ELSE 'default' END, date(at / 1000, 'unixepoch'), at, 'fr',
            CASE WHEN i % 10 < 6 THEN 'good' WHEN i % 10 < 8 THEN 'medium' ELSE 'bad' END, x'00'
       FROM (SELECT i, ? + (i * ? / ?) * 86400000 + (i * 7919 % 86400) * 1000 AS at FROM seq)`,
    REVIEWS,
    Date.parse(`${start}T00:00:00Z`),
    DAYS,
    REVIEWS,
  );
}
await store.rollups.rebuild();
console.log(
  `${REVIEWS.toLocaleString('en')} reviews over ${DAYS} days, rollups rebuilt, in ${((performance.now() - started) / 1000).toFixed(0)} s`,
);

started = performance.now();
const next = seededRandom(21);
const word = zipf(WORDS, next);
const bigram = zipf(BIGRAMS, next);
const startMs = Date.parse(`${start}T00:00:00Z`);
let batch: { review: PendingTerms; terms: { term: string; form: string }[] }[] = [];
let comments = 0;
// One review in five has a comment: the k-th of them is review 5k + (k mod 5), so that comments
// fall on every satisfaction answer and placement (every fifth review alone would all be « Très bien »).
for (let k = 0; 5 * k < REVIEWS; k++) {
  const i = Math.min(5 * k + (k % 5), REVIEWS - 1);
  const terms = new Map<string, string>();
  while (terms.size < 6) {
    const w = `mot${word()}`;
    terms.set(w, w);
  }
  for (let b = 0; b < 3; b++) {
    const pair = `paire${bigram()} b`;
    terms.set(pair, pair);
  }
  const review: PendingTerms = {
    reviewId: i + 1,
    queueVersion: 0,
    procedureId: 'demarche',
    placementId: i % 3 === 0 ? 'site' : 'default',
    day: addDays(start, Math.floor((i * DAYS) / REVIEWS)),
    satisfaction: SATISFACTION_ANSWERS[i % 10 < 6 ? 2 : i % 10 < 8 ? 1 : 0]!,
    lang: 'fr',
    createdAt: startMs + Math.floor((i * DAYS) / REVIEWS) * 86_400_000,
    comment: null,
    suspects: [],
  };
  batch.push({ review, terms: [...terms].map(([term, form]) => ({ term, form })) });
  comments++;
  if (batch.length === 1000) {
    await queueAndCount(batch);
    batch = [];
  }
}
await queueAndCount(batch);
console.log(
  `${comments.toLocaleString('en')} comments' terms counted through the store in ${((performance.now() - started) / 1000).toFixed(0)} s`,
);

/** Queues the batch's reviews (as a follow-up does), then counts them as the term tick does. */
async function queueAndCount(reviews: typeof batch): Promise<void> {
  if (reviews.length === 0) return;
  const ids = reviews.map(({ review }) => review.reviewId);
  await sql.run(`INSERT INTO term_queue (review_id) VALUES ${ids.map(() => '(?)').join(', ')} ON CONFLICT DO NOTHING`, ...ids);
  await store.terms.count(reviews);
}

const count = (table: string) => sql.value(`SELECT count(*) FROM ${table}`);
// The hourly purge's fold: the days of closed months into months, their most written terms only,
// and the current month's closed days into its month to date.
{
  const daysBefore = await count('daily_term_rollups');
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const foldStarted = performance.now();
  const folded = await store.terms.fold(today, TERM_MONTH_KEEP, 5);
  delay.disable();
  console.log(
    `fold of the closed months' days, ${TERM_MONTH_KEEP} terms kept per month × placement × satisfaction: ${folded.toLocaleString('en')} of ${daysBefore.toLocaleString('en')} day rows in ${((performance.now() - foldStarted) / 1000).toFixed(1)} s, event loop held ${ms(delay.max / 1e6)} at most (p99 ${ms(delay.percentile(99) / 1e6)}), load average ${loadavg()[0]!.toFixed(1)}`,
  );
}
// The bench's fold moved a year of rows at once: the space it freed is given back, as the hourly
// fold's few rows a time leave none for autovacuum to reclaim.
if (args.engine === 'postgres') await sql.run('VACUUM (FULL, ANALYZE)');
// Sizes as the fold leaves them, before the measured calls below rewrite the month to date's sums
// 60 times over (on PostgreSQL, dead rows autovacuum would reclaim for later writes).
/** Bytes of tables with their indexes (SQLite: the tables and indexes named). */
const size = (tables: string[]) =>
  args.engine === 'postgres'
    ? sql.value(
        `SELECT sum(pg_total_relation_size(t)) FROM unnest(?::text[]) AS t`,
        tables.filter((name) => !name.includes('rollups_term') && !name.includes('created_at') && !name.startsWith('sqlite_')),
      )
    : sql.value(`SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN (${tables.map(() => '?').join(', ')})`, ...tables);
const reviewRollups = await size(['daily_rollups', 'monthly_rollups']);
const termRollups = await size([
  'daily_term_rollups',
  'daily_term_rollups_term',
  'monthly_term_rollups',
  'term_month_sums',
  'sqlite_autoindex_term_month_sums_1',
]);
const counted = await size(['review_terms', 'review_terms_created_at']);
console.log(
  `review rollups ${mib(reviewRollups)} (${(await count('daily_rollups')).toLocaleString('en')} daily rows); term rollups and their index ${mib(termRollups)} (${(await count('daily_term_rollups')).toLocaleString('en')} day rows, ${(await count('monthly_term_rollups')).toLocaleString('en')} month rows): ${(termRollups / reviewRollups).toFixed(1)}× the review rollups, ${(termRollups / counted).toFixed(2)}× the comments' counted terms (review_terms, erased with the text: ${mib(counted)}; target < 0.5×)`,
);

const window = { from: start, to: today };
const yesterday = addDays(today, -1);
// On a month's first day the fold closes the month before and writes no month to date.
if (today.endsWith('-01'))
  console.log('BENCH_TODAY is the first day of a month: « after the fold » then times the closing fold, with no month to date');
let late = 0;
/**
 * A late comment of yesterday counted, then the hourly fold: it sums that day into the month to date,
 * writes its sums (term_month_sums) and raises the term version, as the night's first fold does.
 */
async function lateCommentFolded(): Promise<void> {
  const id = await sql.value(
    'SELECT min(id) FROM reviews r WHERE day = ? AND NOT EXISTS (SELECT 1 FROM review_terms t WHERE t.review_id = r.id)',
    yesterday,
  );
  const review: PendingTerms = {
    reviewId: id,
    queueVersion: 0,
    procedureId: 'demarche',
    placementId: id % 3 === 1 ? 'site' : 'default',
    day: yesterday,
    satisfaction: 'bad',
    lang: 'fr',
    createdAt: Date.parse(`${yesterday}T12:00:00Z`),
    comment: null,
    suspects: [],
  };
  await queueAndCount([
    {
      review,
      terms: [
        { term: `tard${late++}`, form: 'tard' },
        { term: 'mot1', form: 'mot1' },
      ],
    },
  ]);
  await store.terms.fold(today, TERM_MONTH_KEEP, 5);
}
// Warm: requests in a row, the month to date and folded months kept between them (folded-term-cache.ts)
// as long as no write changes them. After the fold: each request the first after the hourly fold summed
// a late comment into the month to date (the term version raised, the month to date's sums written).
// After another write: each request after a write that sets those sums aside (the version raised
// alone, as a hidden comment of a summed day does until the next fold).
// A few calls first, not measured: the first calls of a process compile the code (they took 90 to
// 140 ms), once per process, not once per fold.
for (let i = 0; i < 5; i++) await commentInsights(store, 'demarche', window, null, 5);
for (const [name, placement] of [
  ['12 months, every placement', null],
  ['12 months, placement site', 'site'],
] as const) {
  for (const kind of ['after the fold', 'after another write', 'warm'] as const) {
    const times: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      if (kind === 'after the fold') await lateCommentFolded();
      if (kind === 'after another write') await sql.run("UPDATE term_versions SET version = version + 1 WHERE procedure_id = 'demarche'");
      const at = performance.now();
      await commentInsights(store, 'demarche', window, placement, 5);
      times.push(performance.now() - at);
    }
    const label = {
      'after the fold': 'first read after the fold (month to date read from its sums)',
      'after another write': 'first read after another write (month to date grouped from its rows)',
      warm: 'warm (in a row)',
    }[kind];
    console.log(
      `insights (${args.engine}), ${name}, ${label}: p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))} (target p95 ≤ 100 ms), load average ${loadavg()[0]!.toFixed(1)}`,
    );
  }
}

const rowsBefore = await count('daily_term_rollups');
// The hourly purge's prune, with a retention line 30 days back: the week before it looked at.
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
const pruneStarted = performance.now();
const pruned = await store.terms.prune(addDays(today, -37), addDays(today, -30), 5);
const pruneMs = performance.now() - pruneStarted;
delay.disable();
console.log(
  `prune of terms under 5 reviews before ${addDays(today, -30)}: ${pruned.toLocaleString('en')} of ${rowsBefore.toLocaleString('en')} rows in ${ms(pruneMs)}, event loop held ${ms(delay.max / 1e6)} at most`,
);
await store.close();
await closeSql();
// BENCH_KEEP keeps the database (SQLite's file, or PostgreSQL's on BENCH_DATABASE_URL) to look into.
await bench?.drop(!!process.env.BENCH_KEEP);
if (args.engine === 'sqlite' && !process.env.BENCH_KEEP) rmSync(PATH, { force: true });
