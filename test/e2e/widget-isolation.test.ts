import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeInBrowser } from '../helpers/browser.ts';
import {
  expectStored,
  procedurePage,
  startWidgetFixture,
  widgetButton,
  widgetDialog,
  type WidgetFixture,
} from './helpers/widget-fixture.ts';

// Isolation and strict CSP (SPEC §5): the widget needs no CSP exception, and neither the
// host's CSS nor the widget's crosses the shadow boundary.

let fx: WidgetFixture;

describeInBrowser('isolation from the host page', () => {
  beforeAll(async () => {
    fx = await startWidgetFixture('widget-isolation');
  });
  afterAll(async () => fx?.close());

  test("under default-src 'none' with only the collector allowed, the whole flow works with zero CSP violations", async () => {
    const collector = fx.server.url;
    const csp =
      `default-src 'none'; script-src ${collector}; connect-src ${collector}; style-src ${collector}; ` +
      `img-src ${collector}; font-src ${collector}; report-uri ${fx.site.origin}/csp-report`;
    const { page } = await fx.newPage();
    // Registered before any page script runs: every violation of the page's lifetime is seen.
    await page.addInitScript(() => {
      const violations: string[] = [];
      (window as unknown as { violations: string[] }).violations = violations;
      document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.violatedDirective} ${event.blockedURI}`));
    });
    await page.goto(fx.serve('/strict-csp', procedurePage(collector), { 'content-security-policy': csp }));

    await widgetButton(page).click();
    const dialog = widgetDialog(page);
    await dialog.getByRole('radio', { name: 'Très bien' }).click();
    await dialog.getByRole('button', { name: 'Envoyer mon avis' }).click();
    await dialog.getByRole('checkbox', { name: 'Par e-mail' }).click();
    await dialog.getByRole('group', { name: 'Par e-mail' }).getByRole('radio', { name: 'Non' }).click();
    await dialog.getByRole('button', { name: 'Envoyer mes réponses' }).click();
    await expectStored(fx.databasePath, [
      {
        procedure_id: 'demo',
        placement_id: 'site',
        lang: 'fr',
        satisfaction: 'good',
        help_other: null,
        comment: null,
        answers: ['help_reached[email]=no', 'help_sought=email'],
      },
    ]);

    // The styles did apply (a blocked stylesheet would leave a default grey button).
    expect(
      await dialog
        .getByRole('button', { name: 'Fermer' })
        .first()
        .evaluate((button) => getComputedStyle(button).color),
    ).toBe('rgb(0, 0, 145)');
    expect(await widgetButton(page).evaluate((button) => getComputedStyle(button).backgroundColor)).toBe('rgb(0, 0, 145)');
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
    // A report, had there been one, is sent asynchronously: a page load later, the site has none.
    await page.goto(fx.serve('/after', '<!doctype html><title>after</title>'));
    expect(fx.site.cspReports).toEqual([]);
  });

  test('a browser without constructable stylesheets (Safari < 16.4) gets the same look from a <style> in the shadow root', async () => {
    const { page } = await fx.newPage();
    await page.addInitScript(() => {
      (window as unknown as { CSSStyleSheet: unknown }).CSSStyleSheet = function CSSStyleSheet() {
        throw new TypeError('Illegal constructor');
      };
    });
    await page.goto(fx.serve('/old-safari', procedurePage(fx.server.url)));
    await widgetButton(page).click();
    const dialog = widgetDialog(page);
    await dialog.getByRole('radio', { name: 'Moyen' }).waitFor();
    expect(await page.locator('jdma-avis').evaluate((host) => host.shadowRoot!.querySelectorAll('style').length)).toBe(2);
    expect(await widgetButton(page).evaluate((button) => getComputedStyle(button).backgroundColor)).toBe('rgb(0, 0, 145)');
    expect(
      await dialog.getByRole('button', { name: 'Envoyer mon avis' }).evaluate((button) => getComputedStyle(button).backgroundColor),
    ).toBe('rgb(0, 0, 145)');
  });

  /** The computed styles that make the widget look the way it does. */
  const LOOK = [
    'display',
    'position',
    'font-family',
    'font-size',
    'font-weight',
    'font-style',
    'line-height',
    'letter-spacing',
    'color',
    'background-color',
    'padding-top',
    'padding-left',
    'border-top-width',
    'border-top-color',
    'border-radius',
    'width',
    'height',
  ];
  const look = (locator: Locator) =>
    locator.evaluate((element, properties) => {
      const style = getComputedStyle(element);
      return Object.fromEntries(properties.map((property) => [property, style.getPropertyValue(property)]));
    }, LOOK);

  async function widgetLook(page: Page) {
    const button = widgetButton(page);
    const before = await look(button);
    await button.click();
    const dialog = widgetDialog(page);
    const smiley = dialog.getByRole('radio', { name: 'Moyen' });
    await smiley.waitFor({ state: 'attached' });
    return {
      button: before,
      dialog: await look(dialog),
      legend: await look(dialog.getByText('De façon générale, comment ça s’est passé\u00a0?')),
      smiley: await look(page.locator('jdma-avis').first().locator('label', { hasText: 'Moyen' })),
      send: await look(dialog.getByRole('button', { name: 'Envoyer mon avis' })),
    };
  }

  test('on a page whose CSS is hostile (* { all: unset }, button { display: none !important }, huge fonts) the widget looks and works the same', async () => {
    const calm = (await fx.newPage()).page;
    await calm.goto(`${fx.server.url}/demo`);
    const hostile = (await fx.newPage()).page;
    await hostile.goto(`${fx.server.url}/demo/hostile`);
    // The hostile CSS is really there: the page's own button is hidden, its text is huge.
    expect(await hostile.getByRole('button', { name: 'Bouton de la page, caché par son propre CSS' }).isVisible()).toBe(false);
    expect(await hostile.locator('h1').evaluate((h1) => getComputedStyle(h1).fontSize)).toBe('48px');

    const expected = await widgetLook(calm);
    expect(expected.button['background-color']).toBe('rgb(0, 0, 145)');
    expect(await widgetLook(hostile)).toEqual(expected);

    const dialog = widgetDialog(hostile);
    await dialog.getByRole('radio', { name: 'Moyen' }).click();
    await dialog.getByRole('button', { name: 'Envoyer mon avis' }).click();
    await expect.poll(() => dialog.getByRole('status').textContent()).toBe('Merci, votre avis a été envoyé.');
  });

  test('the widget changes nothing of the host page’s own styles', async () => {
    const hostStyles = async (page: Page) =>
      page.evaluate(() =>
        [...document.querySelectorAll('body *:not(jdma-avis)')]
          .filter((element) => element.getRootNode() === document)
          .map((element) => {
            const style = getComputedStyle(element);
            return `${element.tagName} ${style.display} ${style.fontSize} ${style.fontFamily} ${style.color} ${style.backgroundColor} ${style.margin}`;
          }),
      );
    for (const path of ['/demo', '/demo/hostile']) {
      const without = (await fx.newPage()).page;
      await without.route('**/widget.js', (route) => route.abort());
      await without.goto(fx.server.url + path);
      const withWidget = (await fx.newPage()).page;
      await withWidget.goto(fx.server.url + path);
      await widgetButton(withWidget).click();
      await widgetDialog(withWidget).getByRole('radio', { name: 'Moyen' }).waitFor();
      expect(await hostStyles(withWidget)).toEqual(await hostStyles(without));
    }
  });
});
