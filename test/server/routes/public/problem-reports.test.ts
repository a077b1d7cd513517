import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { buildApp } from '../../../../server/app.ts';
import { testConfig, type Config } from '../../../../server/config.ts';
import type { Store } from '../../../../server/store/store.ts';
import { addProcedure } from '../../../helpers/procedures.ts';
import { testDatabase, type TestDatabase } from '../../../helpers/test-database.ts';

const COLLECTOR = 'http://127.0.0.1:8080';
const AGENCY = 'https://passeport.example.gouv.fr';
const ELSEWHERE = 'https://evil.example.com';

let store: Store;
let app: FastifyInstance;
let db: TestDatabase;
const clock = new Date('2026-11-22T10:00:00Z');

async function openApp(overrides: Partial<Config> = {}): Promise<void> {
  store = await db.open();
  app = await buildApp({
    config: testConfig({ ...db.options, publicUrl: COLLECTOR, feedMinReviews: 1, ...overrides }),
    store,
    now: () => clock,
  });
}

beforeEach(async () => {
  db = await testDatabase();
  await openApp();
  await addProcedure(store, {
    id: 'demande-passeport',
    title: 'Demande de passeport',
    entity: 'Ministère de l’Intérieur',
    origins: [AGENCY],
    placements: ['site'],
  });
  await addProcedure(store, { id: 'archivee', title: 'Archivée', entity: 'Autre', origins: [AGENCY] });
  await store.procedures.setArchived('archivee', true);
});

afterEach(async () => {
  await app.close();
  await store.close();
});

const postReport = (body: unknown, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/problem-reports',
    headers: { 'content-type': 'text/plain;charset=UTF-8', origin: AGENCY, ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });

const reportRows = () => db.rows('SELECT procedure_id, placement_id, day, created_at, lang, kind, text FROM problem_reports ORDER BY id');

describe('POST /api/v1/problem-reports', () => {
  test('a technical problem is stored in its own table, its text scrubbed like a comment', async () => {
    const reply = await postReport({
      procedure: 'demande-passeport',
      placement: 'site',
      kind: 'technical',
      text: 'Le bouton Valider ne marche pas, écrivez-moi à jean.dupont@example.com',
      lang: 'fr',
    });
    expect(reply.statusCode).toBe(201);
    expect(reply.headers['access-control-allow-origin']).toBe(AGENCY);
    expect(reply.json()).toEqual({ id: expect.any(Number), contact_url: null });
    expect(await reportRows()).toEqual([
      {
        procedure_id: 'demande-passeport',
        placement_id: 'site',
        day: '2026-11-22',
        created_at: clock.getTime(),
        lang: 'fr',
        kind: 'technical',
        text: 'Le bouton Valider ne marche pas, écrivez-moi à [adresse e-mail]',
      },
    ]);
  });

  test('« my own situation » takes no text and answers with the contact page the agency set', async () => {
    const first = await postReport({ procedure: 'demande-passeport', kind: 'own_situation', lang: 'en' });
    expect(first.statusCode).toBe(201);
    expect(first.json().contact_url).toBeNull();
    await store.problemReports.setContactUrl('demande-passeport', 'https://passeport.example.gouv.fr/contact');
    const second = await postReport({ procedure: 'demande-passeport', kind: 'own_situation', lang: 'en' });
    expect(second.json().contact_url).toBe('https://passeport.example.gouv.fr/contact');
    expect((await reportRows()).map((row) => [row.kind, row.text, row.placement_id])).toEqual([
      ['own_situation', null, 'default'],
      ['own_situation', null, 'default'],
    ]);
  });

  test('reports never reach satisfaction: reviews, rollups and the public feed stay as they were', async () => {
    for (const satisfaction of ['good', 'bad']) {
      const rated = await app.inject({
        method: 'POST',
        url: '/api/v1/reviews',
        headers: { 'content-type': 'application/json', origin: AGENCY },
        payload: { procedure: 'demande-passeport', satisfaction },
      });
      expect(rated.statusCode).toBe(201);
    }
    const satisfactionTables = async () => {
      const { problem_reports: _reports, ...rest } = await db.snapshot();
      return rest;
    };
    const before = await satisfactionTables();
    const feedBefore = (await app.inject('/api/v1/feed')).json();
    expect(JSON.stringify(feedBefore)).toContain('demande-passeport');
    for (const kind of ['technical', 'suggestion']) {
      expect((await postReport({ procedure: 'demande-passeport', kind, text: 'Très mauvais, rien ne marche' })).statusCode).toBe(201);
    }
    expect((await postReport({ procedure: 'demande-passeport', kind: 'own_situation' })).statusCode).toBe(201);
    expect(await reportRows()).toHaveLength(3);
    expect(await satisfactionTables()).toEqual(before);
    expect((await app.inject('/api/v1/feed')).json()).toEqual(feedBefore);
  });

  const badReports: { name: string; body: unknown; headers?: Record<string, string>; status: number; code: string }[] = [
    { name: 'not JSON', body: '{kind', status: 400, code: 'invalid_json' },
    { name: 'unknown kind', body: { procedure: 'demande-passeport', kind: 'complaint', text: 'x' }, status: 400, code: 'invalid_body' },
    { name: 'technical without text', body: { procedure: 'demande-passeport', kind: 'technical' }, status: 400, code: 'invalid_body' },
    { name: 'blank text', body: { procedure: 'demande-passeport', kind: 'suggestion', text: '   ' }, status: 400, code: 'invalid_body' },
    {
      name: 'own situation with a text',
      body: { procedure: 'demande-passeport', kind: 'own_situation', text: 'mon dossier 123 est bloqué' },
      status: 400,
      code: 'invalid_body',
    },
    {
      name: 'text over 3,000 characters',
      body: { procedure: 'demande-passeport', kind: 'technical', text: 'a'.repeat(3001) },
      status: 400,
      code: 'invalid_body',
    },
    {
      name: 'unknown field',
      body: { procedure: 'demande-passeport', kind: 'technical', text: 'x', email: 'a@b.c' },
      status: 400,
      code: 'invalid_body',
    },
    { name: 'unknown procedure', body: { procedure: 'inconnue', kind: 'technical', text: 'x' }, status: 404, code: 'unknown_procedure' },
    {
      name: 'unknown placement',
      body: { procedure: 'demande-passeport', placement: 'ailleurs', kind: 'technical', text: 'x' },
      status: 404,
      code: 'unknown_placement',
    },
    { name: 'archived procedure', body: { procedure: 'archivee', kind: 'technical', text: 'x' }, status: 410, code: 'procedure_archived' },
    {
      name: 'origin of another site',
      body: { procedure: 'demande-passeport', kind: 'technical', text: 'x' },
      headers: { origin: ELSEWHERE },
      status: 403,
      code: 'origin_not_allowed',
    },
    {
      name: 'form encoding',
      body: 'procedure=demande-passeport&kind=technical&text=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      status: 415,
      code: 'unsupported_media_type',
    },
  ];

  test.each(badReports)('$name → $status $code, readable by the page, nothing stored', async ({ body, headers, status, code }) => {
    const before = await db.snapshot();
    const reply = await postReport(body, headers);
    expect(reply.statusCode).toBe(status);
    expect(reply.json().error.code).toBe(code);
    expect(reply.headers['access-control-allow-origin']).toBe(headers?.origin ?? AGENCY);
    expect(await db.snapshot()).toEqual(before);
  });

  test('past RATINGS_PER_CLIENT_PER_DAY sends for one procedure, a client gets 429 too_many_ratings and nothing is stored', async () => {
    await app.close();
    await store.close();
    await openApp({ ratingsPerClientPerDay: 2 });
    for (let i = 0; i < 2; i++)
      expect((await postReport({ procedure: 'demande-passeport', kind: 'suggestion', text: 'idée' })).statusCode).toBe(201);
    const before = await db.snapshot();
    const refused = await postReport({ procedure: 'demande-passeport', kind: 'suggestion', text: 'idée' });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('too_many_ratings');
    expect(refused.headers['retry-after']).toBe(String(14 * 3600));
    expect(await db.snapshot()).toEqual(before);
  });
});
