import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { smtpListener, type SmtpListener } from '../helpers/smtp-listener.ts';
import { readRows, startTestServer, tempDir, type TestServer } from '../helpers/test-server.ts';
import { signInWithLink, watchCsp } from './helpers/agency-space.ts';
import { axeViolations } from './helpers/widget-fixture.ts';

// An access request and self-service as people do them in a real Chromium: an agent asks to join
// an entity from the sign-in page; its admin, mailed by the real SMTP server, accepts on the
// members page; the agent signs in with the link of the answer; the admin creates a procedure and
// gets its snippet. Each page: no axe-core violation, no CSP violation, nothing wider than 320 px.

const ADMIN = 'admin@dinum.example.gouv.fr';
const AGENT = 'camille.agent@dinum.example.gouv.fr';
/** Screenshots for people to look at, outside the repository. */
const SHOTS = '/tmp/signup-shots';
const temp = tempDir();
let server: TestServer;
let smtp: SmtpListener;
let browser: Browser;

beforeAll(async () => {
  smtp = await smtpListener();
  server = await startTestServer(join(temp.dir, 'access-request.sqlite'), {
    signupDomains: ['example.gouv.fr'],
    mail: { smtpUrl: smtp.url, from: 'Je donne mon avis <ne-pas-repondre@example.gouv.fr>', directory: temp.dir },
  });
  await server.store.entities.add({ id: 'dinum', name: 'DINUM' });
  await server.store.members.put({ entityId: 'dinum', email: ADMIN, role: 'admin' });
  browser = await launchBrowser();
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await smtp?.stop();
  temp.remove();
});

/** The page now shown, at 320 px then 1280 px: axe-core finds nothing, nothing scrolls sideways; a screenshot of each. */
async function check(page: Page, name: string): Promise<void> {
  for (const width of [320, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await axeViolations(page), `${name} at ${width} px`).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${name}: sideways scroll at ${width} px`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
}

describeInBrowser('access request and self-service in Chromium', () => {
  test('ask → admin mailed → accepted → agent signs in; the admin creates a procedure and gets its snippet', async () => {
    const agent = await browser.newContext();
    const agentPage = await agent.newPage();
    const agentCsp = watchCsp(agentPage, server.url);
    await agentPage.goto(`${server.url}/espace/connexion`);
    await agentPage.getByRole('link', { name: 'Demander l’accès à une entité' }).click();
    await check(agentPage, 'access-request-form');
    await agentPage.getByLabel('Votre adresse électronique professionnelle').fill(AGENT);
    await agentPage.getByLabel('L’entité à rejoindre').fill('DINUM');
    await agentPage.getByRole('button', { name: 'Envoyer la demande' }).click();
    await expect(agentPage.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Demande envoyée');
    await check(agentPage, 'access-request-sent');

    const toAdmin = await smtp.next();
    expect(toAdmin.to).toEqual([ADMIN]);
    const membersUrl = new RegExp(`${server.url}/espace/entites/dinum/membres#demandes`).exec(toAdmin.parsed.text ?? '')?.[0];
    expect(membersUrl).toBeDefined();

    const admin = await browser.newContext();
    const adminPage = await admin.newPage();
    const adminCsp = watchCsp(adminPage, server.url);
    await signInWithLink(adminPage, server.url, server.store, ADMIN);
    await adminPage.goto(membersUrl!);
    await expect(adminPage.getByRole('heading', { name: 'Demandes d’accès' }).count()).resolves.toBe(1);
    await check(adminPage, 'access-request-members');
    await adminPage.getByLabel(`Rôle à donner à ${AGENT}`).selectOption('reader');
    await adminPage.getByRole('button', { name: `Accepter la demande de ${AGENT}` }).click();
    await expect(adminPage.getByRole('status').textContent()).resolves.toContain('Demande acceptée');
    expect(readRows(server.databasePath, 'SELECT role FROM members WHERE email = ?', AGENT)).toEqual([{ role: 'reader' }]);

    const toAgent = await smtp.next();
    expect(toAgent.to).toEqual([AGENT]);
    const link = new RegExp(`${server.url}/espace/lien/[A-Za-z0-9_-]+`).exec(toAgent.parsed.text ?? '')?.[0];
    await agentPage.goto(link!);
    await agentPage.getByRole('button', { name: 'Se connecter' }).click();
    await agentPage.waitForURL(`${server.url}/espace`);
    await expect(agentPage.getByRole('heading', { name: 'DINUM' }).count()).resolves.toBe(1);

    await adminPage.goto(`${server.url}/espace`);
    await adminPage.getByRole('link', { name: 'Créer une démarche' }).first().click();
    await check(adminPage, 'new-procedure-form');
    await adminPage.getByLabel('Identifiant').fill('inscription-cantine');
    await adminPage.getByLabel('Titre').fill('Inscription à la cantine');
    await adminPage.getByLabel('Origines').fill('https://cantine.example.gouv.fr');
    await adminPage.getByRole('button', { name: 'Créer la démarche' }).click();
    await adminPage.waitForURL(`${server.url}/espace/demarches/inscription-cantine/reglages?fait=creee`);
    await expect(adminPage.getByRole('status').textContent()).resolves.toContain('Démarche créée');
    await expect(adminPage.locator('textarea').first().inputValue()).resolves.toContain('data-procedure="inscription-cantine"');

    expect(agentCsp).toEqual([]);
    expect(adminCsp).toEqual([]);
    await agent.close();
    await admin.close();
  });
});
