import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import {
  OIDC_CLIENT_ID,
  OIDC_CLIENT_SECRET,
  signInAtProvider,
  startOidcProvider,
  type TestOidcProvider,
} from '../helpers/oidc-provider.ts';
import { freePort, readRows, startTestServer, tempDir, type TestServer } from '../helpers/test-server.ts';

// Sign-in with OpenID Connect as an agent does it: real Chromium, the real collector, and a real
// OpenID provider (oidc-provider) on 127.0.0.1, whose own login form the agent fills in.

const MEMBER = 'camille.martin@example.gouv.fr';
const temp = tempDir();
let provider: TestOidcProvider;
let server: TestServer;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  const port = await freePort();
  provider = await startOidcProvider({ collectorUrl: `http://127.0.0.1:${port}` });
  server = await startTestServer(join(temp.dir, 'oidc.sqlite'), {
    port,
    rateLimitPerMinute: 0,
    oidc: { issuer: provider.issuer, clientId: OIDC_CLIENT_ID, clientSecret: OIDC_CLIENT_SECRET },
  });
  await server.store.entities.add({ id: 'dinum', name: 'DINUM' });
  await server.store.members.put({ entityId: 'dinum', email: MEMBER, role: 'reader' });
});
afterEach(async () => {
  await context?.close();
  context = undefined;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await provider?.close();
  temp.remove();
});

/** A fresh browser profile; the collector's pages must raise no CSP violation. */
async function newPage(): Promise<{ page: Page; cspViolations: string[] }> {
  browser ??= await launchBrowser();
  context = await browser.newContext();
  const page = await context.newPage();
  // Shorter than the test's own timeout, so that a failure names the step that waited.
  page.setDefaultTimeout(10_000);
  const cspViolations: string[] = [];
  page.on('console', (message) => {
    if (page.url().startsWith(server.url) && message.text().includes('Content Security Policy')) cspViolations.push(message.text());
  });
  return { page, cspViolations };
}

/** From /espace, through ProConnect's button, to the provider's form, signed in as `login`. */
async function signIn(page: Page, login: string): Promise<void> {
  await page.goto(`${server.url}/espace`);
  await page.getByRole('link', { name: 'S’identifier avec ProConnect' }).click();
  await page.waitForURL(`${provider.issuer}/**`);
  await page.getByRole('textbox', { name: 'Enter any login' }).fill(login);
  await page.getByPlaceholder('and password').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
}

const sessionCount = () => readRows<{ n: number }>(server.databasePath, 'SELECT count(*) AS n FROM sessions')[0]!.n;

describeInBrowser('sign-in with OpenID Connect in Chromium', () => {
  test('a member signs in at the provider, lands in /espace, calls /api/v1/me, and signs out here and there', async () => {
    const { page, cspViolations } = await newPage();
    await signIn(page, MEMBER);
    await page.waitForURL(`${server.url}/espace`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Espace agence');
    await expect(page.getByText('Connecté avec l’adresse').textContent()).resolves.toContain(MEMBER);
    await expect(page.getByRole('heading', { level: 2, name: 'DINUM' }).count()).resolves.toBe(1);

    // The browser's own cookies, as a script of the agency space would send them.
    const me = await context!.request.get(`${server.url}/api/v1/me`);
    expect(me.status()).toBe(200);
    expect(await me.json()).toMatchObject({ kind: 'member', email: MEMBER, entities: [{ id: 'dinum', role: 'reader' }] });

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    // The provider asks whether to end its session too; once it has, it sends the browser back.
    await page.waitForURL(`${provider.issuer}/**`);
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    // Back with the `state` ProConnect requires on logout, which nothing needs to check.
    await page.waitForURL((url) => url.origin === server.url && url.pathname === '/espace/connexion');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Connexion à l’espace agence');

    const after = await context!.request.get(`${server.url}/api/v1/me`);
    expect(after.status()).toBe(401);
    expect(await after.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
    expect(sessionCount()).toBe(0);
    expect(cspViolations).toEqual([]);
  });

  test('a person who is no member sees the « Pas d’accès » page, and has no session', async () => {
    const { page, cspViolations } = await newPage();
    const before = sessionCount();
    await signIn(page, 'dominique.durand@example.gouv.fr');
    await page.waitForURL(`${server.url}/espace/connexion/retour?**`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Pas d’accès');
    expect(await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).responseStatus)).toBe(
      403,
    );
    await expect(page.getByText('Demandez à un administrateur').count()).resolves.toBe(1);
    expect((await context!.cookies()).map((cookie) => cookie.name)).not.toContain('jdma_session');
    expect((await context!.request.get(`${server.url}/api/v1/me`)).status()).toBe(401);
    expect(sessionCount()).toBe(before);
    expect(cspViolations).toEqual([]);
  });

  test('a callback whose state is not this browser’s is refused with a clear page, and no session', async () => {
    // Someone else's genuine answer from the provider (login CSRF): a valid code, their state.
    const theirs = await fetch(`${server.url}/espace/connexion/proconnect`, { redirect: 'manual' });
    const forged = await signInAtProvider(theirs.headers.get('location')!, MEMBER);
    const { page } = await newPage();
    await page.goto(`${server.url}/espace`);
    await page.getByRole('link', { name: 'S’identifier avec ProConnect' }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    const before = sessionCount();
    const reply = await page.goto(forged.href);
    expect(reply?.status()).toBe(400);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('La connexion n’a pas abouti');
    expect((await context!.request.get(`${server.url}/api/v1/me`)).status()).toBe(401);
    expect(sessionCount()).toBe(before);
  });
});
