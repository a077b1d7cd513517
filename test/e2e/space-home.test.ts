import { MAX_DISTINCT_KEYS_PER_DAY } from '../../server/refusal-counter.ts';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { addDays, monthsOf, utcDay, windowStart } from '../../shared/feed-window.ts';
import { chartWordsOnPlot, describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { startTestServer, tempDir, type TestServer } from '../helpers/test-server.ts';
import { checkPage, signInWithLink, watchCsp } from './helpers/agency-space.ts';

// The agency space's home and results page as an agent meets them: real Chromium, the real
// collector on a SQLite file, reviews spread over the past year and a half.

const ADMIN = 'camille.martin@example.gouv.fr';
const NEWCOMER = 'dominique.durand@example.gouv.fr';
const ORIGIN = 'https://www.example.gouv.fr';
const temp = tempDir();
let server: TestServer;
let withOidc: TestServer;
let browser: Browser;
let context: BrowserContext | undefined;

/**
 * `count` reviews of `procedure`, review i on day today − (i × step mod days): satisfaction cycles
 * good, medium, bad, good, one in three at the `formulaire` placement, one in five with a follow-up;
 * the rollups are then rebuilt from them.
 */
function seedReviews(procedure: string, count: number, days: number, step: number): void {
  const today = utcDay(new Date());
  const rows: string[] = [];
  for (let i = 0; i < count; i++) {
    const day = addDays(today, -((i * step) % days));
    const satisfaction = ['good', 'medium', 'bad', 'good'][i % 4];
    const placement = i % 3 === 0 ? 'formulaire' : 'default';
    rows.push(`('${procedure}', '${placement}', '${day}', ${Date.parse(`${day}T09:00:00Z`) + i}, 'fr', '${satisfaction}', x'00')`);
  }
  server.exec(`INSERT INTO reviews (procedure_id, placement_id, day, created_at, lang, satisfaction, token_hash) VALUES ${rows.join(',\n')};
    INSERT INTO review_answers (review_id, question, channel, answer)
      SELECT id, 'clarity', '', CASE id % 2 WHEN 0 THEN '4' ELSE '5' END FROM reviews WHERE procedure_id = '${procedure}' AND id % 5 = 0;
    INSERT INTO review_answers (review_id, question, channel, answer)
      SELECT id, 'help_sought', '', CASE id % 2 WHEN 0 THEN 'none' ELSE 'phone' END FROM reviews WHERE procedure_id = '${procedure}' AND id % 5 = 0;
    INSERT INTO review_answers (review_id, question, channel, answer)
      SELECT id, 'help_reached', 'phone', CASE id % 3 WHEN 0 THEN 'no' ELSE 'yes' END FROM reviews WHERE procedure_id = '${procedure}' AND id % 10 = 5;
    INSERT INTO review_answers (review_id, question, channel, answer)
      SELECT id, 'help_quality', 'phone', '3' FROM reviews WHERE procedure_id = '${procedure}' AND id % 10 = 5 AND id % 3 <> 0;`);
}

beforeAll(async () => {
  server = await startTestServer(join(temp.dir, 'space.sqlite'), { rateLimitPerMinute: 0 });
  withOidc = await startTestServer(join(temp.dir, 'oidc.sqlite'), {
    oidc: { issuer: 'https://auth.example.gouv.fr', clientId: 'client', clientSecret: 'secret' },
  });
  const { store } = server;
  await store.entities.add({ id: 'dinum', name: 'Direction interministérielle du numérique' });
  await store.entities.add({ id: 'nouvelle', name: 'Agence nouvelle' });
  await store.members.put({ entityId: 'dinum', email: ADMIN, role: 'admin' });
  await store.members.put({ entityId: 'nouvelle', email: NEWCOMER, role: 'admin' });
  await store.procedures.add({
    id: 'passeport',
    title: 'Demande de passeport',
    entityId: 'dinum',
    origins: [ORIGIN],
    placements: ['formulaire'],
  });
  await store.procedures.add({ id: 'carte-grise', title: 'Carte grise', entityId: 'dinum', origins: [ORIGIN] });
  seedReviews('passeport', 480, 540, 7);
  seedReviews('carte-grise', 24, 300, 13);
  await store.rollups.rebuild();
  const today = utcDay(new Date());
  await store.refusedRatings.add(
    [
      {
        procedureId: 'carte-grise',
        day: addDays(today, -2),
        reason: 'origin_not_allowed',
        origin: 'https://copie.example.gouv.fr',
        placementId: 'default',
        count: 142,
      },
    ],
    addDays(today, -80),
    MAX_DISTINCT_KEYS_PER_DAY,
  );
});
afterEach(async () => {
  await context?.close();
  context = undefined;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await withOidc?.close();
  temp.remove();
});

async function newPage(colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  browser ??= await launchBrowser();
  context = await browser.newContext({ colorScheme, locale: 'fr-FR' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

describeInBrowser('the agency space’s sign-in, home and results pages in Chromium', () => {
  test('the sign-in page explains the link, and offers ProConnect when it is configured (fr, en)', async () => {
    const page = await newPage();
    const csp = watchCsp(page, server.url);
    const signIn = await page.goto(`${server.url}/espace`);
    expect(signIn?.status()).toBe(401);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Connexion à l’espace agence');
    await expect(page.getByText('jdma login-link').count()).resolves.toBe(1);
    await expect(page.getByRole('link', { name: 'S’identifier avec ProConnect' }).count()).resolves.toBe(0);
    await checkPage(page, 'space-signin');
    await page.getByRole('link', { name: 'English', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sign in to the agency space');
    await checkPage(page, 'space-signin-en');

    const oidcCsp = watchCsp(page, withOidc.url);
    await page.goto(`${withOidc.url}/espace`);
    await expect(page.getByRole('link', { name: 'S’identifier avec ProConnect' }).getAttribute('href')).resolves.toBe(
      '/espace/connexion/proconnect',
    );
    await checkPage(page, 'space-signin-proconnect');
    await page.goto(`${withOidc.url}/espace?lang=en`);
    await expect(page.getByRole('link', { name: 'Sign in with ProConnect' }).count()).resolves.toBe(1);
    await checkPage(page, 'space-signin-proconnect-en');
    expect([...csp, ...oidcCsp]).toEqual([]);
  });

  test('an agent signs in by link, sees both procedures and the refusals warning, opens one and changes the period', async () => {
    const page = await newPage();
    const csp = watchCsp(page, server.url);
    await signInWithLink(page, server.url, server.store, ADMIN);
    await expect(page.title()).resolves.toBe('Espace agence – Je donne mon avis');
    const cards = page.getByRole('main').getByRole('heading', { level: 3 });
    await expect(cards.allTextContents()).resolves.toEqual(['Carte grise', 'Demande de passeport']);
    const warning = page.getByText('142 notes refusées ces 30 derniers jours');
    await expect(warning.count()).resolves.toBe(1);
    await expect(
      page.getByRole('link', { name: 'Voir la santé de l’intégration de «\u00a0Carte grise\u00a0»' }).getAttribute('href'),
    ).resolves.toBe('/espace/demarches/carte-grise/reglages');
    await checkPage(page, 'space-home');
    await page.getByRole('link', { name: 'English', exact: true }).click();
    await expect(page.getByText('142 ratings refused in the last 30 days').count()).resolves.toBe(1);
    await checkPage(page, 'space-home-en');
    await page.getByRole('link', { name: 'Français', exact: true }).click();

    await page.getByRole('link', { name: 'Demande de passeport' }).click();
    await page.waitForURL(`${server.url}/espace/demarches/passeport`);
    await expect(page.title()).resolves.toBe('Résultats – Demande de passeport – Je donne mon avis');
    await expect(
      page.getByRole('navigation', { name: 'vous êtes ici\u00a0:' }).getByRole('link', { name: 'Espace agence' }).count(),
    ).resolves.toBe(1);
    const monthly = page.getByRole('table', { name: 'Avis et satisfaction par mois' });
    const today = utcDay(new Date());
    await expect(monthly.getByRole('row').count()).resolves.toBe(1 + monthsOf({ from: windowStart(today, 12), to: today }).length);
    await expect(page.getByRole('img', { name: /^Avis et satisfaction par mois, de/ }).count()).resolves.toBe(1);
    // The chart's axes: the scale's values, the review count's top, month labels, and a key above
    // that names the scale and the thresholds; at 320 px as at 1280 px the labels keep 12 CSS px
    // (the drawing's words are never scaled) and none lies on the plot.
    const chart = page.locator('figure').first();
    await expect(chart.locator('p[aria-hidden="true"]').textContent()).resolves.toBe(
      'Satisfaction sur 10, pointillés aux seuils «\u00a0Très bien\u00a0» (8) et «\u00a0Moyen\u00a0» (5).',
    );
    const labels = await chart.locator('svg text').allTextContents();
    expect(labels.slice(0, 5)).toEqual(['10', '8', '5', '0', expect.stringMatching(/^Nombre d’avis \(jusqu’à \d+\)$/)]);
    expect(labels.slice(5).length).toBeGreaterThanOrEqual(3);
    expect(labels.slice(5).every((label) => /^[a-zéû]+\.? \d\d$/.test(label))).toBe(true);
    for (const width of [320, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      const heights = await chart.locator('svg text').evaluateAll((texts) => texts.map((t) => t.getBoundingClientRect().height));
      expect(Math.min(...heights), `labels at ${width} px`).toBeGreaterThanOrEqual(12);
      // Every label inside the drawing, the last month's included (it used to be cut in half at 320 px).
      const outside = await chart.locator('svg.trend-drawing').evaluate((svg) => {
        const frame = svg.getBoundingClientRect();
        return [...svg.querySelectorAll('text')].flatMap((text) => {
          const box = text.getBoundingClientRect();
          return box.left < frame.left - 0.5 || box.right > frame.right + 0.5 ? [text.textContent] : [];
        });
      });
      expect(outside, `labels at ${width} px`).toEqual([]);
      const { count, onPlot } = await chartWordsOnPlot(page);
      expect(count, `words at ${width} px`).toBeGreaterThan(6);
      expect(onPlot, `words on the plot at ${width} px`).toEqual([]);
      // The wide tables scroll in a frame named by their caption, which the keyboard reaches; on a
      // phone a line above says that it scrolls (DSFR's md breakpoint, 48 em).
      const region = page.getByRole('region', { name: /^Indicateurs par emplacement/ });
      await expect(region.getAttribute('tabindex')).resolves.toBe('0');
      const hint = page.getByText('↔ Faites défiler le tableau sur le côté pour voir toutes ses colonnes.');
      await expect(hint.first().isVisible(), `scroll hint at ${width} px`).resolves.toBe(width < 768);
      // On one row, the placement's select lines up with the date fields (DSFR aligns a fieldset's items on their baselines, which differ).
      if (width === 1280) {
        const tops = await Promise.all(
          ['Du', 'Au', 'Emplacement'].map(async (name) => (await page.getByLabel(name, { exact: true }).boundingBox())?.y),
        );
        expect(tops, 'filter fields at 1280 px').toEqual([tops[0], tops[0], tops[0]]);
      }
    }
    await checkPage(page, 'space-results');

    const from = `${today.slice(0, 4)}-01-01`;
    await page.getByLabel('Du', { exact: true }).fill(from);
    await page.getByLabel('Au', { exact: true }).fill(today);
    await page.getByLabel('Emplacement', { exact: true }).selectOption('formulaire');
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.waitForURL(`${server.url}/espace/demarches/passeport?from=${from}&to=${today}&placement=formulaire`);
    await expect(monthly.getByRole('row').count()).resolves.toBe(1 + Number(today.slice(5, 7)));
    // The weekly table is folded under the chart, one click away (no script: <details>).
    await expect(page.getByRole('table', { name: 'Avis et satisfaction par semaine' }).count()).resolves.toBe(0);
    await page.getByText(/^Voir le tableau des \d+ semaines$/).click();
    await expect(page.getByRole('table', { name: 'Avis et satisfaction par semaine' }).count()).resolves.toBe(1);
    // The weekly chart too keeps its words off its plot.
    await expect(page.getByRole('img', { name: /^Avis et satisfaction par semaine, de la semaine du / }).count()).resolves.toBe(1);
    await expect(chartWordsOnPlot(page)).resolves.toMatchObject({ onPlot: [] });
    await expect(
      page
        .getByRole('table', { name: /^Indicateurs par emplacement/ })
        .getByRole('row')
        .count(),
    ).resolves.toBe(2);
    await expect(page.getByText('à l’emplacement «\u00a0formulaire\u00a0»').count()).resolves.toBe(1);

    await page.getByLabel('Du', { exact: true }).fill('2020-01-01');
    await page.getByLabel('Au', { exact: true }).fill('2020-12-31');
    await page.getByLabel('Emplacement', { exact: true }).selectOption('');
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.waitForURL(/from=2020-01-01/);
    await expect(page.getByText('Aucun avis sur cette période').count()).resolves.toBe(1);
    await checkPage(page, 'space-results-empty');

    await page.goto(`${server.url}/espace/demarches/passeport?lang=en`);
    await expect(page.title()).resolves.toBe('Results – Demande de passeport – Je donne mon avis');
    await checkPage(page, 'space-results-en');
    expect(csp).toEqual([]);
  });

  test('an agent with no procedure is told what to do; the results page reads in dark mode', async () => {
    const page = await newPage('dark');
    const csp = watchCsp(page, server.url);
    await signInWithLink(page, server.url, server.store, NEWCOMER);
    await expect(page.getByRole('heading', { level: 3, name: 'Aucune démarche pour l’instant' }).count()).resolves.toBe(1);
    await checkPage(page, 'space-home-empty');
    await page.goto(`${server.url}/espace/demarches/passeport`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Page introuvable');

    await context!.close();
    const dark = await newPage('dark');
    await signInWithLink(dark, server.url, server.store, ADMIN);
    await dark.goto(`${server.url}/espace/demarches/passeport`);
    // DSFR's script follows the system's scheme once it has started.
    await dark.waitForFunction(() => document.documentElement.getAttribute('data-fr-theme') === 'dark');
    await checkPage(dark, 'space-results-dark');
    expect(csp).toEqual([]);
  });
});
