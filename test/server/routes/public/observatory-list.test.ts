import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../../../server/app.ts';
import { testConfig } from '../../../../server/config.ts';
import type { Store } from '../../../../server/store/store.ts';
import { addProcedure } from '../../../helpers/procedures.ts';
import { testDatabase } from '../../../helpers/test-database.ts';

// /observatoire's search, level filter and order: a GET form and plain links, the state in the
// query string, so that they work without JavaScript and every view has an address.

let app: FastifyInstance;
let store: Store;

/** id, title, entity, and the satisfactions rated: good 10, medium 5, bad 0 (threshold: 4 reviews). */
const PROCEDURES = [
  ['passeport', 'Demande de passeport', 'Ministère de l’Intérieur', ['good', 'good', 'good', 'good', 'good']],
  ['impots', 'Déclarer ses revenus', 'Direction générale des Finances publiques', ['good', 'good', 'medium', 'medium', 'medium', 'bad']],
  ['securite', 'Carte Vitale', 'Sécurité sociale', ['bad', 'bad', 'bad', 'bad', 'bad', 'bad', 'bad', 'medium']],
  ['carte-grise', 'Carte grise', 'Ministère de l’Intérieur', ['good', 'good']],
] as const;

beforeAll(async () => {
  const db = await testDatabase();
  store = await db.open();
  for (const [id, title, entity] of PROCEDURES)
    await addProcedure(store, { id, title, entity, origins: ['https://service.example.gouv.fr'] });
  app = await buildApp({
    config: testConfig({ ...db.options, rateLimitPerMinute: 0, ratingsPerClientPerDay: 0, feedMinReviews: 4 }),
    store,
  });
  for (const [procedure, , , satisfactions] of PROCEDURES) {
    for (const satisfaction of satisfactions) {
      const rated = await app.inject({ method: 'POST', url: '/api/v1/reviews', payload: { procedure, satisfaction } });
      expect(rated.statusCode).toBe(201);
    }
  }
});
afterAll(async () => {
  await app?.close();
  await store?.close();
});

const text = (body: string) =>
  body
    .replace(/<[^>]+>/g, '')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, (run) => (run.includes('\u00a0') ? '\u00a0' : ' '));
/** The procedures' titles in the order the table lists them. */
const listed = (body: string) => [...body.matchAll(/<th scope="row"><a href="\/observatoire\/[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);

describe('/observatoire: search, filter, sort', () => {
  test('by default every procedure, by name, with a GET form and the sort links', async () => {
    const reply = await app.inject({ url: '/observatoire' });
    expect(reply.statusCode).toBe(200);
    expect(listed(reply.body)).toEqual(['Carte grise', 'Carte Vitale', 'Déclarer ses revenus', 'Demande de passeport']);
    expect(reply.body).toContain('<form class="list-controls" method="get" action="/observatoire" role="search">');
    expect(reply.body).toContain('<label for="recherche">Rechercher une démarche ou une administration</label>');
    expect(reply.body).toContain('<a href="/observatoire" aria-current="true">nom</a>');
    expect(reply.body).toContain('<a href="/observatoire?tri=note">satisfaction</a>');
    expect(reply.body).toContain('<a href="/observatoire?tri=avis">nombre d’avis</a>');
    expect(text(reply.body)).toContain('4 démarches (tri\u00a0: nom)');
  });

  test.each([
    ['q=passeport', ['Demande de passeport']],
    ['q=securite+SOCIALE', ['Carte Vitale']],
    ['q=interieur', ['Carte grise', 'Demande de passeport']],
    ['q=carte+interieur', ['Carte grise']],
    ['q=d%C3%A9claRER', ['Déclarer ses revenus']],
    ['q=DECLARER', ['Déclarer ses revenus']],
    ['niveau=good', ['Demande de passeport']],
    ['niveau=poor', ['Carte Vitale']],
    ['niveau=average', ['Déclarer ses revenus']],
    ['niveau=not_enough_data', ['Carte grise']],
    ['q=carte&niveau=poor', ['Carte Vitale']],
    ['tri=note', ['Demande de passeport', 'Déclarer ses revenus', 'Carte Vitale', 'Carte grise']],
    ['tri=avis', ['Carte Vitale', 'Déclarer ses revenus', 'Demande de passeport', 'Carte grise']],
    ['q=carte&tri=avis', ['Carte Vitale', 'Carte grise']],
  ])('?%s', async (search, titles) => {
    const reply = await app.inject({ url: `/observatoire?${search}` });
    expect(reply.statusCode).toBe(200);
    expect(listed(reply.body)).toEqual(titles);
  });

  test('the state is kept in the form and in every link, the language included', async () => {
    const reply = await app.inject({ url: '/observatoire?q=carte&niveau=poor&tri=avis&lang=en' });
    expect(reply.body).toContain('<input type="hidden" name="lang" value="en">');
    expect(reply.body).toContain('<input type="search" id="recherche" name="q" value="carte" maxlength="100">');
    expect(reply.body).toContain('<option value="poor" selected>Critical</option>');
    expect(reply.body).toContain('<input type="hidden" name="tri" value="avis">');
    // « Sort by » once: the order is chosen by its links only.
    expect(reply.body.split('Sort by').length - 1).toBe(1);
    expect(reply.body).toContain('<a href="/observatoire?q=carte&amp;niveau=poor&amp;lang=en">name</a>');
    expect(reply.body).toContain(
      '<a href="/observatoire?q=carte&amp;niveau=poor&amp;tri=avis&amp;lang=en" aria-current="true">number of reviews</a>',
    );
    // The other language's version of the same view.
    expect(reply.body).toContain('<a href="/observatoire?q=carte&amp;niveau=poor&amp;tri=avis" lang="fr" hreflang="fr">Français</a>');
    expect(text(reply.body)).toContain('1 procedure of 4 (sorted by number of reviews)');
  });

  test('an empty result says so, with a way back to every procedure', async () => {
    const reply = await app.inject({ url: '/observatoire?q=zorglub' });
    expect(reply.statusCode).toBe(200);
    expect(listed(reply.body)).toEqual([]);
    expect(reply.body).not.toContain('<table class="procedures"');
    expect(text(reply.body)).toContain('0 démarche sur 4 (tri\u00a0: nom)');
    expect(text(reply.body)).toContain('Aucune démarche ne correspond à cette recherche. Toutes les démarches');
  });

  test.each([
    ['niveau=excellent', 'niveau', 'excellent'],
    ['tri=prix', 'tri', 'prix'],
    ['niveau=%3Cscript%3E', 'niveau', '<script>'],
  ])('?%s is ignored, and the page says so (200, every procedure)', async (search, name, value) => {
    const reply = await app.inject({ url: `/observatoire?${search}` });
    expect(reply.statusCode).toBe(200);
    expect(listed(reply.body)).toHaveLength(4);
    expect(reply.body).not.toContain('<script>');
    expect(text(reply.body)).toContain(
      `La valeur «\u00a0${value}\u00a0» du paramètre «\u00a0${name}\u00a0» n’existe pas\u00a0: elle est ignorée.`,
    );
  });

  test('each score is shown with its 95 % interval, as the feed publishes it', async () => {
    const feed = (await app.inject({ url: '/api/v1/feed' })).json() as {
      procedures: { id: string; indicators: { satisfaction: { interval: { low: number; high: number } | null } } }[];
    };
    const impots = feed.procedures.find((p) => p.id === 'impots')!.indicators.satisfaction.interval!;
    const page = text((await app.inject({ url: '/observatoire?q=revenus' })).body);
    const fr = (n: number) => n.toFixed(1).replace('.', ',');
    expect(page).toContain(`entre ${fr(impots.low)}\u00a0/\u00a010 et ${fr(impots.high)}\u00a0/\u00a010`);
    expect(feed.procedures.find((p) => p.id === 'carte-grise')!.indicators.satisfaction.interval).toBeNull();
  });
});
