import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeInBrowser } from '../helpers/browser.ts';
import { expectStored, startWidgetFixture, storedReviews, type WidgetFixture } from './helpers/widget-fixture.ts';
import { MIN_FORM_MS } from '../../server/hosted-form-guard.ts';

// SPEC §5: the link for e-mails and letters, /avis/:procedure?placement=, works as plain HTML forms
// in a browser with JavaScript off: the rating is stored at the first POST, the follow-ups at the second.

let fx: WidgetFixture;
/** A person reads the page before sending it: the collector refuses forms sent back faster. */
const READING_MS = MIN_FORM_MS + 200;

describeInBrowser('the hosted form page', () => {
  beforeAll(async () => {
    fx = await startWidgetFixture('widget-hosted');
  });
  afterAll(async () => fx?.close());

  test('with JavaScript off, a user rates, answers the follow-ups (shown under the ticked channel) and is thanked; all is stored', async () => {
    const { page } = await fx.newPage({ javaScriptEnabled: false });
    await page.goto(`${fx.server.url}/avis/demo?placement=email`);
    await page.getByRole('radio', { name: 'Moyen' }).check();
    await page.waitForTimeout(READING_MS);
    await page.getByRole('button', { name: 'Envoyer mon avis' }).click();
    await page.getByRole('heading', { name: 'Merci, votre avis a été envoyé.' }).waitFor();
    expect(storedReviews(fx.databasePath)).toEqual([
      { procedure_id: 'demo', placement_id: 'email', lang: 'fr', satisfaction: 'medium', help_other: null, comment: null, answers: [] },
    ]);

    const reached = page.getByRole('group', { name: 'Au guichet\u00a0: Avez-vous réussi à joindre l’administration\u00a0?' });
    const quality = page.getByRole('group', { name: 'Au guichet\u00a0: Comment évaluez-vous la qualité de l’aide obtenue\u00a0?' });
    expect(await reached.isVisible()).toBe(false);
    await page.getByRole('checkbox', { name: 'Au guichet' }).check();
    expect(await reached.isVisible()).toBe(true);
    expect(await quality.isVisible()).toBe(false);
    await reached.getByRole('radio', { name: 'Oui' }).check();
    await quality.getByRole('radio', { name: /^4/ }).check();
    await page
      .getByRole('group', { name: 'Qu’avez-vous pensé des informations et des instructions fournies\u00a0?' })
      .getByRole('radio', { name: /^2/ })
      .check();
    await page.getByRole('checkbox', { name: 'Des sites internet' }).check();
    await page.getByRole('textbox', { name: 'Souhaitez-vous nous en dire plus\u00a0?' }).fill('Formulaire reçu par courriel.');
    await page.getByRole('button', { name: 'Envoyer mes réponses' }).click();
    await page.getByRole('heading', { name: 'Merci pour votre aide\u00a0!' }).waitFor();

    await expectStored(fx.databasePath, [
      {
        procedure_id: 'demo',
        placement_id: 'email',
        lang: 'fr',
        satisfaction: 'medium',
        help_other: null,
        comment: 'Formulaire reçu par courriel.',
        answers: ['clarity=2', 'help_quality[counter]=4', 'help_reached[counter]=yes', 'help_sought=counter', 'help_sought=websites'],
      },
    ]);
  });

  test('in English with ?lang=en; a contradictory answer is explained, the answers kept, nothing stored until corrected', async () => {
    fx.server.exec('DELETE FROM review_answers; DELETE FROM reviews;');
    const { page } = await fx.newPage({ javaScriptEnabled: false });
    await page.goto(`${fx.server.url}/avis/demo?lang=en`);
    await page.getByRole('radio', { name: 'Not good' }).check();
    await page.waitForTimeout(READING_MS);
    await page.getByRole('button', { name: 'Send my feedback' }).click();
    await page.getByRole('checkbox', { name: 'By phone' }).check();
    await page.getByRole('checkbox', { name: 'I did not need any help' }).check();
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    expect(await page.getByRole('link', { name: '“I did not need any help” cannot be ticked with another way.' }).count()).toBe(1);
    expect(await page.getByRole('checkbox', { name: 'By phone' }).isChecked()).toBe(true);
    expect(storedReviews(fx.databasePath)[0]!.answers).toEqual([]);

    await page.getByRole('checkbox', { name: 'By phone' }).uncheck();
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await page.getByRole('heading', { name: 'Thank you for your help!' }).waitFor();
    await expectStored(fx.databasePath, [
      {
        procedure_id: 'demo',
        placement_id: 'default',
        lang: 'en',
        satisfaction: 'bad',
        help_other: null,
        comment: null,
        answers: ['help_sought=none'],
      },
    ]);
  });

  test('an unknown procedure is a 404 page that says so', async () => {
    const { page } = await fx.newPage({ javaScriptEnabled: false });
    const response = await page.goto(`${fx.server.url}/avis/nope`);
    expect(response!.status()).toBe(404);
    expect(await page.getByRole('heading', { name: 'Démarche introuvable' }).count()).toBe(1);
  });
});
