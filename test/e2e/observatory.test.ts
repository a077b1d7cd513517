import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { chartWordsOnPlot, describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { startTestServer, tempDir, type TestServer } from '../helpers/test-server.ts';
import { addProcedure } from '../helpers/procedures.ts';

// The observatory pages (SPEC §1, §4), as people see them, in a real Chromium against the real server.

const AXE = join(process.cwd(), 'node_modules/axe-core/axe.min.js');
const temp = tempDir();
let server: TestServer;
let browser: Browser;

/** Procedures whose reviews (threshold 3) land on each level of SPEC §4. */
const PROCEDURES = [
  { id: 'tres-bien', title: 'Demande de passeport', ratings: ['good', 'good', 'good'], level: 'good', score: '10,0 / 10' },
  // moyen also gets one more good rating with follow-ups (below): 2 good, 2 medium → 7.5.
  { id: 'moyen', title: 'Carte grise', ratings: ['good', 'medium', 'medium'], level: 'average', score: '7,5 / 10' },
  { id: 'critique', title: 'Allocation logement', ratings: ['bad', 'bad', 'medium'], level: 'poor', score: '1,7 / 10' },
  { id: 'rare', title: 'Permis bateau', ratings: ['good'], level: 'not_enough_data', score: null },
  { id: 'xss', title: '<script>alert(1)</script>', ratings: ['good', 'bad', 'good'], level: 'average', score: '6,7 / 10' },
  // Long words on both lines of the row, as real procedures have: they must still fit a phone screen.
  {
    id: 'apa',
    title: 'Demande d’allocation personnalisée d’autonomie (APA) à domicile',
    entity: 'Ministère du Travail, de la Santé, des Solidarités et des Familles',
    ratings: ['good', 'good', 'medium'],
    level: 'good',
    score: '8,3 / 10',
  },
] as const satisfies readonly {
  id: string;
  title: string;
  entity?: string;
  ratings: readonly string[];
  level: string;
  score: string | null;
}[];

/** Badge backgrounds of server/pages/client/observatory.css, as Chromium computes them. */
const BADGE_COLOURS: Record<string, string> = {
  good: 'rgb(24, 117, 60)',
  average: 'rgb(179, 64, 0)',
  poor: 'rgb(206, 5, 0)',
  not_enough_data: 'rgb(102, 102, 102)',
  no_answers: 'rgb(102, 102, 102)',
};

beforeAll(async () => {
  server = await startTestServer(join(temp.dir, 'observatory.sqlite'), {
    rateLimitPerMinute: 0,
    ratingsPerClientPerDay: 0,
    feedMinReviews: 3,
  });
  for (const p of PROCEDURES) {
    await addProcedure(server.store, {
      id: p.id,
      title: p.title,
      entity: 'entity' in p ? p.entity : 'Ministère de l’Exemple',
      origins: ['https://a.example.gouv.fr'],
    });
    for (const satisfaction of p.ratings) {
      const reply = await fetch(`${server.url}/api/v1/reviews`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ procedure: p.id, satisfaction }),
      });
      expect(reply.status).toBe(201);
    }
  }
  const followUp = await fetch(`${server.url}/api/v1/reviews`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ procedure: 'moyen', satisfaction: 'good' }),
  });
  const { id, token } = await followUp.json();
  await fetch(`${server.url}/api/v1/reviews/${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      token,
      answers: { clarity: 5, help_sought: ['phone'], help_reached: { phone: 'yes' }, help_quality: { phone: 5 } },
    }),
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  temp.remove();
});

/** Opens a page, failing on any script error or CSP violation; axe is injected past the page's CSP only when asked. */
async function open(
  path: string,
  options: { axe?: boolean; javaScriptEnabled?: boolean; width?: number } = {},
): Promise<{ page: Page; context: BrowserContext; problems: string[] }> {
  browser ??= await launchBrowser();
  const context = await browser.newContext({
    bypassCSP: options.axe === true,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    ...(options.width && { viewport: { width: options.width, height: 800 } }),
  });
  const page = await context.newPage();
  const problems: string[] = [];
  // The browser's own favicon request is the one 404 a page cannot prevent.
  page.on(
    'console',
    (message) => message.type() === 'error' && !message.location().url.endsWith('/favicon.ico') && problems.push(message.text()),
  );
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('dialog', (dialog) => problems.push(`dialog: ${dialog.message()}`));
  const reply = await page.goto(`${server.url}${path}`);
  expect(reply?.status()).toBe(200);
  expect(reply?.headers()['content-security-policy']).toContain("default-src 'none'");
  return { page, context, problems };
}

async function axeViolations(page: Page): Promise<unknown[]> {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () =>
    (window as unknown as { axe: { run: () => Promise<{ violations: { id: string; nodes: { html: string }[] }[] }> } }).axe.run(),
  );
  return result.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.html) }));
}

describeInBrowser('the observatory pages in Chromium', () => {
  test('/observatoire lists every procedure with its score « x,y / 10 », a badge coloured by level, its review count', async () => {
    const { page, context, problems } = await open('/observatoire');
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Observatoire de la qualité des démarches');

    for (const p of PROCEDURES) {
      const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: p.title, exact: true }) });
      await expect(row.count()).resolves.toBe(1);
      const badge = row.locator('.badge');
      await expect(badge.evaluate((el) => getComputedStyle(el).backgroundColor)).resolves.toBe(BADGE_COLOURS[p.level]);
      await expect(badge.evaluate((el) => getComputedStyle(el).color)).resolves.toBe('rgb(255, 255, 255)');
      const text = (await row.textContent())!;
      if (p.score) expect(text).toContain(p.score.replace(' / ', '\u00a0/\u00a0'));
      else expect(text).toContain('Nombre d’avis insuffisant');
      expect(text).toContain(String(p.ratings.length + (p.id === 'moyen' ? 1 : 0)));
    }
    // The procedure titled <script>alert(1)</script> is shown as text and never runs.
    await expect(page.getByRole('link', { name: '<script>alert(1)</script>' }).isVisible()).resolves.toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });

  test('/observatoire/:procedure shows the indicator cards and the monthly trend chart with its text alternative', async () => {
    const { page, context, problems } = await open('/observatoire/moyen');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Carte grise');
    const cards = page.locator('.card');
    await expect(cards.count()).resolves.toBe(5);
    const satisfaction = cards.filter({ has: page.getByRole('heading', { name: 'Satisfaction' }) });
    // 2 good, 2 medium: (20 + 10) / 4 = 7.5 → « 7,5 / 10 », average.
    await expect(satisfaction.locator('.value').textContent()).resolves.toBe('7,5\u00a0/\u00a010');
    await expect(satisfaction.locator('.badge').evaluate((el) => getComputedStyle(el).backgroundColor)).resolves.toBe(
      BADGE_COLOURS.average,
    );
    const clarity = cards.filter({ has: page.getByRole('heading', { name: 'Clarté des informations' }) });
    await expect(clarity.locator('.badge').textContent()).resolves.toBe('Très bien');
    await expect(clarity.locator('.badge').evaluate((el) => getComputedStyle(el).backgroundColor)).resolves.toBe(BADGE_COLOURS.good);
    const reachable = cards.filter({ has: page.getByRole('heading', { name: 'Administration joignable' }) });
    await expect(reachable.locator('.value').textContent()).resolves.toBe('100\u00a0%');

    // One row per month of the default window (12 or 13 months, depending on today's date), as the feed says.
    const trend = (await (await fetch(`${server.url}/api/v1/feed?procedure=moyen`)).json()).procedures[0].trend as {
      month: string;
      satisfaction_interval: { low: number; high: number } | null;
    }[];
    const table = page.getByRole('table', { name: 'Avis et satisfaction par mois' });
    await expect(table.getByRole('row').count()).resolves.toBe(1 + trend.length);
    // This month holds all 4 reviews and the month's own score; the other months show 0 and no score.
    const thisMonth = table.getByRole('row').last();
    // The month's score, its level and its 95 % interval under it, as the feed publishes it.
    const range = trend.at(-1)!.satisfaction_interval!;
    const decimal = (n: number) => `${n.toFixed(1).replace('.', ',')}\u00a0/\u00a010`;
    await expect(thisMonth.getByRole('cell').allTextContents()).resolves.toEqual([
      '4',
      `7,5\u00a0/\u00a010Moyen95 %\u00a0: ${decimal(range.low)} à ${decimal(range.high)}`,
    ]);
    // The table's frame is a region named by its caption, which the keyboard can reach.
    const region = page.getByRole('region', { name: 'Avis et satisfaction par mois' });
    await expect(region.getAttribute('tabindex')).resolves.toBe('0');
    // The chart: an image whose text alternative names the months and the scores, and the interval drawn as a band.
    const chart = page.getByRole('img', { name: /^Avis et satisfaction par mois, de / });
    await expect(chart.count()).resolves.toBe(1);
    const band = chart.locator('rect[fill-opacity]');
    await expect(band.count()).resolves.toBe(trend.filter((point) => point.satisfaction_interval).length);
    // The band spans the interval on the chart's 0–10 scale (y = 142 − score × 12).
    await expect(band.first().getAttribute('y')).resolves.toBe((142 - range.high * 12).toFixed(2));
    await expect(band.first().getAttribute('height')).resolves.toBe(((range.high - range.low) * 12).toFixed(2));
    await expect(table.getByRole('row').nth(1).getByRole('cell').allTextContents()).resolves.toEqual(['0', '–']);
    expect(problems).toEqual([]);
    await context.close();
  });

  test('below the threshold the page says « Nombre d’avis insuffisant » and shows no score', async () => {
    const { page, context } = await open('/observatoire/rare');
    await expect(page.locator('.notice').textContent()).resolves.toContain('Nombre d’avis insuffisant');
    await expect(page.locator('.card .value').allTextContents()).resolves.toEqual(['–', '–', '–', '–', '–']);
    await context.close();
  });

  test('English with ?lang=en, and links keep the language', async () => {
    const { page, context } = await open('/observatoire?lang=en');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Carte grise' }) });
    await expect(row.locator('.badge').textContent()).resolves.toBe('Average');
    expect(await row.textContent()).toContain('7.5\u00a0/\u00a010');
    const rare = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Permis bateau' }) });
    await expect(rare.locator('.review-count').textContent()).resolves.toBe('1 review');
    await expect(row.locator('.review-count').textContent()).resolves.toBe('4 reviews');
    await page.getByRole('link', { name: 'Carte grise' }).click();
    expect(page.url()).toBe(`${server.url}/observatoire/moyen?lang=en`);
    await expect(page.getByRole('heading', { name: 'Indicators' }).isVisible()).resolves.toBe(true);
    await context.close();
  });

  test('the pages need no JavaScript', async () => {
    const { page, context } = await open('/observatoire/tres-bien', { javaScriptEnabled: false });
    await expect(page.locator('.card .value').first().textContent()).resolves.toBe('10,0\u00a0/\u00a010');
    await context.close();
  });

  test.each(['/observatoire', '/observatoire/moyen', '/observatoire/rare', '/observatoire?lang=en', '/observatoire/xss?lang=en'])(
    'axe-core finds no violation on %s',
    async (path) => {
      const { page, context } = await open(path, { axe: true });
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    },
  );
});

/**
 * The smallest text size a reader sees in the page's tables and drawings, in CSS px: for SVG text,
 * its font size times the scale at which the drawing is shown (a viewBox shrinks it on a phone).
 */
async function smallestChartText(page: Page): Promise<{ count: number; smallest: number }> {
  return page.evaluate(() => {
    const sizes: number[] = [];
    for (const text of document.querySelectorAll<SVGTextElement>('svg text')) {
      sizes.push(parseFloat(getComputedStyle(text).fontSize) * Math.abs(text.getScreenCTM()!.a));
    }
    for (const cell of document.querySelectorAll('.fr-table table :is(caption, th, td, td *)')) {
      if (cell instanceof SVGElement || !cell.textContent!.trim()) continue;
      sizes.push(parseFloat(getComputedStyle(cell).fontSize));
    }
    return { count: sizes.length, smallest: Math.min(...sizes) };
  });
}

describeInBrowser('the observatory pages on a 320-px phone and a 1280-px screen (WCAG 1.4.10 reflow)', () => {
  test.each([
    ['/observatoire', 320],
    ['/observatoire?lang=en', 320],
    ['/observatoire/apa', 320],
    ['/observatoire/moyen?lang=en', 320],
    ['/observatoire', 1280],
    ['/observatoire/apa', 1280],
  ])('%s at %i px: nothing scrolls sideways and every table fits inside the page', async (path, width) => {
    const { page, context } = await open(path, { width });
    const layout = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      widestTableRight: Math.max(...[...document.querySelectorAll('table')].map((table) => table.getBoundingClientRect().right)),
    }));
    expect(layout.scrollWidth).toBeLessThanOrEqual(width);
    expect(layout.widestTableRight).toBeLessThanOrEqual(width);
    await context.close();
  });

  test('at 320 px the long title and administration wrap inside their row, and the administration reads under the title', async () => {
    const { page, context } = await open('/observatoire', { width: 320 });
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: PROCEDURES.at(-1)!.title }) });
    const header = row.getByRole('rowheader');
    await expect(header.textContent()).resolves.toContain('Ministère du Travail, de la Santé, des Solidarités et des Familles');
    const link = await row.getByRole('link').boundingBox();
    const administration = await row.locator('.administration').boundingBox();
    expect(administration!.y).toBeGreaterThanOrEqual(link!.y + link!.height - 1);
    await context.close();
  });

  test.each([320, 1280])('the monthly trend at %i px: every label is at least 12 CSS px', async (width) => {
    const { page, context } = await open('/observatoire/apa', { width });
    const { count, smallest } = await smallestChartText(page);
    // Caption, 3 column headers, and per month its name and its two figures.
    expect(count).toBeGreaterThanOrEqual(1 + 3 + 12 * 3);
    expect(smallest).toBeGreaterThanOrEqual(12);
    await context.close();
  });

  test.each([320, 1280])(
    "the monthly chart at %i px: every axis label lies inside the drawing, the last month's included, and none on the plot",
    async (width) => {
      const { page, context } = await open('/observatoire/apa', { width });
      const outside = await page.evaluate(() =>
        [...document.querySelectorAll<SVGTextElement>('svg.trend-drawing text')].flatMap((text) => {
          const box = text.getBoundingClientRect();
          const frame = text.closest('svg.trend-drawing')!.getBoundingClientRect();
          return box.left < frame.left - 0.5 || box.right > frame.right + 0.5 ? [text.textContent] : [];
        }),
      );
      expect(outside).toEqual([]);
      await expect(page.locator('svg.trend-drawing text').count()).resolves.toBeGreaterThan(6);
      // The scale's values stand in a gutter left of the plot and its key above it: no word lies on the curve or the bars.
      const { count, onPlot } = await chartWordsOnPlot(page);
      expect(count).toBeGreaterThan(6);
      expect(onPlot).toEqual([]);
      await context.close();
    },
  );

  test.each(['/observatoire', '/observatoire/apa'])('axe-core finds no violation on %s at 320 px', async (path) => {
    const { page, context } = await open(path, { axe: true, width: 320 });
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
