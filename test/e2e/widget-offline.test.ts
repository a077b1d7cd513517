import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeInBrowser } from '../helpers/browser.ts';
import { startTestServer } from '../helpers/test-server.ts';
import {
  expectStored,
  procedurePage,
  startWidgetFixture,
  storedReviews,
  widgetButton,
  widgetDialog,
  type WidgetFixture,
} from './helpers/widget-fixture.ts';

// No rating lost (SPEC §7): a rating given while the collector is down is kept in the page's
// localStorage and delivered, exactly once, by the next page load that carries the widget.

let fx: WidgetFixture;

describeInBrowser('a collector that is down', () => {
  beforeAll(async () => {
    fx = await startWidgetFixture('widget-offline');
  });
  afterAll(async () => fx?.close());

  test('collector stopped → rating queued → collector restarted → the next page load delivers it exactly once', async () => {
    const { page } = await fx.newPage();
    const url = fx.serve('/procedure-finished', procedurePage(fx.server.url));
    await page.goto(url);
    await widgetButton(page).click();
    const dialog = widgetDialog(page);
    await dialog.getByRole('radio', { name: 'Pas bien' }).waitFor();

    // The user is looking at the smileys when the collector goes away.
    const { port } = fx.server.config;
    await fx.server.close();
    await dialog.getByRole('radio', { name: 'Pas bien' }).click();
    await dialog.getByRole('button', { name: 'Envoyer mon avis' }).click();
    await expect.poll(() => dialog.getByRole('status').textContent()).toBe('Hors connexion\u00a0: envoi à votre prochaine visite.');
    // The follow-ups given meanwhile travel with the queued rating.
    await dialog.getByRole('checkbox', { name: 'Je n’ai pas eu besoin d’aide' }).click();
    await dialog.getByRole('button', { name: 'Envoyer mes réponses' }).click();
    await dialog.getByRole('heading', { name: 'Merci pour votre aide\u00a0!' }).waitFor();
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem('jdma:queue')!).length)).toBe(1);
    expect(storedReviews(fx.databasePath)).toEqual([]);

    // Same port, same database file: the collector is back.
    fx.server = await startTestServer(fx.databasePath, { port, rateLimitPerMinute: 0, ratingsPerClientPerDay: 0 });
    await page.goto(url);
    const delivered = [
      {
        procedure_id: 'demo',
        placement_id: 'site',
        lang: 'fr',
        satisfaction: 'bad',
        help_other: null,
        comment: null,
        answers: ['help_sought=none'],
      },
    ];
    await expectStored(fx.databasePath, delivered);
    await expect.poll(() => page.evaluate(() => localStorage.getItem('jdma:queue'))).toBe('[]');

    // More page loads deliver nothing more.
    await page.reload();
    await widgetButton(page).click();
    await widgetDialog(page).getByRole('radio', { name: 'Pas bien' }).waitFor();
    await page.reload();
    await widgetButton(page).click();
    await widgetDialog(page).getByRole('radio', { name: 'Pas bien' }).waitFor();
    expect(storedReviews(fx.databasePath)).toEqual(delivered);
  });

  // Refusals (4xx), each with what it shows and queues, are test/e2e/widget-refusals.test.ts.
  test.each([
    ['answers 503, storage works', 503, true, 'Hors connexion\u00a0: envoi à votre prochaine visite.'],
    ['answers 500, storage is blocked', 500, false, 'Votre avis n’a pas pu être enregistré depuis cette page.'],
    ['is unreachable, storage is blocked', 0, false, 'Votre avis n’a pas pu être enregistré depuis cette page.'],
  ])('when the collector %s, the user is told the truth and the page sees no error', async (_name, status, storage, message) => {
    const { page } = await fx.newPage();
    const errors: Error[] = [];
    page.on('pageerror', (error) => errors.push(error));
    if (!storage) {
      await page.addInitScript(() =>
        Object.defineProperty(window, 'localStorage', {
          get() {
            throw new DOMException('The operation is insecure.', 'SecurityError');
          },
        }),
      );
    }
    await page.route('**/api/v1/reviews', (route) =>
      status ? route.fulfill({ status, contentType: 'application/json', body: '{}' }) : route.abort('connectionrefused'),
    );
    await page.goto(fx.serve('/unlucky', procedurePage(fx.server.url)));
    await widgetButton(page).click();
    const dialog = widgetDialog(page);
    await dialog.getByRole('radio', { name: 'Moyen' }).click();
    await dialog.getByRole('button', { name: 'Envoyer mon avis' }).click();
    // Queued: the status line says so; nothing could keep it: the step says so and offers the hosted form.
    await expect
      .poll(async () => (await dialog.getByRole('status').textContent()) || (await dialog.getByRole('heading', { level: 3 }).textContent()))
      .toBe(message);
    expect(await dialog.getByRole('link', { name: 'Donner mon avis dans un nouvel onglet' }).count()).toBe(storage ? 0 : 1);
    expect(errors).toEqual([]);
  });
});
