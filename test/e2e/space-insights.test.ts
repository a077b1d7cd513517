import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { reviewWrites } from '../../server/review-writes.ts';
import { countQueuedTerms } from '../../server/term-counting.ts';
import { addDays, utcDay } from '../../shared/feed-window.ts';
import type { SatisfactionAnswer } from '../../shared/questionnaire.ts';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { startTestServer, tempDir, type TestServer } from '../helpers/test-server.ts';
import { checkPage, signInWithLink, watchCsp } from './helpers/agency-space.ts';

// The comment analysis page as an agent meets it: real Chromium, the real collector on a SQLite
// file, comments written through the collector's own write path (scrubbed, queued, counted).

const ADMIN = 'camille.martin@example.gouv.fr';
const temp = tempDir();
let server: TestServer;
let browser: Browser;
let context: BrowserContext | undefined;

async function reviews(n: number, day: string, satisfaction: SatisfactionAnswer, comment: string | ((i: number) => string)): Promise<void> {
  const writes = reviewWrites(server.store, () => new Date(`${day}T09:00:00Z`));
  for (let i = 0; i < n; i++) {
    const { id } = await writes.rate({ procedureId: 'passeport', placementId: 'default', satisfaction, lang: 'fr' }, 'api');
    await writes.replaceFollowUps((await writes.find(String(id)))!, { comment: typeof comment === 'string' ? comment : comment(i) });
  }
}

beforeAll(async () => {
  server = await startTestServer(join(temp.dir, 'insights.sqlite'), { rateLimitPerMinute: 0 });
  const { store } = server;
  await store.entities.add({ id: 'dinum', name: 'Direction interministérielle du numérique' });
  await store.members.put({ entityId: 'dinum', email: ADMIN, role: 'admin' });
  await store.procedures.add({
    id: 'passeport',
    title: 'Demande de passeport',
    entityId: 'dinum',
    origins: ['https://www.example.gouv.fr'],
  });
  const today = utcDay(new Date());
  // Twelve people, twelve ways of saying it: the same text twelve times would be flagged as
  // duplicates, which the comments page sets apart by default.
  const openers = [
    'Franchement,',
    'Trois semaines plus tard\u00a0:',
    'Pour mon fils,',
    'Comme toujours,',
    'Après deux relances,',
    'Malgré le rendez-vous,',
    'Sans aucune nouvelle,',
    'Au guichet de la mairie,',
    'Depuis le mois de mai,',
    'En ligne comme sur place,',
    'Pour un simple renouvellement,',
    'Encore une fois,',
  ];
  await reviews(12, addDays(today, -70), 'bad', (i) => `${openers[i]} le délai d'attente est interminable.`);
  await reviews(12, addDays(today, -70), 'good', 'Accueil très aimable au guichet.');
  await reviews(8, addDays(today, -5), 'bad', 'Le site était en panne, impossible de payer le timbre fiscal.');
  await reviews(4, addDays(today, -5), 'good', 'Délai d’attente correct, merci.');
  await countQueuedTerms(store);
});
afterEach(async () => {
  await context?.close();
  context = undefined;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  temp.remove();
});

async function newPage(): Promise<Page> {
  browser ??= await launchBrowser();
  context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

describeInBrowser('the comment analysis page in Chromium', () => {
  test('from the results, an agent opens the analysis, reads the terms and follows one to its comments, marked', async () => {
    const page = await newPage();
    const csp = watchCsp(page, server.url);
    await signInWithLink(page, server.url, server.store, ADMIN);
    await page.goto(`${server.url}/espace/demarches/passeport`);
    await page.getByRole('link', { name: 'Analyse des commentaires' }).click();
    await page.waitForURL(`${server.url}/espace/demarches/passeport/analyse`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Analyse des commentaires – Demande de passeport');
    const top = page.getByRole('table', { name: /^Termes les plus fréquents/ });
    await expect(top.getByRole('row').first().textContent()).resolves.toMatch(/Terme\s*Avis/);
    await expect(top.getByRole('rowheader').allTextContents()).resolves.toContain("délai d'attente");
    const rising = page.getByRole('table', { name: /^Termes en hausse/ });
    await expect(rising.getByRole('rowheader').allTextContents()).resolves.toContain('panne');
    const bad = page.getByRole('table', { name: 'Termes des avis «\u00a0Pas bien\u00a0»' });
    await expect(bad.getByRole('rowheader').allTextContents()).resolves.toContain('interminable');
    await checkPage(page, 'space-insights');

    await top.getByRole('link', { name: "délai d'attente", exact: true }).click();
    await page.waitForURL(/\/espace\/demarches\/passeport\/avis\?q=/);
    await expect(
      page
        .getByRole('searchbox')
        .or(page.getByLabel(/Rechercher/))
        .first()
        .inputValue(),
    ).resolves.toBe("délai d'attente");
    // The term's most written form (12 reviews with a straight apostrophe, 4 with a curly one) is
    // searched, case and accents ignored, and marked in each comment found.
    const marks = await page.locator('mark').allTextContents();
    expect(marks).toHaveLength(12);
    expect(new Set(marks)).toEqual(new Set(["délai d'attente"]));

    await page.goto(`${server.url}/espace/demarches/passeport/analyse?lang=en`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Comment analysis – Demande de passeport');
    await checkPage(page, 'space-insights-en');
    expect(csp).toEqual([]);
  });
});
