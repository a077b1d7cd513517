// A collector that stops (SIGTERM, the tests' close) closes every connection without a request in
// flight at once, including one a client opened ahead and never used: Node's closeIdleConnections()
// leaves that one to its 60 s headers timeout. That requests under way finish first is
// durability.test.ts's.
import { once } from 'node:events';
import { connect } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { startTestServer, tempDir } from '../helpers/test-server.ts';

let temp: ReturnType<typeof tempDir> | undefined;
afterEach(() => temp?.remove());

test('closing ends at once a connection never used and one kept alive after its reply', async () => {
  temp = tempDir();
  const server = await startTestServer(`${temp.dir}/close.sqlite`, { rateLimitPerMinute: 0 });
  const unused = connect(server.config.port, '127.0.0.1');
  await once(unused, 'connect');
  const keptAlive = connect(server.config.port, '127.0.0.1');
  await once(keptAlive, 'connect');
  keptAlive.write(`GET /api/v1/feed HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
  await once(keptAlive, 'data');
  const closed = [once(unused, 'close'), once(keptAlive, 'close')];
  // Before, the unused connection held the close for Node's 60 s headers timeout, past this test's 30 s.
  await server.close();
  await Promise.all(closed);
  expect([unused.destroyed, keptAlive.destroyed]).toEqual([true, true]);
});
