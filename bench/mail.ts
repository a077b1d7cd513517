// npm run bench:mail [-- --engine postgres]: digests for 10,000 members over 2,000 procedures
// computed and queued by the real collector (`jdma serve`, its own process, on SQLite or a
// throwaway PostgreSQL cluster) while 20 clients rate, in the same run.
// Quiet phase first (the day's digests marked done), then the bench clears the digest job's state
// and the collector's next tick (every 30 s) runs it: the time from its claim to the 10,000th row of
// the outbox, and the ratings' p99 meanwhile against quiet. Targets: ≤ 60 s, p99 ≤ 2 × quiet.
// Without SMTP_URL the collector's sender also writes each mail as an .eml file meanwhile, as a
// newcomer's collector would.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { addDays, utcDay } from '../shared/feed-window.ts';
import { openPostgres } from '../server/store/postgres/open-postgres.ts';
import { openSqlite } from '../server/store/sqlite/open-sqlite.ts';
import type { Store } from '../server/store/store.ts';
import { startCluster, type Cluster } from '../test/helpers/postgres-cluster.ts';
import { freePort, sleep, startCollector } from './helpers/collector.ts';

const { values: args } = parseArgs({ options: { engine: { type: 'string', default: 'sqlite' } } });
if (args.engine !== 'sqlite' && args.engine !== 'postgres') throw new Error('--engine sqlite|postgres');

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 10_000);
const PROCEDURES = Number(process.env.BENCH_PROCEDURES ?? 2000);
const ENTITIES = Math.max(1, Math.round(PROCEDURES / 4));
const REVIEWS_PER_PROCEDURE = 100;
const PHASE_SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
/** Past this the run is called failed: the target is 60 s, the tick adds up to 30 s before the claim. */
const GIVE_UP_SECONDS = 150;
const RATERS = 20;
const RATING_INTERVAL_MS = 100;
const today = utcDay(new Date());
const dir = mkdtempSync(join(tmpdir(), 'jdma-bench-mail-'));
const path = join(dir, 'mail.sqlite');

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

/** Entities of 4 procedures and 20 members each (MEMBERS / ENTITIES), every member with a daily digest. */
async function members(store: Store): Promise<void> {
  for (let e = 0; e < ENTITIES; e++) await store.entities.add({ id: `entite-${e}`, name: `Entité ${e}` });
  for (let p = 0; p < PROCEDURES; p++) {
    await store.procedures.add({ id: `demarche-${p}`, title: `Démarche ${p}`, entityId: `entite-${p % ENTITIES}`, origins: [] });
  }
  const preferences = [];
  for (let m = 0; m < MEMBERS; m++) {
    const entityId = `entite-${m % ENTITIES}`;
    const email = `agent-${m}@example.gouv.fr`;
    await store.members.put({ entityId, email, role: m % 5 === 0 ? 'admin' : 'reader' });
    preferences.push({ entityId, email, kind: 'digest' as const, procedureId: '', value: 'daily' });
  }
  await store.notifications.setPreferences(preferences);
}

// A year of reviews per procedure, for the rollups the digests read.
const start = Date.parse(`${addDays(today, -364)}T12:00:00Z`);

async function fillSqlite(): Promise<void> {
  const store = openSqlite(path);
  await members(store);
  store.db.exec(`
    WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ${PROCEDURES * REVIEWS_PER_PROCEDURE} - 1)
    INSERT INTO reviews (procedure_id, placement_id, day, created_at, lang, satisfaction, token_hash)
    SELECT 'demarche-' || (i % ${PROCEDURES}), 'default', date(at / 1000, 'unixepoch'), at, 'fr',
           CASE i % 3 WHEN 0 THEN 'good' WHEN 1 THEN 'medium' ELSE 'bad' END, x'00'
      FROM (SELECT i, ${start} + ((i * 7) % 365) * 86400000 AS at FROM seq);`);
  await store.rollups.rebuild();
  // Today's digests done: the quiet phase runs without them.
  store.db.prepare("INSERT INTO mail_jobs (name, state) VALUES ('digests', ?)").run(JSON.stringify({ doneDay: today }));
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  await store.close();
}

async function fillPostgres(url: string): Promise<void> {
  const store = await openPostgres({ databaseUrl: url, poolSize: 1 });
  await members(store);
  await store.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(
    `INSERT INTO reviews (procedure_id, placement_id, day, created_at, lang, satisfaction, token_hash)
     SELECT 'demarche-' || (i % $1), 'default', to_char(to_timestamp(at / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), at, 'fr',
            CASE i % 3 WHEN 0 THEN 'good' WHEN 1 THEN 'medium' ELSE 'bad' END, '\\x00'::bytea
       FROM (SELECT i, $2::bigint + ((i * 7) % 365) * 86400000 AS at FROM generate_series(0::bigint, $3::bigint - 1) AS i) AS s`,
    [PROCEDURES, start, PROCEDURES * REVIEWS_PER_PROCEDURE],
  );
  const rebuilt = await openPostgres({ databaseUrl: url, poolSize: 1 });
  await rebuilt.rollups.rebuild();
  await rebuilt.close();
  await client.query("INSERT INTO mail_jobs (name, state) VALUES ('digests', $1)", [JSON.stringify({ doneDay: today })]);
  await client.query('VACUUM ANALYZE');
  await client.query('CHECKPOINT');
  await client.end();
}

/** What the bench reads and changes in the collector's database meanwhile, on either engine. */
interface Probe {
  restartDigests(): Promise<void>;
  digestsQueued(): Promise<number>;
  leasedUntil(): Promise<number>;
  close(): Promise<void>;
}

function sqliteProbe(): Probe {
  const db = new Database(path);
  const count = db.prepare<[], number>("SELECT count(*) FROM mails WHERE kind = 'digest'").pluck();
  const leased = db.prepare<[], number>("SELECT lease_until FROM mail_jobs WHERE name = 'digests'").pluck();
  return {
    restartDigests: async () => void db.prepare("UPDATE mail_jobs SET state = '{}' WHERE name = 'digests'").run(),
    digestsQueued: async () => count.get()!,
    leasedUntil: async () => leased.get() ?? 0,
    close: async () => void db.close(),
  };
}

async function postgresProbe(url: string): Promise<Probe> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const one = async (sql: string) => Number((await client.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
  return {
    restartDigests: async () => void (await client.query("UPDATE mail_jobs SET state = '{}' WHERE name = 'digests'")),
    digestsQueued: () => one("SELECT count(*) AS n FROM mails WHERE kind = 'digest'"),
    leasedUntil: () => one("SELECT lease_until AS n FROM mail_jobs WHERE name = 'digests'"),
    close: () => client.end(),
  };
}

async function rate(url: string, until: () => boolean, samples: number[], errors: { n: number }): Promise<void> {
  const work: Promise<void>[] = [];
  for (let i = 0; i < RATERS; i++) {
    work.push(
      (async () => {
        await sleep((i * RATING_INTERVAL_MS) / RATERS);
        for (let k = 0; !until(); k++) {
          const begin = performance.now();
          const body = JSON.stringify({ procedure: `demarche-${(i * 97 + k) % PROCEDURES}`, satisfaction: 'good', lang: 'fr' });
          try {
            const reply = await fetch(`${url}/api/v1/reviews`, {
              method: 'POST',
              headers: { 'content-type': 'text/plain;charset=UTF-8', origin: url },
              body,
            });
            await reply.arrayBuffer();
            if (reply.status === 201) samples.push(performance.now() - begin);
            else errors.n++;
          } catch {
            errors.n++;
          }
          await sleep(Math.max(0, RATING_INTERVAL_MS - (performance.now() - begin)));
        }
      })(),
    );
  }
  await Promise.all(work);
}

async function main(): Promise<void> {
  let collector: ChildProcess | undefined;
  let cluster: Cluster | undefined;
  try {
    const filling = performance.now();
    console.log(`Filling ${args.engine}: ${ENTITIES} entities, ${PROCEDURES} procedures, ${MEMBERS} members with a daily digest…`);
    let database: Record<string, string>;
    let databaseUrl = '';
    if (args.engine === 'postgres') {
      cluster = await startCluster({ durable: true });
      const admin = new pg.Client({ connectionString: cluster.url });
      await admin.connect();
      await admin.query('CREATE DATABASE jdma_bench_mail');
      await admin.end();
      const url = new URL(cluster.url);
      url.pathname = '/jdma_bench_mail';
      databaseUrl = url.toString();
      database = { DATABASE_URL: databaseUrl };
      await fillPostgres(databaseUrl);
    } else {
      database = { DATABASE_PATH: path };
      await fillSqlite();
    }
    console.log(`  ready in ${((performance.now() - filling) / 1000).toFixed(1)} s`);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    collector = await startCollector(port, {
      ...database,
      RATE_LIMIT_PER_MINUTE: '0',
      RATINGS_PER_CLIENT_PER_DAY: '0',
      LOG_LEVEL: 'silent',
      SMTP_URL: undefined,
    });
    const quietSamples: number[] = [];
    const quietErrors = { n: 0 };
    // Warm-up, then quiet.
    let end = performance.now() + 3000;
    await rate(url, () => performance.now() > end, [], { n: 0 });
    end = performance.now() + PHASE_SECONDS * 1000;
    await rate(url, () => performance.now() > end, quietSamples, quietErrors);

    const probe = args.engine === 'postgres' ? await postgresProbe(databaseUrl) : sqliteProbe();
    await probe.restartDigests();
    const loadSamples: number[] = [];
    const loadErrors = { n: 0 };
    let claimedAt: number | undefined;
    let doneAt: number | undefined;
    const begin = performance.now();
    const raters = rate(url, () => doneAt !== undefined || performance.now() - begin > GIVE_UP_SECONDS * 1000, loadSamples, loadErrors);
    while (doneAt === undefined && performance.now() - begin < GIVE_UP_SECONDS * 1000) {
      await sleep(100);
      const now = performance.now();
      if (claimedAt === undefined && (await probe.leasedUntil()) > 0) claimedAt = now;
      if ((await probe.digestsQueued()) >= MEMBERS) doneAt = now;
    }
    // Waiting for the tick is not the job's time: only from its claim (or its first row, when the claim fell between two polls).
    claimedAt ??= doneAt;
    await raters;
    await probe.close();

    const quietP99 = percentile(quietSamples, 99);
    const loadSamplesDuring = loadSamples;
    const loadP99 = percentile(loadSamplesDuring, 99);
    console.log(
      `quiet: ${quietSamples.length} ratings, ${quietErrors.n} errors, p50 ${percentile(quietSamples, 50).toFixed(1)} ms, p99 ${quietP99.toFixed(1)} ms`,
    );
    console.log(
      `digests: ${loadSamplesDuring.length} ratings meanwhile, ${loadErrors.n} errors, p50 ${percentile(loadSamplesDuring, 50).toFixed(1)} ms, p99 ${loadP99.toFixed(1)} ms`,
    );
    if (doneAt === undefined) {
      console.log(`digests: NOT MET, fewer than ${MEMBERS} queued after ${GIVE_UP_SECONDS} s`);
      return;
    }
    const seconds = (doneAt - claimedAt!) / 1000;
    const ratio = loadP99 / quietP99;
    console.log(
      `${MEMBERS} digests over ${PROCEDURES} procedures computed and queued in ${seconds.toFixed(1)} s (target ≤ 60 s): ${seconds <= 60 ? 'met' : 'NOT MET'}; ` +
        `rating p99 ${ratio.toFixed(2)} × quiet (target ≤ 2): ${ratio <= 2 ? 'met' : 'NOT MET'}; rating errors ${loadErrors.n} (target 0)`,
    );
  } finally {
    // Its sender may still be writing .eml files: the folder goes once it has exited.
    if (collector && collector.exitCode === null) {
      const exited = once(collector, 'exit');
      collector.kill('SIGTERM');
      await exited;
    }
    cluster?.remove();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
