import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { buildApp } from '../../../../server/app.ts';
import { testConfig, type Config } from '../../../../server/config.ts';
import type { Store } from '../../../../server/store/store.ts';
import { formBody, formFields, postRatingForm } from '../../../helpers/hosted-form.ts';
import { addProcedure } from '../../../helpers/procedures.ts';
import { testDatabase, type TestDatabase } from '../../../helpers/test-database.ts';

// The hosted problem form, without JavaScript: the page, then its POST through the same admission,
// guard, one-time key and quota as the rating form; reports stored apart from reviews.

const COLLECTOR = 'http://127.0.0.1:8080';
const AGENCY = 'https://passeport.example.gouv.fr';
const CONTACT = 'https://passeport.example.gouv.fr/contact';

let store: Store;
let app: FastifyInstance;
let db: TestDatabase;
let clock: Date;
const thinking = { advance: (ms: number) => void (clock = new Date(clock.getTime() + ms)) };

async function openApp(overrides: Partial<Config> = {}): Promise<void> {
  store = await db.open();
  app = await buildApp({ config: testConfig({ ...db.options, publicUrl: COLLECTOR, ...overrides }), store, now: () => clock });
}

beforeEach(async () => {
  db = await testDatabase();
  clock = new Date('2026-11-22T10:00:00Z');
  await openApp();
  await addProcedure(store, {
    id: 'demande-passeport',
    title: 'Demande de passeport',
    entity: 'Ministère de l’Intérieur',
    origins: [AGENCY],
    placements: ['site'],
  });
});

afterEach(async () => {
  await app.close();
  await store.close();
});

const PAGE = '/probleme/demande-passeport?placement=site';
const reportRows = () => db.rows('SELECT placement_id, lang, kind, text FROM problem_reports ORDER BY id');

describe('GET /probleme/:procedure', () => {
  test('the page names the entity and the procedure in its header, under the strict CSP, in the asked language', async () => {
    const reply = await app.inject({ url: `${PAGE}&lang=en` });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-security-policy']).toContain("default-src 'none'");
    expect(reply.body).toContain(
      '<header class="site"><p>Ministère de l’Intérieur</p><p class="procedure">Demande de passeport</p></header>',
    );
    expect(reply.body).toContain('<h1>Report a problem</h1>');
    expect(reply.body).toContain('A technical problem');
    expect(reply.body).toContain('please contact the service in charge');
  });

  test('« ma situation personnelle » shows the contact page the agency set, right under it', async () => {
    await store.problemReports.setContactUrl('demande-passeport', CONTACT);
    const reply = await app.inject({ url: PAGE });
    expect(reply.body).toContain(`<a href="${CONTACT}">contacter le service</a>`);
  });

  test.each([
    ['/probleme/inconnue', 404],
    ['/probleme/Not%20a%20slug', 404],
  ])('%s → %i page', async (url, status) => {
    expect((await app.inject({ url })).statusCode).toBe(status);
  });

  test('an archived procedure → 410 page', async () => {
    await store.procedures.setArchived('demande-passeport', true);
    expect((await app.inject({ url: PAGE })).statusCode).toBe(410);
  });
});

describe('POST /probleme/:procedure', () => {
  test('a suggestion is stored scrubbed, once however often the page is sent, never as a review', async () => {
    const { action, fields } = formFields((await app.inject({ url: PAGE })).body);
    thinking.advance(3000);
    const post = () =>
      app.inject({
        method: 'POST',
        url: action,
        payload: formBody({ ...fields, kind: 'suggestion', text: 'Ajoutez un lien. Écrivez-moi : jean.dupont@example.com' }),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    const reply = await post();
    expect(reply.statusCode).toBe(201);
    expect(reply.body).toContain('Merci, votre signalement a été transmis.');
    expect(await reportRows()).toEqual([
      { placement_id: 'site', lang: 'fr', kind: 'suggestion', text: 'Ajoutez un lien. Écrivez-moi : [adresse e-mail]' },
    ]);
    // The same form sent again (a reload): thanks, nothing more stored.
    const again = await post();
    expect(again.statusCode).toBe(200);
    expect(await reportRows()).toHaveLength(1);
    expect(await db.rows('SELECT id FROM reviews')).toEqual([]);
  });

  test('« ma situation personnelle » drops any text sent with it and thanks with the contact page', async () => {
    await store.problemReports.setContactUrl('demande-passeport', CONTACT);
    const reply = await postRatingForm(app, thinking, `${PAGE}&lang=de`, { kind: 'own_situation', text: 'Mein Aktenzeichen ist 123' });
    expect(reply.statusCode).toBe(201);
    expect(reply.body).toContain(`<a href="${CONTACT}">den Dienst kontaktieren</a>`);
    expect(await reportRows()).toEqual([{ placement_id: 'site', lang: 'de', kind: 'own_situation', text: null }]);
  });

  const refused: { name: string; fields: Record<string, string>; thinkMs?: number; origin?: string; status: number; says: string }[] = [
    { name: 'no kind chosen', fields: { text: 'x' }, status: 400, says: 'Choisissez de quoi il s’agit.' },
    { name: 'unknown kind', fields: { kind: 'complaint', text: 'x' }, status: 400, says: 'Choisissez de quoi il s’agit.' },
    {
      name: 'technical without text',
      fields: { kind: 'technical', text: '  ' },
      status: 400,
      says: 'Décrivez le problème ou la suggestion.',
    },
    {
      name: 'text over 3,000 characters',
      fields: { kind: 'technical', text: 'a'.repeat(3001) },
      status: 400,
      says: 'Décrivez le problème',
    },
    { name: 'sent faster than anyone reads', fields: { kind: 'technical', text: 'x' }, thinkMs: 500, status: 400, says: 'id="notice"' },
    { name: 'honeypot filled', fields: { kind: 'technical', text: 'x', website: 'http://spam' }, status: 400, says: 'id="notice"' },
    { name: 'forged signature', fields: { kind: 'technical', text: 'x', signature: 'AAAA' }, status: 400, says: 'id="notice"' },
    {
      name: 'another site’s origin',
      fields: { kind: 'technical', text: 'x' },
      origin: 'https://evil.example.com',
      status: 403,
      says: '<h1>',
    },
  ];
  test.each(refused)('$name → $status, the form again or a page, nothing stored', async ({ fields, thinkMs, origin, status, says }) => {
    const before = await db.snapshot();
    const reply = await postRatingForm(app, thinking, PAGE, fields, { thinkMs, origin });
    expect(reply.statusCode).toBe(status);
    expect(reply.body).toContain(says);
    expect(await db.snapshot()).toEqual(before);
  });

  test('past RATINGS_PER_CLIENT_PER_DAY sends → 429 page, nothing stored', async () => {
    await app.close();
    await store.close();
    await openApp({ ratingsPerClientPerDay: 1 });
    expect((await postRatingForm(app, thinking, PAGE, { kind: 'suggestion', text: 'une idée' })).statusCode).toBe(201);
    const before = await db.snapshot();
    const reply = await postRatingForm(app, thinking, PAGE, { kind: 'suggestion', text: 'une autre' });
    expect(reply.statusCode).toBe(429);
    expect(await db.snapshot()).toEqual(before);
  });

  test('JSON is refused with 415, nothing stored', async () => {
    const before = await db.snapshot();
    const reply = await app.inject({
      method: 'POST',
      url: '/probleme/demande-passeport',
      payload: JSON.stringify({ kind: 'technical', text: 'x' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(reply.statusCode).toBe(415);
    expect(reply.json().error.code).toBe('unsupported_media_type');
    expect(await db.snapshot()).toEqual(before);
  });
});

describe('the hosted rating form’s header', () => {
  test('names the entity and the procedure, as the problem form’s does', async () => {
    const reply = await app.inject({ url: '/avis/demande-passeport' });
    expect(reply.statusCode).toBe(200);
    expect(reply.body).toContain(
      '<header class="site"><p>Ministère de l’Intérieur</p><p class="procedure">Demande de passeport</p></header>',
    );
  });
});
