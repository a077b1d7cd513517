import { afterEach, expect, test } from 'vitest';
import { MIGRATIONS } from '../../../server/store/postgres/migrations.ts';
import { exited, runCli, serve, type ServeProcess } from '../../helpers/cli-process.ts';
import { formBody, formFields } from '../../helpers/hosted-form.ts';
import { testDatabase } from '../../helpers/test-database.ts';
import { freePort } from '../../helpers/test-server.ts';

// Collectors behind a load balancer, on one PostgreSQL database: they behave as one.

const running: ServeProcess[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) {
    server.child.kill('SIGKILL');
    await exited(server.child);
  }
});

async function collector(env: Record<string, string>): Promise<ServeProcess> {
  const server = await serve({
    ...env,
    PORT: String(await freePort()),
    RATE_LIMIT_PER_MINUTE: '0',
    RATINGS_PER_CLIENT_PER_DAY: '0',
    LOG_LEVEL: 'silent',
    FEED_MIN_REVIEWS: '1',
  });
  running.push(server);
  return server;
}

const rate = (server: ServeProcess, satisfaction = 'good') =>
  fetch(`${server.url}/api/v1/reviews`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', origin: server.url },
    body: JSON.stringify({ procedure: 'demo', satisfaction }),
  });

const feedReviews = async (server: ServeProcess) =>
  ((await (await fetch(`${server.url}/api/v1/feed?procedure=demo`)).json()) as { procedures: { reviews: number }[] }).procedures[0]!
    .reviews;

test('two collectors started at the same moment on an empty database both come up; the schema is migrated once', async () => {
  const db = await testDatabase();
  const [a, b] = await Promise.all([collector(db.env), collector(db.env)]);
  expect((await fetch(`${a.url}/healthz`)).status).toBe(200);
  expect((await fetch(`${b.url}/healthz`)).status).toBe(200);
  expect(await db.rows('SELECT version FROM schema_version')).toEqual([{ version: MIGRATIONS.length }]);
  expect(await db.rows("SELECT id FROM procedures WHERE id = 'demo'")).toEqual([{ id: 'demo' }]);
});

test('ratings through both, follow-ups through the other one: each feed shows the total within a second', async () => {
  const db = await testDatabase();
  const a = await collector(db.env);
  const b = await collector(db.env);
  const created: { id: number; token: string }[] = [];
  for (let i = 0; i < 10; i++) {
    const reply = await rate(i % 2 ? a : b, i < 6 ? 'good' : 'bad');
    expect(reply.status).toBe(201);
    created.push((await reply.json()) as { id: number; token: string });
  }
  // Each follow-up goes to the collector that did not take its rating.
  for (const [i, { id, token }] of created.entries()) {
    const other = i % 2 ? b : a;
    const reply = await fetch(`${other.url}/api/v1/reviews/${id}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: other.url },
      body: JSON.stringify({ token, answers: { clarity: 4 } }),
    });
    expect(reply.status).toBe(200);
  }
  for (const server of [a, b]) {
    await expect.poll(() => feedReviews(server), { timeout: 1000, interval: 50 }).toBe(10);
  }
  const feed = (await (await fetch(`${a.url}/api/v1/feed?procedure=demo`)).json()) as {
    procedures: { indicators: { satisfaction: { counts: Record<string, number> }; clarity: { answers: number } } }[];
  };
  expect(feed.procedures[0]!.indicators.satisfaction.counts).toEqual({ good: 6, medium: 0, bad: 4 });
  expect(feed.procedures[0]!.indicators.clarity.answers).toBe(10);
});

test('a hosted form shown by one collector is accepted by the other at the first click; its reload on the first counts once', async () => {
  const db = await testDatabase();
  const a = await collector(db.env);
  const b = await collector(db.env);
  const { fields } = formFields(await (await fetch(`${a.url}/avis/demo?placement=email`)).text());
  // A person reads the page before sending it (the 2-second rule).
  await new Promise((resolve) => setTimeout(resolve, 2100));
  const send = (server: ServeProcess) =>
    fetch(`${server.url}/avis/demo`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: formBody({ ...fields, satisfaction: 'good' }),
    });
  expect((await send(b)).status).toBe(201);
  const reload = await send(a);
  expect(reload.status).toBe(200);
  expect(await reload.text()).toContain('Votre avis a déjà été enregistré');
  expect(await db.rows('SELECT placement_id, satisfaction FROM reviews')).toEqual([{ placement_id: 'email', satisfaction: 'good' }]);
});

test('a procedure changed with the command line is seen by every collector within a second', async () => {
  const db = await testDatabase();
  const a = await collector(db.env);
  const b = await collector(db.env);
  expect(runCli(['procedure', 'archive', 'demo'], db.env).status).toBe(0);
  for (const server of [a, b]) {
    await expect.poll(async () => (await rate(server)).status, { timeout: 1000, interval: 50 }).toBe(410);
  }
});

test('kill -9 of one collector under load loses no acknowledged rating; rollups equal a recount', async () => {
  const db = await testDatabase();
  const a = await collector(db.env);
  const b = await collector(db.env);
  const acknowledged: number[] = [];
  let stop = false;
  // 20 clients, half on each collector, posting until told to stop (or their collector is gone).
  const client = async (server: ServeProcess) => {
    while (!stop) {
      try {
        const reply = await rate(server);
        if (reply.status === 201) acknowledged.push(((await reply.json()) as { id: number }).id);
      } catch {
        if (server === a) return; // its collector was killed: connections refused from now on
      }
    }
  };
  const clients = Array.from({ length: 20 }, (_, i) => client(i % 2 ? a : b));
  await new Promise((resolve) => setTimeout(resolve, 800));
  a.child.kill('SIGKILL');
  await exited(a.child);
  await new Promise((resolve) => setTimeout(resolve, 300));
  stop = true;
  await Promise.all(clients);

  expect(acknowledged.length).toBeGreaterThan(50);
  const stored = new Set((await db.rows<{ id: number }>('SELECT id FROM reviews')).map((row) => row.id));
  expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
  const [totals] = await db.rows(
    `SELECT (SELECT count(*) FROM reviews) AS reviews,
            (SELECT sum(count) FROM daily_rollups WHERE question = 'satisfaction') AS daily,
            (SELECT sum(count) FROM monthly_rollups WHERE question = 'satisfaction') AS monthly`,
  );
  expect(totals).toEqual({ reviews: stored.size, daily: stored.size, monthly: stored.size });
});
