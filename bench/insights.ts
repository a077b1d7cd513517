// npm run bench:insights — comment insights of one procedure of 1 M reviews over 12 months, a fifth
// with a comment (target: p95 ≤ 100 ms on SQLite), and the size of its term rollups against the
// comments' counted terms (target: under half; SPEC §8). SQLite, in a file under /tmp, never in the
// repository.
//
// Reviews go straight into the database (one INSERT … SELECT over a sequence) and their rollups are
// built by the collector's own rebuild(). The term counts are written through the store's own
// count(), as the term tick writes them, from synthetic comments: each writes 6 words and 3 bigrams
// drawn from Zipf-distributed vocabularies (10,000 words, 20,000 bigrams), as real comments repeat
// a few words often and most words rarely. Measurements call commentInsights(), what the route calls.
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { commentInsights } from '../server/agency/comment-insights.ts';
import { TERM_MONTH_KEEP } from '../server/retention.ts';
import { openSqlite } from '../server/store/sqlite/open-sqlite.ts';
import type { PendingTerms } from '../server/store/store.ts';
import { addDays, utcDay } from '../shared/feed-window.ts';
import { SATISFACTION_ANSWERS } from '../shared/questionnaire.ts';
import { seededRandom, zipf } from '../test/helpers/seeded-random.ts';

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

if (!process.env.BENCH_KEEP) rmSync(PATH, { force: true });
for (const suffix of ['-wal', '-shm']) rmSync(`${PATH}${suffix}`, { force: true });
const store = openSqlite(PATH);
let started = performance.now();
{
  const db = new Database(PATH);
  db.pragma('cache_size = -500000');
  db.transaction(() => {
    db.prepare("INSERT INTO entities (id, name, created_at) VALUES ('ministere', 'Ministère', ?)").run(today);
    db.prepare("INSERT INTO procedures (id, title, entity_id, created_at) VALUES ('demarche', 'Démarche', 'ministere', ?)").run(today);
    db.prepare("INSERT INTO placements (procedure_id, id) VALUES ('demarche', 'default'), ('demarche', 'site')").run();
    db.prepare(
      `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < :n - 1)
       INSERT INTO reviews (id, procedure_id, placement_id, day, created_at, lang, satisfaction, token_hash)
       SELECT i + 1, 'demarche', CASE WHEN i % 3 = 0 THEN 'site' ELSE 'default' END, date(at / 1000, 'unixepoch'), at, 'fr',
              CASE WHEN i % 10 < 6 THEN 'good' WHEN i % 10 < 8 THEN 'medium' ELSE 'bad' END, x'00'
         FROM (SELECT i, :start + (i * :days / :n) * 86400000 + (i * 7919 % 86400) * 1000 AS at FROM seq)`,
    ).run({ n: REVIEWS, start: Date.parse(`${start}T00:00:00Z`), days: DAYS });
  })();
  db.close();
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
  const db = new Database(PATH);
  const queue = db.prepare('INSERT INTO term_queue (review_id) VALUES (?) ON CONFLICT DO NOTHING');
  db.transaction(() => {
    for (const { review } of reviews) queue.run(review.reviewId);
  })();
  db.close();
  await store.terms.count(reviews);
}

// The hourly purge's fold: the days of closed months into months, their most written terms only.
{
  const rows = new Database(PATH, { readonly: true });
  const daysBefore = rows.prepare<[], number>('SELECT count(*) FROM daily_term_rollups').pluck().get()!;
  rows.close();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const foldStarted = performance.now();
  const folded = await store.terms.fold(`${today.slice(0, 8)}01`, TERM_MONTH_KEEP, 5);
  delay.disable();
  console.log(
    `fold of the closed months' days, ${TERM_MONTH_KEEP} terms kept per month × placement × satisfaction: ${folded.toLocaleString('en')} of ${daysBefore.toLocaleString('en')} day rows in ${((performance.now() - foldStarted) / 1000).toFixed(1)} s, event loop held ${ms(delay.max / 1e6)} at most (p99 ${ms(delay.percentile(99) / 1e6)}), load average ${loadavg()[0]!.toFixed(1)}`,
  );
}

const window = { from: start, to: today };
for (const [name, placement] of [
  ['12 months, every placement', null],
  ['12 months, placement site', 'site'],
] as const) {
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const at = performance.now();
    await commentInsights(store, 'demarche', window, placement, 5);
    times.push(performance.now() - at);
  }
  console.log(`insights, ${name}: p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))} (target p95 ≤ 100 ms)`);
}

const db = new Database(PATH, { readonly: true });
const rowsBefore = db.prepare<[], number>('SELECT count(*) FROM daily_term_rollups').pluck().get()!;
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
const size = (tables: string[]) =>
  db
    .prepare<string[], number>(`SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN (${tables.map(() => '?').join(', ')})`)
    .pluck()
    .get(...tables)!;
const count = (table: string) => db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get()!;
const reviewRollups = size(['daily_rollups', 'monthly_rollups']);
const termRollups = size(['daily_term_rollups', 'daily_term_rollups_term', 'monthly_term_rollups']);
const counted = size(['review_terms', 'review_terms_created_at']);
console.log(
  `review rollups ${mib(reviewRollups)} (${count('daily_rollups').toLocaleString('en')} daily rows); term rollups and their index ${mib(termRollups)} (${count('daily_term_rollups').toLocaleString('en')} day rows, ${count('monthly_term_rollups').toLocaleString('en')} month rows): ${(termRollups / reviewRollups).toFixed(1)}× the review rollups, ${(termRollups / counted).toFixed(2)}× the comments' counted terms (review_terms, erased with the text: ${mib(counted)}; target < 0.5×)`,
);
db.close();
if (!process.env.BENCH_KEEP) rmSync(PATH, { force: true });
