import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { startTestServer, tempDir, type TestServer } from '../helpers/test-server.ts';

// The privacy notice, the accessibility statement, the 404 page and the demo's e-mail button as a person sees them: real Chromium,
// real server, pages under their own CSP (axe is injected past it, as in the observatory test).

const AXE = join(process.cwd(), 'node_modules/axe-core/axe.min.js');
const temp = tempDir();
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer(join(temp.dir, 'pages.sqlite'), { rateLimitPerMinute: 0, operatorContact: 'dpo@avis.example.gouv.fr' });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  temp.remove();
});

describeInBrowser('the privacy notice and the 404 page in Chromium', () => {
  test.each([
    ['/confidentialite', 200, 'Confidentialité\u00a0: ce que devient votre avis'],
    ['/confidentialite?lang=en', 200, 'Privacy: what happens to your feedback'],
    ['/accessibilite', 200, 'Déclaration d’accessibilité'],
    ['/accessibilite?lang=en', 200, 'Accessibility statement'],
    ['/une-page-qui-n-existe-pas', 404, 'Page introuvable'],
  ])('%s at 320 px and 1280 px: no sideways scrolling, no axe violation', async (path, status, heading) => {
    browser ??= await launchBrowser();
    for (const width of [320, 1280]) {
      const context = await browser.newContext({ viewport: { width, height: 800 }, bypassCSP: true });
      const page = await context.newPage();
      const reply = await page.goto(`${server.url}${path}`);
      expect(reply?.status()).toBe(status);
      expect(reply?.headers()['content-security-policy']).toContain("default-src 'none'");
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(heading);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async () =>
        (await (window as unknown as { axe: { run: () => Promise<{ violations: { id: string }[] }> } }).axe.run()).violations.map(
          (v) => v.id,
        ),
      );
      expect(violations).toEqual([]);
      await context.close();
    }
  });

  test('the 404 page’s link leads home', async () => {
    browser ??= await launchBrowser();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/observatoire/a/b/c`);
    await page.getByRole('link', { name: 'Accueil du service' }).click();
    expect(page.url()).toBe(`${server.url}/`);
    await context.close();
  });

  test('the demo’s no-JavaScript link shows the 2× PNG button in a 200 × 48 box under the page’s strict CSP', async () => {
    browser ??= await launchBrowser();
    const context = await browser.newContext();
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (message) => message.type() === 'error' && blocked.push(message.text()));
    await page.goto(`${server.url}/demo`);
    const image = page.getByRole('link', { name: 'Je donne mon avis' }).getByRole('img');
    await image.evaluate((img: HTMLImageElement) => img.decode());
    await expect(image.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight, img.width, img.height])).resolves.toEqual([
      400, 96, 200, 48,
    ]);
    expect(blocked.filter((line) => /button\.png|Content Security Policy/.test(line))).toEqual([]);
    await context.close();
  });
});
