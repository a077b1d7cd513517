import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { smtpListener, type SmtpListener } from '../helpers/smtp-listener.ts';
import { readRows, startTestServer, tempDir, type TestServer } from '../helpers/test-server.ts';

// Sign-in by e-mail as an agent does it in a real Chromium: type the address, read the mail the
// real SMTP server received, open its link, confirm, and land signed in on the space.

const AXE = join(process.cwd(), 'node_modules/axe-core/axe.min.js');
const MEMBER = 'camille.martin@example.gouv.fr';
const temp = tempDir();
let server: TestServer;
let smtp: SmtpListener;
let browser: Browser;

beforeAll(async () => {
  smtp = await smtpListener();
  const databasePath = join(temp.dir, 'sign-in-mail.sqlite');
  server = await startTestServer(databasePath, {
    mail: { smtpUrl: smtp.url, from: 'Je donne mon avis <ne-pas-repondre@example.gouv.fr>', directory: temp.dir },
  });
  await server.store.entities.add({ id: 'dinum', name: 'DINUM' });
  await server.store.members.put({ entityId: 'dinum', email: MEMBER, role: 'admin' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await smtp?.stop();
  temp.remove();
});

describeInBrowser('sign-in by e-mail in Chromium', () => {
  test('address → mail → link → signed in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/espace/connexion`);
    await page.getByLabel('Adresse électronique').fill(MEMBER);
    await page.getByRole('button', { name: 'Recevoir un lien de connexion' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Vérifiez votre messagerie');
    await expect(
      page.getByText('Si cette adresse a accès à l’espace, un lien de connexion vient de lui être envoyé.').count(),
    ).resolves.toBe(1);

    const mail = await smtp.next();
    expect(mail.to).toEqual([MEMBER]);
    const link = new RegExp(`${server.url}/espace/lien/[A-Za-z0-9_-]+`).exec(mail.parsed.text ?? '')?.[0];
    expect(link).toBeDefined();
    await page.goto(link!);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${server.url}/espace`);
    expect(readRows(server.databasePath, 'SELECT email FROM sessions')).toEqual([{ email: MEMBER }]);
    await expect(page.getByText(MEMBER).count()).resolves.toBeGreaterThan(0);
    await context.close();
  });

  test.each([
    ['the form', '/espace/connexion', undefined, 'Connexion à l’espace agence'],
    ['the form in English', '/espace/connexion?lang=en', undefined, 'Sign in to the agency space'],
    ['the form with its error', '/espace/connexion', 'camille', 'Connexion à l’espace agence'],
    ['the one answer', '/espace/connexion', 'inconnu@example.gouv.fr', 'Vérifiez votre messagerie'],
  ])('%s at 320 px and 1280 px: no sideways scrolling, no axe violation', async (_name, path, typed, heading) => {
    for (const width of [320, 1280]) {
      const context = await browser.newContext({ viewport: { width, height: 800 }, bypassCSP: true });
      const page = await context.newPage();
      await page.goto(`${server.url}${path}`);
      if (typed !== undefined) {
        // The browser's own check would stop a mistyped address before it is sent: the server's answer is what is tested.
        await page.getByRole('textbox').evaluate((input) => input.removeAttribute('type'));
        await page.getByRole('textbox').fill(typed);
        await page.getByRole('button').last().click();
        await page.waitForLoadState();
      }
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(heading);
      if (typed === 'camille') {
        await expect(page.getByRole('textbox', { name: /Adresse électronique/ }).getAttribute('aria-invalid')).resolves.toBe('true');
      }
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
});
