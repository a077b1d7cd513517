import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { readRows, startTestServer, tempDir, type TestServer } from '../helpers/test-server.ts';
import { checkPage, signInWithLink, watchCsp } from './helpers/agency-space.ts';

// What the scrubber is unsure of is held back, in Chromium against the real collector: a comment
// with two given names goes in through the wire API; the admin reads it masked with « vérifier »
// forms, masks one name for good and publishes the other; the CSV export then carries that text.

const ADMIN = 'dominique.durand@interieur.gouv.fr';
const PROCEDURE = 'demande-passeport';
const ORIGIN = 'https://passeport.example.gouv.fr';
const COMMENT = "Très bien reçue, Sandrine m'a aidée puis Gérard aussi. Tél. 06 12 34 56 78";

const temp = tempDir();
let server: TestServer;
let browser: Browser;
let context: BrowserContext | undefined;
let reviewId: number;

beforeAll(async () => {
  server = await startTestServer(join(temp.dir, 'held.sqlite'), { rateLimitPerMinute: 0 });
  await server.store.entities.add({ id: 'interieur', name: 'Ministère de l’Intérieur' });
  await server.store.procedures.add({ id: PROCEDURE, title: 'Demande de passeport', entityId: 'interieur', origins: [ORIGIN] });
  await server.store.members.put({ entityId: 'interieur', email: ADMIN, role: 'admin' });
  // As the widget sends it: the hot rating, then the follow-up with the comment.
  const json = { 'content-type': 'application/json', origin: ORIGIN };
  const rated = await fetch(`${server.url}/api/v1/reviews`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ procedure: PROCEDURE, placement: 'default', satisfaction: 'good' }),
  });
  expect(rated.status).toBe(201);
  const { id, token } = (await rated.json()) as { id: number; token: string };
  const followed = await fetch(`${server.url}/api/v1/reviews/${id}`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ token, answers: { comment: COMMENT } }),
  });
  expect(followed.status).toBe(200);
  reviewId = id;
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

describeInBrowser('held-back passages, as an admin checks them', () => {
  test('an admin sees the names masked, masks one for good and publishes the other; the CSV carries the result', async () => {
    const { page, cspViolations } = await newPage();
    await signInWithLink(page, server.url, server.store, ADMIN);
    await page.goto(`${server.url}/espace/demarches/${PROCEDURE}/avis`);
    const review = page.locator(`#avis-${reviewId}`);
    await expect(review.getByText('À vérifier', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(review.locator('dd').last().textContent()).resolves.toBe(
      "Très bien reçue, [à vérifier] m'a aidée puis [à vérifier] aussi. Tél. [numéro de téléphone]",
    );
    await expect(review.getByRole('group', { name: /Passages retenus/ }).isVisible()).resolves.toBe(true);
    await expect(review.getByText('«\u00a0Sandrine\u00a0» (nom)').isVisible()).resolves.toBe(true);
    await checkPage(page, 'space-reviews-held');

    await review.getByRole('button', { name: 'Masquer pour de bon «\u00a0Sandrine\u00a0»' }).click();
    await page.waitForURL((url) => url.searchParams.get('confirmed') === String(reviewId));
    await expect(page.getByRole('status').textContent()).resolves.toContain('Le passage est masqué pour de bon.');
    await expect(review.locator('dd').last().textContent()).resolves.toBe(
      "Très bien reçue, [nom] m'a aidée puis [à vérifier] aussi. Tél. [numéro de téléphone]",
    );

    await review.getByRole('button', { name: 'Publier tel quel «\u00a0Gérard\u00a0»' }).click();
    await page.waitForURL((url) => url.searchParams.get('released') === String(reviewId));
    const settled = "Très bien reçue, [nom] m'a aidée puis Gérard aussi. Tél. [numéro de téléphone]";
    await expect(review.locator('dd').last().textContent()).resolves.toBe(settled);
    // Nothing held any more: neither the badge nor a form.
    await expect(review.getByText('À vérifier', { exact: true }).count()).resolves.toBe(0);
    await expect(review.getByRole('group', { name: /Passages retenus/ }).count()).resolves.toBe(0);

    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Exporter en CSV' }).click()]);
    const csv = readFileSync(await file.path()).toString('utf8');
    expect(csv).toContain(settled);
    expect(csv).not.toContain('Sandrine');

    expect(readRows(server.databasePath, 'SELECT comment, pii_suspects FROM reviews WHERE id = ?', reviewId)).toEqual([
      { comment: settled, pii_suspects: null },
    ]);
    expect(
      readRows(server.databasePath, "SELECT action FROM audit_log WHERE action LIKE 'suspect_%' ORDER BY id").map((row) => row.action),
    ).toEqual(['suspect_confirmed', 'suspect_released']);
    expect(cspViolations).toEqual([]);
  });
});
