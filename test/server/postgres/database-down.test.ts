import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { exited, serve, type ServeProcess } from '../../helpers/cli-process.ts';
import { startCluster, type Cluster } from '../../helpers/postgres-cluster.ts';
import { freePort } from '../../helpers/test-server.ts';

// PostgreSQL stopped under load: a success reply still means committed, refusals are 503 (which
// the widget queues), and the collector recovers by itself. On a cluster of its own, since this
// test stops it while the other test files use theirs.

let cluster: Cluster;
let server: ServeProcess;
beforeAll(async () => {
  cluster = await startCluster();
  server = await serve({
    DATABASE_URL: cluster.url,
    PORT: String(await freePort()),
    RATE_LIMIT_PER_MINUTE: '0',
    RATINGS_PER_CLIENT_PER_DAY: '0',
    LOG_LEVEL: 'silent',
  });
});
afterAll(async () => {
  server?.child.kill('SIGKILL');
  if (server) await exited(server.child);
  cluster?.remove();
});

const rate = () =>
  fetch(`${server.url}/api/v1/reviews`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', origin: server.url },
    body: JSON.stringify({ procedure: 'demo', satisfaction: 'medium' }),
  });

test('PostgreSQL stopped under load: only 201 (committed) or 503 storage_unavailable; started again: 201 without restarting the collector', async () => {
  const statuses = new Map<number, number>();
  const acknowledged: number[] = [];
  const codes = new Set<string>();
  let stop = false;
  const client = async () => {
    while (!stop) {
      const reply = await rate();
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      const body = (await reply.json()) as { id?: number; error?: { code: string } };
      if (reply.status === 201) acknowledged.push(body.id!);
      else codes.add(body.error!.code);
    }
  };
  const clients = Array.from({ length: 10 }, client);
  await new Promise((resolve) => setTimeout(resolve, 500));
  cluster.stop();
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const health = await fetch(`${server.url}/healthz`);
  expect(health.status).toBe(503);
  stop = true;
  await Promise.all(clients);

  expect([...statuses.keys()].sort()).toEqual([201, 503]);
  expect([...codes]).toEqual(['storage_unavailable']);

  cluster.start();
  await expect.poll(async () => (await rate()).status, { timeout: 10_000, interval: 200 }).toBe(201);
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

  // Every rating acknowledged before the stop is in the database.
  const reader = new pg.Client({ connectionString: cluster.url });
  await reader.connect();
  const { rows } = await reader.query<{ id: string }>('SELECT id FROM reviews');
  await reader.end();
  const stored = new Set(rows.map((row) => Number(row.id)));
  expect(acknowledged.length).toBeGreaterThan(20);
  expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
});
