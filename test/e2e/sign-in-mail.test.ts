import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { smtpListener, type SmtpListener } from '../helpers/smtp-listener.ts';
import { readRows, startTestServer, tempDir, type TestServer } from '../helpers/test-server.ts';

// Sign-in by e-mail as an agent does it in a real Chromium: type the address, read the mail the
// real SMTP server received, open its link, confirm, and land signed in on the space.

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
});
