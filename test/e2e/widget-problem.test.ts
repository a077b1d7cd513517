import { mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { QUESTIONS } from '../../shared/questionnaire.ts';
import { MIN_FORM_MS } from '../../server/hosted-form-guard.ts';
import { describeInBrowser } from '../helpers/browser.ts';
import { readRows } from '../helpers/test-server.ts';
import {
  axeViolations,
  procedurePage,
  startWidgetFixture,
  widgetButton,
  widgetDialog,
  type WidgetFixture,
} from './helpers/widget-fixture.ts';

// The problem form from the widget (SPEC §3 "Signaler un problème"): data-form="probleme" on the
// same tag draws « Signaler un problème », whose dialog sends a report that is stored apart from
// reviews; axe-core clean at every step, at 1280 and 320 px, right to left in Arabic. Screenshots
// go to /tmp/shots-problem/ for a person to look at.

const SHOTS = '/tmp/shots-problem';
const CONTACT = 'https://www.example.gouv.fr/nous-contacter';
let fx: WidgetFixture;

const reports = () => readRows(fx.databasePath, 'SELECT procedure_id, placement_id, lang, kind, text FROM problem_reports ORDER BY id');
const reviews = () => readRows(fx.databasePath, 'SELECT id FROM reviews');

async function fitsWidth(page: Page, dialog: Locator): Promise<void> {
  const box = (await dialog.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(page.viewportSize()!.width);
  expect(await dialog.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
}

describeInBrowser('the problem form in the widget', () => {
  beforeAll(async () => {
    fx = await startWidgetFixture('widget-problem');
    await fx.server.store.problemReports.setContactUrl('demo', CONTACT);
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => fx?.close());
  beforeEach(() => fx.server.exec('DELETE FROM problem_reports;'));

  for (const width of [1280, 320]) {
    test(`at ${width} px: a technical problem is reported, its text scrubbed, never as a review; axe-core clean at every step`, async () => {
      const { page } = await fx.newPage({ viewport: { width, height: 800 } });
      await page.goto(fx.serve(`/probleme-${width}`, procedurePage(fx.server.url, { attrs: { 'data-form': 'probleme' } })));
      const button = widgetButton(page, 'Signaler un problème');
      await button.click();
      const dialog = widgetDialog(page, 'Signaler un problème');
      await dialog.waitFor();
      await fitsWidth(page, dialog);
      const found: Record<string, unknown> = { kinds: await axeViolations(page) };
      // Sent with no kind chosen: said, and the focus is on the first kind.
      await dialog.getByRole('button', { name: 'Envoyer le signalement' }).click();
      await expect.poll(() => dialog.getByRole('alert').first().textContent()).toBe('Choisissez de quoi il s’agit.');
      await dialog.getByRole('radio', { name: 'Un problème technique' }).check();
      const text = dialog.getByRole('textbox', { name: 'Votre message (sans donnée personnelle)' });
      await text.fill('La page de paiement reste blanche. Mon numéro : 06 12 34 56 78');
      await fitsWidth(page, dialog);
      found.text = await axeViolations(page);
      await page.screenshot({ path: `${SHOTS}/widget-fr-${width}-text.png` });
      await dialog.getByRole('button', { name: 'Envoyer le signalement' }).click();
      await dialog.getByRole('heading', { name: 'Merci, votre signalement a été transmis.' }).waitFor();
      found.thanks = await axeViolations(page);
      expect(found).toEqual({ kinds: [], text: [], thanks: [] });
      expect(await reports()).toEqual([
        {
          procedure_id: 'demo',
          placement_id: 'site',
          lang: 'fr',
          kind: 'technical',
          text: 'La page de paiement reste blanche. Mon numéro : [numéro de téléphone]',
        },
      ]);
      expect(await reviews()).toEqual([]);
      await page.keyboard.press('Escape');
      await expect.poll(() => button.evaluate((element) => (element.getRootNode() as ShadowRoot).activeElement === element)).toBe(true);
    });
  }

  test('in Arabic at 320 px, right to left: « my own situation » has no text box and ends on the procedure’s contact page', async () => {
    const { page } = await fx.newPage({ viewport: { width: 320, height: 700 } });
    await page.goto(fx.serve('/probleme-ar', procedurePage(fx.server.url, { lang: 'ar', attrs: { 'data-form': 'probleme' } })));
    await widgetButton(page, 'الإبلاغ عن مشكلة').click();
    const dialog = widgetDialog(page, 'الإبلاغ عن مشكلة');
    expect(await dialog.getAttribute('dir')).toBe('rtl');
    expect(await dialog.getAttribute('lang')).toBe('ar');
    await dialog.getByRole('radio', { name: 'وضعي الشخصي' }).check();
    expect(await dialog.getByRole('textbox').count()).toBe(0);
    await fitsWidth(page, dialog);
    const found: Record<string, unknown> = { situation: await axeViolations(page) };
    await page.screenshot({ path: `${SHOTS}/widget-ar-320-situation.png` });
    await dialog.getByRole('button', { name: 'إرسال البلاغ' }).click();
    const link = dialog.getByRole('link', { name: 'التواصل مع المصلحة' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(CONTACT);
    found.contact = await axeViolations(page);
    await page.screenshot({ path: `${SHOTS}/widget-ar-320-contact.png` });
    expect(found).toEqual({ situation: [], contact: [] });
    expect(await reports()).toEqual([{ procedure_id: 'demo', placement_id: 'site', lang: 'ar', kind: 'own_situation', text: null }]);
  });

  test('the rating button beside it keeps its own form: two tags, two buttons', async () => {
    const { page } = await fx.newPage();
    const tag = `<script src="${fx.server.url}/widget.js" data-procedure="demo" data-placement="site" data-form="probleme" async></script>`;
    await page.goto(fx.serve('/both', procedurePage(fx.server.url, { after: tag })));
    await widgetButton(page, 'Je donne mon avis').waitFor({ timeout: 5000 });
    await widgetButton(page, 'Signaler un problème').waitFor({ timeout: 5000 });
    await widgetButton(page, 'Je donne mon avis').click();
    await widgetDialog(page, 'Je donne mon avis')
      .getByRole('radio', { name: QUESTIONS.satisfaction.answers.good.fr })
      .waitFor({ timeout: 5000 });
    expect(await axeViolations(page)).toEqual([]);
  });

  for (const width of [1280, 320]) {
    test(`the hosted page /probleme/demo at ${width} px, no script on it: the entity and procedure in its header, a suggestion sent; axe-core clean`, async () => {
      // axe-core runs in the page, so scripts stay on in the browser; the page itself has none (it works with JavaScript off).
      const { page } = await fx.newPage({ viewport: { width, height: 900 } });
      await page.goto(`${fx.server.url}/probleme/demo?placement=site`);
      expect(await page.locator('script').count()).toBe(0);
      expect(await page.locator('header').textContent()).toContain('Démarche de démonstration');
      const found: Record<string, unknown> = { form: await axeViolations(page) };
      await page.getByRole('radio', { name: 'Une suggestion' }).check();
      await page.getByRole('textbox', { name: 'Votre message (sans donnée personnelle)' }).fill('Un lien vers la FAQ serait utile.');
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await page.screenshot({ path: `${SHOTS}/hosted-fr-${width}-form.png`, fullPage: true });
      await page.waitForTimeout(MIN_FORM_MS + 200);
      await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
      await page.getByRole('heading', { name: 'Merci, votre signalement a été transmis.' }).waitFor();
      found.thanks = await axeViolations(page);
      expect(found).toEqual({ form: [], thanks: [] });
      expect(await reports()).toEqual([
        { procedure_id: 'demo', placement_id: 'site', lang: 'fr', kind: 'suggestion', text: 'Un lien vers la FAQ serait utile.' },
      ]);
    });
  }

  test('the hosted page in Arabic at 320 px, right to left: « my own situation » hides the text box and shows the contact page', async () => {
    const { page } = await fx.newPage({ viewport: { width: 320, height: 800 } });
    await page.goto(`${fx.server.url}/probleme/demo?lang=ar`);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    const text = page.getByRole('textbox', { name: 'صِفه (دون بيانات شخصية)' });
    expect(await text.isVisible()).toBe(true);
    await page.getByRole('radio', { name: 'وضعي الشخصي' }).check();
    expect(await text.isVisible()).toBe(false);
    expect(await page.getByRole('link', { name: 'التواصل مع المصلحة' }).getAttribute('href')).toBe(CONTACT);
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: `${SHOTS}/hosted-ar-320-situation.png`, fullPage: true });
    await page.waitForTimeout(MIN_FORM_MS + 200);
    await page.getByRole('button', { name: 'إرسال البلاغ' }).click();
    await page.getByRole('heading', { name: 'شكرًا، تمّ إرسال بلاغك.' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/hosted-ar-320-thanks.png`, fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    expect(await reports()).toEqual([{ procedure_id: 'demo', placement_id: 'default', lang: 'ar', kind: 'own_situation', text: null }]);
  });
});
