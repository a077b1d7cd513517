import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../../../server/app.ts';
import { testConfig } from '../../../../server/config.ts';
import { findDsfr } from '../../../../server/find-dsfr.ts';
import type { Store } from '../../../../server/store/store.ts';
import { testDatabase } from '../../../helpers/test-database.ts';

// The design system's files, served by the collector itself from what the build copied out of the
// official package: compressed ahead of time, cached for a year under an address that names the version.

let app: FastifyInstance;
let store: Store;
const dsfr = findDsfr();

beforeAll(async () => {
  const db = await testDatabase();
  store = await db.open();
  app = await buildApp({ config: testConfig({ ...db.options, rateLimitPerMinute: 0 }), store });
});
afterAll(async () => {
  await app.close();
  await store.close();
});

describe('/dsfr/<version>/', () => {
  test('the build copied the official package, version in the address', () => {
    expect(dsfr?.base).toMatch(/^\/dsfr\/\d+\.\d+\.\d+\/$/);
  });

  test('the stylesheet, brotli or gzip as the browser accepts, immutable for a year', async () => {
    const plain = await app.inject({ url: `${dsfr!.base}dsfr.min.css` });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.body).toContain('.fr-header');
    const br = await app.inject({ url: `${dsfr!.base}dsfr.min.css`, headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 5);
    const gzip = await app.inject({ url: `${dsfr!.base}dsfr.min.css`, headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
  });

  test('every file the stylesheet names is served (icons, Marianne fonts)', async () => {
    const css = (await app.inject({ url: `${dsfr!.base}dsfr.min.css` })).body;
    const named = new Set([...css.matchAll(/url\(((?:icons|fonts)\/[^)]+\.(?:svg|woff2))\)/g)].map((match) => match[1]!));
    expect(named.size).toBeGreaterThan(20);
    for (const file of named) {
      const reply = await app.inject({ url: `${dsfr!.base}${file}` });
      expect(reply.statusCode, file).toBe(200);
    }
    expect((await app.inject({ url: `${dsfr!.base}dsfr.module.min.js` })).headers['content-type']).toMatch(/javascript/);
  });

  test('a missing file or a path outside the folder is a 404 in the one error shape', async () => {
    for (const url of [`${dsfr!.base}nope.css`, `${dsfr!.base}..%2f..%2fcli.js`, '/dsfr/0.0.0/dsfr.min.css']) {
      const reply = await app.inject({ url, headers: { accept: 'application/json' } });
      expect(reply.statusCode, url).toBe(404);
      expect(reply.json().error.code, url).toBe('not_found');
    }
  });
});
