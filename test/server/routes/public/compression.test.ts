import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../../../server/app.ts';
import { testConfig } from '../../../../server/config.ts';
import { ensureDemoProcedure } from '../../../../server/demo-procedure.ts';
import type { Store } from '../../../../server/store/store.ts';
import { testDatabase } from '../../../helpers/test-database.ts';

// Pages, stylesheets, scripts, JSON and CSV travel compressed as the client accepts; what arrives,
// once decompressed, is byte for byte the reply a client that accepts no encoding gets.

let app: FastifyInstance;
let store: Store;

beforeAll(async () => {
  const db = await testDatabase();
  store = await db.open();
  const config = testConfig({ ...db.options, rateLimitPerMinute: 0, feedMinReviews: 1, publicUrl: 'http://127.0.0.1:8080' });
  await ensureDemoProcedure(store, config);
  app = await buildApp({ config, store });
  for (const satisfaction of ['good', 'medium', 'good']) {
    const rated = await app.inject({ method: 'POST', url: '/api/v1/reviews', payload: { procedure: 'demo', satisfaction } });
    expect(rated.statusCode).toBe(201);
  }
});
afterAll(async () => {
  await app?.close();
  await store?.close();
});

const DECODERS = { br: brotliDecompressSync, gzip: gunzipSync };

describe('compressed replies', () => {
  const urls = [
    ['/observatoire', 'text/html'],
    ['/observatoire/demo?lang=en', 'text/html'],
    ['/', 'text/html'],
    ['/confidentialite', 'text/html'],
    ['/api/docs', 'text/html'],
    ['/api/docs/resultats', 'text/html'],
    ['/pages.css', 'text/css'],
    ['/observatoire.css', 'text/css'],
    ['/api/v1/feed', 'application/json'],
    ['/api/v1/openapi.json', 'application/json'],
  ] as const;

  test.each(urls)('%s: brotli when accepted, else gzip, and the same bytes once decompressed', async (url, type) => {
    const plain = await app.inject({ url });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toContain(type);
    expect(plain.headers['content-encoding']).toBeUndefined();
    for (const [accepted, encoding] of [
      ['gzip, deflate, br', 'br'],
      ['gzip', 'gzip'],
    ] as const) {
      const reply = await app.inject({ url, headers: { 'accept-encoding': accepted } });
      expect(reply.statusCode).toBe(200);
      expect(reply.headers['content-encoding']).toBe(encoding);
      expect(String(reply.headers.vary)).toMatch(/accept-encoding/i);
      expect(reply.rawPayload.length).toBeLessThan(plain.rawPayload.length);
      const decoded = DECODERS[encoding](reply.rawPayload);
      // generated_at is the one field that may differ between two serialisations of the same feed.
      const normalise = (bytes: Buffer) => bytes.toString('utf8').replace(/"generated_at":"[^"]+"/, '');
      expect(normalise(decoded)).toBe(normalise(plain.rawPayload));
    }
  });

  test('the feed keeps its ETag compressed: If-None-Match gets a 304 with no body, whatever the encoding', async () => {
    const plain = await app.inject({ url: '/api/v1/feed' });
    const compressed = await app.inject({ url: '/api/v1/feed', headers: { 'accept-encoding': 'br' } });
    expect(compressed.headers.etag).toBe(plain.headers.etag);
    for (const accepted of ['br', 'gzip', 'identity']) {
      const notModified = await app.inject({
        url: '/api/v1/feed',
        headers: { 'accept-encoding': accepted, 'if-none-match': String(plain.headers.etag) },
      });
      expect(notModified.statusCode).toBe(304);
      expect(notModified.rawPayload.length).toBe(0);
      expect(notModified.headers['content-encoding']).toBeUndefined();
    }
  });

  test('an observatory page keeps its ETag compressed, and a 304 when unchanged', async () => {
    const compressed = await app.inject({ url: '/observatoire', headers: { 'accept-encoding': 'br' } });
    const plain = await app.inject({ url: '/observatoire' });
    expect(compressed.headers.etag).toBe(plain.headers.etag);
    const notModified = await app.inject({
      url: '/observatoire',
      headers: { 'accept-encoding': 'br', 'if-none-match': String(plain.headers.etag) },
    });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.rawPayload.length).toBe(0);
  });

  test('files compressed ahead (the widget) are sent as they are, not compressed twice', async () => {
    const plain = await app.inject({ url: '/widget.js' });
    if (plain.statusCode === 404) throw new Error('dist/widget.js is missing: run `node esbuild.config.mjs` first');
    const reply = await app.inject({ url: '/widget.js', headers: { 'accept-encoding': 'br' } });
    expect(reply.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(reply.rawPayload).equals(plain.rawPayload)).toBe(true);
  });

  test('a reply too small to gain is sent as it is', async () => {
    const reply = await app.inject({ url: '/healthz', headers: { 'accept-encoding': 'br' } });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-encoding']).toBeUndefined();
    expect(reply.json()).toEqual({ status: 'ok' });
  });
});

describe('long cache lifetimes for files named by their content', () => {
  test.each([
    ['/observatoire', '/pages.css'],
    ['/observatoire', '/observatoire.css'],
    ['/avis/demo', '/hosted-form.css'],
  ])('%s links to %s?v=<hash>, served for a year, immutable; the bare address is revalidated hourly', async (pageUrl, file) => {
    const body = (await app.inject({ url: pageUrl })).body;
    const href = new RegExp(`<link rel="stylesheet" href="(${file.replace('.', '\\.')}\\?v=[\\w-]{12})">`).exec(body)?.[1];
    expect(href).toBeDefined();
    const versioned = await app.inject({ url: href! });
    expect(versioned.statusCode).toBe(200);
    expect(versioned.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const bare = await app.inject({ url: file });
    expect(bare.body).toBe(versioned.body);
    expect(bare.headers['cache-control']).toBe('public, max-age=3600');
    // An old version's address is not promised forever: what it gets may change.
    expect((await app.inject({ url: `${file}?v=AAAAAAAAAAAA` })).headers['cache-control']).toBe('public, max-age=3600');
  });

  test('the widget’s hashed form chunks too', async () => {
    // The loader names the chunks `<form|problem>-<lang>-<hash>.js`, kind and language filled in at run time.
    const hash = /\$\{\w+\}-\$\{\w+\}-([\w]+)\.js/.exec((await app.inject({ url: '/widget.js' })).body)?.[1];
    expect(hash).toBeDefined();
    expect((await app.inject({ url: `/widget/form-fr-${hash}.js` })).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await app.inject({ url: '/widget.js' })).headers['cache-control']).toBe('public, max-age=300');
  });
});
