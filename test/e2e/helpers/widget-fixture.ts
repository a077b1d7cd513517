import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchBrowser } from '../../helpers/browser.ts';
import { readRows, startTestServer, tempDir, type TestServer } from '../../helpers/test-server.ts';

// What the widget's browser tests share: the REAL collector (built dist/ files, SQLite file) on one
// 127.0.0.1 port, and an agency's site on another port, so that every request the widget makes is
// cross-origin and CORS is exercised for real. The site's origin is registered for `demo`.

export interface HostPage {
  body: string;
  headers?: Record<string, string>;
}

export interface HostSite {
  origin: string;
  /** Bodies POSTed to /csp-report (report-uri of the strict-CSP pages). */
  cspReports: unknown[];
  pages: Map<string, HostPage>;
  close(): Promise<void>;
}

/** A tiny static site: GET serves `pages`, POST /csp-report collects CSP violation reports. */
export async function startHostSite(): Promise<HostSite> {
  const pages = new Map<string, HostPage>();
  const cspReports: unknown[] = [];
  const server: Server = createServer((request, response) => {
    if (request.method === 'POST' && request.url === '/csp-report') {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        cspReports.push(body ? JSON.parse(body) : null);
        response.writeHead(204).end();
      });
      return;
    }
    // Browsers ask for it on their own; a 404 would be logged in the console the tests watch.
    if (request.url === '/favicon.ico') return void response.writeHead(204).end();
    const page = pages.get((request.url ?? '/').split('?')[0]!);
    if (!page) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...page.headers }).end(page.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${port}`,
    cspReports,
    pages,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** An agency's "procedure finished" page with the widget tag pasted in. */
export function procedurePage(
  collector: string,
  opts: { attrs?: Record<string, string>; lang?: string; before?: string; after?: string } = {},
): string {
  const attrs = { 'data-procedure': 'demo', 'data-placement': 'site', ...opts.attrs };
  const attributes = Object.entries(attrs)
    .map(([name, value]) => ` ${name}="${value}"`)
    .join('');
  return `<!doctype html>
<html lang="${opts.lang ?? 'fr'}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Démarche terminée</title></head>
<body>
<main>
<h1>Votre demande a bien été envoyée</h1>
${opts.before ?? ''}
<script src="${collector}/widget.js"${attributes} async></script>
${opts.after ?? ''}
</main>
</body>
</html>`;
}

export interface WidgetFixture {
  /** The collector; a test that restarts it puts the new one here. */
  server: TestServer;
  site: HostSite;
  browser: Browser;
  databasePath: string;
  /** A fresh browser context (own storage, no cookie) and page. */
  newPage(options?: Parameters<Browser['newContext']>[0]): Promise<{ context: BrowserContext; page: Page }>;
  /** Serves `body` at `path` on the agency's site and returns its URL. */
  serve(path: string, body: string, headers?: Record<string, string>): string;
  close(): Promise<void>;
}

export async function startWidgetFixture(name: string): Promise<WidgetFixture> {
  const temp = tempDir();
  const databasePath = join(temp.dir, `${name}.sqlite`);
  const server = await startTestServer(databasePath, { rateLimitPerMinute: 0, ratingsPerClientPerDay: 0 });
  const site = await startHostSite();
  await server.store.procedures.addOrigin('demo', site.origin);
  const browser = await launchBrowser();
  const fixture: WidgetFixture = {
    server,
    site,
    browser,
    databasePath,
    async newPage(options) {
      const context = await browser.newContext(options);
      return { context, page: await context.newPage() };
    },
    serve(path, body, headers) {
      site.pages.set(path, { body, headers });
      return site.origin + path;
    },
    async close() {
      await browser.close();
      await site.close();
      // A test may have restarted the collector: close the one running now.
      await fixture.server.close();
      temp.remove();
    },
  };
  return fixture;
}

/** The widget's button, found as a user finds it: by role and name (it lives in a shadow root). */
export const widgetButton = (page: Page, name = 'Je donne mon avis'): Locator => page.getByRole('button', { name, exact: true });
export const widgetDialog = (page: Page, name = 'Je donne mon avis'): Locator => page.getByRole('dialog', { name });

/** Whether `locator`'s element has the focus, looked up through shadow roots. */
export async function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => (element.getRootNode() as Document | ShadowRoot).activeElement === element);
}

/** The element that has the focus, described by its role-ish tag and accessible text. */
export async function focusedElement(page: Page): Promise<string> {
  return page.evaluate(() => {
    let active: Element | null = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    if (!active) return '';
    const label = active.closest('label')?.textContent ?? active.getAttribute('aria-label') ?? active.textContent ?? '';
    return `${active.tagName.toLowerCase()}${active instanceof HTMLInputElement ? `[${active.type}]` : ''} ${label.trim()}`;
  });
}

/** Presses Tab, as a keyboard user does, until `target` has the focus (at most `limit` times). */
export async function tabTo(page: Page, target: Locator, { shift = false, limit = 40 } = {}): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await isFocused(target)) return;
    await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached the target; focus is on: ${await focusedElement(page)}`);
}

export interface StoredReview {
  procedure_id: string;
  placement_id: string;
  lang: string;
  satisfaction: string;
  help_other: string | null;
  comment: string | null;
  answers: string[];
}

/** Every committed review with its answers as `question[channel]=answer`, sorted: what the tests compare. */
export function storedReviews(databasePath: string): StoredReview[] {
  const reviews = readRows<Omit<StoredReview, 'answers'> & { id: number }>(
    databasePath,
    'SELECT id, procedure_id, placement_id, lang, satisfaction, help_other, comment FROM reviews ORDER BY id',
  );
  return reviews.map(({ id, ...review }) => ({
    ...review,
    answers: readRows<{ question: string; channel: string; answer: string }>(
      databasePath,
      'SELECT question, channel, answer FROM review_answers WHERE review_id = ? ORDER BY question, channel, answer',
      id,
    ).map((row) => `${row.question}${row.channel ? `[${row.channel}]` : ''}=${row.answer}`),
  }));
}

/** Waits for the stored reviews to become `expected` (the widget sends asynchronously). */
export async function expectStored(databasePath: string, expected: StoredReview[]): Promise<void> {
  await expect.poll(() => storedReviews(databasePath), { timeout: 10_000 }).toEqual(expected);
}

const AXE_SOURCE = readFileSync(join(process.cwd(), 'node_modules/axe-core/axe.min.js'), 'utf8');

/** axe-core violations on the page as it is now (evaluated past the page's own CSP, as a devtool would). */
export async function axeViolations(page: Page): Promise<{ id: string; nodes: string[] }[]> {
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(context: Document): Promise<{ violations: { id: string; nodes: { target: unknown[] }[] }[] }> } }
    ).axe;
    return axe.run(document);
  });
  return results.violations.map((violation) => ({ id: violation.id, nodes: violation.nodes.map((node) => JSON.stringify(node.target)) }));
}
