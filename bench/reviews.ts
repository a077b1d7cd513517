import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startCluster, type Cluster } from '../test/helpers/postgres-cluster.ts';

// npm run bench: hot ratings posted to the real collector (validation, origin check, commit before
// the reply) and, in the same run, to a baseline route that only parses the body. Each server runs
// in its own process; autocannon runs here. Targets: ours ≥ 0.8 × baseline, p99 ≤ 25 ms.
// `npm run bench -- --engine postgres` adds a collector on PostgreSQL (a throwaway cluster with
// PostgreSQL's durable defaults, or BENCH_DATABASE_URL) in the same rounds, against both the baseline
// and the SQLite collector: targets ≥ 0.5 × SQLite's throughput, p99 ≤ 50 ms at 50 connections.
const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'jdma-bench-'));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function start(args: string[], env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return child;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`server on port ${port} did not start`);
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function load(url: string, seconds: number): Promise<Figures> {
  const origin = new URL(url).origin;
  const result = await autocannon({
    url: `${url}/api/v1/reviews`,
    method: 'POST',
    connections: CONNECTIONS,
    duration: seconds,
    headers: { 'content-type': 'text/plain;charset=UTF-8', origin },
    body: JSON.stringify({ procedure: 'demo', placement: 'site', satisfaction: 'good', lang: 'fr' }),
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx + result.errors };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function print(name: string, runs: Figures[]): Figures {
  const figures = {
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
  };
  const each = runs.map((r) => r.rps.toFixed(0)).join(' / ');
  console.log(
    `${name.padEnd(10)} ${figures.rps.toFixed(0).padStart(7)} req/s   p50 ${figures.p50} ms   p99 ${figures.p99} ms   (rounds: ${each} req/s)`,
  );
  return figures;
}

const { values: args } = parseArgs({ options: { engine: { type: 'string', default: 'sqlite' } } });
if (args.engine !== 'sqlite' && args.engine !== 'postgres') throw new Error('--engine sqlite|postgres');
const withPostgres = args.engine === 'postgres';

const children: ChildProcess[] = [];
let cluster: Cluster | undefined;
try {
  console.log(`Hot ratings, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${DURATION_S} s each, after a 2 s warm-up`);
  const basePort = await freePort();
  children.push(await start(['dist/bench/baseline-server.js', String(basePort)], {}, basePort));
  const urls: Record<string, string> = { baseline: `http://127.0.0.1:${basePort}` };
  // The rate limiter and the daily count per client stay on, at limits no client reaches, and the
  // metrics are on: their cost is measured too (autocannon is one client rating one procedure).
  const collector = async (name: string, database: Record<string, string>) => {
    const port = await freePort();
    const env = {
      ...database,
      PORT: String(port),
      RATE_LIMIT_PER_MINUTE: '1000000000',
      RATINGS_PER_CLIENT_PER_DAY: '1000000000',
      METRICS_TOKEN: 'bench-metrics-token-0123456789',
      LOG_LEVEL: 'silent',
    };
    children.push(await start(['dist/cli.js', 'serve', '--demo'], env, port));
    urls[name] = `http://127.0.0.1:${port}`;
  };
  await collector('sqlite', { DATABASE_PATH: join(dir, 'bench.sqlite') });
  if (withPostgres) {
    let databaseUrl = process.env.BENCH_DATABASE_URL;
    if (!databaseUrl) {
      cluster = await startCluster({ durable: true });
      databaseUrl = cluster.url;
    }
    await collector('postgres', { DATABASE_URL: databaseUrl });
  }
  for (const url of Object.values(urls)) await load(url, 2); // warm-up: JIT, connections, page caches
  // Alternating rounds: a slow spell of the machine hits every side, not one.
  const runs: Record<string, Figures[]> = Object.fromEntries(Object.keys(urls).map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, url] of Object.entries(urls)) runs[name]!.push(await load(url, DURATION_S));
  }
  const figures = Object.fromEntries(Object.entries(runs).map(([name, r]) => [name, print(name, r)]));
  const baseline = figures.baseline!;
  const sqlite = figures.sqlite!;
  console.log(
    `ratio sqlite/baseline (medians): ${(sqlite.rps / baseline.rps).toFixed(2)} (target ≥ 0.80); sqlite p99 ${sqlite.p99} ms (target ≤ 25 ms)`,
  );
  if (figures.postgres) {
    const postgres = figures.postgres;
    console.log(
      `ratio postgres/baseline: ${(postgres.rps / baseline.rps).toFixed(2)}; ratio postgres/sqlite: ${(postgres.rps / sqlite.rps).toFixed(2)} (target ≥ 0.50); postgres p99 ${postgres.p99} ms (target ≤ 50 ms)`,
    );
  }
  for (const [name, f] of Object.entries(figures))
    if (f.non2xx > 0) console.log(`warning: ${f.non2xx} requests to ${name} were not answered 2xx`);
} finally {
  for (const child of children) child.kill('SIGTERM');
  cluster?.remove();
  rmSync(dir, { recursive: true, force: true });
}
