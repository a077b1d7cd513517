import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeInBrowser } from '../helpers/browser.ts';
import { MIN_FORM_MS } from '../../server/hosted-form-guard.ts';
import {
  axeViolations,
  focusedElement,
  isFocused,
  procedurePage,
  startWidgetFixture,
  widgetButton,
  widgetDialog,
  type WidgetFixture,
} from './helpers/widget-fixture.ts';

// Accessibility (SPEC §1; WCAG 2.1 AA / RGAA 4.1): axe-core at every step of the dialog, in both
// themes, on the agency's page; the modal's focus contract; 320 px and 200 % zoom; no motion.

let fx: WidgetFixture;

describeInBrowser('accessibility of the widget', () => {
  beforeAll(async () => {
    fx = await startWidgetFixture('widget-a11y');
  });
  afterAll(async () => fx?.close());

  /** Walks the dialog through every step, with every conditional question shown, calling `check` at each. */
  async function everyStep(page: Page, check: (step: string) => Promise<void>): Promise<void> {
    await widgetButton(page).waitFor();
    await check('button on the page');
    await widgetButton(page).click();
    const dialog = widgetDialog(page);
    await dialog.getByRole('radio', { name: 'Moyen' }).waitFor();
    await check('smileys');
    await dialog.getByRole('button', { name: 'Envoyer mon avis' }).click();
    // The radios are required: the widget stops the empty submit, says why and focuses the group.
    await expect.poll(() => focusedElement(page)).toBe('input[radio] Pas bien');
    await dialog.getByRole('alert').filter({ hasText: 'Choisissez une réponse pour envoyer votre avis.' }).waitFor();
    expect(
      await dialog.getByRole('radio', { name: 'Pas bien' }).evaluate((radio) => (radio as HTMLInputElement).validity.valueMissing),
    ).toBe(true);
    await check('smileys, none chosen');
    await dialog.getByRole('radio', { name: 'Moyen' }).click();
    await dialog.getByRole('button', { name: 'Envoyer mon avis' }).click();
    await dialog.getByRole('heading', { name: 'Quelques questions de plus (facultatif)' }).waitFor();
    await check('follow-ups');
    for (const channel of ['Au guichet', 'Par téléphone', 'Par e-mail', 'Par chat', 'Autre']) {
      await dialog.getByRole('checkbox', { name: channel }).click();
    }
    await dialog.getByRole('group', { name: 'Par téléphone' }).getByRole('radio', { name: 'Oui' }).click();
    await dialog.getByRole('group', { name: 'Au guichet' }).getByRole('radio', { name: 'Non' }).click();
    await check('follow-ups, every question shown');
    await dialog.getByRole('button', { name: 'Envoyer mes réponses' }).click();
    await dialog.getByRole('heading', { name: 'Merci pour votre aide\u00a0!' }).waitFor();
    await check('thanks');
  }

  for (const [theme, colorScheme] of [
    ['light', 'light'],
    ['dark', 'dark'],
    ['auto', 'dark'],
  ] as const) {
    test(`axe-core finds no violation at any step (data-theme="${theme}", ${colorScheme} system)`, async () => {
      const { page } = await fx.newPage({ colorScheme });
      await page.goto(fx.serve(`/a11y-${theme}`, procedurePage(fx.server.url, { attrs: { 'data-theme': theme } })));
      const found: Record<string, unknown> = {};
      await everyStep(page, async (step) => {
        found[step] = await axeViolations(page);
      });
      expect(found).toEqual({
        'button on the page': [],
        smileys: [],
        'smileys, none chosen': [],
        'follow-ups': [],
        'follow-ups, every question shown': [],
        thanks: [],
      });
    });
  }

  test('the dialog has a name, takes the focus, keeps it inside, closes on Escape and gives it back to the button', async () => {
    const { page } = await fx.newPage();
    await page.goto(
      fx.serve(
        '/focus',
        procedurePage(fx.server.url, {
          before: '<p><a href="#before">Un lien de la page</a></p>',
          after: '<p><a href="#after">Un autre lien</a></p>',
        }),
      ),
    );
    const button = widgetButton(page);
    await button.click();
    const dialog = widgetDialog(page);
    await expect.poll(() => focusedElement(page)).toBe('input[radio] Pas bien');

    const insideDialog = () =>
      page.evaluate(() => {
        let active: Element | null = document.activeElement;
        while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
        return active?.closest('dialog') !== null && active !== null;
      });
    const focusables = ['Fermer', 'radio', 'Envoyer mon avis'].length;
    for (let i = 0; i < focusables * 3; i++) {
      await page.keyboard.press('Tab');
      expect(await insideDialog(), `after ${i + 1} Tab: ${await focusedElement(page)}`).toBe(true);
    }
    for (let i = 0; i < focusables * 2; i++) {
      await page.keyboard.press('Shift+Tab');
      expect(await insideDialog(), `after ${i + 1} Shift+Tab: ${await focusedElement(page)}`).toBe(true);
    }
    await page.keyboard.press('Escape');
    expect(await dialog.count()).toBe(0);
    expect(await isFocused(button)).toBe(true);
  });

  test('status changes are announced through a live region that exists before they happen', async () => {
    const { page } = await fx.newPage();
    await page.goto(fx.serve('/live', procedurePage(fx.server.url)));
    await widgetButton(page).click();
    const status = widgetDialog(page).getByRole('status');
    expect(await status.textContent()).toBe('');
    await widgetDialog(page).getByRole('radio', { name: 'Très bien' }).click();
    await widgetDialog(page).getByRole('button', { name: 'Envoyer mon avis' }).click();
    await expect.poll(() => status.textContent()).toBe('Merci, votre avis a été envoyé.');
  });

  test('« Envoyer » with no smiley chosen shows and announces why, in the DSFR’s error style, in French and English; nothing is sent', async () => {
    for (const [attrs, texts] of [
      [
        {},
        {
          button: 'Je donne mon avis',
          send: 'Envoyer mon avis',
          smiley: 'Très bien',
          alert: 'Choisissez une réponse pour envoyer votre avis.',
        },
      ],
      [
        { 'data-lang': 'en' },
        { button: 'Give my feedback', send: 'Send my feedback', smiley: 'Very good', alert: 'Choose an answer to send your feedback.' },
      ],
    ] as const) {
      const { page } = await fx.newPage();
      const posted: string[] = [];
      page.on('request', (request) => request.method() === 'POST' && posted.push(request.url()));
      await page.goto(fx.serve(`/none-chosen-${'data-lang' in attrs ? 'en' : 'fr'}`, procedurePage(fx.server.url, { attrs })));
      await widgetButton(page, texts.button).click();
      const dialog = widgetDialog(page, texts.button);
      const alert = dialog.getByRole('alert');
      // A live region says only what changes in it: it is there, empty, before the message.
      expect(await alert.textContent()).toBe('');
      await dialog.getByRole('button', { name: texts.send }).click();
      await expect.poll(() => alert.textContent()).toBe(texts.alert);
      expect(await alert.isVisible()).toBe(true);
      // Tied to every smiley, so that each says why when it takes the focus; the first one has it.
      const smileys = dialog.getByRole('radio');
      expect(await smileys.count()).toBe(3);
      for (const radio of await smileys.all()) expect(await radio.getAttribute('aria-describedby')).toBe(await alert.getAttribute('id'));
      expect(await smileys.first().evaluate((radio) => radio === (radio.getRootNode() as ShadowRoot).activeElement)).toBe(true);
      // The DSFR's error red (#ce0500) for the message and a line on the group's left.
      expect(await alert.evaluate((element) => getComputedStyle(element).color)).toBe('rgb(206, 5, 0)');
      expect(
        await dialog
          .getByRole('group')
          .first()
          .evaluate((group) => getComputedStyle(group).borderLeftColor),
      ).toBe('rgb(206, 5, 0)');
      expect(posted).toEqual([]);
      // Choosing clears it, and the rating goes.
      await dialog.getByRole('radio', { name: texts.smiley, exact: true }).click();
      expect(await alert.textContent()).toBe('');
      await dialog.getByRole('button', { name: texts.send }).click();
      await expect.poll(() => posted).toEqual([`${fx.server.url}/api/v1/reviews`]);
    }
  });

  async function fitsWidth(page: Page, dialog: Locator): Promise<void> {
    const viewport = page.viewportSize()!;
    const box = (await dialog.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
    expect(await dialog.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
  }

  for (const [name, options] of [
    ['320 px wide', { viewport: { width: 320, height: 640 } }],
    ['200 % zoom of a 1280 px screen', { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 }],
  ] as const) {
    test(`usable at ${name}: nothing overflows sideways, every step can be completed`, async () => {
      const { page } = await fx.newPage(options);
      await page.goto(fx.serve('/narrow', procedurePage(fx.server.url)));
      await widgetButton(page).click();
      const dialog = widgetDialog(page);
      await dialog.getByRole('radio', { name: 'Très bien' }).click();
      await fitsWidth(page, dialog);
      await dialog.getByRole('button', { name: 'Envoyer mon avis' }).click();
      await dialog.getByRole('checkbox', { name: 'Par téléphone' }).click();
      await dialog.getByRole('group', { name: 'Par téléphone' }).getByRole('radio', { name: 'Oui' }).click();
      await dialog
        .getByRole('group', { name: 'Comment évaluez-vous la qualité de l’aide obtenue\u00a0?' })
        .getByRole('radio', { name: /^5/ })
        .click();
      await fitsWidth(page, dialog);
      await dialog.getByRole('button', { name: 'Envoyer mes réponses' }).click();
      await dialog.getByRole('heading', { name: 'Merci pour votre aide\u00a0!' }).waitFor();
    });
  }

  test('nothing moves under prefers-reduced-motion: no animation, no transition', async () => {
    const { page } = await fx.newPage({ reducedMotion: 'reduce' });
    await page.goto(fx.serve('/motion', procedurePage(fx.server.url)));
    const moving = () =>
      page.evaluate(() => {
        const root = document.querySelector('jdma-avis')!.shadowRoot!;
        return [...root.querySelectorAll('*')]
          .filter((element) => {
            const style = getComputedStyle(element);
            return style.transitionDuration !== '0s' || style.animationName !== 'none' || element.getAnimations().length > 0;
          })
          .map((element) => element.tagName);
      });
    await everyStep(page, async () => {
      expect(await moving()).toEqual([]);
    });
  });

  test('the hosted form page has no axe-core violation at any step (it has no script: JavaScript on or off, the same page)', async () => {
    {
      const { page } = await fx.newPage();
      await page.goto(`${fx.server.url}/avis/demo?placement=email`);
      expect(await page.locator('script').count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Envoyer mon avis' }).click(); // none chosen: the browser asks
      // Sent back within 2 seconds of the page: the collector asks to confirm, choice kept.
      await page.goto(`${fx.server.url}/avis/demo?placement=email`);
      await page.getByRole('radio', { name: 'Très bien' }).check();
      await page.getByRole('button', { name: 'Envoyer mon avis' }).click();
      await page.getByText('Merci de confirmer votre avis').waitFor();
      expect(await page.getByRole('radio', { name: 'Très bien' }).isChecked()).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      await page.waitForTimeout(MIN_FORM_MS + 200);
      await page.getByRole('button', { name: 'Envoyer mon avis' }).click();
      await page.getByRole('heading', { name: 'Merci, votre avis a été envoyé.' }).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('checkbox', { name: 'Par téléphone' }).check();
      await page.getByRole('checkbox', { name: 'Autre' }).check();
      await page
        .getByRole('group', { name: 'Par téléphone\u00a0: Avez-vous réussi à joindre l’administration\u00a0?' })
        .getByRole('radio', { name: 'Oui' })
        .check();
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('checkbox', { name: 'Je n’ai pas eu besoin d’aide' }).check();
      await page.getByRole('button', { name: 'Envoyer mes réponses' }).click();
      await page.getByRole('heading', { name: 'Le formulaire contient une erreur' }).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Passer ces questions' }).click();
      await page.getByRole('heading', { name: 'Merci pour votre aide\u00a0!' }).waitFor();
      expect(await axeViolations(page)).toEqual([]);
    }
  });
});
