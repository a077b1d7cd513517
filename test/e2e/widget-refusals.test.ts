import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeInBrowser } from '../helpers/browser.ts';
import { readRows, startTestServer, tempDir, type TestServer } from '../helpers/test-server.ts';
import {
  expectStored,
  procedurePage,
  startWidgetFixture,
  storedReviews,
  widgetButton,
  widgetDialog,
  type WidgetFixture,
} from './helpers/widget-fixture.ts';
import { addProcedure } from '../helpers/procedures.ts';

// No rating is lost to a configuration mistake, and nobody is lied to: every refusal the collector can
// give a hot rating, as a user meets it on an agency's page of another origin under a strict CSP
// (BUILT widget, REAL collector and SQLite file): what the dialog says, what it offers, what waits in
// localStorage (nothing that can never be delivered), what the console says with data-debug, and
// what the collector counts for the agency (integration health).

let fx: WidgetFixture;
/** A second collector that takes one rating a minute from a client, for the 429. */
let limited: TestServer;
/** A third that takes one rating of a procedure a day from a client, for the daily count. */
let capped: TestServer;
const temp = tempDir();

const NOT_RECORDED = 'Votre avis n’a pas pu être enregistré depuis cette page.';
const FALLBACK = 'Donner mon avis dans un nouvel onglet';
const OTHER_SITE = 'https://www.example.gouv.fr';

const strictCsp = (collector: string) =>
  `default-src 'none'; script-src ${collector}; connect-src ${collector}; style-src ${collector}; img-src ${collector}; font-src ${collector}`;

interface Refusal {
  name: string;
  /** The widget tag's procedure and placement. */
  procedure: string;
  placement?: string;
  collector?: () => TestServer;
  /** Stands in for the network (a 5xx, or no network at all), before the collector is reached. */
  network?: (page: Page) => Promise<unknown>;
  sees: { heading?: string; text?: string; status?: string; fallback?: string | null; button?: string };
  queued: number;
  /** The debug console's one line, after `[jdma] `. */
  console?: string;
  /** Integration health: refused attempts counted for this procedure (reason, origin, placement, count). */
  counted: { reason: string; origin: string; placement_id: string; count: number }[];
}

const REFUSALS: Refusal[] = [
  {
    name: '403 origin_not_allowed (the page’s origin is not one of the procedure’s)',
    procedure: 'carte-grise',
    sees: { heading: NOT_RECORDED, fallback: '/avis/carte-grise?lang=fr&satisfaction=good' },
    queued: 0,
    console: `origin_not_allowed: ${'{site}'} is not an origin of procedure "carte-grise" (jdma origin add carte-grise ${'{site}'}).`,
    counted: [{ reason: 'origin_not_allowed', origin: '{site}', placement_id: 'default', count: 1 }],
  },
  {
    name: '404 unknown_procedure (a mistyped data-procedure)',
    procedure: 'carte-grize',
    sees: { heading: NOT_RECORDED, fallback: null },
    queued: 0,
    console: 'unknown_procedure: No procedure is registered as "carte-grize" (jdma procedure list).',
    counted: [{ reason: 'unknown_procedure', origin: '{site}', placement_id: 'default', count: 1 }],
  },
  {
    name: '404 unknown_placement (a data-placement the procedure does not list)',
    procedure: 'demo',
    placement: 'kiosque',
    sees: { heading: NOT_RECORDED, fallback: '/avis/demo?placement=kiosque&lang=fr&satisfaction=good' },
    queued: 0,
    console: 'unknown_placement: Procedure "demo" has no placement "kiosque" (jdma placement add demo kiosque).',
    counted: [{ reason: 'unknown_placement', origin: '{site}', placement_id: 'kiosque', count: 1 }],
  },
  {
    name: '410 procedure_archived',
    procedure: 'ancienne-demarche',
    sees: { heading: NOT_RECORDED, fallback: null },
    queued: 0,
    console: 'procedure_archived: Procedure "ancienne-demarche" is archived (jdma procedure restore ancienne-demarche).',
    counted: [{ reason: 'procedure_archived', origin: '{site}', placement_id: 'default', count: 1 }],
  },
  {
    name: '429 rate_limited (too many ratings from this connection)',
    procedure: 'demo',
    placement: 'site',
    collector: () => limited,
    sees: { status: 'Trop d’avis ont été envoyés depuis votre connexion\u00a0: réessayez dans une minute.', button: 'Réessayer' },
    queued: 0,
    console: 'rate_limited: Too many requests: try again in a minute.',
    counted: [{ reason: 'rate_limited', origin: '{site}', placement_id: 'site', count: 1 }],
  },
  {
    name: '429 too_many_ratings (the daily count of a shared connection)',
    procedure: 'demo',
    placement: 'site',
    collector: () => capped,
    sees: {
      heading: NOT_RECORDED,
      text: 'Vous pourrez donner le vôtre demain, ou dès maintenant depuis une autre connexion, par exemple les données mobiles de votre téléphone.',
      fallback: null,
    },
    queued: 0,
    counted: [{ reason: 'too_many_ratings', origin: '{site}', placement_id: 'site', count: 1 }],
  },
  {
    name: '503 (the collector is down)',
    procedure: 'demo',
    placement: 'site',
    network: (page) =>
      page.route('**/api/v1/reviews', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{}' })),
    sees: { status: 'Hors connexion\u00a0: envoi à votre prochaine visite.' },
    queued: 1,
    counted: [],
  },
  {
    name: 'no network at all',
    procedure: 'demo',
    placement: 'site',
    network: (page) => page.route('**/api/v1/reviews', (route) => route.abort('internetdisconnected')),
    sees: { status: 'Hors connexion\u00a0: envoi à votre prochaine visite.' },
    queued: 1,
    counted: [],
  },
];

describeInBrowser('every refusal of a rating, as the user sees it', () => {
  beforeAll(async () => {
    fx = await startWidgetFixture('widget-refusals');
    const { procedures } = fx.server.store;
    await addProcedure(fx.server.store, { id: 'carte-grise', title: 'Carte grise', entity: 'ANTS', origins: [OTHER_SITE] });
    await addProcedure(fx.server.store, { id: 'ancienne-demarche', title: 'Ancienne démarche', entity: 'ANTS', origins: [fx.site.origin] });
    await procedures.setArchived('ancienne-demarche', true);
    limited = await startTestServer(join(temp.dir, 'limited.sqlite'), { rateLimitPerMinute: 1 });
    await limited.store.procedures.addOrigin('demo', fx.site.origin);
    capped = await startTestServer(join(temp.dir, 'capped.sqlite'), { ratingsPerClientPerDay: 1 });
    await capped.store.procedures.addOrigin('demo', fx.site.origin);
  });
  afterAll(async () => {
    await capped?.close();
    await limited?.close();
    await fx?.close();
    temp.remove();
  });

  test.each(REFUSALS)('$name', async (refusal) => {
    const collector = refusal.collector?.() ?? fx.server;
    const site = (text: string) => text.replaceAll('{site}', fx.site.origin);
    if (refusal.collector) {
      // This client's one rating of the minute (or of the day), taken before the user's.
      const first = await fetch(`${collector.url}/api/v1/reviews`, {
        method: 'POST',
        body: JSON.stringify({ procedure: 'demo', satisfaction: 'bad' }),
      });
      expect(first.status).toBe(201);
    }
    const reviewsBefore = storedReviews(collector.databasePath).length;
    const { page } = await fx.newPage();
    const errors: Error[] = [];
    const warnings: string[] = [];
    page.on('pageerror', (error) => errors.push(error));
    page.on('console', (message) => warnings.push(message.text()));
    await refusal.network?.(page);
    const attrs = { 'data-procedure': refusal.procedure, 'data-placement': refusal.placement ?? '', 'data-debug': '' };
    await page.goto(
      fx.serve(`/refusal-${REFUSALS.indexOf(refusal)}`, procedurePage(collector.url, { attrs }), {
        'content-security-policy': strictCsp(collector.url),
      }),
    );

    await widgetButton(page).click();
    const dialog = widgetDialog(page);
    await dialog.getByRole('radio', { name: 'Très bien' }).click();
    await dialog.getByRole('button', { name: 'Envoyer mon avis' }).click();

    // What the user sees.
    if (refusal.sees.heading) {
      await dialog.getByRole('heading', { name: refusal.sees.heading }).waitFor();
      expect(await dialog.getByRole('status').textContent()).toBe('');
    } else {
      await expect.poll(() => dialog.getByRole('status').textContent()).toBe(refusal.sees.status);
    }
    const fallback = dialog.getByRole('link', { name: FALLBACK });
    expect(await fallback.count()).toBe(refusal.sees.fallback ? 1 : 0);
    if (refusal.sees.fallback) expect(await fallback.getAttribute('href')).toBe(collector.url + refusal.sees.fallback);
    if (refusal.sees.text) await dialog.getByText(refusal.sees.text, { exact: false }).waitFor();
    if (refusal.sees.button) expect(await dialog.getByRole('button', { name: refusal.sees.button }).isVisible()).toBe(true);

    // What waits for a later page load, and what was stored: nothing for a refusal.
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem('jdma:queue') ?? '[]').length)).toBe(refusal.queued);
    expect(storedReviews(collector.databasePath)).toHaveLength(reviewsBefore);
    // What the agency's developer reads with data-debug: the code and the fix, in one line.
    if (refusal.console) await expect.poll(() => warnings, { timeout: 2_000 }).toContain(`[jdma] ${site(refusal.console)}`);
    expect(errors).toEqual([]);

    // What the agency is told (integration health): the collector writes its counts once a second.
    const counted = () =>
      readRows(
        collector.databasePath,
        'SELECT reason, origin, placement_id, count FROM refused_ratings WHERE procedure_id = ? AND placement_id = ? ORDER BY reason',
        refusal.procedure,
        refusal.placement || 'default',
      );
    const expected = refusal.counted.map((row) => ({ ...row, origin: site(row.origin) }));
    if (expected.length > 0) await expect.poll(counted, { timeout: 5_000 }).toEqual(expected);
    else {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(counted()).toEqual([]);
    }
  });

  test('origin not allowed → the fallback link opens the hosted form with the rating chosen, and sending it stores one review', async () => {
    const { context, page } = await fx.newPage();
    await page.goto(
      fx.serve('/not-listed', procedurePage(fx.server.url, { attrs: { 'data-procedure': 'carte-grise', 'data-placement': '' } }), {
        'content-security-policy': strictCsp(fx.server.url),
      }),
    );
    await widgetButton(page).click();
    const dialog = widgetDialog(page);
    await dialog.getByRole('radio', { name: 'Moyen' }).click();
    await dialog.getByRole('button', { name: 'Envoyer mon avis' }).click();
    const [hosted] = await Promise.all([context.waitForEvent('page'), dialog.getByRole('link', { name: FALLBACK }).click()]);
    await hosted.waitForLoadState();
    expect(await hosted.getByRole('radio', { name: 'Moyen' }).isChecked()).toBe(true);
    // One tap: the page came with the smiley chosen, so nothing asks the person to wait or confirm.
    await hosted.getByRole('button', { name: 'Envoyer mon avis' }).click();
    await hosted.getByRole('heading', { name: 'Merci, votre avis a été envoyé.' }).waitFor();
    await expectStored(fx.databasePath, [
      {
        procedure_id: 'carte-grise',
        placement_id: 'default',
        lang: 'fr',
        satisfaction: 'medium',
        help_other: null,
        comment: null,
        answers: [],
      },
    ]);
  });
});
