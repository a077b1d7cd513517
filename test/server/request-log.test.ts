import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { testConfig } from '../../server/config.ts';
import { loggableUrl } from '../../server/loggable-url.ts';
import { API_KEY_PREFIX, newSecret } from '../../server/agency/secrets.ts';
import type { Store } from '../../server/store/store.ts';
import { testDatabase } from '../helpers/test-database.ts';

// SPEC §7: the request log says which route was asked for and how, never what the request carried.

const TOKEN = newSecret(); // a sign-in link's token, as the collector makes them
const KEY = newSecret(API_KEY_PREFIX);
const SECRETS = [TOKEN, KEY, 'jean.dupont', 'Dupont', 'marie.curie', 'Lemoine', 'code-oidc-4f2a', 'etat-oidc-9b1c', 'rue des Lilas'];

let store: Store;
let app: FastifyInstance;
const lines: string[] = [];

beforeAll(async () => {
  const db = await testDatabase();
  store = await db.open();
  app = await buildApp({
    config: testConfig({ ...db.options, logLevel: 'info' }),
    store,
    logStream: { write: (line) => lines.push(line) },
  });
});

afterAll(async () => {
  await app?.close();
  await store?.close();
});

test.each([
  ['GET', `/espace/lien/${TOKEN}`, '/espace/lien/[redacted]'],
  ['POST', `/espace/lien/${TOKEN}`, '/espace/lien/[redacted]'],
  ['GET', `/espace/lien/${TOKEN}/suite?lang=en`, '/espace/lien/[redacted]/[redacted]?lang=[redacted]'],
  ['DELETE', '/api/v1/entities/interieur/members/jean.dupont%40interieur.gouv.fr', '/api/v1/entities/interieur/members/[redacted]'],
  ['PATCH', '/api/v1/entities/interieur/members/jean.dupont@interieur.gouv.fr', '/api/v1/entities/interieur/members/[redacted]'],
  ['GET', `/api/v1/entities/interieur/keys/${KEY}`, '/api/v1/entities/interieur/keys/[redacted]'],
  [
    'GET',
    '/espace/demarches/demande-passeport/avis?q=Dupont&from=2026-01-01',
    '/espace/demarches/demande-passeport/avis?q=[redacted]&from=[redacted]',
  ],
  ['GET', '/api/v1/procedures/demande-passeport/reviews?q=rue+des+Lilas', '/api/v1/procedures/demande-passeport/reviews?q=[redacted]'],
  ['GET', '/espace/connexion/retour?code=code-oidc-4f2a&state=etat-oidc-9b1c', '/espace/connexion/retour?code=[redacted]&state=[redacted]'],
  ['GET', '/espace/entites/interieur/membres?marie.curie%40x.fr&x=', '/espace/entites/interieur/membres?[redacted]&x'],
  ['GET', '/api/v1/feed?procedure=demande-passeport&Lemoine%20Jean=1', '/api/v1/feed?procedure=[redacted]&[redacted]=[redacted]'],
])('%s %s is logged as %s', async (method, url, logged) => {
  lines.length = 0;
  const reply = await app.inject({ method: method as 'GET', url });
  expect(reply.statusCode).toBeLessThan(500);
  const incoming = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'incoming request');
  // The method and the route are still there, for whoever reads the log.
  expect(incoming.req).toEqual({ method, url: logged });
  const log = lines.join('\n');
  for (const secret of SECRETS) expect(log).not.toContain(secret);
  expect(log).not.toMatch(/@|%40/);
});

test('a URL with nothing personal in it is logged as it came', () => {
  for (const url of [
    '/',
    '/api/v1/reviews',
    '/avis/demande-passeport/42',
    '/widget/form-3f2a9c.js',
    '/observatoire/demande-de-passeport-2026',
  ]) {
    expect(loggableUrl(url)).toBe(url);
  }
});
