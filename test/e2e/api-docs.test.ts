import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PAGE_CSP } from '../../server/pages/html.ts';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { startTestServer, tempDir, type TestServer } from '../helpers/test-server.ts';

// The API reference page as a person sees it: real Chromium, real server, under the pages' strict
// CSP (no inline script or style). axe is injected past the CSP in a context of its own.

const AXE = join(process.cwd(), 'node_modules/axe-core/axe.min.js');
const temp = tempDir();
let server: TestServer;
let browser: Browser;
let operations: string[];

beforeAll(async () => {
  server = await startTestServer(join(temp.dir, 'api-docs.sqlite'), { rateLimitPerMinute: 0 });
  const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  temp.remove();
});

async function axeViolations(page: Page): Promise<unknown[]> {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () =>
    (window as unknown as { axe: { run: () => Promise<{ violations: { id: string; nodes: { html: string }[] }[] }> } }).axe.run(),
  );
  return result.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.html) }));
}

/** The index's links to the groups' pages and the shared schemas, in the order it gives them. */
async function groupPages(path: string): Promise<string[]> {
  const index = await (await fetch(`${server.url}${path}`)).text();
  return [...new Set([...index.matchAll(/href="(\/api\/docs\/[a-z]+)(?:\?lang=en)?"/g)].map(([, href]) => href!))];
}

describeInBrowser('/api/docs in Chromium', () => {
  test.each([
    ['/api/docs', '', 'fr', 'API du collecteur'],
    ['/api/docs?lang=en', '?lang=en', 'en', 'Collector API'],
  ])(
    '%s: an index whose links lead to every operation, under PAGE_CSP with no violation and no error',
    async (path, query, lang, heading) => {
      browser ??= await launchBrowser();
      const context = await browser.newContext();
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
      page.on('pageerror', (error) => problems.push(error.message));
      // Registered before each page loads: every violation of its lifetime is seen.
      await page.addInitScript(() => {
        const violations: string[] = [];
        (window as unknown as { violations: string[] }).violations = violations;
        document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.violatedDirective} ${event.blockedURI}`));
      });
      const reply = await page.goto(`${server.url}${path}`);
      expect(reply?.status()).toBe(200);
      expect(reply?.headers()['content-security-policy']).toBe(PAGE_CSP);
      expect(await page.getAttribute('html', 'lang')).toBe(lang);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(heading);
      // The index names every operation as a link to it on its group's page.
      const listed = await page.getByRole('navigation').getByRole('link').allTextContents();
      for (const operation of operations) expect(listed).toContain(operation);

      // Every operation has its own heading on exactly one group's page.
      const shown: string[] = [];
      for (const href of await groupPages(path)) {
        const groupReply = await page.goto(`${server.url}${href}${query}`);
        expect(groupReply?.status()).toBe(200);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        shown.push(...(await page.locator('article.operation h2').allTextContents()));
      }
      expect(shown.sort()).toEqual([...operations].sort());

      await page.goto(`${server.url}${path}`);
      await page.getByRole('navigation').getByRole('link', { name: 'GET /api/v1/feed', exact: true }).click();
      expect(page.url()).toBe(`${server.url}/api/docs/flux${query}#get-api-v1-feed`);
      await page.goto(`${server.url}${path}`);
      await page.getByRole('navigation').getByRole('link', { name: 'POST /api/v1/reviews', exact: true }).click();
      expect(page.url()).toBe(`${server.url}/api/docs/avis${query}#post-api-v1-reviews`);
      // The schemas open without a script: <details>.
      const body = page.locator('#post-api-v1-reviews details').first();
      await body.locator('summary').click();
      await expect(body.locator('pre').textContent()).resolves.toContain('"satisfaction"');
      // The stylesheet loaded (a blocked one would leave the browser's default serif font).
      expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).toContain('system-ui');
      // From a group's page back to the index.
      await page.getByRole('link', { name: lang === 'fr' ? 'Sommaire de l’API du collecteur' : 'Collector API contents' }).click();
      expect(page.url()).toBe(`${server.url}${path}`);

      expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
      expect(problems).toEqual([]);
      await context.close();
    },
    120_000,
  );

  test.each(['/api/docs', '/api/docs?lang=en'])(
    '%s, each group and the shared schemas at 320 px and 1280 px: no sideways scrolling, no axe violation',
    async (path) => {
      browser ??= await launchBrowser();
      const query = path.slice('/api/docs'.length);
      const urls = [path, ...(await groupPages(path)).map((href) => `${href}${query}`)];
      expect(urls.length).toBeGreaterThan(5);
      for (const width of [320, 1280]) {
        const context = await browser.newContext({ viewport: { width, height: 800 }, bypassCSP: true });
        const page = await context.newPage();
        for (const url of urls) {
          await page.goto(`${server.url}${url}`);
          // Open every schema, so that axe and the width check see them too.
          await page.evaluate(() => {
            for (const details of document.querySelectorAll('details')) details.open = true;
          });
          expect(await page.evaluate(() => document.documentElement.scrollWidth), url).toBeLessThanOrEqual(width);
          // JSON never wraps (that would break its indentation): its block scrolls, a named region a keyboard can reach.
          const blocks = await page.$$eval('pre', (pres) =>
            pres.map((pre) => ({
              wraps: getComputedStyle(pre).whiteSpace !== 'pre',
              scrolls: getComputedStyle(pre).overflowX === 'auto',
              focusable: pre.tabIndex === 0,
              role: pre.getAttribute('role'),
              named: (pre.getAttribute('aria-label') ?? '').trim() !== '',
            })),
          );
          for (const block of blocks) {
            expect({ url, ...block }).toEqual({ url, wraps: false, scrolls: true, focusable: true, role: 'region', named: true });
          }
          expect({ url, violations: await axeViolations(page) }).toEqual({ url, violations: [] });
        }
        await context.close();
      }
    },
    300_000,
  );
});
