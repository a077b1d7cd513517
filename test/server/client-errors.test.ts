import { connect, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { testConfig } from '../../server/config.ts';
import type { Store } from '../../server/store/store.ts';
import { testDatabase, type TestDatabase } from '../helpers/test-database.ts';
import { addProcedure } from '../helpers/procedures.ts';

// Requests Node's HTTP parser refuses before any route runs, sent as raw bytes to a real listening
// collector: each gets the one error shape, in a reply a client can read, and nothing is stored.

let db: TestDatabase;
let store: Store;
let app: FastifyInstance;
let port: number;
/** The server's side of each open connection. */
const connections = new Set<Socket>();

beforeAll(async () => {
  db = await testDatabase();
  store = await db.open();
  await addProcedure(store, { id: 'demande-passeport', title: 'Demande de passeport', entity: 'Intérieur', origins: [] });
  app = await buildApp({ config: testConfig({ ...db.options }), store });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
  app.server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
  });
});

afterAll(async () => {
  await app?.close();
  await store?.close();
});

/** Sends `bytes` on a new connection and reads everything the collector writes until it closes it. */
function exchange(bytes: string, onConnected?: (socket: Socket) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(bytes);
      onConnected?.(socket);
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
}

/** The status line, the headers (lower-cased names) and the parsed body of a raw HTTP reply. */
function parse(raw: string): { statusLine: string; headers: Record<string, string>; body: unknown } {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
  );
  return { statusLine, headers, body: JSON.parse(body) };
}

const RATING = '{"procedure":"demande-passeport","satisfaction":"good"}';

test.each([
  ['a malformed request line', 'GARBAGE\r\n\r\n'],
  ['an unknown method', 'BREW /api/v1/feed HTTP/1.1\r\nHost: a\r\n\r\n'],
  ['an unknown HTTP version', 'GET /api/v1/feed HTTP/7.1\r\nHost: a\r\n\r\n'],
  ['a space inside a header name', 'GET /api/v1/feed HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n'],
  ['a control character in a header value', 'GET /api/v1/feed HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 1.2.3.4\x01\r\n\r\n'],
  ['a header line without a colon', 'GET /api/v1/feed HTTP/1.1\r\nHost: a\r\nno colon here\r\n\r\n'],
  ['a bare LF inside a header value', 'GET /api/v1/feed HTTP/1.1\r\nHost: a\r\nOrigin: https://a\nb\r\n\r\n'],
  [
    'both Content-Length and Transfer-Encoding (request smuggling)',
    `POST /api/v1/reviews HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: ${RATING.length}\r\nTransfer-Encoding: chunked\r\n\r\n${RATING}`,
  ],
  [
    'a malformed chunk size',
    `POST /api/v1/reviews HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n${RATING}\r\n0\r\n\r\n`,
  ],
  [
    'two Content-Length headers that disagree',
    `POST /api/v1/reviews HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: ${RATING.length}\r\nContent-Length: 3\r\n\r\n${RATING}`,
  ],
])('%s gets 400 bad_request in the one error shape, and nothing is stored', async (_name, bytes) => {
  const before = await db.snapshot();
  const reply = parse(await exchange(bytes));
  expect(reply.statusLine).toBe('HTTP/1.1 400 Bad Request');
  expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(reply.body).toEqual({ error: { code: 'bad_request', message: expect.stringContaining('could not be understood') } });
  expect(await db.snapshot()).toEqual(before);
});

test.each([
  ['a header over 16 KiB', `GET /api/v1/feed HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: ${'1.2.3.4, '.repeat(2000)}\r\n\r\n`],
  ['an address over 16 KiB', `GET /api/v1/feed?q=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: a\r\n\r\n`],
  ['hundreds of headers', `GET /api/v1/feed HTTP/1.1\r\nHost: a\r\n${'X-A: 0123456789012345678901234567890123456789\r\n'.repeat(500)}\r\n`],
  [
    'a rating with headers over 16 KiB',
    `POST /api/v1/reviews HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nOrigin: https://${'a'.repeat(17_000)}.fr\r\nContent-Length: ${RATING.length}\r\n\r\n${RATING}`,
  ],
])('%s gets 431 headers_too_large in the one error shape, and nothing is stored', async (_name, bytes) => {
  const before = await db.snapshot();
  const reply = parse(await exchange(bytes));
  expect(reply.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
  expect(reply.body).toEqual({ error: { code: 'headers_too_large', message: expect.any(String) } });
  expect(await db.snapshot()).toEqual(before);
});

test('a request Node gives up waiting for gets 408 request_timeout in the one error shape', async () => {
  // Node checks request timeouts every 30 s: its own error is raised on the real connection here
  // rather than waited for, the way Node's HTTP server raises it.
  const raw = await exchange('POST /api/v1/reviews HTTP/1.1\r\nHost: a\r\n', () => {
    setTimeout(() => {
      expect(connections.size).toBe(1);
      const timeout = Object.assign(new Error('Request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' });
      app.server.emit('clientError', timeout, [...connections][0]);
    }, 100);
  });
  const reply = parse(raw);
  expect(reply.statusLine).toBe('HTTP/1.1 408 Request Timeout');
  expect(reply.body).toEqual({ error: { code: 'request_timeout', message: expect.any(String) } });
});

test('a well-formed request on the same server is still answered (the refusals broke nothing)', async () => {
  const reply = parse(await exchange('GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'));
  expect(reply.statusLine).toBe('HTTP/1.1 200 OK');
  expect(reply.body).toEqual({ status: 'ok' });
});
