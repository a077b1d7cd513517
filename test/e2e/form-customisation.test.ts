import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { describeInBrowser } from '../helpers/browser.ts';
import { readRows } from '../helpers/test-server.ts';
import { signInWithLink, watchCsp } from './helpers/agency-space.ts';
import {
  axeViolations,
  procedurePage,
  startWidgetFixture,
  type WidgetFixture,
  widgetButton,
  widgetDialog,
} from './helpers/widget-fixture.ts';

// A procedure's form fitted by its admin (SPEC §3 "Customisation"), BUILT widget, REAL collector and
// SQLite file, real Chromium: a draft saved in the settings page, previewed there with the real form
// (nothing stored), published; the widget on the agency's own site (another origin) then shows the
// relabelled question and not the hidden step, and the review stores the version it was given.
// Axe and 320 px at each step; screenshots at 1280 and 320 px under /tmp/form-shots/.

const ADMIN = 'camille.admin@ants.example.gouv.fr';
const SETTINGS = '/espace/demarches/carte-grise/reglages';
const SHOTS = '/tmp/form-shots';
const RELABELLED = 'Les consignes pour la carte grise étaient-elles claires\u00a0?';
const DEFAULT_CLARITY = 'Qu’avez-vous pensé des informations et des instructions fournies\u00a0?';

let fx: WidgetFixture;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  fx = await startWidgetFixture('form-customisation');
  const { store } = fx.server;
  await store.entities.add({ id: 'ants', name: 'Agence nationale des titres sécurisés' });
  await store.procedures.add({ id: 'carte-grise', title: 'Certificat d’immatriculation', entityId: 'ants', origins: [fx.site.origin] });
  await store.members.put({ entityId: 'ants', email: ADMIN, role: 'admin' });
});
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});
afterAll(async () => {
  await fx?.close();
});

/** No axe violation and no sideways scroll at 320 px; a full-page screenshot at 1280 and 320 px. */
async function check(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  for (const width of [1280, 320]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await axeViolations(page), `${name} at ${width} px`).toEqual([]);
    if (width === 320) {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${name}: sideways scroll at 320 px`).toBeLessThanOrEqual(0);
    }
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
}

const reviews = () =>
  readRows<{ form_version: number | null }>(fx.databasePath, "SELECT form_version FROM reviews WHERE procedure_id = 'carte-grise'");

describeInBrowser('a form fitted to its procedure, in Chromium', () => {
  test('draft → preview → publish → the widget on another origin shows it → the review stores the version', async () => {
    const { context, page } = await fx.newPage();
    contexts.push(context);
    page.setDefaultTimeout(10_000);
    const csp = watchCsp(page, fx.server.url);
    await signInWithLink(page, fx.server.url, fx.server.store, ADMIN);

    // The draft: the comment hidden, the clarity question relabelled in French.
    await page.goto(`${fx.server.url}${SETTINGS}?langue-formulaire=fr`);
    // DSFR draws the box over the input: the label is what a person clicks.
    await page.locator('label[for="masquer-comment"]').click();
    await expect(page.getByRole('checkbox', { name: 'Commentaire' }).isChecked()).resolves.toBe(true);
    await page.getByRole('textbox', { name: 'Clarté des informations · la question' }).fill(RELABELLED);
    await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await page.getByText('Brouillon du formulaire enregistré.').waitFor();
    await check(page, 'settings-draft');

    // The preview: the real form, with the draft, storing nothing.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('button', { name: 'Ouvrir l’aperçu' }).click();
    const preview = widgetDialog(page);
    await preview.getByRole('radio', { name: 'Très bien' }).click();
    await preview.getByRole('button', { name: 'Envoyer mon avis' }).click();
    await preview.getByRole('group', { name: RELABELLED }).waitFor();
    await expect(preview.getByRole('group', { name: DEFAULT_CLARITY }).count()).resolves.toBe(0);
    await expect(preview.getByRole('textbox', { name: 'Souhaitez-vous nous en dire plus\u00a0?' }).count()).resolves.toBe(0);
    await check(page, 'settings-preview');
    expect(reviews()).toEqual([]);
    await page.keyboard.press('Escape');

    // Published: version 1.
    await page.getByRole('button', { name: 'Publier le brouillon' }).click();
    await page.getByText('Brouillon publié\u00a0: les usagers voient cette version.').waitFor();
    await expect(page.getByText('Version 1 publiée le', { exact: false }).count()).resolves.toBe(1);
    await check(page, 'settings-published');
    expect(csp).toEqual([]);

    // The widget on the agency's own site.
    const site = await fx.newPage();
    contexts.push(site.context);
    const user = site.page;
    user.setDefaultTimeout(10_000);
    await user.goto(
      fx.serve('/carte-grise', procedurePage(fx.server.url, { attrs: { 'data-procedure': 'carte-grise', 'data-placement': 'default' } })),
    );
    await widgetButton(user).click();
    const dialog = widgetDialog(user);
    await check(user, 'widget-rate');
    await dialog.getByRole('radio', { name: 'Moyen' }).click();
    await dialog.getByRole('button', { name: 'Envoyer mon avis' }).click();
    await dialog.getByRole('group', { name: RELABELLED }).waitFor();
    await expect(dialog.getByRole('textbox', { name: 'Souhaitez-vous nous en dire plus\u00a0?' }).count()).resolves.toBe(0);
    await check(user, 'widget-follow-ups');
    await expect.poll(reviews).toEqual([{ form_version: 1 }]);

    // In English, which has no labels of its own: the default words, the same step hidden. Each
    // language's chunk holds its own texts only, so this is another chunk reading the published form.
    await user.goto(
      fx.serve(
        '/en',
        procedurePage(fx.server.url, { attrs: { 'data-procedure': 'carte-grise', 'data-placement': 'default', 'data-lang': 'en' } }),
      ),
    );
    await widgetButton(user, 'Give my feedback').click();
    const english = widgetDialog(user, 'Give my feedback');
    await english.getByRole('radio', { name: 'Very good' }).click();
    await english.getByRole('button', { name: 'Send my feedback' }).click();
    await english.getByRole('group', { name: 'What did you think of the information and instructions provided?' }).waitFor();
    await expect(english.getByRole('textbox', { name: 'Would you like to tell us more?' }).count()).resolves.toBe(0);
    await check(user, 'widget-follow-ups-en');
    await expect.poll(reviews).toEqual([{ form_version: 1 }, { form_version: 1 }]);
  }, 180_000);
});
