import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { EXPORT_COLUMNS } from '../../server/agency/review-export.ts';
import type { FollowUpAnswers, Lang, SatisfactionAnswer } from '../../shared/questionnaire.ts';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { readRows, startTestServer, tempDir, type TestServer } from '../helpers/test-server.ts';
import { checkPage, signInWithLink, watchCsp } from './helpers/agency-space.ts';

// An agent's week in the agency space, in Chromium against the real collector: sign in with a
// one-time link, find the procedure from the home page, read its comments, search them, export what
// the search found, sign out; and an admin hiding a comment with the keyboard alone, then restoring it.

const READER = 'camille.martin@interieur.gouv.fr';
const ADMIN = 'dominique.durand@interieur.gouv.fr';
const PROCEDURE = 'demande-passeport';
const TITLE = 'Demande de passeport';
const DAY = 24 * 60 * 60 * 1000;

const temp = tempDir();
let server: TestServer;
let browser: Browser;
let context: BrowserContext | undefined;

interface Seeded {
  id: number;
  createdAt: Date;
  satisfaction: SatisfactionAnswer;
  placement: string;
  lang: Lang;
  answers?: FollowUpAnswers;
}
const reviews: Record<'fast' | 'slow' | 'english' | 'silent' | 'crash', Seeded> = {} as never;

async function rate(satisfaction: SatisfactionAnswer, daysAgo: number, placement: string, lang: Lang, answers?: FollowUpAnswers) {
  // At 10:00 UTC, so that the UTC day and the Paris day agree whenever the test runs.
  const createdAt = new Date(Math.floor(Date.now() / DAY) * DAY - daysAgo * DAY + 10 * 60 * 60 * 1000);
  const id = await server.store.reviews.create({
    procedureId: PROCEDURE,
    placementId: placement,
    satisfaction,
    lang,
    tokenHash: randomBytes(32),
    createdAt,
  });
  if (answers) await server.store.reviews.replaceFollowUps(id, answers, createdAt);
  return { id, createdAt, satisfaction, placement, lang, ...(answers && { answers }) };
}

beforeAll(async () => {
  server = await startTestServer(join(temp.dir, 'journey.sqlite'), { rateLimitPerMinute: 0 });
  const { store } = server;
  await store.entities.add({ id: 'interieur', name: 'Ministère de l’Intérieur' });
  await store.procedures.add({
    id: PROCEDURE,
    title: TITLE,
    entityId: 'interieur',
    origins: ['https://passeport.example.gouv.fr'],
    placements: ['site'],
  });
  await store.members.put({ entityId: 'interieur', email: READER, role: 'reader' });
  await store.members.put({ entityId: 'interieur', email: ADMIN, role: 'admin' });
  reviews.crash = await rate('bad', 5, 'default', 'fr', { clarity: 1, comment: 'Le formulaire plante à la dernière étape' });
  reviews.fast = await rate('good', 3, 'site', 'fr', { clarity: 5, help_sought: ['none'], comment: 'Délai très court, merci !' });
  reviews.slow = await rate('bad', 2, 'default', 'fr', {
    clarity: 2,
    help_sought: ['phone', 'other'],
    help_other: 'Un forum',
    help_reached: { phone: 'no' },
    comment: 'Le DELAI de traitement est trop long, "vraiment", =trop',
  });
  reviews.english = await rate('medium', 1, 'default', 'en', { comment: 'Clear enough' });
  reviews.silent = await rate('medium', 1, 'site', 'fr');
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

async function newPage(options: { colorScheme?: 'dark' } = {}): Promise<{ page: Page; cspViolations: string[] }> {
  browser ??= await launchBrowser();
  context = await browser.newContext({ acceptDownloads: true, locale: 'fr-FR', ...options });
  const page = await context.newPage();
  // Shorter than the test's own timeout, so that a failure names the step that waited.
  page.setDefaultTimeout(10_000);
  return { page, cspViolations: watchCsp(page, server.url) };
}

/** CSV text → rows of cells (RFC 4180: quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  return rows;
}

/** A review as the export writes it (server/agency/review-export.ts's columns), null for an empty cell. */
function exported(review: Seeded): (string | number | null)[] {
  const a = review.answers ?? {};
  return [
    review.id,
    review.createdAt.toISOString(),
    review.createdAt.toISOString().slice(0, 10),
    review.placement,
    review.lang,
    review.satisfaction,
    a.clarity ?? null,
    a.help_sought?.join(' ') ?? null,
    ...(['counter', 'phone', 'email', 'chat'] as const).map((channel) => a.help_reached?.[channel] ?? null),
    ...(['counter', 'phone', 'email', 'chat'] as const).map((channel) => a.help_quality?.[channel] ?? null),
    a.help_other ?? null,
    a.comment ?? null,
    null,
    null,
    null,
    0,
    // Triage: every review starts « nouveau », untagged, neither spam nor duplicate.
    'new',
    null,
    null,
    null,
    // The default form: no published version.
    null,
  ];
}

/** Clicks a link that downloads, and returns the file's name and bytes. */
async function download(page: Page, name: string): Promise<{ filename: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
  const path = await file.path();
  return { filename: file.suggestedFilename(), bytes: readFileSync(path) };
}

const commentsPath = `/espace/demarches/${PROCEDURE}/avis`;
const articleIds = (page: Page) => page.locator('main article').evaluateAll((articles) => articles.map((a) => a.id));

describeInBrowser('the agency space, as an agent uses it', () => {
  test('a reader signs in, finds the procedure, searches its comments, exports what was found, and signs out', async () => {
    const { page, cspViolations } = await newPage();
    await signInWithLink(page, server.url, server.store, READER);

    // Home: the procedure, by its title.
    await page.getByRole('link', { name: TITLE }).click();
    await page.waitForURL(`${server.url}/espace/demarches/${PROCEDURE}`);
    await page.getByRole('link', { name: 'Avis et commentaires' }).click();
    await page.waitForURL(`${server.url}${commentsPath}`);
    await expect(page.title()).resolves.toBe(`Avis – ${TITLE} – Je donne mon avis`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Avis et commentaires');
    // Only reviews with a comment, newest first; a reader is offered no hide form.
    expect(await articleIds(page)).toEqual([reviews.english, reviews.slow, reviews.fast, reviews.crash].map((r) => `avis-${r.id}`));
    await expect(page.getByRole('checkbox', { name: 'Seulement avec commentaire' }).isChecked()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: /Masquer/ }).count()).resolves.toBe(0);
    const slow = page.locator(`#avis-${reviews.slow.id}`);
    await expect(slow.getByText('Pas bien', { exact: true }).first().isVisible()).resolves.toBe(true);
    await expect(slow.locator('dd').allTextContents()).resolves.toEqual([
      'Pas bien',
      '2 sur 5',
      'Par téléphone, Autre (précisé\u00a0: «\u00a0Un forum\u00a0»)',
      'Par téléphone\u00a0: Non',
      'Le DELAI de traitement est trop long, "vraiment", =trop',
    ]);
    await checkPage(page, 'space-reviews-reader');

    // A search without accents finds the accented word, and marks it where it stands.
    await page.getByLabel('Mots recherchés').fill('delai');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL((url) => url.pathname === commentsPath && url.searchParams.get('q') === 'delai');
    expect(await articleIds(page)).toEqual([`avis-${reviews.slow.id}`, `avis-${reviews.fast.id}`]);
    await expect(page.locator('main article mark').allTextContents()).resolves.toEqual(['DELAI', 'Délai']);
    await expect(page.getByLabel('Mots recherchés').inputValue()).resolves.toBe('delai');
    await checkPage(page, 'space-reviews-search');

    // The exports of that search: the same two reviews, every column.
    const csv = await download(page, 'Exporter en CSV');
    expect(csv.filename).toMatch(/^avis-demande-passeport-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = csv.bytes.toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const cell = (value: string | number | null) => (value === null ? '' : String(value));
    expect(parseCsv(text.slice(1))).toEqual([[...EXPORT_COLUMNS], exported(reviews.slow).map(cell), exported(reviews.fast).map(cell)]);

    const xlsx = await download(page, 'Exporter en XLSX');
    expect(xlsx.filename).toMatch(/^avis-demande-passeport-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.bytes.buffer.slice(xlsx.bytes.byteOffset, xlsx.bytes.byteOffset + xlsx.bytes.byteLength) as ArrayBuffer);
    const sheet = workbook.getWorksheet('Avis')!;
    const rowsOf = () =>
      Array.from({ length: sheet.rowCount }, (_, r) =>
        Array.from({ length: EXPORT_COLUMNS.length }, (_, c) => sheet.getRow(r + 1).getCell(c + 1).value ?? null),
      );
    expect(rowsOf()).toEqual([[...EXPORT_COLUMNS], exported(reviews.slow), exported(reviews.fast)]);

    // Nothing matches: said in words, no older page offered.
    await page.getByLabel('Mots recherchés').fill('introuvable');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL((url) => url.searchParams.get('q') === 'introuvable');
    await expect(page.getByText('Aucun avis ne correspond à ces filtres.').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('link', { name: 'Avis plus anciens' }).count()).resolves.toBe(0);
    await checkPage(page, 'space-reviews-empty');

    // Unchecking « Seulement avec commentaire » lists the review without one too.
    await page.getByLabel('Mots recherchés').fill('');
    await page.getByText('Seulement avec commentaire').click();
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL((url) => url.searchParams.get('filters') === '1' && !url.searchParams.has('comments'));
    expect(await articleIds(page)).toContain(`avis-${reviews.silent.id}`);

    // In English, from the language link of the account bar.
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL((url) => url.searchParams.get('lang') === 'en');
    await expect(page.title()).resolves.toBe(`Reviews – ${TITLE} – Je donne mon avis`);
    await expect(page.getByRole('checkbox', { name: 'Only with a comment' }).isChecked()).resolves.toBe(false);
    await checkPage(page, 'space-reviews-en');

    // Signing out: /espace is the sign-in page again.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForLoadState();
    const espace = await page.goto(`${server.url}/espace`);
    expect(espace?.status()).toBe(401);
    await expect(page.getByRole('button', { name: 'Se déconnecter' }).count()).resolves.toBe(0);
    expect(readRows<{ n: number }>(server.databasePath, 'SELECT count(*) AS n FROM sessions')[0]!.n).toBe(0);
    expect(cspViolations).toEqual([]);
  });

  test('an admin hides a comment with the keyboard alone, is told so where it was, and restores it', async () => {
    const { page, cspViolations } = await newPage();
    await signInWithLink(page, server.url, server.store, ADMIN);
    await page.goto(`${server.url}${commentsPath}`);
    await checkPage(page, 'space-reviews-admin');
    const crash = reviews.crash.id;
    const focused = () =>
      page.evaluate(() => {
        const active = document.activeElement as HTMLElement | null;
        return { id: active?.id ?? '', text: active?.textContent?.trim() ?? '', article: active?.closest('article')?.id ?? '' };
      });

    // Tab from the top of the page to the reason field of the review to hide.
    await page.locator('body').focus();
    let presses = 0;
    while ((await focused()).id !== `raison-${crash}`) {
      await page.keyboard.press('Tab');
      expect(++presses, 'Tab presses to reach the reason field').toBeLessThan(200);
    }
    await page.keyboard.type('Propos sans rapport avec la démarche');
    await page.keyboard.press('Tab');
    expect(await focused()).toMatchObject({
      article: `avis-${crash}`,
      text: expect.stringMatching(/^Masquer le commentaire de l’avis du /),
    });
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('hidden') === String(crash) && url.hash === `#avis-${crash}`);

    const article = page.locator(`#avis-${crash}`);
    await expect(article.getByRole('status').textContent()).resolves.toContain('Le commentaire est masqué.');
    await expect(article.textContent()).resolves.not.toContain('Le formulaire plante');
    await expect(article.textContent()).resolves.toMatch(
      new RegExp(
        `Commentaire masqué le \\d{1,2}\\s\\S+\\s\\d{4}\\sà \\d{2}:\\d{2} par ${ADMIN.replaceAll('.', '\\.')}\\s: Propos sans rapport avec la démarche`,
      ),
    );
    expect(readRows(server.databasePath, 'SELECT hidden_reason, hidden_by FROM reviews WHERE id = ?', crash)).toEqual([
      { hidden_reason: 'Propos sans rapport avec la démarche', hidden_by: ADMIN },
    ]);
    await checkPage(page, 'space-reviews-hidden');

    // The page came back at the review: the next Tab goes to its restore button.
    await page.goto(page.url());
    await page.keyboard.press('Tab');
    expect(await focused()).toMatchObject({ article: `avis-${crash}`, text: expect.stringMatching(/^Rétablir le commentaire/) });
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('restored') === String(crash));
    await expect(article.getByRole('status').textContent()).resolves.toContain('Le commentaire est rétabli.');
    await expect(article.textContent()).resolves.toContain('Le formulaire plante à la dernière étape');
    expect(readRows(server.databasePath, 'SELECT hidden_at FROM reviews WHERE id = ?', crash)).toEqual([{ hidden_at: null }]);
    expect(readRows(server.databasePath, "SELECT action, actor FROM audit_log WHERE action LIKE 'review_%' ORDER BY id")).toEqual([
      { action: 'review_hidden', actor: ADMIN },
      { action: 'review_restored', actor: ADMIN },
    ]);
    expect(cspViolations).toEqual([]);
  });

  test('the comments page in dark mode, and a refused filter, pass the same checks', async () => {
    const { page, cspViolations } = await newPage({ colorScheme: 'dark' });
    await signInWithLink(page, server.url, server.store, READER);
    await page.goto(`${server.url}${commentsPath}`);
    await expect(page.evaluate(() => document.documentElement.getAttribute('data-fr-theme'))).resolves.toBe('dark');
    await checkPage(page, 'space-reviews-dark');
    const refused = await page.goto(`${server.url}${commentsPath}?from=2026-12-01&to=2026-11-01`);
    expect(refused?.status()).toBe(400);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Du\u00a0: le début ne doit pas être après la fin.');
    await expect(page.getByLabel('Du').inputValue()).resolves.toBe('2026-12-01');
    await checkPage(page, 'space-reviews-invalid');
    expect(cspViolations).toEqual([]);
  });
});
