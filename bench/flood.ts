import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freePort, sleep, startCollector } from './helpers/collector.ts';

// npm run bench:flood: one client rating at 50 × the rate limit while 20 ordinary clients rate at
// their own pace, against the real collector (`jdma serve --demo`, SQLite file in /tmp) in its own
// process. The same run alternates quiet phases (ordinary clients alone) and flood phases, so that
// both conditions meet the same machine. Targets: the ordinary clients' success rate stays ≥ 99 %
// during the flood, and their p99 latency ≤ 2 × its value without the flood.
//
// The limiter keys clients by address: the collector runs with TRUST_PROXY=1 and each client
// sends its own X-Forwarded-For (documentation ranges); the traffic itself stays on 127.0.0.1.
// The limit is 600 a minute here, not the default 60: at 50 × 60 a minute the flood would be 50
// requests a second, nothing for any server; at 50 × 600 it is 500 a second. Ordinary clients
// rate at a fifth of the limit, far under it, so that 20 of them give enough ratings for a p99 in
// a minute. The daily count per client is off: it is another defence, and would stop the ordinary
// clients themselves after 10 ratings.

const LIMIT_PER_MINUTE = Number(process.env.FLOOD_LIMIT_PER_MINUTE ?? 600);
const PHASE_SECONDS = Number(process.env.FLOOD_PHASE_SECONDS ?? 15);
const ROUNDS = Number(process.env.FLOOD_ROUNDS ?? 2);
const ORDINARY_CLIENTS = 20;
const ORDINARY_PER_MINUTE = LIMIT_PER_MINUTE / 5;
const FLOOD_PER_SECOND = (50 * LIMIT_PER_MINUTE) / 60;
const FLOODER_ADDRESS = '203.0.113.66';

const dir = mkdtempSync(join(tmpdir(), 'jdma-bench-flood-'));

function startFloodCollector(port: number): Promise<ChildProcess> {
  return startCollector(
    port,
    {
      DATABASE_PATH: join(dir, 'flood.sqlite'),
      RATE_LIMIT_PER_MINUTE: String(LIMIT_PER_MINUTE),
      RATINGS_PER_CLIENT_PER_DAY: '0',
      TRUST_PROXY: '1',
      LOG_LEVEL: 'silent',
    },
    ['--demo'],
  );
}

const body = JSON.stringify({ procedure: 'demo', placement: 'site', satisfaction: 'good', lang: 'fr' });

interface Sample {
  status: number;
  ms: number;
}

/** One ordinary client for `seconds`: a rating every interval, at its own moment within it. */
async function ordinaryClient(url: string, address: string, seconds: number, offsetMs: number, samples: Sample[]): Promise<void> {
  const interval = 60_000 / ORDINARY_PER_MINUTE;
  const start = performance.now();
  for (let slot = 0; ; slot++) {
    const at = start + offsetMs + slot * interval;
    if (at - start >= seconds * 1000) return;
    await sleep(Math.max(0, at - performance.now()));
    const sent = performance.now();
    try {
      const reply = await fetch(`${url}/api/v1/reviews`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8', origin: url, 'x-forwarded-for': address },
        body,
      });
      await reply.arrayBuffer();
      samples.push({ status: reply.status, ms: performance.now() - sent });
    } catch {
      samples.push({ status: 0, ms: performance.now() - sent });
    }
  }
}

interface FloodFigures {
  requests: number;
  limited: number;
  accepted: number;
}

async function flood(url: string, seconds: number): Promise<FloodFigures> {
  const result = await autocannon({
    url: `${url}/api/v1/reviews`,
    method: 'POST',
    connections: 10,
    overallRate: FLOOD_PER_SECOND,
    duration: seconds,
    headers: { 'content-type': 'text/plain;charset=UTF-8', origin: url, 'x-forwarded-for': FLOODER_ADDRESS },
    body,
  });
  const stats = (result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
  return { requests: result.requests.total, limited: stats['429']?.count ?? 0, accepted: stats['201']?.count ?? 0 };
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

async function phase(url: string, withFlood: boolean, samples: Sample[], flooder: FloodFigures): Promise<void> {
  const interval = 60_000 / ORDINARY_PER_MINUTE;
  const ordinary = Array.from({ length: ORDINARY_CLIENTS }, (_, i) =>
    ordinaryClient(url, `198.51.100.${i + 1}`, PHASE_SECONDS, (i * interval) / ORDINARY_CLIENTS, samples),
  );
  if (withFlood) {
    const figures = await flood(url, PHASE_SECONDS);
    flooder.requests += figures.requests;
    flooder.limited += figures.limited;
    flooder.accepted += figures.accepted;
  }
  await Promise.all(ordinary);
}

function report(name: string, samples: Sample[]): number {
  const ok = samples.filter((s) => s.status === 201);
  const p99 = percentile(
    ok.map((s) => s.ms),
    99,
  );
  const others = [...new Set(samples.filter((s) => s.status !== 201).map((s) => s.status))].join(', ') || 'none';
  console.log(
    `ordinary clients, ${name.padEnd(5)}: ${samples.length} ratings, success ${((100 * ok.length) / samples.length).toFixed(2)} %, ` +
      `p50 ${percentile(
        ok.map((s) => s.ms),
        50,
      ).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (other statuses: ${others})`,
  );
  return p99;
}

let collector: ChildProcess | undefined;
try {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  collector = await startFloodCollector(port);
  console.log(
    `Flood: rate limit ${LIMIT_PER_MINUTE}/min per client; one flooder at 50 × (${FLOOD_PER_SECOND} req/s); ` +
      `${ORDINARY_CLIENTS} ordinary clients at ${ORDINARY_PER_MINUTE}/min each; ${ROUNDS} rounds of ${PHASE_SECONDS} s quiet + ${PHASE_SECONDS} s flood`,
  );
  // Warm-up: JIT, connections, SQLite's pages; not measured.
  await phase(url, false, [], { requests: 0, limited: 0, accepted: 0 });
  const quiet: Sample[] = [];
  const flooded: Sample[] = [];
  const flooder: FloodFigures = { requests: 0, limited: 0, accepted: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    await phase(url, false, quiet, flooder);
    // A new limiter window for the flooder each round would flatter it: each phase simply follows the other.
    await phase(url, true, flooded, flooder);
  }
  const quietP99 = report('quiet', quiet);
  const floodP99 = report('flood', flooded);
  const success = (100 * flooded.filter((s) => s.status === 201).length) / flooded.length;
  console.log(
    `flooder: ${flooder.requests} requests, ${((100 * flooder.limited) / flooder.requests).toFixed(1)} % refused 429, ${flooder.accepted} accepted`,
  );
  console.log(
    `during the flood: success ${success.toFixed(2)} % (target ≥ 99 %): ${success >= 99 ? 'met' : 'NOT MET'}; ` +
      `p99 ${(floodP99 / quietP99).toFixed(2)} × quiet (target ≤ 2): ${floodP99 <= 2 * quietP99 ? 'met' : 'NOT MET'}`,
  );
} finally {
  collector?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
