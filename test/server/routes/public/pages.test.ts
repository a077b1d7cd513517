import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import { buildApp } from '../../../../server/app.ts';
import { loadConfig, testConfig, type Config } from '../../../../server/config.ts';
import { ensureDemoProcedure } from '../../../../server/demo-procedure.ts';
import { PAGE_CSP } from '../../../../server/pages/html.ts';
import type { Store } from '../../../../server/store/store.ts';
import { testDatabase } from '../../../helpers/test-database.ts';

// The collector's pages for people, through app.inject(): the privacy notice, the 404 page for
// browsers (JSON for everyone else), and how fresh the observatory is.

const PUBLIC_URL = 'http://127.0.0.1:8080';
/** What Chromium sends when a person follows a link. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

let app: FastifyInstance;
let store: Store;

async function start(overrides: Partial<Config> = {}): Promise<void> {
  const db = await testDatabase();
  store = await db.open();
  const config = testConfig({ ...db.options, rateLimitPerMinute: 0, publicUrl: PUBLIC_URL, ...overrides });
  await ensureDemoProcedure(store, config);
  app = await buildApp({ config, store });
}
afterEach(async () => {
  await app?.close();
  await store?.close();
});

const text = (body: string) => body.replace(/<[^>]+>/g, '').replace(/\s+/g, (run) => (run.includes('\u00a0') ? '\u00a0' : ' '));

describe('/confidentialite: what is stored, for how long, what is published, whom to contact', () => {
  test('in French by default, with the threshold in force, under the pages’ strict CSP', async () => {
    await start({ feedMinReviews: 250, freeTextRetentionDays: 365, operatorContact: 'dpo@avis.example.gouv.fr' });
    const reply = await app.inject({ url: '/confidentialite' });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.headers['content-security-policy']).toBe(PAGE_CSP);
    expect(reply.body).toContain('<html lang="fr">');
    const said = text(reply.body);
    expect(said).toContain('Vos réponses sont anonymes.');
    expect(said).toContain('ni votre adresse IP, ni l’identité de votre navigateur, ni aucun cookie');
    expect(said).toContain('une clé secrète qui change chaque jour');
    expect(said).toContain('les avis donnés à chaque démarche dans la journée');
    expect(said).toContain('durée de conservation fixée par l’exploitant du service\u00a0: 365 jours');
    expect(said).toContain('Une note n’est publiée qu’à partir de 250 avis sur la période');
    expect(said).toContain('Votre texte libre n’est jamais publié');
    expect(reply.body).toContain('<a href="mailto:dpo@avis.example.gouv.fr">dpo@avis.example.gouv.fr</a>');
  });

  test('in English with ?lang=en, and each language links to the other', async () => {
    await start({ operatorContact: 'https://avis.example.gouv.fr/contact' });
    const en = await app.inject({ url: '/confidentialite?lang=en' });
    expect(en.body).toContain('<html lang="en">');
    const said = text(en.body);
    expect(said).toContain('Your answers are anonymous.');
    expect(said).toContain('a retention period set by the operator of the service: 730 days');
    expect(said).toContain('the feedback given to each procedure in the day');
    expect(said).toContain('A score is published only from 100 reviews in the period');
    expect(en.body).toContain('<a href="https://avis.example.gouv.fr/contact">https://avis.example.gouv.fr/contact</a>');
    expect(en.body).toContain('<a href="/confidentialite" lang="fr" hreflang="fr">Français</a>');
    expect((await app.inject({ url: '/confidentialite' })).body).toContain(
      '<a href="/confidentialite?lang=en" lang="en" hreflang="en">English</a>',
    );
  });

  test('with a threshold of 1 the English says “1 review”', async () => {
    await start({ feedMinReviews: 1 });
    expect(text((await app.inject({ url: '/confidentialite?lang=en' })).body)).toContain(
      'A score is published only from 1 review in the period',
    );
  });

  test('without OPERATOR_CONTACT the page says the operator has not given a contact', async () => {
    await start({ operatorContact: undefined });
    expect(text((await app.inject({ url: '/confidentialite' })).body)).toContain(
      'L’exploitant de ce service n’a pas encore indiqué de contact.',
    );
    expect(text((await app.inject({ url: '/confidentialite?lang=en' })).body)).toContain(
      'The operator of this service has not given a contact yet.',
    );
  });

  test('OPERATOR_CONTACT is an e-mail address or an http(s) URL; anything else stops start-up', () => {
    expect(loadConfig({ OPERATOR_CONTACT: 'dpo@example.gouv.fr' }).operatorContact).toBe('dpo@example.gouv.fr');
    expect(loadConfig({ OPERATOR_CONTACT: 'https://example.gouv.fr/contact' }).operatorContact).toBe('https://example.gouv.fr/contact');
    expect(loadConfig({}).operatorContact).toBeUndefined();
    for (const wrong of ['javascript:alert(1)', 'dpo at example', 'ftp://example.gouv.fr']) {
      expect(() => loadConfig({ OPERATOR_CONTACT: wrong })).toThrow(/OPERATOR_CONTACT/);
    }
  });

  test.each(['/', '/observatoire', '/observatoire/demo', '/observatoire?lang=en'])('%s links to it', async (url) => {
    await start();
    const body = (await app.inject({ url })).body;
    expect(body).toMatch(
      url.endsWith('lang=en') ? /<a href="\/confidentialite\?lang=en">Privacy<\/a>/ : /<a href="\/confidentialite">Confidentialité<\/a>/,
    );
  });
});

describe('the home page', () => {
  test('its header leads to the agency space, the API docs and the other language', async () => {
    await start();
    for (const [url, links] of [
      [
        '/',
        [
          '<a href="/espace">Espace agence</a>',
          '<a href="/api/docs">Documentation de l’API</a>',
          '<a href="/?lang=en" lang="en" hreflang="en">English</a>',
        ],
      ],
      [
        '/?lang=en',
        [
          '<a href="/espace?lang=en">Agency space</a>',
          '<a href="/api/docs?lang=en">API documentation</a>',
          '<a href="/" lang="fr" hreflang="fr">Français</a>',
        ],
      ],
    ] as const) {
      const reply = await app.inject({ url });
      expect(reply.statusCode).toBe(200);
      const header = /<header class="site">([\s\S]*?)<\/header>/.exec(reply.body)?.[1] ?? '';
      for (const link of links) expect(header, url).toContain(link);
    }
    expect(text((await app.inject({ url: '/?lang=en' })).body)).toContain('Paste this tag at the end of your online procedure');
  });
});

describe('an unknown address', () => {
  test('a browser following a link gets a French HTML page with a way home, under the strict CSP', async () => {
    await start();
    for (const url of ['/nope', '/observatoire/a/b', '/avis']) {
      const reply = await app.inject({ url, headers: { accept: BROWSER_ACCEPT } });
      expect(reply.statusCode).toBe(404);
      expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(reply.headers['content-security-policy']).toBe(PAGE_CSP);
      expect(reply.body).toContain('<html lang="fr">');
      expect(reply.body).toContain('<h1>Page introuvable</h1>');
      expect(reply.body).toContain('<a href="/">Accueil du service</a>');
    }
  });

  test.each([
    ['an API path, even from a browser', '/api/v1/nope', BROWSER_ACCEPT],
    ['a script asking for JSON', '/nope', 'application/json'],
    ['curl and fetch() (any type)', '/nope', '*/*'],
    ['no Accept header', '/nope', undefined],
    ['JSON preferred over HTML', '/nope', 'application/json, text/html;q=0.5'],
  ])('%s keeps the one JSON error shape', async (_name, url, accept) => {
    await start();
    const reply = await app.inject({ url, headers: accept ? { accept } : {} });
    expect(reply.statusCode).toBe(404);
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(reply.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });
});

describe('freshness of the observatory pages', () => {
  const rate = () =>
    app.inject({
      method: 'POST',
      url: '/api/v1/reviews',
      headers: { 'content-type': 'application/json' },
      payload: { procedure: 'demo', satisfaction: 'good' },
    });

  test.each(['/observatoire', '/observatoire/demo'])(
    '%s is revalidated at every load: a new rating shows at the next request, an unchanged page is a 304',
    async (url) => {
      await start({ feedMinReviews: 1 });
      expect((await rate()).statusCode).toBe(201);
      const first = await app.inject({ url });
      expect(first.headers['cache-control']).toBe('no-cache');
      const etag = String(first.headers.etag);
      expect(etag).toMatch(/^W\/"[\w-]+"$/);

      const unchanged = await app.inject({ url, headers: { 'if-none-match': etag } });
      expect(unchanged.statusCode).toBe(304);
      expect(unchanged.body).toBe('');

      expect((await rate()).statusCode).toBe(201);
      const after = await app.inject({ url, headers: { 'if-none-match': etag } });
      expect(after.statusCode).toBe(200);
      expect(after.headers.etag).not.toBe(etag);
      expect(text(first.body)).toContain('1 avis');
      expect(text(after.body)).toContain('2 avis');
    },
  );

  test('the pages say so', async () => {
    await start();
    for (const url of ['/observatoire', '/observatoire/demo']) {
      expect(text((await app.inject({ url })).body)).toContain('Les chiffres comptent chaque avis dès qu’il est donné.');
    }
  });
});

describe('/accessibilite: the accessibility statement', () => {
  test('in French by default: the state of conformity, the results and limits, the date, the contact, the remedies', async () => {
    await start({ operatorContact: 'accessibilite@avis.example.gouv.fr' });
    const reply = await app.inject({ url: '/accessibilite' });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.headers['content-security-policy']).toBe(PAGE_CSP);
    expect(reply.body).toContain('<html lang="fr">');
    const said = text(reply.body).replace(/\u00a0/g, ' ');
    expect(said).toContain('Déclaration d’accessibilité');
    expect(said).toContain('conformément à l’article 47 de la loi n° 2005-102 du 11 février 2005');
    expect(said).toContain(
      'Ce service est partiellement conforme avec le référentiel général d’amélioration de l’accessibilité (RGAA), version 4.1',
    );
    expect(said).toContain('Résultats des tests');
    expect(said).toContain('Limites connues');
    expect(said).toContain('Cette déclaration a été établie le 7 décembre 2026.');
    expect(reply.body).toContain('<a href="mailto:accessibilite@avis.example.gouv.fr">accessibilite@avis.example.gouv.fr</a>');
    expect(said).toContain('Voies de recours');
    expect(said).toContain('Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07');
    expect(reply.body).toContain('<a href="/accessibilite?lang=en" lang="en" hreflang="en">English</a>');
  });

  test('in English with ?lang=en; without OPERATOR_CONTACT it says no contact was given', async () => {
    await start();
    const said = text((await app.inject({ url: '/accessibilite?lang=en' })).body).replace(/\u00a0/g, ' ');
    expect(said).toContain('This service is partially compliant with the French accessibility framework RGAA');
    expect(said).toContain('This statement was established on 7 December 2026.');
    expect(said).toContain('the operator of this service has not given a contact yet');
    expect(said).toContain('Remedies');
  });
});

describe('every public page: a meta description, and the footer with the conformity level', () => {
  const PAGES = [
    ['/', 'fr'],
    ['/?lang=en', 'en'],
    ['/demo', 'fr'],
    ['/demo/hostile', 'fr'],
    ['/observatoire', 'fr'],
    ['/observatoire?lang=en', 'en'],
    ['/observatoire/demo', 'fr'],
    ['/observatoire/demo?lang=en', 'en'],
    ['/observatoire/inconnue', 'fr'],
    ['/avis/demo', 'fr'],
    ['/avis/demo?lang=de', 'de'],
    ['/confidentialite', 'fr'],
    ['/confidentialite?lang=ar', 'ar'],
    ['/accessibilite', 'fr'],
    ['/accessibilite?lang=en', 'en'],
    ['/api/docs', 'fr'],
    ['/api/docs?lang=en', 'en'],
    ['/api/docs/avis', 'fr'],
    ['/api/docs/demarches?lang=en', 'en'],
    ['/api/docs/schemas', 'fr'],
    ['/nulle-part', 'fr'],
  ] as const;

  test.each(PAGES)('%s', async (url, lang) => {
    await start();
    const body = (await app.inject({ url, headers: { accept: BROWSER_ACCEPT } })).body;
    expect(body).toContain(`<html lang="${lang}"`);
    const description = /<meta name="description" content="([^"]+)">/.exec(body)?.[1];
    expect(description?.length).toBeGreaterThan(50);
    expect(description!.length).toBeLessThanOrEqual(160);
    if (lang === 'fr') {
      expect(body).toContain('<a href="/accessibilite">Accessibilité\u00a0: partiellement conforme</a>');
    } else {
      expect(body).toMatch(/<a href="\/accessibilite\?lang=en"( lang="en")?>Accessibility: partially compliant<\/a>/);
    }
  });

  test('the agency space’s pages, its sign-in page included, have a description and the footer’s mention', async () => {
    await start();
    for (const [url, mention] of [
      ['/espace/connexion', '<a class="fr-footer__bottom-link" href="/accessibilite">Accessibilité\u00a0: partiellement conforme</a>'],
      [
        '/espace/connexion?lang=en',
        '<a class="fr-footer__bottom-link" href="/accessibilite?lang=en">Accessibility: partially compliant</a>',
      ],
    ] as const) {
      const body = (await app.inject({ url })).body;
      expect(body).toMatch(/<meta name="description" content="[^"]{50,160}">/);
      expect(body).toContain(mention);
      // No DSFR script before sign-in: nothing on these pages needs it (the space's pages load it).
      expect(body).not.toContain('<script');
    }
  });
});
