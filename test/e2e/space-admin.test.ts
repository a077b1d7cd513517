import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { describeInBrowser } from '../helpers/browser.ts';
import { readRows } from '../helpers/test-server.ts';
import { checkPage, signInWithLink, watchCsp } from './helpers/agency-space.ts';
import {
  procedurePage,
  startWidgetFixture,
  storedReviews,
  tabTo,
  type WidgetFixture,
  widgetButton,
  widgetDialog,
} from './helpers/widget-fixture.ts';

// The agency space's admin pages as an admin and a reader meet them (BUILT widget, REAL collector
// and SQLite file, real Chromium): the integration health's one-click fix that lets a page's ratings
// in, a reader kept out of every admin page, an API key shown once that works until revoked.

const ADMIN = 'camille.admin@ants.example.gouv.fr';
const READER = 'dominique.lecteur@ants.example.gouv.fr';
const ALLOWED = 'https://www.ants.example.gouv.fr';
const SETTINGS = '/espace/demarches/carte-grise/reglages';
const MEMBERS = '/espace/entites/ants/membres';
const JOURNAL = '/espace/entites/ants/journal';

let fx: WidgetFixture;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  fx = await startWidgetFixture('space-admin');
  const { store } = fx.server;
  await store.entities.add({ id: 'ants', name: 'Agence nationale des titres sécurisés' });
  await store.procedures.add({
    id: 'carte-grise',
    title: 'Certificat d’immatriculation',
    entityId: 'ants',
    origins: [ALLOWED],
    placements: ['fin'],
  });
  await store.procedures.add({ id: 'permis', title: 'Permis de conduire', entityId: 'ants', origins: [ALLOWED] });
  await store.members.put({ entityId: 'ants', email: ADMIN, role: 'admin' });
});
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});
afterAll(async () => {
  await fx?.close();
});

/** A fresh browser profile with an agent signed in, raising no CSP violation on the collector's pages. */
async function agent(email: string, options: Parameters<WidgetFixture['newPage']>[0] = {}): Promise<{ page: Page; csp: string[] }> {
  const { context, page } = await fx.newPage(options);
  contexts.push(context);
  page.setDefaultTimeout(10_000);
  const csp = watchCsp(page, fx.server.url);
  await signInWithLink(page, fx.server.url, fx.server.store, email);
  return { page, csp };
}

/** Rates carte-grise from the agency's site (another origin) with the real widget; true when it was stored. */
async function rateFromSite(path: string): Promise<'stored' | 'refused'> {
  const { context, page } = await fx.newPage();
  contexts.push(context);
  await page.goto(fx.serve(path, procedurePage(fx.server.url, { attrs: { 'data-procedure': 'carte-grise', 'data-placement': 'fin' } })));
  await widgetButton(page).click();
  const dialog = widgetDialog(page);
  await dialog.getByRole('radio', { name: 'Très bien' }).click();
  await dialog.getByRole('button', { name: 'Envoyer mon avis' }).click();
  const refused = dialog.getByRole('heading', { name: 'Votre avis n’a pas pu être enregistré depuis cette page.' });
  const thanked = dialog.getByText('Merci, votre avis a été envoyé.');
  await refused.or(thanked).first().waitFor();
  return (await refused.count()) > 0 ? 'refused' : 'stored';
}

const refusedCount = () =>
  readRows<{ n: number | null }>(
    fx.databasePath,
    "SELECT sum(count) AS n FROM refused_ratings WHERE procedure_id = 'carte-grise' AND reason = 'origin_not_allowed' AND origin = ?",
    fx.site.origin,
  )[0]!.n ?? 0;

const status = (page: Page) =>
  page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).responseStatus);

describeInBrowser('the agency space’s admin pages in Chromium', () => {
  test('an admin sees the refusals of an origin, adds it in one click, and the widget on that origin then stores ratings', async () => {
    const { page, csp } = await agent(ADMIN);
    // No refusal yet: the settings page says the integration works.
    await page.goto(`${fx.server.url}${SETTINGS}`);
    await expect(page.getByText('Aucune note refusée ces 30 derniers jours\u00a0: l’intégration fonctionne.').count()).resolves.toBe(1);
    await checkPage(page, 'space-settings');

    // Two ratings refused on the agency's site, counted once the collector has flushed its counts (about 1 s).
    expect(await rateFromSite('/avant-1')).toBe('refused');
    expect(await rateFromSite('/avant-2')).toBe('refused');
    await expect.poll(refusedCount, { timeout: 5_000 }).toBe(2);
    expect(storedReviews(fx.databasePath).filter((r) => r.procedure_id === 'carte-grise')).toEqual([]);

    await page.reload();
    const warning = page.getByText(`2 notes refusées depuis ${fx.site.origin}\u00a0: cette origine n’est pas autorisée.`);
    await expect(warning.count()).resolves.toBe(1);
    await expect(
      page
        .getByRole('table', { name: 'Problèmes d’intégration sur 30 jours' })
        .getByRole('cell', { name: 'origine non autorisée' })
        .count(),
    ).resolves.toBe(1);
    await checkPage(page, 'space-settings-refusals');

    await page.getByRole('button', { name: 'Ajouter cette origine' }).click();
    await page.waitForURL(`${fx.server.url}${SETTINGS}?fait=origine-ajoutee`);
    await expect(page.getByRole('status').textContent()).resolves.toBe(
      'Origine ajoutée\u00a0: ses pages peuvent maintenant envoyer des notes.',
    );
    await expect(page.getByRole('button', { name: 'Ajouter cette origine' }).count()).resolves.toBe(0);
    await expect(page.getByRole('list').getByText(fx.site.origin, { exact: true }).count()).resolves.toBe(1);

    // The widget on that origin: the same tag, now stored.
    expect(await rateFromSite('/apres')).toBe('stored');
    await expect
      .poll(() => storedReviews(fx.databasePath).filter((r) => r.procedure_id === 'carte-grise'))
      .toEqual([
        {
          procedure_id: 'carte-grise',
          placement_id: 'fin',
          lang: 'fr',
          satisfaction: 'good',
          help_other: null,
          comment: null,
          answers: [],
        },
      ]);
    expect(csp).toEqual([]);
  });

  test('keyboard only: an admin adds an origin with Tab, typing and Enter; a wrong one is said at its field', async () => {
    const { page, csp } = await agent(ADMIN);
    await page.goto(`${fx.server.url}${SETTINGS}`);
    const field = page.getByRole('textbox', { name: /Origine à ajouter/ });
    await tabTo(page, field, { limit: 120 });
    await page.keyboard.type('https://www.ants.example.gouv.fr/demarche');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${fx.server.url}${SETTINGS}/origines`);
    expect(await status(page)).toBe(400);
    const message = 'Saisissez une origine\u00a0: https://nom-de-domaine, sans chemin (par exemple https://www.example.gouv.fr).';
    await expect(page.getByRole('textbox', { name: /Origine à ajouter/ }).getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByText(message).count()).resolves.toBe(2);
    await checkPage(page, 'space-settings-error');
    // The error's link leads to the field, still holding what was typed: corrected from there.
    await tabTo(page, page.getByRole('link', { name: message }), { limit: 80 });
    await page.keyboard.press('Enter');
    await tabTo(page, field, { limit: 5 });
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('https://demarches.ants.example.gouv.fr');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${fx.server.url}${SETTINGS}?fait=origine-ajoutee`);
    expect((await fx.server.store.procedures.find('carte-grise'))!.origins).toContain('https://demarches.ants.example.gouv.fr');
    expect(csp).toEqual([]);
  });

  test('the snippet’s blocks copy with one click, and the button is previewed in both themes; archived, then restored', async () => {
    const { page, csp } = await agent(ADMIN, { colorScheme: 'dark' });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: fx.server.url });
    await page.goto(`${fx.server.url}${SETTINGS}?emplacement=fin`);
    const tag = await page.getByRole('textbox', { name: /Site web\s: balise/ }).inputValue();
    expect(tag).toBe(`<script src="${fx.server.url}/widget.js" data-procedure="carte-grise" data-placement="fin" async></script>`);
    await page.getByRole('button', { name: 'Copier la balise', exact: true }).click();
    await expect.poll(() => page.locator('#bloc-1-statut').textContent()).toBe('Copié');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(tag);
    for (const name of ['Je donne mon avis (bouton, thème clair)', 'Je donne mon avis (bouton, thème sombre)']) {
      const image = page.getByRole('img', { name });
      await expect(image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).resolves.toBe(200);
    }
    // DSFR follows the system's dark scheme. The pointer leaves the button it clicked: at another
    // width the page reflows, and a button that comes under the pointer is measured in its hover colours.
    await expect(page.locator('html').getAttribute('data-fr-theme')).resolves.toBe('dark');
    await page.mouse.move(0, 0);
    await checkPage(page, 'space-settings-dark');

    await page.getByRole('button', { name: 'Archiver la démarche' }).click();
    await page.waitForURL(`${fx.server.url}${SETTINGS}?fait=archivee`);
    await expect(page.getByText(/^Démarche archivée le \d+(?:er)?\s\S+ \d{4}\.$/).count()).resolves.toBe(1);
    await checkPage(page, 'space-settings-archived');
    await page.getByRole('button', { name: 'Réactiver la démarche' }).click();
    await page.waitForURL(`${fx.server.url}${SETTINGS}?fait=reactivee`);
    expect((await fx.server.store.procedures.find('carte-grise'))!.archivedAt).toBeNull();
    await page.goto(`${fx.server.url}${SETTINGS}?lang=en`);
    await checkPage(page, 'space-settings-en');
    expect(csp).toEqual([]);
    // Eight axe runs over a page that now holds the form's section (its labels, one field each).
  }, 60_000);

  test('an admin invites a reader; the reader sees no settings, members, keys or audit links, and meets 404 at each address', async () => {
    const { page, csp } = await agent(ADMIN);
    await page.getByRole('link', { name: 'Membres et clés d’API' }).click();
    await page.waitForURL(`${fx.server.url}${MEMBERS}`);
    await checkPage(page, 'space-members');
    await page.getByRole('textbox', { name: /Adresse électronique/ }).fill(READER);
    await page.getByRole('combobox', { name: /^Rôle\s*Un lecteur/ }).selectOption('reader');
    await page.getByRole('button', { name: 'Ajouter ce membre' }).click();
    await page.waitForURL(`${fx.server.url}${MEMBERS}?fait=membre-invite`);
    await expect(
      page
        .getByRole('table', { name: /Membres de/ })
        .getByRole('row', { name: new RegExp(READER) })
        .count(),
    ).resolves.toBe(1);

    // The last admin cannot make themself a reader: said plainly.
    await page.getByRole('combobox', { name: `Rôle de ${ADMIN}` }).selectOption('reader');
    await page.getByRole('button', { name: `Changer le rôle de ${ADMIN}` }).click();
    await expect(
      page.getByText('Une entité garde au moins un administrateur\u00a0: nommez d’abord un autre administrateur.').count(),
    ).resolves.toBe(1);
    expect(await status(page)).toBe(409);
    await checkPage(page, 'space-members-last-admin');

    // The reader, signed in by link.
    const reader = await agent(READER);
    const home = await reader.page.content();
    for (const path of ['/reglages', '/membres', '/journal']) expect(home).not.toContain(path);
    for (const path of [SETTINGS, MEMBERS, JOURNAL, `${SETTINGS}?lang=en`]) {
      const reply = await reader.page.goto(`${fx.server.url}${path}`);
      expect(reply?.status(), path).toBe(404);
      await expect(reader.page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/^(Page introuvable|Page not found)$/);
    }
    await checkPage(reader.page, 'space-admin-reader-404');
    expect(csp).toEqual([]);
    expect(reader.csp).toEqual([]);
  });

  test('an API key is shown once with a copy button, works as Bearer, and is refused once revoked; the audit log tells it all', async () => {
    const { page, csp } = await agent(ADMIN);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: fx.server.url });
    await page.goto(`${fx.server.url}${MEMBERS}`);
    await page.getByRole('textbox', { name: /Nom de la clé/ }).fill('tableau de bord');
    // DSFR draws the box over the input: the label is what a person clicks.
    await page.getByText('Permis de conduire').click();
    await expect(page.getByRole('checkbox', { name: /Permis de conduire/ }).isChecked()).resolves.toBe(true);
    const [created] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/cles')),
      page.getByRole('button', { name: 'Créer la clé' }).click(),
    ]);
    expect(created.status()).toBe(201);
    expect(created.headers()['cache-control']).toBe('no-store');
    expect(page.url()).toBe(`${fx.server.url}/espace/entites/ants/cles`);
    const key = await page.getByRole('textbox', { name: 'Clé d’API «\u00a0tableau de bord\u00a0»' }).inputValue();
    expect(key).toMatch(/^jdma_[A-Za-z0-9_-]{40,}$/);
    await expect(
      page.getByText('Copiez cette clé maintenant\u00a0: elle ne sera plus jamais affichée.', { exact: false }).count(),
    ).resolves.toBe(1);
    await page.getByRole('button', { name: /^Copier/ }).click();
    await expect.poll(() => page.locator('#cle-statut').textContent()).toBe('Copié');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    await checkPage(page, 'space-key-created');

    const me = await fetch(`${fx.server.url}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ kind: 'key', name: 'tableau de bord', procedures: ['permis'] });

    await page.getByRole('link', { name: 'Retour aux membres et clés d’API' }).click();
    expect(await page.content()).not.toContain(key);
    await page.getByRole('button', { name: 'Révoquer la clé tableau de bord' }).click();
    await page.waitForURL(`${fx.server.url}${MEMBERS}?fait=cle-revoquee`);
    expect((await fetch(`${fx.server.url}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
    await page.goto(`${fx.server.url}${MEMBERS}?lang=en`);
    await checkPage(page, 'space-members-en');

    // Removing a member is asked first.
    await page.goto(`${fx.server.url}${MEMBERS}`);
    await page.getByRole('button', { name: `Retirer ${READER}` }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Retirer ce membre\u00a0?');
    await checkPage(page, 'space-member-removal');
    await page.getByRole('link', { name: 'Annuler' }).click();

    await page.getByRole('link', { name: 'Journal des actions' }).click();
    await page.waitForURL(`${fx.server.url}${JOURNAL}`);
    const log = page.getByRole('table', { name: /Actions sur/ });
    await expect(log.getByRole('row', { name: /Clé d’API révoquée tableau de bord/ }).count()).resolves.toBe(1);
    await expect(log.getByRole('row', { name: /Clé d’API créée tableau de bord démarches\s: permis/ }).count()).resolves.toBe(1);
    await checkPage(page, 'space-journal');
    await page.goto(`${fx.server.url}${JOURNAL}?lang=en`);
    await checkPage(page, 'space-journal-en');
    expect(csp).toEqual([]);
  });

  test('under a flood of invented origins, the health offers 3 fixes, tells the limits apart, and names the mistyped id its origin sent', async () => {
    const day = new Date().toISOString().slice(0, 10);
    const row = { procedureId: 'permis', day, placementId: 'default' };
    await fx.server.store.refusedRatings.add(
      [
        ...Array.from({ length: 500 }, (_, i) => ({
          ...row,
          reason: 'origin_not_allowed',
          origin: `https://site-${i}.example.org`,
          count: 500 - i,
        })),
        { ...row, reason: 'rate_limited', origin: ALLOWED, count: 12 },
        { ...row, reason: 'honeypot', origin: '', count: 3 },
        { ...row, procedureId: 'permis-de-conduir', reason: 'unknown_procedure', origin: ALLOWED, count: 7 },
      ],
      day,
      20,
    );
    const { page, csp } = await agent(ADMIN);
    await page.goto(`${fx.server.url}/espace/demarches/permis/reglages`);
    await expect(page.getByRole('button', { name: 'Ajouter cette origine' }).count()).resolves.toBe(3);
    await expect(
      page.getByRole('table', { name: 'Problèmes d’intégration sur 30 jours' }).getByRole('cell', { name: 'autres origines' }).count(),
    ).resolves.toBe(1);
    await expect(
      page
        .getByRole('table', { name: 'Limites anti-abus sur 30 jours' })
        .getByRole('cell', { name: 'trop d’envois depuis une même connexion' })
        .count(),
    ).resolves.toBe(1);
    await expect(
      page
        .getByRole('table', { name: 'Identifiants de démarche inconnus envoyés depuis vos origines' })
        .getByRole('cell', { name: 'permis-de-conduir' })
        .count(),
    ).resolves.toBe(1);
    await checkPage(page, 'space-settings-flood');
    await page.goto(`${fx.server.url}/espace/demarches/permis/reglages?lang=en`);
    await checkPage(page, 'space-settings-flood-en');

    await page.goto(`${fx.server.url}/espace`);
    await expect(page.getByText(`«\u00a0permis-de-conduir\u00a0» depuis ${ALLOWED}\u00a0: 7`).count()).resolves.toBe(1);
    await checkPage(page, 'space-home-health');
    expect(csp).toEqual([]);
  });
});
