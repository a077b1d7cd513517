import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest';
import { describeInBrowser } from '../helpers/browser.ts';
import { readRows } from '../helpers/test-server.ts';
import {
  expectStored,
  focusedElement,
  isFocused,
  procedurePage,
  startWidgetFixture,
  storedReviews,
  tabTo,
  widgetButton,
  widgetDialog,
  type WidgetFixture,
} from './helpers/widget-fixture.ts';
import { addProcedure } from '../helpers/procedures.ts';

// The embed (SPEC §5), as a user and an agency live it: the BUILT widget (dist/) from the REAL collector, on an
// agency's page served from another origin, in Chromium. Each flow asserts the exact rows stored.

let fx: WidgetFixture;
/** Script errors of the pages a test opened: the widget must never throw into the host page. */
let pageErrors: Error[] = [];

describeInBrowser('the widget on an agency’s page', () => {
  beforeAll(async () => {
    fx = await startWidgetFixture('widget-flows');
  });
  afterAll(async () => fx?.close());
  beforeEach(() => {
    fx.server.exec('DELETE FROM review_answers; DELETE FROM reviews;');
    pageErrors = [];
  });
  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  async function open(html: string, path = '/procedure-finished'): Promise<Page> {
    const { page } = await fx.newPage();
    page.on('pageerror', (error) => pageErrors.push(error));
    await page.goto(fx.serve(path, html));
    return page;
  }

  test('mouse: a click on a smiley and « Envoyer mon avis » stores the hot rating at once; the follow-ups complete it', async () => {
    const page = await open(procedurePage(fx.server.url));
    await widgetButton(page).click();
    const dialog = widgetDialog(page);
    await dialog.getByRole('radio', { name: 'Moyen' }).click();
    await dialog.getByRole('button', { name: 'Envoyer mon avis' }).click();

    await expect.poll(() => dialog.getByRole('status').textContent()).toBe('Merci, votre avis a été envoyé.');
    // SPEC §3: stored before any follow-up is answered.
    expect(storedReviews(fx.databasePath)).toEqual([
      { procedure_id: 'demo', placement_id: 'site', lang: 'fr', satisfaction: 'medium', help_other: null, comment: null, answers: [] },
    ]);

    await dialog
      .getByRole('group', { name: 'Qu’avez-vous pensé des informations et des instructions fournies\u00a0?' })
      .getByRole('radio', { name: /^4/ })
      .click();
    await dialog.getByRole('checkbox', { name: 'Au guichet' }).click();
    await dialog.getByRole('checkbox', { name: 'Par téléphone' }).click();
    await dialog.getByRole('checkbox', { name: 'Autre' }).click();
    await dialog.getByRole('textbox', { name: 'Précisez' }).fill('Un forum');
    await dialog.getByRole('group', { name: 'Au guichet' }).getByRole('radio', { name: 'Non' }).click();
    await dialog.getByRole('group', { name: 'Par téléphone' }).getByRole('radio', { name: 'Oui' }).click();
    await dialog.getByRole('group', { name: 'Par téléphone' }).getByRole('radio', { name: /^5/ }).click();
    await dialog.getByRole('textbox', { name: 'Souhaitez-vous nous en dire plus\u00a0?' }).fill('Très clair, merci.');
    await dialog.getByRole('button', { name: 'Envoyer mes réponses' }).click();

    await expect.poll(() => dialog.getByRole('heading', { name: 'Merci pour votre aide\u00a0!' }).count()).toBe(1);
    await expectStored(fx.databasePath, [
      {
        procedure_id: 'demo',
        placement_id: 'site',
        lang: 'fr',
        satisfaction: 'medium',
        help_other: 'Un forum',
        comment: 'Très clair, merci.',
        answers: [
          'clarity=4',
          'help_quality[phone]=5',
          'help_reached[counter]=no',
          'help_reached[phone]=yes',
          'help_sought=counter',
          'help_sought=other',
          'help_sought=phone',
        ],
      },
    ]);

    await dialog.getByRole('button', { name: 'Fermer' }).last().click();
    expect(await dialog.count()).toBe(0);
    expect(await isFocused(widgetButton(page))).toBe(true);
  });

  test('keyboard only: Tab to the button, Enter, arrows in the radio groups, Space on checkboxes, Enter to send', async () => {
    const page = await open(procedurePage(fx.server.url));
    const button = widgetButton(page);
    await tabTo(page, button);
    await page.keyboard.press('Enter');
    const dialog = widgetDialog(page);
    // Focus moves into the dialog, on the first smiley.
    await expect.poll(() => focusedElement(page)).toBe('input[radio] Pas bien');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await dialog.getByRole('radio', { name: 'Très bien' }).isChecked()).toBe(true);
    await tabTo(page, dialog.getByRole('button', { name: 'Envoyer mon avis' }));
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedElement(page)).toBe('h3 Quelques questions de plus (facultatif)');

    await page.keyboard.press('Tab');
    expect(await focusedElement(page)).toBe('input[radio] 1');
    await page.keyboard.press('ArrowRight'); // 2
    await page.keyboard.press('ArrowRight'); // 3
    await tabTo(page, dialog.getByRole('checkbox', { name: 'Par chat' }));
    await page.keyboard.press('Space');
    await tabTo(page, dialog.getByRole('checkbox', { name: 'Je n’ai pas eu besoin d’aide' }));
    await page.keyboard.press('Space'); // exclusive: unticks « Par chat »
    expect(await dialog.getByRole('checkbox', { name: 'Par chat' }).isChecked()).toBe(false);
    await page.keyboard.press('Space'); // untick « none » again
    await tabTo(page, dialog.getByRole('checkbox', { name: 'Par chat' }), { shift: true });
    await page.keyboard.press('Space');
    await tabTo(page, dialog.getByRole('group', { name: 'Par chat' }).getByRole('radio', { name: 'Oui' }));
    await page.keyboard.press('Space');
    await tabTo(
      page,
      dialog.getByRole('group', { name: 'Comment évaluez-vous la qualité de l’aide obtenue\u00a0?' }).getByRole('radio', { name: /^1/ }),
    );
    await page.keyboard.press('ArrowRight'); // 2
    await tabTo(page, dialog.getByRole('textbox', { name: 'Souhaitez-vous nous en dire plus\u00a0?' }));
    await page.keyboard.type('Au clavier.');
    await tabTo(page, dialog.getByRole('button', { name: 'Envoyer mes réponses' }));
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedElement(page)).toBe('h3 Merci pour votre aide\u00a0!');

    await expectStored(fx.databasePath, [
      {
        procedure_id: 'demo',
        placement_id: 'site',
        lang: 'fr',
        satisfaction: 'good',
        help_other: null,
        comment: 'Au clavier.',
        answers: ['clarity=3', 'help_quality[chat]=2', 'help_reached[chat]=yes', 'help_sought=chat'],
      },
    ]);
    await page.keyboard.press('Escape');
    expect(await widgetDialog(page).count()).toBe(0);
    expect(await isFocused(button)).toBe(true);
  });

  test('closing right after the hot rating keeps it: one click counts (SPEC §3)', async () => {
    const page = await open(procedurePage(fx.server.url));
    await widgetButton(page).click();
    await widgetDialog(page).getByRole('radio', { name: 'Pas bien' }).click();
    await widgetDialog(page).getByRole('button', { name: 'Envoyer mon avis' }).click();
    await expect.poll(() => readRows(fx.databasePath, 'SELECT satisfaction FROM reviews')).toEqual([{ satisfaction: 'bad' }]);
    await page.keyboard.press('Escape');
    await page.close();
    expect(storedReviews(fx.databasePath)).toEqual([
      { procedure_id: 'demo', placement_id: 'site', lang: 'fr', satisfaction: 'bad', help_other: null, comment: null, answers: [] },
    ]);
  });

  test('in English with data-lang="en", or with <html lang="en">', async () => {
    for (const html of [procedurePage(fx.server.url, { attrs: { 'data-lang': 'en' } }), procedurePage(fx.server.url, { lang: 'en-GB' })]) {
      const page = await open(html);
      await widgetButton(page, 'Give my feedback').click();
      const dialog = widgetDialog(page, 'Give my feedback');
      expect(await dialog.getAttribute('lang')).toBe('en');
      await dialog.getByRole('group', { name: 'Overall, how was your experience?' }).getByRole('radio', { name: 'Very good' }).click();
      await dialog.getByRole('button', { name: 'Send my feedback' }).click();
      await expect.poll(() => dialog.getByRole('status').textContent()).toBe('Thank you, your feedback has been sent.');
      await dialog.getByRole('button', { name: 'Skip these questions' }).click();
      await expect.poll(() => dialog.getByRole('heading', { name: 'Thank you for your help!' }).count()).toBe(1);
    }
    expect(readRows(fx.databasePath, 'SELECT lang, satisfaction FROM reviews')).toEqual([
      { lang: 'en', satisfaction: 'good' },
      { lang: 'en', satisfaction: 'good' },
    ]);
  });

  test('the host element dispatches jdma:rated and jdma:completed, which bubble to the page', async () => {
    const page = await open(procedurePage(fx.server.url));
    await page.evaluate(() => {
      const seen: unknown[] = [];
      (window as unknown as { seen: unknown[] }).seen = seen;
      for (const type of ['jdma:rated', 'jdma:completed']) {
        document.addEventListener(type, (event) =>
          seen.push({
            type,
            target: (event.target as Element).tagName.toLowerCase(),
            detail: (event as CustomEvent).detail,
          }),
        );
      }
    });
    await widgetButton(page).click();
    await widgetDialog(page).getByRole('radio', { name: 'Très bien' }).click();
    await widgetDialog(page).getByRole('button', { name: 'Envoyer mon avis' }).click();
    await widgetDialog(page).getByRole('button', { name: 'Passer ces questions' }).click();
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { seen: unknown[] }).seen))
      .toEqual([
        { type: 'jdma:rated', target: 'jdma-avis', detail: { procedure: 'demo', placement: 'site', satisfaction: 'good', queued: false } },
        { type: 'jdma:completed', target: 'jdma-avis', detail: { procedure: 'demo', placement: 'site', answered: false } },
      ]);
  });

  test('jdma.open(procedure) opens the dialog from the page’s own code; an unknown procedure opens nothing', async () => {
    const page = await open(procedurePage(fx.server.url));
    await widgetButton(page).waitFor();
    expect(await page.evaluate(() => (window as unknown as { jdma: { open(id: string): boolean } }).jdma.open('nope'))).toBe(false);
    expect(await page.evaluate(() => (window as unknown as { jdma: { open(id: string): boolean } }).jdma.open('demo'))).toBe(true);
    await widgetDialog(page).getByRole('radio', { name: 'Moyen' }).waitFor();
    expect(await widgetDialog(page).isVisible()).toBe(true);
  });

  test('with several widgets, jdma.open picks the one asked by procedure or placement; without an argument, the first', async () => {
    if (!(await fx.server.store.procedures.find('carte-grise'))) {
      await addProcedure(fx.server.store, { id: 'carte-grise', title: 'Carte grise', entity: 'ANTS', origins: [fx.site.origin] });
    }
    const tag = (attrs: string) => `<script src="${fx.server.url}/widget.js" ${attrs} async></script>`;
    const page = await open(
      procedurePage(fx.server.url, {
        after: `${tag('data-procedure="demo" data-placement="courriel"')}${tag('data-procedure="carte-grise"')}`,
      }),
    );
    await expect.poll(() => widgetButton(page).count()).toBe(3);
    /** Which widgets, in page order, show their dialog after `jdma.open(...asked)`; each closed again before the next. */
    const opened = async (...asked: string[]) => {
      const result = await page.evaluate(
        (args) => (window as unknown as { jdma: { open(id?: string): boolean } }).jdma.open(...args),
        asked,
      );
      const hosts = page.locator('jdma-avis');
      const shown: number[] = [];
      if (result) await widgetDialog(page).waitFor();
      for (let i = 0; i < 3; i++) if (await hosts.nth(i).getByRole('dialog').isVisible()) shown.push(i);
      for (const i of shown) await hosts.nth(i).getByRole('button', { name: 'Fermer' }).last().click();
      await expect.poll(() => widgetDialog(page).count()).toBe(0);
      return { result, shown };
    };
    // Widgets in page order: demo on « site », demo on « courriel », carte-grise on the default placement.
    expect(await opened('carte-grise')).toEqual({ result: true, shown: [2] });
    expect(await opened('courriel')).toEqual({ result: true, shown: [1] });
    expect(await opened('site')).toEqual({ result: true, shown: [0] });
    expect(await opened('demo')).toEqual({ result: true, shown: [0] });
    expect(await opened()).toEqual({ result: true, shown: [0] });
    expect(await opened('nope')).toEqual({ result: false, shown: [] });
  });

  test('several widgets, for different procedures, on one page each store their own reviews', async () => {
    if (!(await fx.server.store.procedures.find('carte-grise'))) {
      await addProcedure(fx.server.store, { id: 'carte-grise', title: 'Carte grise', entity: 'ANTS', origins: [fx.site.origin] });
    }
    const page = await open(
      procedurePage(fx.server.url, {
        after: `<section><h2>Autre démarche</h2><script src="${fx.server.url}/widget.js" data-procedure="carte-grise" async></script></section>`,
      }),
    );
    const buttons = widgetButton(page);
    await expect.poll(() => buttons.count()).toBe(2);
    for (const [index, answer] of [
      [0, 'Pas bien'],
      [1, 'Très bien'],
    ] as const) {
      await buttons.nth(index).click();
      const dialog = widgetDialog(page);
      await dialog.getByRole('radio', { name: answer }).click();
      await dialog.getByRole('button', { name: 'Envoyer mon avis' }).click();
      await dialog.getByRole('button', { name: 'Passer ces questions' }).click();
      await dialog.getByRole('button', { name: 'Fermer' }).last().click();
    }
    await expect
      .poll(() => readRows(fx.databasePath, 'SELECT procedure_id, placement_id, satisfaction FROM reviews ORDER BY id'))
      .toEqual([
        { procedure_id: 'demo', placement_id: 'site', satisfaction: 'bad' },
        { procedure_id: 'carte-grise', placement_id: 'default', satisfaction: 'good' },
      ]);
  });

  test('data-target puts the button in the agency’s element; data-mode="floating" in a corner of the viewport', async () => {
    const page = await open(
      procedurePage(fx.server.url, {
        attrs: { 'data-target': '#avis' },
        after: '<aside id="avis"><p>Votre avis compte</p></aside>',
      }),
    );
    await widgetButton(page).waitFor();
    expect(await page.locator('#avis jdma-avis').count()).toBe(1);

    const floating = await open(procedurePage(fx.server.url, { attrs: { 'data-mode': 'floating' } }), '/floating');
    const box = await widgetButton(floating).boundingBox();
    const viewport = floating.viewportSize()!;
    expect(box!.x + box!.width).toBe(viewport.width - 16);
    expect(box!.y + box!.height).toBe(viewport.height - 16);
  });

  test('no global but jdma, no cookie, and silence in the console unless data-debug', async () => {
    const { context, page } = await fx.newPage();
    const console: string[] = [];
    page.on('console', (message) => console.push(message.text()));
    await page.goto(
      fx.serve(
        '/globals',
        procedurePage(fx.server.url, { attrs: { 'data-procedure': 'demo' } }).replace(/<script src=[^>]*><\/script>/, ''),
      ),
    );
    const before: string[] = await page.evaluate(() => Object.getOwnPropertyNames(window));
    await page.evaluate((src) => {
      const script = document.createElement('script');
      script.src = src;
      script.dataset.procedure = 'demo';
      document.querySelector('main')!.append(script);
    }, `${fx.server.url}/widget.js`);
    await widgetButton(page).click();
    await widgetDialog(page).getByRole('radio', { name: 'Moyen' }).click();
    await widgetDialog(page).getByRole('button', { name: 'Envoyer mon avis' }).click();
    await widgetDialog(page).getByRole('button', { name: 'Passer ces questions' }).click();
    await expect.poll(() => storedReviews(fx.databasePath).length).toBe(1);

    const after: string[] = await page.evaluate(() => Object.getOwnPropertyNames(window));
    expect(after.filter((name) => !before.includes(name))).toEqual(['jdma']);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(await context.cookies()).toEqual([]);
    expect(console).toEqual([]);
  });

  test('data-debug lets the widget explain itself in the console (here: a tag without data-procedure)', async () => {
    const { page } = await fx.newPage();
    const warnings: string[] = [];
    page.on('console', (message) => warnings.push(`${message.type()}: ${message.text()}`));
    const html = procedurePage(fx.server.url, { attrs: { 'data-procedure': '' } });
    await page.goto(fx.serve('/debug-off', html));
    await page.goto(fx.serve('/debug-on', html.replace('async>', 'data-debug async>')));
    await expect.poll(() => warnings).toEqual(['warning: [jdma] no data-procedure']);
  });
});
