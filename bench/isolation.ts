// npm run bench:isolation [-- --engine postgres]: nothing an agency does stalls ratings. Against the
// real collector (`jdma serve`, its own process), 20 clients rate at a steady pace and a probe asks
// /healthz every 20 ms, first alone (quiet), then while agencies work (load): 4 exports of 300,000
// reviews at a time (two entities, a CSV and an XLSX each: the default bound is 2 per entity), each
// started again as soon as it ends, and 8 searches for a word no comment holds (4 through the API's
// listing, 4 through the space's comments page, which reads up to ten store pages), each sent again
// as soon as answered. Targets: rating p99 under load ≤ 2 × quiet, no rating error, /healthz p99 ≤ 50 ms.
//
// The database is filled straight (one INSERT … SELECT over a sequence), rollups by the collector's
// own rebuild(); SQLite in /tmp, or a throwaway PostgreSQL cluster with its durable defaults.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { addDays, utcDay } from '../shared/feed-window.ts';
import { hashSecret, newSecret } from '../server/agency/secrets.ts';
import { openPostgres } from '../server/store/postgres/open-postgres.ts';
import { openSqlite } from '../server/store/sqlite/open-sqlite.ts';
import type { Store } from '../server/store/store.ts';
import { startCluster, type Cluster } from '../test/helpers/postgres-cluster.ts';
import { freePort, sleep, startCollector } from './helpers/collector.ts';

const { values: args } = parseArgs({ options: { engine: { type: 'string', default: 'sqlite' } } });
if (args.engine !== 'sqlite' && args.engine !== 'postgres') throw new Error('--engine sqlite|postgres');

const REVIEWS = Number(process.env.BENCH_REVIEWS ?? 300_000);
const PHASE_SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const RATERS = 20;
/** BENCH_ONLY=exports or searches: one kind of agency work alone, to see which one costs the ratings. */
const ONLY = process.env.BENCH_ONLY;
/** Each rater's pace: 10 a second, 200 a second in all, far under what the collector takes. */
const RATING_INTERVAL_MS = 100;
const HEALTH_INTERVAL_MS = 20;
const DAYS = 365;
const ENTITIES = ['ministere-a', 'ministere-b'];
const RARE_WORD = 'introuvable';
const today = utcDay(new Date());
const start = addDays(today, -(DAYS - 1));
const dir = mkdtempSync(join(tmpdir(), 'jdma-bench-isolation-'));

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

interface Credentials {
  /** An API key per entity. */
  keys: string[];
  /** A member's session cookie per entity. */
  cookies: string[];
}

/** Entities, their procedure (`demarche-a`, `demarche-b`), keys and members' sessions, through the store. */
async function agencies(store: Store): Promise<Credentials> {
  const credentials: Credentials = { keys: [], cookies: [] };
  for (const [i, entityId] of ENTITIES.entries()) {
    const procedureId = `demarche-${'ab'[i]}`;
    await store.entities.add({ id: entityId, name: `Ministère ${'AB'[i]}` });
    await store.procedures.add({ id: procedureId, title: `Démarche ${'AB'[i]}`, entityId, origins: [], placements: ['site'] });
    const key = newSecret('jdma_');
    await store.apiKeys.add({ entityId, name: 'tableau', hash: hashSecret(key), procedureIds: null });
    credentials.keys.push(key);
    const email = `agent@${entityId}.example.gouv.fr`;
    await store.members.put({ entityId, email, role: 'reader' });
    const session = newSecret();
    const now = Date.now();
    await store.sessions.create({ idHash: hashSecret(session), email, createdAt: now, lastSeenAt: now });
    credentials.cookies.push(`jdma_session=${session}`);
  }
  return credentials;
}

// Review i of a procedure: a day of the last year, one in five with a comment (never the rare word),
// and that comment folded for search as the collector stores it.
const COMMENT = (i: string) => `CASE WHEN ${i} % 5 = 0 THEN 'La démarche n° ' || ${i} || ' était correcte' END`;
const SEARCH_TEXT = (i: string) => `CASE WHEN ${i} % 5 = 0 THEN 'la demarche n° ' || ${i} || ' etait correcte' END`;

async function fillSqlite(path: string): Promise<Credentials> {
  const store = openSqlite(path);
  const credentials = await agencies(store);
  const startMs = Date.parse(`${start}T12:00:00Z`);
  store.db.transaction(() => {
    for (const procedureId of ['demarche-a', 'demarche-b']) {
      store.db.exec(`
        WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ${REVIEWS} - 1)
        INSERT INTO reviews (procedure_id, placement_id, day, created_at, lang, satisfaction, token_hash, comment, search_text)
        SELECT '${procedureId}', CASE WHEN i % 3 = 0 THEN 'site' ELSE 'default' END, date(at / 1000, 'unixepoch'), at, 'fr',
               CASE i % 3 WHEN 0 THEN 'good' WHEN 1 THEN 'medium' ELSE 'bad' END, x'00', ${COMMENT('i')}, ${SEARCH_TEXT('i')}
          FROM (SELECT i, ${startMs} + (i * ${DAYS} / ${REVIEWS}) * 86400000 AS at FROM seq);
        INSERT INTO review_answers (review_id, question, channel, answer)
        SELECT id, 'clarity', '', '4' FROM reviews WHERE procedure_id = '${procedureId}' AND comment IS NOT NULL;`);
    }
  })();
  await store.rollups.rebuild();
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  await store.close();
  // The schema's own statistics, as an operator's ANALYZE would leave them.
  const db = new Database(path);
  db.exec('ANALYZE');
  db.close();
  return credentials;
}

async function fillPostgres(url: string): Promise<Credentials> {
  const store = await openPostgres({ databaseUrl: url, poolSize: 1 });
  const credentials = await agencies(store);
  await store.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (const procedureId of ['demarche-a', 'demarche-b']) {
    await client.query(
      `INSERT INTO reviews (procedure_id, placement_id, day, created_at, lang, satisfaction, token_hash, comment, search_text)
       SELECT $1, CASE WHEN i % 3 = 0 THEN 'site' ELSE 'default' END, to_char(to_timestamp(at / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
              at, 'fr', CASE i % 3 WHEN 0 THEN 'good' WHEN 1 THEN 'medium' ELSE 'bad' END, '\\x00'::bytea, ${COMMENT('i')}, ${SEARCH_TEXT('i')}
         FROM (SELECT i, $2::bigint + (i * $3 / $4) * 86400000 AS at FROM generate_series(0::bigint, $4::bigint - 1) AS i) AS s`,
      [procedureId, Date.parse(`${start}T12:00:00Z`), DAYS, REVIEWS],
    );
    await client.query(
      "INSERT INTO review_answers (review_id, question, channel, answer) SELECT id, 'clarity', '', '4' FROM reviews WHERE procedure_id = $1 AND comment IS NOT NULL",
      [procedureId],
    );
  }
  const rebuilt = await openPostgres({ databaseUrl: url, poolSize: 1 });
  await rebuilt.rollups.rebuild();
  await rebuilt.close();
  await client.query('VACUUM ANALYZE');
  await client.query('CHECKPOINT');
  await client.end();
  return credentials;
}

function startIsolationCollector(port: number, database: Record<string, string>): Promise<ChildProcess> {
  return startCollector(port, {
    ...database,
    RATE_LIMIT_PER_MINUTE: '0',
    RATINGS_PER_CLIENT_PER_DAY: '0',
    // The agency rate limit would answer most of the searches with a cheap 429: off, so that they all run.
    AGENCY_RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'silent',
  });
}

interface Sample {
  status: number;
  ms: number;
}

/** Sends `send` every `interval` ms until `until`, each at its own offset, recording status and time. */
async function paced(until: number, interval: number, offset: number, samples: Sample[], send: () => Promise<Response>): Promise<void> {
  const begin = performance.now();
  for (let slot = 0; ; slot++) {
    const at = begin + offset + slot * interval;
    if (at >= until) return;
    await sleep(Math.max(0, at - performance.now()));
    const sent = performance.now();
    try {
      const reply = await send();
      await reply.arrayBuffer();
      samples.push({ status: reply.status, ms: performance.now() - sent });
    } catch {
      samples.push({ status: 0, ms: performance.now() - sent });
    }
  }
}

/** Sends `send` again as soon as its body is read, until `until`; counts what came back. */
async function looped(until: number, send: () => Promise<Response>, tally: { done: number; bytes: number; statuses: Set<number> }) {
  while (performance.now() < until) {
    const reply = await send();
    tally.statuses.add(reply.status);
    // Read as it comes, kept nowhere: a spreadsheet tool downloading.
    for await (const chunk of reply.body!) tally.bytes += chunk.length;
    tally.done++;
  }
}

async function phase(url: string, credentials: Credentials, withAgencies: boolean) {
  const ratings: Sample[] = [];
  const health: Sample[] = [];
  const exports = { done: 0, bytes: 0, statuses: new Set<number>() };
  const searches = { done: 0, bytes: 0, statuses: new Set<number>() };
  const until = performance.now() + PHASE_SECONDS * 1000;
  const body = JSON.stringify({ procedure: 'demarche-a', placement: 'site', satisfaction: 'good', lang: 'fr' });
  const work: Promise<void>[] = [];
  for (let i = 0; i < RATERS; i++) {
    work.push(
      paced(until, RATING_INTERVAL_MS, (i * RATING_INTERVAL_MS) / RATERS, ratings, () =>
        fetch(`${url}/api/v1/reviews`, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8', origin: url }, body }),
      ),
    );
  }
  work.push(paced(until, HEALTH_INTERVAL_MS, 0, health, () => fetch(`${url}/healthz`)));
  if (withAgencies) {
    for (const [i, procedureId] of ['demarche-a', 'demarche-b'].entries()) {
      const headers = { authorization: `Bearer ${credentials.keys[i]}` };
      // The whole year: every review of the procedure.
      const window = `from=${start}&to=${today}`;
      for (const format of ['csv', 'xlsx']) {
        if (ONLY === 'searches') continue;
        work.push(looped(until, () => fetch(`${url}/api/v1/procedures/${procedureId}/reviews.${format}?${window}`, { headers }), exports));
      }
      for (let k = 0; k < 2; k++) {
        if (ONLY === 'exports') continue;
        work.push(
          looped(until, () => fetch(`${url}/api/v1/procedures/${procedureId}/reviews?q=${RARE_WORD}&${window}`, { headers }), searches),
        );
        work.push(
          looped(
            until,
            () =>
              fetch(`${url}/espace/demarches/${procedureId}/avis?q=${RARE_WORD}&from=${start}&to=${today}`, {
                headers: { cookie: credentials.cookies[i]! },
              }),
            searches,
          ),
        );
      }
    }
  }
  await Promise.all(work);
  return { ratings, health, exports, searches };
}

function summary(name: string, figures: Awaited<ReturnType<typeof phase>>) {
  const ok = figures.ratings.filter((s) => s.status === 201).map((s) => s.ms);
  const errors = figures.ratings.length - ok.length;
  const health = figures.health.filter((s) => s.status === 200).map((s) => s.ms);
  const line =
    `${name.padEnd(5)}: ${figures.ratings.length} ratings, ${errors} errors, p50 ${percentile(ok, 50).toFixed(1)} ms, p99 ${percentile(ok, 99).toFixed(1)} ms, ` +
    `max ${Math.max(...ok).toFixed(1)} ms; /healthz ${figures.health.length} probes (${figures.health.length - health.length} failed), ` +
    `p50 ${percentile(health, 50).toFixed(1)} ms, p99 ${percentile(health, 99).toFixed(1)} ms`;
  console.log(line);
  return { p99: percentile(ok, 99), errors, healthP99: percentile(health, 99) };
}

async function main(): Promise<void> {
  let cluster: Cluster | undefined;
  let collector: ChildProcess | undefined;
  try {
    let database: Record<string, string>;
    let credentials: Credentials;
    const filling = performance.now();
    console.log(`Filling ${args.engine}: 2 procedures × ${REVIEWS.toLocaleString('en')} reviews over ${DAYS} days…`);
    if (args.engine === 'postgres') {
      cluster = await startCluster({ durable: true });
      const admin = new pg.Client({ connectionString: cluster.url });
      await admin.connect();
      await admin.query('CREATE DATABASE jdma_bench_isolation');
      await admin.end();
      const databaseUrl = new URL(cluster.url);
      databaseUrl.pathname = '/jdma_bench_isolation';
      database = { DATABASE_URL: databaseUrl.toString() };
      credentials = await fillPostgres(databaseUrl.toString());
    } else {
      database = { DATABASE_PATH: join(dir, 'isolation.sqlite') };
      credentials = await fillSqlite(database.DATABASE_PATH!);
    }
    console.log(`  ready in ${((performance.now() - filling) / 1000).toFixed(1)} s`);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    collector = await startIsolationCollector(port, database);
    console.log(
      `${RATERS} raters (${1000 / RATING_INTERVAL_MS}/s each), /healthz every ${HEALTH_INTERVAL_MS} ms; phases of ${PHASE_SECONDS} s: ` +
        `quiet, then with 4 exports and 8 searches for « ${RARE_WORD} » (4 API listing, 4 comments page) running all along`,
    );
    // Warm-up: JIT, connections, the database's pages; not measured.
    await phase(url, credentials, false);
    const quiet = summary('quiet', await phase(url, credentials, false));
    const loaded = await phase(url, credentials, true);
    const load = summary('load', loaded);
    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
    console.log(
      `agencies meanwhile: ${loaded.exports.done} exports ended (${mib(loaded.exports.bytes)} sent, statuses ${[...loaded.exports.statuses].join(', ')}), ` +
        `${loaded.searches.done} searches answered (statuses ${[...loaded.searches.statuses].join(', ')}) in ${PHASE_SECONDS} s`,
    );
    const ratio = load.p99 / quiet.p99;
    const verdicts = [
      `rating p99 ${ratio.toFixed(2)} × quiet (target ≤ 2): ${ratio <= 2 ? 'met' : 'NOT MET'}`,
      `rating errors ${load.errors} (target 0): ${load.errors === 0 ? 'met' : 'NOT MET'}`,
      `/healthz p99 under load ${load.healthP99.toFixed(1)} ms (target ≤ 50 ms): ${load.healthP99 <= 50 ? 'met' : 'NOT MET'}`,
    ];
    console.log(verdicts.join('; '));
  } finally {
    collector?.kill('SIGTERM');
    cluster?.remove();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
