import type { BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { unsubscribeToken } from '../../server/mail/unsubscribe-token.ts';
import { describeInBrowser } from '../helpers/browser.ts';
import { readRows } from '../helpers/test-server.ts';
import { checkPage, signInWithLink, watchCsp } from './helpers/agency-space.ts';
import { startWidgetFixture, type WidgetFixture } from './helpers/widget-fixture.ts';

// A member's mail preferences and an alert's unsubscribe link as a person meets them (REAL
// collector and SQLite file, real Chromium): « Mes courriels » from the account bar, choices made
// by their labels and saved, and the link's page, whose button (not the visit) unsubscribes.

const MEMBER = 'camille.agent@ants.example.gouv.fr';

let fx: WidgetFixture;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  fx = await startWidgetFixture('mail-preferences');
  const { store } = fx.server;
  await store.entities.add({ id: 'ants', name: 'Agence nationale des titres sécurisés' });
  await store.procedures.add({ id: 'carte-grise', title: 'Certificat d’immatriculation', entityId: 'ants', origins: [] });
  await store.members.put({ entityId: 'ants', email: MEMBER, role: 'admin' });
});
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});
afterAll(async () => {
  await fx?.close();
});

const preferences = () =>
  readRows<{ kind: string; procedure_id: string; value: string }>(
    fx.databasePath,
    'SELECT kind, procedure_id, value FROM mail_preferences ORDER BY kind, procedure_id',
  );

describeInBrowser('mail preferences in Chromium', () => {
  test('a member opens « Mes courriels » from the account bar, chooses by label, saves, then unsubscribes with a mail’s link', async () => {
    const { context, page } = await fx.newPage();
    contexts.push(context);
    page.setDefaultTimeout(10_000);
    const csp = watchCsp(page, fx.server.url);
    await signInWithLink(page, fx.server.url, fx.server.store, MEMBER);
    await page.getByRole('navigation', { name: 'Langue et compte' }).getByRole('link', { name: 'Mes courriels' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mes courriels' }).waitFor();
    await checkPage(page, 'space-mail-preferences');

    // DSFR draws the box over the input: the label is what a person clicks.
    await page.getByText('Certificat d’immatriculation', { exact: true }).click();
    await page.getByText('Chaque semaine (le lundi)', { exact: true }).click();
    await expect(page.getByRole('checkbox', { name: 'Certificat d’immatriculation' }).isChecked()).resolves.toBe(true);
    await expect(page.getByRole('radio', { name: 'Chaque semaine (le lundi)' }).isChecked()).resolves.toBe(true);
    await page.getByRole('button', { name: /Enregistrer/ }).click();
    await page.getByText('Vos choix sont enregistrés.').waitFor();
    expect(await preferences()).toEqual([
      { kind: 'digest', procedure_id: '', value: 'weekly' },
      { kind: 'integration_broken', procedure_id: '', value: 'on' },
      { kind: 'level_change', procedure_id: '', value: 'off' },
      { kind: 'new_reviews', procedure_id: 'carte-grise', value: 'on' },
    ]);

    // The link of a new-review alert: the visit changes nothing, its button does.
    const token = unsubscribeToken(await fx.server.store.notifications.signingKey(), {
      entityId: 'ants',
      email: MEMBER,
      kind: 'new_reviews',
      procedureId: 'carte-grise',
    });
    await page.goto(`${fx.server.url}/espace/desabonnement?t=${token}`);
    await page.getByText('Vous ne recevrez plus l’alerte «\u00a0nouveaux avis\u00a0» de Certificat d’immatriculation').waitFor();
    await checkPage(page, 'space-unsubscribe');
    expect((await preferences()).find((row) => row.kind === 'new_reviews')?.value).toBe('on');
    await page.getByRole('button', { name: 'Confirmer le désabonnement' }).click();
    await page.getByRole('heading', { level: 1, name: 'Désabonnement enregistré' }).waitFor();
    expect((await preferences()).find((row) => row.kind === 'new_reviews')?.value).toBe('off');
    expect(csp).toEqual([]);
  });
});
