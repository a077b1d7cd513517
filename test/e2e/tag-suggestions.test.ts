import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { tagModelJob } from '../../server/agency/tag-suggestions.ts';
import { reviewWrites } from '../../server/review-writes.ts';
import { countQueuedTerms } from '../../server/term-counting.ts';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { readRows, startTestServer, tempDir, type TestServer } from '../helpers/test-server.ts';
import { checkPage, signInWithLink, watchCsp } from './helpers/agency-space.ts';

// A suggested tag in Chromium against the real collector: after the day's training, a review
// without a tag shows « Suggestion : Délais (précision …) », and a reader's click on « Appliquer »
// sets it, audited as a manual tag; the page passes axe at 1280 and 320 px.

const READER = 'camille.martin@interieur.gouv.fr';
const PROCEDURE = 'demande-passeport';

const temp = tempDir();
let server: TestServer;
let browser: Browser;
let context: BrowserContext | undefined;
let fresh = 0;
let delays = 0;

const WAITING = ['délai', 'attente', 'relances', 'lenteur', 'interminable', 'patienter'];
const THANKS = ['merci', 'simple', 'rapide', 'parfait', 'clair', 'efficace'];
const PLACES = ['mairie', 'préfecture', 'consulat', 'internet', 'téléphone', 'courrier', 'agence'];
const said = (words: readonly string[], i: number) =>
  `${words[i % 6]} ${words[(i + 2) % 6]}, ${PLACES[i % 7]} ${words[(i + 3) % 6]} ${PLACES[(i + 3) % 7]} ${'!'.repeat(1 + (i % 4))}`;

beforeAll(async () => {
  server = await startTestServer(join(temp.dir, 'suggestions.sqlite'), { rateLimitPerMinute: 0 });
  const { store } = server;
  await store.entities.add({ id: 'interieur', name: 'Ministère de l’Intérieur' });
  await store.procedures.add({
    id: PROCEDURE,
    title: 'Demande de passeport',
    entityId: 'interieur',
    origins: ['https://passeport.example.gouv.fr'],
  });
  await store.members.put({ entityId: 'interieur', email: READER, role: 'reader' });
  delays = (await store.tags.add('interieur', 'Délais', Date.now()))!.id;
  const writes = reviewWrites(store, () => new Date());
  const comment = async (text: string) => {
    const { id } = await writes.rate({ procedureId: PROCEDURE, placementId: 'default', satisfaction: 'bad', lang: 'fr' }, 'api');
    await writes.replaceFollowUps((await writes.find(String(id)))!, { comment: text });
    return Number(id);
  };
  // 24 reviews tagged « Délais » and 12 read and left untagged, in turn, then one new.
  for (let i = 0; i < 36; i++) {
    const id = await comment(said(i % 3 === 2 ? THANKS : WAITING, i));
    await store.reviews.triage(PROCEDURE, id, i % 3 === 2 ? { status: 'seen' } : { tagId: delays, on: true });
  }
  fresh = await comment('Quelle attente ! Un délai interminable pour mon passeport.');
  await countQueuedTerms(store);
  expect(await tagModelJob({ store, now: () => new Date(), termMinReviews: 5 })()).toBe(1);
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
  temp.remove();
});

describeInBrowser('a suggested tag, as a reader applies it', () => {
  test('« Appliquer » sets the suggested tag, audited; the page passes axe', async () => {
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const cspViolations = watchCsp(page, server.url);
    await signInWithLink(page, server.url, server.store, READER);
    await page.goto(`${server.url}/espace/demarches/${PROCEDURE}/avis`);
    const review = page.locator(`#avis-${fresh}`);
    // Right on each of its 4 suggestions among the newest 20 % of the 36 confirmed reviews.
    await expect(review.getByText(/Suggestion\s: Délais \(précision 100\s%\)/).isVisible()).resolves.toBe(true);
    await checkPage(page, 'space-tag-suggestion');
    expect(readRows(server.databasePath, 'SELECT tag_id FROM review_tags WHERE review_id = ?', fresh)).toEqual([]);

    await review.getByRole('button', { name: /^Appliquer «\sDélais\s»/ }).click();
    await page.waitForURL((url) => url.searchParams.get('triaged') === String(fresh));
    await expect(page.getByRole('status').textContent()).resolves.toContain('Le tri de l’avis est enregistré.');
    await expect(review.getByText('Délais', { exact: true }).first().isVisible()).resolves.toBe(true);
    await expect(review.getByRole('button', { name: /^Appliquer/ }).count()).resolves.toBe(0);

    expect(readRows(server.databasePath, 'SELECT tag_id FROM review_tags WHERE review_id = ?', fresh)).toEqual([{ tag_id: delays }]);
    expect(readRows(server.databasePath, "SELECT action, actor, target FROM audit_log WHERE action LIKE 'review_%'")).toEqual([
      { action: 'review_tagged', actor: READER, target: String(fresh) },
    ]);
    expect(cspViolations).toEqual([]);
  });
});
