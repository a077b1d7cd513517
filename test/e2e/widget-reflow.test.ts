import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeInBrowser } from '../helpers/browser.ts';
import {
  axeViolations,
  procedurePage,
  startWidgetFixture,
  widgetButton,
  widgetDialog,
  type WidgetFixture,
} from './helpers/widget-fixture.ts';

// WCAG 2.1 AA 1.4.4 (resize text) and 1.4.10 (reflow), in Chromium on an agency's page: the dialog at
// 320 CSS px, at 200 % zoom and with the browser's default font at 24 px, through every step; and a
// host page wider than a phone's screen.

let fx: WidgetFixture;

describeInBrowser('the widget on any screen, zoom and font size', () => {
  beforeAll(async () => {
    fx = await startWidgetFixture('widget-reflow');
  });
  afterAll(async () => fx?.close());

  /**
   * The browser's default font size, as a user sets it in the settings (not the page's zoom): Chrome
   * keeps it in its per-page preferences, which the DevTools protocol sets.
   */
  async function defaultFontSize(context: BrowserContext, page: Page, px: number): Promise<void> {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Page.setFontSizes', { fontSizes: { standard: px } });
  }

  async function expectNoSidewaysOverflow(page: Page, dialog: Locator): Promise<void> {
    const viewport = page.viewportSize()!;
    const box = (await dialog.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
    expect(await dialog.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
  }

  /** The five radios of a 1..5 scale all start at the same height: one row. */
  async function expectOneRow(scale: Locator): Promise<void> {
    const radios = scale.getByRole('radio');
    expect(await radios.count()).toBe(5);
    const tops = await Promise.all((await radios.all()).map(async (radio) => Math.round((await radio.boundingBox())!.y)));
    expect(new Set(tops).size, `tops ${tops}`).toBe(1);
  }

  for (const [name, options, fontSize] of [
    ['320 CSS px wide', { viewport: { width: 320, height: 640 } }, 16],
    // What 200 % zoom does to a 1280-px window: a 640-CSS-px layout, each CSS px drawn with two device pixels.
    ['200 % zoom of a 1280-px window', { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 }, 16],
    ['a 24-px default font, 640 px wide', { viewport: { width: 640, height: 800 } }, 24],
    ['a 24-px default font, 1280 px wide', { viewport: { width: 1280, height: 800 } }, 24],
  ] as const) {
    test(`at ${name}: header on one line, scales on one row, no sideways overflow, text at the user's size, no axe violation`, async () => {
      const { context, page } = await fx.newPage(options);
      if (fontSize != 16) await defaultFontSize(context, page, fontSize);
      await page.goto(fx.serve('/reflow', procedurePage(fx.server.url)));
      await widgetButton(page).click();
      const dialog = widgetDialog(page);
      const violations: Record<string, unknown> = {};

      // The header: the title and « Fermer » side by side, the title on one line.
      const title = dialog.getByRole('heading', { name: 'Je donne mon avis' });
      await title.waitFor();
      const [titleBox, closeBox, lineHeight] = [
        (await title.boundingBox())!,
        (await dialog.getByRole('button', { name: 'Fermer' }).boundingBox())!,
        await title.evaluate((h2) => parseFloat(getComputedStyle(h2).lineHeight)),
      ];
      expect(titleBox.height).toBeLessThan(1.5 * lineHeight);
      expect(closeBox.y).toBeLessThan(titleBox.y + titleBox.height);
      // Text follows the browser's default font size, whatever the host page's root size (1.5 × at 24 px).
      const question = dialog.getByRole('group', { name: 'De façon générale, comment ça s’est passé\u00a0?' });
      expect(await question.evaluate((fieldset) => getComputedStyle(fieldset).fontSize)).toBe(`${fontSize}px`);
      await expectNoSidewaysOverflow(page, dialog);
      violations.smileys = await axeViolations(page);

      await dialog.getByRole('radio', { name: 'Très bien' }).click();
      await dialog.getByRole('button', { name: 'Envoyer mon avis' }).click();
      await dialog.getByRole('checkbox', { name: 'Par téléphone' }).click();
      await dialog.getByRole('group', { name: 'Par téléphone' }).getByRole('radio', { name: 'Oui' }).click();
      await dialog.getByRole('checkbox', { name: 'Autre' }).click();
      await expectOneRow(dialog.getByRole('group', { name: 'Qu’avez-vous pensé des informations et des instructions fournies\u00a0?' }));
      await expectOneRow(dialog.getByRole('group', { name: 'Comment évaluez-vous la qualité de l’aide obtenue\u00a0?' }));
      await expectNoSidewaysOverflow(page, dialog);
      violations['follow-ups, every question shown'] = await axeViolations(page);

      await dialog.getByRole('button', { name: 'Envoyer mes réponses' }).click();
      await dialog.getByRole('heading', { name: 'Merci pour votre aide\u00a0!' }).waitFor();
      await expectNoSidewaysOverflow(page, dialog);
      violations.thanks = await axeViolations(page);
      expect(violations).toEqual({ smileys: [], 'follow-ups, every question shown': [], thanks: [] });
    });
  }

  test('with a 24-px default font the widget’s text is 1.5 × larger, like the hosted form’s, even on a page that sets its own root size', async () => {
    const sizes: Record<number, string[]> = {};
    for (const px of [16, 24]) {
      const { context, page } = await fx.newPage();
      await defaultFontSize(context, page, px);
      // The host page sets a root size of its own (as the demo's hostile page does): rem would follow it.
      fx.serve('/root.css', 'html { font-size: 40px; }', { 'content-type': 'text/css' });
      await page.goto(fx.serve('/big-root', procedurePage(fx.server.url, { before: '<link rel="stylesheet" href="/root.css">' })));
      await widgetButton(page).click();
      const legend = widgetDialog(page).getByText('De façon générale, comment ça s’est passé\u00a0?');
      await legend.waitFor();
      const hosted = await context.newPage();
      await defaultFontSize(context, hosted, px);
      await hosted.goto(`${fx.server.url}/avis/demo`);
      sizes[px] = [
        await widgetButton(page).evaluate((button) => getComputedStyle(button).fontSize),
        await legend.evaluate((element) => getComputedStyle(element).fontSize),
        await hosted
          .getByText('De façon générale, comment ça s’est passé\u00a0?')
          .evaluate((element) => getComputedStyle(element).fontSize),
      ];
    }
    expect(sizes).toEqual({ 16: ['16px', '16px', '16px'], 24: ['24px', '24px', '24px'] });
  });

  test('on a phone, a host page with a 2,000-px unbroken line does not push the dialog off the screen', async () => {
    const { page } = await fx.newPage({ viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await page.goto(fx.serve('/wide', procedurePage(fx.server.url, { before: `<p>${'x'.repeat(2000)}</p>` })));
    // The line really is wider than the screen: the page can be scrolled sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeGreaterThan(2000);
    await widgetButton(page).click();
    const dialog = widgetDialog(page);
    await dialog.getByRole('radio', { name: 'Très bien' }).waitFor();
    const onScreen = () =>
      page.evaluate(() => {
        const dialog = document.querySelector('jdma-avis')!.shadowRoot!.querySelector('dialog')!.getBoundingClientRect();
        const view = visualViewport!;
        return (
          dialog.left >= view.offsetLeft &&
          dialog.right <= view.offsetLeft + view.width &&
          dialog.top >= view.offsetTop &&
          dialog.bottom <= view.offsetTop + view.height
        );
      });
    expect(await onScreen()).toBe(true);
    await dialog.getByRole('radio', { name: 'Très bien' }).click();
    await dialog.getByRole('button', { name: 'Envoyer mon avis' }).click();
    await dialog.getByRole('heading', { name: 'Quelques questions de plus (facultatif)' }).waitFor();
    expect(await onScreen()).toBe(true);
  });
});
