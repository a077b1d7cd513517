import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { LOGIN_LINK_MS } from '../../server/agency/lifetimes.ts';
import { hashSecret, newSecret } from '../../server/agency/secrets.ts';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { readRows, startTestServer, tempDir, type TestServer } from '../helpers/test-server.ts';

// A sign-in link as a real Chromium posts it: from its own page it signs in (and ends the session
// the browser held), from another site's page it is refused and stays usable (login CSRF).

const MEMBER = 'camille.martin@example.gouv.fr';
const OTHER = 'dominique.durand@example.gouv.fr';
const ELSEWHERE = 'https://evil.example.com';
const temp = tempDir();
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer(join(temp.dir, 'sign-in.sqlite'));
  await server.store.entities.add({ id: 'dinum', name: 'DINUM' });
  await server.store.members.put({ entityId: 'dinum', email: MEMBER, role: 'admin' });
  await server.store.members.put({ entityId: 'dinum', email: OTHER, role: 'reader' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  temp.remove();
});

async function loginLink(email: string): Promise<string> {
  const token = newSecret();
  await server.store.loginLinks.create({ tokenHash: hashSecret(token), email, expiresAt: Date.now() + LOGIN_LINK_MS });
  return token;
}
const sessions = () => readRows<{ email: string }>(server.databasePath, 'SELECT email FROM sessions ORDER BY email');

describeInBrowser('the sign-in link in Chromium', () => {
  test('another site’s form posting a link is refused with a page, and the link still signs its owner in', async () => {
    const token = await loginLink(OTHER);
    const context = await browser.newContext();
    const page = await context.newPage();
    // Another site's page whose form posts the link to the collector, as an attacker's would.
    await page.route(`${ELSEWHERE}/**`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<form method="post" action="${server.url}/espace/lien/${token}"><button>Envoyer</button></form>`,
      }),
    );
    await page.goto(`${ELSEWHERE}/piege`);
    await page.getByRole('button', { name: 'Envoyer' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Connexion refusée\u00a0: demande venue d’un autre site',
    );
    expect(await sessions()).toEqual([]);
    expect(readRows(server.databasePath, 'SELECT used_at FROM login_links')).toEqual([{ used_at: null }]);

    await page.goto(`${server.url}/espace/lien/${token}`);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${server.url}/espace`);
    expect(await sessions()).toEqual([{ email: OTHER }]);

    // Signing in again in the same browser, as someone else: the session it held is deleted.
    await page.goto(`${server.url}/espace/lien/${await loginLink(MEMBER)}`);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${server.url}/espace`);
    expect(await sessions()).toEqual([{ email: MEMBER }]);
    await context.close();
  });
});
