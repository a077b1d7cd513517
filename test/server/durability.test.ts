import { expect, test } from 'vitest';
import { exited, serve } from '../helpers/cli-process.ts';
import { testDatabase } from '../helpers/test-database.ts';
import { freePort } from '../helpers/test-server.ts';

test('every rating acknowledged with 201 survives a SIGKILL of the collector (SPEC §7)', async () => {
  const db = await testDatabase();
  const port = String(await freePort());
  const server = await serve({ ...db.env, PORT: port, RATE_LIMIT_PER_MINUTE: '0', RATINGS_PER_CLIENT_PER_DAY: '0', LOG_LEVEL: 'silent' });
  const post = () =>
    fetch(`${server.url}/api/v1/reviews`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: server.url },
      body: JSON.stringify({ procedure: 'demo', satisfaction: 'good' }),
    });
  const replies = await Promise.all(Array.from({ length: 50 }, post));
  const acknowledged = await Promise.all(replies.filter((r) => r.status === 201).map(async (r) => (await r.json()).id as number));
  expect(acknowledged).toHaveLength(50);

  server.child.kill('SIGKILL');
  await exited(server.child);

  const stored = (await db.rows<{ id: number }>('SELECT id FROM reviews ORDER BY id')).map((r) => r.id);
  expect(stored).toEqual([...acknowledged].sort((a, b) => a - b));
});

test('the request log carries no IP address, user agent or cookie (SPEC §7)', async () => {
  const port = String(await freePort());
  const server = await serve({ ...(await testDatabase()).env, PORT: port, LOG_LEVEL: 'info' });
  const reply = await fetch(`${server.url}/api/v1/reviews`, {
    method: 'POST',
    headers: {
      'content-type': 'text/plain',
      origin: server.url,
      'user-agent': 'SecretAgent/4.2',
      cookie: 'session=s3cr3t',
      'x-forwarded-for': '203.0.113.7',
    },
    body: JSON.stringify({ procedure: 'demo', satisfaction: 'medium' }),
  });
  expect(reply.status).toBe(201);
  server.child.kill('SIGTERM');
  await exited(server.child);

  const requestLines = server
    .output()
    .split('\n')
    .filter((line) => line.includes('"reqId"'));
  expect(requestLines.some((line) => line.includes('/api/v1/reviews'))).toBe(true);
  for (const secret of ['SecretAgent', 's3cr3t', '203.0.113.7', '127.0.0.1', 'remoteAddress', 'user-agent']) {
    expect(requestLines.filter((line) => line.includes(secret))).toEqual([]);
  }
});

test('SIGTERM lets ratings under way commit and reply, then exits 0: every 201 is stored', async () => {
  const db = await testDatabase();
  const server = await serve({
    ...db.env,
    PORT: String(await freePort()),
    RATE_LIMIT_PER_MINUTE: '0',
    RATINGS_PER_CLIENT_PER_DAY: '0',
    LOG_LEVEL: 'silent',
  });
  const post = () =>
    fetch(`${server.url}/api/v1/reviews`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: server.url },
      body: JSON.stringify({ procedure: 'demo', satisfaction: 'bad' }),
    }).then(
      async (reply) => (reply.status === 201 ? { id: ((await reply.json()) as { id: number }).id } : { status: reply.status }),
      () => ({ refused: true }), // sent after the collector stopped listening: never acknowledged
    );
  const replies = Array.from({ length: 200 }, post);
  await new Promise((resolve) => setTimeout(resolve, 5));
  server.child.kill('SIGTERM');
  const outcomes = await Promise.all(replies);
  await exited(server.child);
  expect(server.child.exitCode).toBe(0);

  // 201 (the id), 503 (arrived while closing: the widget queues it) or a refused connection; nothing else.
  const acknowledged = outcomes.flatMap((o) => ('id' in o && o.id !== undefined ? [o.id] : []));
  expect(outcomes.filter((o) => 'status' in o && o.status !== 503)).toEqual([]);
  const stored = (await db.rows<{ id: number }>('SELECT id FROM reviews ORDER BY id')).map((r) => r.id);
  expect(stored).toEqual([...acknowledged].sort((a, b) => a - b));
});

test('SIGTERM saves the refused attempts counted since the last write before the store closes', async () => {
  const db = await testDatabase();
  const server = await serve({ ...db.env, PORT: String(await freePort()), LOG_LEVEL: 'error' });
  const reply = await fetch(`${server.url}/api/v1/reviews`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', origin: 'https://not-registered.example' },
    body: JSON.stringify({ procedure: 'demo', satisfaction: 'good' }),
  });
  expect(reply.status).toBe(403);
  // At once, before the once-a-second write: only the close can save this count.
  server.child.kill('SIGTERM');
  await exited(server.child);
  expect(server.child.exitCode).toBe(0);

  expect(server.output()).not.toContain('refused ratings not counted');
  expect(await db.rows("SELECT reason, origin, count FROM refused_ratings WHERE procedure_id = 'demo'")).toEqual([
    { reason: 'origin_not_allowed', origin: 'https://not-registered.example', count: 1 },
  ]);
});
