import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { testConfig } from '../../server/config.ts';
import { ensureDemoProcedure } from '../../server/demo-procedure.ts';
import type { Store } from '../../server/store/store.ts';
import { testDatabase } from '../helpers/test-database.ts';
import { postRatingForm } from '../helpers/hosted-form.ts';

// Every HTML page the collector serves carries the security headers: its CSP (with
// frame-ancestors 'none'), a Referrer-Policy, nosniff, and HSTS when the collector is on https.

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

interface PageCase {
  name: string;
  /** What a browser does to get the page; `app` is the collector under test. */
  get: (app: FastifyInstance, clock: { advance(ms: number): void }) => Promise<{ statusCode: number; headers: Record<string, unknown> }>;
  status: number;
  /** Pages whose forms or widget post to the collector keep the Origin header: same-origin. */
  referrer: 'no-referrer' | 'same-origin';
  /** The demo pages copy an agency's strict CSP, not the collector's pages' one. */
  csp?: 'demo';
}

const get = (url: string) => (app: FastifyInstance) => app.inject({ url, headers: { accept: BROWSER_ACCEPT } });

const PAGES: PageCase[] = [
  { name: 'home /', get: get('/'), status: 200, referrer: 'no-referrer' },
  { name: 'demo /demo', get: get('/demo'), status: 200, referrer: 'same-origin', csp: 'demo' },
  { name: 'demo /demo/hostile', get: get('/demo/hostile'), status: 200, referrer: 'same-origin', csp: 'demo' },
  { name: 'observatory /observatoire', get: get('/observatoire'), status: 200, referrer: 'no-referrer' },
  { name: 'observatory /observatoire/demo', get: get('/observatoire/demo'), status: 200, referrer: 'no-referrer' },
  { name: 'observatory, unknown procedure', get: get('/observatoire/inconnue'), status: 404, referrer: 'no-referrer' },
  { name: 'privacy /confidentialite', get: get('/confidentialite?lang=en'), status: 200, referrer: 'no-referrer' },
  { name: 'accessibility statement /accessibilite', get: get('/accessibilite'), status: 200, referrer: 'no-referrer' },
  { name: 'hosted form /avis/demo', get: get('/avis/demo?placement=email'), status: 200, referrer: 'same-origin' },
  { name: 'hosted form, unknown procedure', get: get('/avis/inconnue'), status: 404, referrer: 'same-origin' },
  {
    name: 'hosted form, follow-up page after the rating',
    get: async (app, clock) => postRatingForm(app, clock, '/avis/demo', { satisfaction: 'good' }),
    status: 201,
    referrer: 'same-origin',
  },
  { name: '404 page', get: get('/nulle-part'), status: 404, referrer: 'no-referrer' },
];

describe.each([
  { scheme: 'http', publicUrl: 'http://127.0.0.1:8080' },
  { scheme: 'https', publicUrl: 'https://avis.example.gouv.fr' },
])('security headers with PUBLIC_URL on $scheme', ({ scheme, publicUrl }) => {
  let app: FastifyInstance;
  let store: Store;
  let now = new Date('2026-11-22T10:00:00Z');
  const clock = { advance: (ms: number) => void (now = new Date(now.getTime() + ms)) };

  beforeAll(async () => {
    const db = await testDatabase();
    store = await db.open();
    const config = testConfig({ ...db.options, publicUrl, ownOrigins: [new URL(publicUrl).origin], rateLimitPerMinute: 0 });
    await ensureDemoProcedure(store, config);
    app = await buildApp({ config, store, now: () => now });
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  test.each(PAGES)('$name', async ({ get, status, referrer, csp }) => {
    const reply = await get(app, clock);
    expect(reply.statusCode).toBe(status);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    const policy = String(reply.headers['content-security-policy']);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toContain('unsafe-inline');
    if (csp === 'demo') expect(policy).toContain(`script-src ${new URL(publicUrl).origin}`);
    else expect(policy).toContain("script-src 'self'");
    expect(reply.headers['referrer-policy']).toBe(referrer);
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['strict-transport-security']).toBe(scheme === 'https' ? 'max-age=31536000' : undefined);
  });

  test('JSON replies keep their own headers: the hot path pays for no page header', async () => {
    const reply = await app.inject({ url: '/healthz' });
    expect(reply.headers['content-type']).toContain('application/json');
    expect(reply.headers['referrer-policy']).toBeUndefined();
    expect(reply.headers['strict-transport-security']).toBeUndefined();
  });
});
