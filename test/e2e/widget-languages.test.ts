import { mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { MESSAGES } from '../../shared/messages.ts';
import { QUESTIONS, type WidgetLang } from '../../shared/questionnaire.ts';
import { describeInBrowser } from '../helpers/browser.ts';
import {
  axeViolations,
  expectStored,
  procedurePage,
  startWidgetFixture,
  widgetButton,
  widgetDialog,
  type WidgetFixture,
} from './helpers/widget-fixture.ts';

// The five languages beyond French and English (SPEC §5): each its own form chunk, chosen by data-lang
// or the page's own lang; the whole journey at 320 px, axe-core clean at every step, the review stored
// with its language. Arabic is right to left: the layout mirrors and the scales still read from low to
// high in the reading direction. Screenshots go to /tmp/widget-shots/ for a person to look at.

/** The button's name in each language, written here rather than read from the code under test. */
const BUTTON: Record<Exclude<WidgetLang, 'fr' | 'en'>, string> = {
  es: 'Doy mi opinión',
  pt: 'Dou a minha opinião',
  de: 'Meine Meinung geben',
  it: 'Do il mio parere',
  ar: 'أُبدي رأيي',
};
const SHOTS = '/tmp/widget-shots';

let fx: WidgetFixture;

describeInBrowser('the widget in Spanish, Portuguese, German, Italian and Arabic', () => {
  beforeAll(async () => {
    fx = await startWidgetFixture('widget-languages');
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => fx?.close());
  beforeEach(() => fx.server.exec('DELETE FROM review_answers; DELETE FROM reviews;'));

  async function fitsWidth(page: Page, dialog: Locator): Promise<void> {
    const box = (await dialog.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(page.viewportSize()!.width);
    expect(await dialog.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
  }

  for (const [lang, chosenBy] of [
    ['es', 'the page’s lang'],
    ['pt', 'the page’s lang (pt-PT)'],
    ['de', 'data-lang on a French page'],
    ['it', 'the page’s lang'],
    ['ar', 'the page’s lang'],
  ] as const) {
    test(`${lang}, chosen by ${chosenBy}: opens, rates, follows up and thanks at 320 px, axe-core clean at every step`, async () => {
      const { page } = await fx.newPage({ viewport: { width: 320, height: 640 } });
      const host =
        lang === 'de'
          ? procedurePage(fx.server.url, { attrs: { 'data-lang': 'de' } })
          : procedurePage(fx.server.url, { lang: lang === 'pt' ? 'pt-PT' : lang });
      await page.goto(fx.serve(`/lang-${lang}`, host));
      const found: Record<string, unknown> = {};
      await widgetButton(page, BUTTON[lang]).click();
      const dialog = widgetDialog(page, BUTTON[lang]);
      expect(await dialog.getAttribute('lang')).toBe(lang);
      expect(await dialog.getAttribute('dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
      await dialog.getByRole('radio', { name: QUESTIONS.satisfaction.answers.good[lang] }).click();
      await fitsWidth(page, dialog);
      found.smileys = await axeViolations(page);
      await dialog.getByRole('button', { name: MESSAGES.sendRating[lang] }).click();
      await dialog.getByRole('heading', { name: MESSAGES.more[lang] }).waitFor();
      expect(await dialog.getByRole('status').textContent()).toBe(MESSAGES.sent[lang]);
      found['follow-ups'] = await axeViolations(page);
      await dialog.getByRole('checkbox', { name: QUESTIONS.help_sought.answers.phone[lang] }).click();
      const phone = dialog.getByRole('group', { name: QUESTIONS.help_sought.answers.phone[lang], exact: true });
      await phone.getByRole('radio', { name: QUESTIONS.help_reached.answers.yes[lang] }).click();
      await dialog.getByRole('group', { name: QUESTIONS.help_quality.question[lang] }).getByRole('radio', { name: /^4/ }).click();
      await fitsWidth(page, dialog);
      found['follow-ups, phone reached'] = await axeViolations(page);
      await dialog.getByRole('button', { name: MESSAGES.sendAnswers[lang] }).click();
      await dialog.getByRole('heading', { name: MESSAGES.thanks[lang] }).waitFor();
      found.thanks = await axeViolations(page);
      expect(found).toEqual({ smileys: [], 'follow-ups': [], 'follow-ups, phone reached': [], thanks: [] });
      await expectStored(fx.databasePath, [
        {
          procedure_id: 'demo',
          placement_id: 'site',
          lang,
          satisfaction: 'good',
          help_other: null,
          comment: null,
          answers: ['help_quality[phone]=4', 'help_reached[phone]=yes', 'help_sought=phone'],
        },
      ]);
    });
  }

  for (const width of [1280, 320]) {
    test(`Arabic at ${width} px mirrors the layout: smileys and scales read from low to high, right to left`, async () => {
      const { page } = await fx.newPage({ viewport: { width, height: 900 } });
      await page.goto(fx.serve(`/rtl-${width}`, procedurePage(fx.server.url, { lang: 'ar' })));
      await widgetButton(page, BUTTON.ar).click();
      const dialog = widgetDialog(page, BUTTON.ar);
      const x = async (locator: Locator) => (await locator.boundingBox())!.x;
      const answers = QUESTIONS.satisfaction.answers;
      const tile = (name: string) => dialog.locator('label.choice', { hasText: name });
      expect(await x(tile(answers.bad.ar))).toBeGreaterThan(await x(tile(answers.medium.ar)));
      expect(await x(tile(answers.medium.ar))).toBeGreaterThan(await x(tile(answers.good.ar)));
      // The title at the start (right), « إغلاق » at the end (left).
      expect(await x(dialog.getByRole('heading', { name: BUTTON.ar }))).toBeGreaterThan(
        await x(dialog.getByRole('button', { name: MESSAGES.close.ar })),
      );
      await page.screenshot({ path: `${SHOTS}/ar-${width}-smileys.png` });
      await tile(answers.medium.ar).click();
      await dialog.getByRole('button', { name: MESSAGES.sendRating.ar }).click();
      await dialog.getByRole('heading', { name: MESSAGES.more.ar }).waitFor();
      await dialog.getByRole('checkbox', { name: QUESTIONS.help_sought.answers.counter.ar }).click();
      const clarity = dialog.getByRole('group', { name: QUESTIONS.clarity.question.ar });
      const scaleTile = (n: string) => clarity.locator('label.choice', { hasText: n });
      expect(await x(scaleTile('1'))).toBeGreaterThan(await x(scaleTile('5')));
      // The low end's name under 1 (right), the high end's under 5 (left).
      expect(await x(clarity.getByText(QUESTIONS.clarity.low.ar))).toBeGreaterThan(await x(clarity.getByText(QUESTIONS.clarity.high.ar)));
      // The questions a ticked channel opens hang from a line on the start side: the right.
      const opened = dialog.locator('.opens').first();
      expect(
        await opened.evaluate((element) => [getComputedStyle(element).borderRightWidth, getComputedStyle(element).borderLeftWidth]),
      ).toEqual(['2px', '0px']);
      await page.screenshot({ path: `${SHOTS}/ar-${width}-follow-ups.png` });
      await fitsWidth(page, dialog);
    });
  }

  test('the hosted form and the privacy notice speak each language, Arabic right to left, axe-core clean', async () => {
    const { page } = await fx.newPage({ viewport: { width: 320, height: 640 } });
    const found: Record<string, unknown> = {};
    for (const lang of Object.keys(BUTTON) as (keyof typeof BUTTON)[]) {
      await page.goto(`${fx.server.url}/avis/demo?placement=email&lang=${lang}`);
      expect([await page.locator('html').getAttribute('lang'), await page.locator('html').getAttribute('dir')]).toEqual([
        lang,
        lang === 'ar' ? 'rtl' : null,
      ]);
      await page.getByRole('radio', { name: QUESTIONS.satisfaction.answers.bad[lang] }).waitFor();
      await page.getByRole('button', { name: MESSAGES.sendRating[lang] }).waitFor();
      found[`/avis ${lang}`] = await axeViolations(page);
      // Six other languages' links wrap at 320 px: nothing runs off the page sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
      await page.goto(`${fx.server.url}/confidentialite?lang=${lang}`);
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      expect(await page.getByText(MESSAGES.anonymous[lang]).count()).toBe(1);
      found[`/confidentialite ${lang}`] = await axeViolations(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
      if (lang === 'ar') await page.screenshot({ path: `${SHOTS}/ar-320-privacy.png`, fullPage: true });
    }
    expect(Object.values(found).flat()).toEqual([]);
  });
});
