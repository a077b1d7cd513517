import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { readRows, startTestServer, tempDir, type TestServer } from '../helpers/test-server.ts';
import { checkPage, signInWithLink, watchCsp } from './helpers/agency-space.ts';

// Comment triage in Chromium against the real collector: a reader tags a review and marks it
// handled through its form, filters the list by status, and exports the filtered list for Excel;
// the comments page and the comparison page pass axe at 1280 and 320 px without sideways scroll.

const READER = 'camille.martin@interieur.gouv.fr';
const PROCEDURE = 'demande-passeport';
const ORIGIN = 'https://passeport.example.gouv.fr';

const temp = tempDir();
let server: TestServer;
let browser: Browser;
let context: BrowserContext | undefined;
const ids: number[] = [];

beforeAll(async () => {
  server = await startTestServer(join(temp.dir, 'triage.sqlite'), { rateLimitPerMinute: 0 });
  await server.store.entities.add({ id: 'interieur', name: 'Ministère de l’Intérieur' });
  await server.store.procedures.add({ id: PROCEDURE, title: 'Demande de passeport', entityId: 'interieur', origins: [ORIGIN] });
  await server.store.members.put({ entityId: 'interieur', email: READER, role: 'reader' });
  await server.store.tags.add('interieur', 'Délais', Date.now());
  await server.store.tags.add('interieur', 'Accueil', Date.now());
  const json = { 'content-type': 'application/json', origin: ORIGIN };
  for (const [satisfaction, comment] of [
    ['bad', 'Trois mois pour instruire mon dossier ; aucune nouvelle entre-temps.'],
    ['good', 'Accueil très aimable au guichet de la mairie.'],
  ] as const) {
    const rated = await fetch(`${server.url}/api/v1/reviews`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ procedure: PROCEDURE, placement: 'default', satisfaction }),
    });
    const { id, token } = (await rated.json()) as { id: number; token: string };
    const followed = await fetch(`${server.url}/api/v1/reviews/${id}`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ token, answers: { comment } }),
    });
    expect(followed.status).toBe(200);
    ids.push(id);
  }
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

async function newPage(): Promise<{ page: Page; cspViolations: string[] }> {
  browser ??= await launchBrowser();
  context = await browser.newContext({ acceptDownloads: true, locale: 'fr-FR' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { page, cspViolations: watchCsp(page, server.url) };
}

describeInBrowser('comment triage, as a reader does it', () => {
  test('a reader tags a review, marks it handled, filters by status and exports for Excel', async () => {
    const [slow, kind] = ids as [number, number];
    const { page, cspViolations } = await newPage();
    await signInWithLink(page, server.url, server.store, READER);
    await page.goto(`${server.url}/espace/demarches/${PROCEDURE}/avis`);
    await checkPage(page, 'space-triage');

    const review = page.locator(`#avis-${slow}`);
    const form = review.getByRole('group', { name: /Tri de l’avis du/ });
    await form.getByLabel('Statut').selectOption({ label: 'Traité' });
    // The DSFR draws the box over the input, which it keeps out of sight: the label is what is clicked.
    await form.locator('label', { hasText: 'Délais' }).click();
    await expect(form.getByLabel('Délais').isChecked()).resolves.toBe(true);
    await form.getByRole('button', { name: /Enregistrer le tri/ }).click();
    await page.waitForURL((url) => url.searchParams.get('triaged') === String(slow));
    await expect(page.getByRole('status').textContent()).resolves.toContain('Le tri de l’avis est enregistré.');
    await expect(review.getByText('Traité', { exact: true }).first().isVisible()).resolves.toBe(true);
    await expect(review.getByText('Délais', { exact: true }).first().isVisible()).resolves.toBe(true);

    await page.getByLabel('Statut', { exact: true }).first().selectOption({ label: 'Traité' });
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL((url) => url.searchParams.get('status') === 'handled');
    await expect(page.locator('article').count()).resolves.toBe(1);
    await expect(page.locator(`#avis-${kind}`).count()).resolves.toBe(0);
    await checkPage(page, 'space-triage-filtered');

    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Exporter pour Excel (CSV)' }).click(),
    ]);
    const bytes = readFileSync(await file.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]!.startsWith('N° de l’avis;Date et heure (Paris);')).toBe(true);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(';Pas bien;');
    expect(lines[1]).toContain('"Trois mois pour instruire mon dossier ; aucune nouvelle entre-temps."');
    expect(lines[1]!.endsWith(';Traité;Délais;;;')).toBe(true);

    expect(readRows(server.databasePath, 'SELECT triage_status FROM reviews ORDER BY id')).toEqual([
      { triage_status: 'handled' },
      { triage_status: 'new' },
    ]);
    expect(
      readRows(server.databasePath, "SELECT action, actor FROM audit_log WHERE action LIKE 'review_%' ORDER BY id").map((row) => [
        row.action,
        row.actor,
      ]),
    ).toEqual([
      ['review_status', READER],
      ['review_tagged', READER],
    ]);
    expect(cspViolations).toEqual([]);
  });

  test('the comparison page passes axe at 1280 and 320 px', async () => {
    const { page, cspViolations } = await newPage();
    await signInWithLink(page, server.url, server.store, READER);
    await page.goto(`${server.url}/espace/demarches/${PROCEDURE}/comparer`);
    await expect(page.getByRole('table').isVisible()).resolves.toBe(true);
    await checkPage(page, 'space-comparison');
    expect(cspViolations).toEqual([]);
  });
});
