// Test placements (SPEC §2): an admin marks a placement test through the API, the space or the
// command line; the reviews given on it afterwards are stored and listed with a « test » mark, and
// never counted: not in the rollups, the feed (JSON and CSV), the drop-in's stats, nor the agency's
// indicators. Reviews are posted through the public API and rows read through a connection of the test's own.
import { afterEach, describe, expect, test } from 'vitest';
import { ADMIN_A, type AgencyWorld, agencyWorld, csrfTokenOf, READER_A } from '../../helpers/agency-world.ts';
import { runCli } from '../../helpers/cli-process.ts';

let world: AgencyWorld;
afterEach(async () => {
  await world?.close();
});

type Send = (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) => ReturnType<AgencyWorld['inject']>;

async function as(email: string): Promise<Send> {
  const { cookie } = await world.session(email);
  const csrf = await csrfTokenOf(world, cookie);
  return (method, url, body) =>
    world.inject({
      method,
      url,
      headers: { cookie, 'x-csrf-token': csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
}

/** A refusal: its status and code, and every table unchanged. */
async function expectRefused(send: () => ReturnType<AgencyWorld['inject']>, status: number, code: string) {
  const before = await world.db.snapshot();
  const reply = await send();
  expect(reply.statusCode, reply.body).toBe(status);
  expect(reply.json().error.code).toBe(code);
  expect(await world.db.snapshot()).toEqual(before);
}

/** A hot rating on demarche-a through the public API, with a follow-up. */
async function rate(placement: string, satisfaction: 'good' | 'bad', clarity: number): Promise<number> {
  const created = await world.inject({
    method: 'POST',
    url: '/api/v1/reviews',
    payload: { procedure: 'demarche-a', placement, satisfaction },
  });
  expect(created.statusCode, created.body).toBe(201);
  const { id, token } = created.json() as { id: number; token: string };
  const followed = await world.inject({
    method: 'POST',
    url: `/api/v1/reviews/${id}`,
    payload: { token, answers: { clarity, help_sought: ['none'] } },
  });
  expect(followed.statusCode, followed.body).toBe(200);
  return id;
}

const rollupPlacements = async () =>
  (
    await world.db.rows<{ placement_id: string; n: number }>(
      "SELECT placement_id, sum(count) AS n FROM monthly_rollups WHERE procedure_id = 'demarche-a' AND question = 'satisfaction' GROUP BY placement_id ORDER BY placement_id",
    )
  ).map((row) => ({ placement_id: row.placement_id, n: Number(row.n) }));

describe('a test placement', () => {
  test('its reviews are stored and listed with the test mark, and counted nowhere', async () => {
    world = await agencyWorld({ feedMinReviews: 1, rateLimitPerMinute: 0, ratingsPerClientPerDay: 0 });
    const admin = await as(ADMIN_A);
    const marked = await admin('PATCH', '/api/v1/procedures/demarche-a', { test_placements: { add: ['site'] } });
    expect(marked.statusCode, marked.body).toBe(200);
    expect(marked.json()).toMatchObject({ placements: ['default', 'site'], test_placements: ['site'] });
    const audit = (await world.store.audit.list('ministere-a', { limit: 10 })).filter((e) => e.action === 'procedure_updated');
    expect(audit.map((e) => e.details)).toEqual([{ test_placements_added: ['site'] }]);

    const tried = await rate('site', 'bad', 1);
    const counted = await rate('default', 'good', 5);
    const stored = await world.db.rows<{ id: number; placement_id: string; is_test: number | boolean }>(
      "SELECT id, placement_id, is_test FROM reviews WHERE procedure_id = 'demarche-a' ORDER BY id",
    );
    expect(stored.map((r) => [Number(r.id), r.placement_id, Boolean(r.is_test)])).toEqual([
      [tried, 'site', true],
      [counted, 'default', false],
    ]);
    // The one place the exclusion lives: the rollups hold the counted review only.
    expect(await rollupPlacements()).toEqual([{ placement_id: 'default', n: 1 }]);
    const daily = await world.db.rows("SELECT * FROM daily_rollups WHERE procedure_id = 'demarche-a' AND placement_id = 'site'");
    expect(daily).toEqual([]);

    // The feed, JSON and CSV: one review, the counted one.
    const feed = (await world.inject({ url: '/api/v1/feed?procedure=demarche-a' })).json();
    expect(feed.procedures.map((p: { id: string; reviews: number }) => [p.id, p.reviews])).toEqual([['demarche-a', 1]]);
    expect(feed.procedures[0].indicators.satisfaction.score).toBe(10);
    const siteFeed = (await world.inject({ url: '/api/v1/feed?procedure=demarche-a&placement=site' })).json();
    expect(siteFeed.procedures.filter((p: { reviews: number }) => p.reviews > 0)).toEqual([]);
    const csv = (await world.inject({ url: '/api/v1/feed.csv?procedure=demarche-a' })).body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    const header = csv[0]!.split(',');
    expect(csv).toHaveLength(2);
    expect(csv[1]!.split(',')[header.indexOf('reviews')]).toBe('1');

    // The JDMA drop-in's stats, read from the same rollups.
    const productId = await world.store.procedures.productIdOf('demarche-a');
    const input = encodeURIComponent(JSON.stringify({ json: { product_id: productId } }));
    const stats = (await world.inject({ url: `/api/trpc/answer.getObservatoireStats?input=${input}` })).json();
    expect(stats.result.data.json.metadata).toMatchObject({ satisfaction_count: 1, comprehension_count: 1, autonomy_count: 1 });

    // The agency's indicators leave it out too; its list, export and pages show it, marked.
    const results = (await admin('GET', '/api/v1/procedures/demarche-a/stats')).json();
    expect(results.reviews).toBe(1);
    const listed = (await admin('GET', '/api/v1/procedures/demarche-a/reviews')).json();
    expect(listed.reviews.map((r: { id: number; test: boolean }) => [r.id, r.test])).toEqual([
      [counted, false],
      [tried, true],
    ]);
    const exported = (await admin('GET', '/api/v1/procedures/demarche-a/reviews.csv')).body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    const columns = exported[0]!.split(',');
    expect(exported.slice(1).map((line) => [Number(line.split(',')[0]), line.split(',')[columns.indexOf('test')]])).toEqual([
      [counted, '0'],
      [tried, '1'],
    ]);
    const page = (await admin('GET', '/espace/demarches/demarche-a/avis?comments=all')).body;
    const articleOf = (id: number) =>
      page.slice(page.indexOf(`<article id="avis-${id}"`), page.indexOf('</article>', page.indexOf(`avis-${id}"`)));
    expect(articleOf(tried)).toContain('fr-badge--warning');
    expect(articleOf(tried)).toMatch(/>test<\/p>/);
    expect(articleOf(counted)).not.toMatch(/>test<\/p>/);
    const resultsPage = (await admin('GET', '/espace/demarches/demarche-a')).body;
    expect(resultsPage).toContain('Emplacement de test\u00a0: ses avis sont listés parmi les avis, jamais comptés ici ni publiés.');

    // A recount from the reviews keeps it out.
    await world.store.rollups.rebuild();
    expect(await rollupPlacements()).toEqual([{ placement_id: 'default', n: 1 }]);
  });

  test('unmarked, it counts the reviews to come; those given while it was test stay test', async () => {
    world = await agencyWorld({ feedMinReviews: 1, rateLimitPerMinute: 0, ratingsPerClientPerDay: 0 });
    const admin = await as(ADMIN_A);
    expect((await admin('PATCH', '/api/v1/procedures/demarche-a', { test_placements: { add: ['site'] } })).statusCode).toBe(200);
    const tried = await rate('site', 'bad', 1);
    const unmarked = await admin('PATCH', '/api/v1/procedures/demarche-a', { test_placements: { remove: ['site'] } });
    expect(unmarked.json().test_placements).toEqual([]);
    const live = await rate('site', 'good', 5);
    expect(await rollupPlacements()).toEqual([{ placement_id: 'site', n: 1 }]);
    const listed = (await admin('GET', '/api/v1/procedures/demarche-a/reviews')).json();
    expect(listed.reviews.map((r: { id: number; test: boolean }) => [r.id, r.test])).toEqual([
      [live, false],
      [tried, true],
    ]);
    // Removed, the placement's test reviews stay out of the counts.
    await admin('PATCH', '/api/v1/procedures/demarche-a', { placements: { remove: ['site'] } });
    await world.store.rollups.rebuild();
    expect(await rollupPlacements()).toEqual([{ placement_id: 'site', n: 1 }]);
  });

  test('a placement added and marked test in one change is test at once', async () => {
    world = await agencyWorld();
    const admin = await as(ADMIN_A);
    const reply = await admin('PATCH', '/api/v1/procedures/demarche-a', {
      placements: { add: ['essai'] },
      test_placements: { add: ['essai', 'default'] },
    });
    expect(reply.statusCode, reply.body).toBe(200);
    expect(reply.json().test_placements).toEqual(['default', 'essai']);
  });

  test.each([
    ['a placement the procedure does not have', { test_placements: { add: ['inconnu'] } }, 404, 'unknown_placement'],
    [
      'a placement removed in the same change',
      { placements: { remove: ['site'] }, test_placements: { add: ['site'] } },
      404,
      'unknown_placement',
    ],
    [
      'a title change with an unknown test placement',
      { title: 'Autre', test_placements: { remove: ['inconnu'] } },
      404,
      'unknown_placement',
    ],
    ['a placement that is not a slug', { test_placements: { add: ['Site Web'] } }, 400, 'invalid_body'],
    ['a list instead of add and remove', { test_placements: ['site'] }, 400, 'invalid_body'],
  ])('marking %s is refused, and nothing changes', async (_name, body, status, code) => {
    world = await agencyWorld();
    const admin = await as(ADMIN_A);
    await expectRefused(() => admin('PATCH', '/api/v1/procedures/demarche-a', body), status, code);
  });

  test('a reader may not mark a placement test', async () => {
    world = await agencyWorld();
    const reader = await as(READER_A);
    await expectRefused(() => reader('PATCH', '/api/v1/procedures/demarche-a', { test_placements: { add: ['site'] } }), 403, 'forbidden');
  });
});

describe('in the space', () => {
  test('the settings page marks and unmarks a placement, and shows its badge', async () => {
    world = await agencyWorld();
    const { cookie } = await world.session(ADMIN_A);
    const csrf = await csrfTokenOf(world, cookie);
    const post = (path: string, placement: string) =>
      world.inject({
        method: 'POST',
        url: `/espace/demarches/demarche-a/reglages${path}`,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf, placement }).toString(),
      });
    const settings = async () => (await world.inject({ url: '/espace/demarches/demarche-a/reglages', headers: { cookie } })).body;
    expect(await settings()).toContain('Marquer de test l’emplacement «\u00a0site\u00a0»');

    const marked = await post('/emplacements/test', 'site');
    expect(marked.statusCode).toBe(303);
    expect(marked.headers.location).toContain('fait=emplacement-test');
    expect((await world.store.procedures.find('demarche-a'))?.testPlacements).toEqual(['site']);
    const page = await settings();
    expect(page).toContain('Compter ses avis\u00a0: emplacement «\u00a0site\u00a0»');
    expect(page).toMatch(/fr-badge--warning fr-mr-2w">test<\/span>/);

    const unmarked = await post('/emplacements/compter', 'site');
    expect(unmarked.headers.location).toContain('fait=emplacement-compte');
    expect((await world.store.procedures.find('demarche-a'))?.testPlacements).toEqual([]);
  });

  test('a form naming a placement the procedure does not have is refused, and nothing changes', async () => {
    world = await agencyWorld();
    const { cookie } = await world.session(ADMIN_A);
    const csrf = await csrfTokenOf(world, cookie);
    const before = await world.db.snapshot();
    const reply = await world.inject({
      method: 'POST',
      url: '/espace/demarches/demarche-a/reglages/emplacements/test',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, placement: 'inconnu' }).toString(),
    });
    expect(reply.statusCode).toBe(404);
    expect(await world.db.snapshot()).toEqual(before);
  });
});

describe('on the command line', () => {
  test('jdma placement test and live mark and unmark; an unknown placement is refused', async () => {
    world = await agencyWorld();
    const env = world.db.env;
    const marked = runCli(['placement', 'test', 'demarche-a', 'site'], env);
    expect(marked.status, marked.stderr).toBe(0);
    expect(marked.stdout).toContain('Emplacement « site » de « demarche-a » marqué de test');
    const shown = runCli(['procedure', 'show', 'demarche-a'], env);
    expect(shown.stdout).toContain('Emplacements : default site (test)');
    const unknown = runCli(['placement', 'test', 'demarche-a', 'inconnu'], env);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain('« demarche-a » n’a pas d’emplacement « inconnu »');
    const live = runCli(['placement', 'live', 'demarche-a', 'site'], env);
    expect(live.status, live.stderr).toBe(0);
    const again = runCli(['placement', 'live', 'demarche-a', 'site'], env);
    expect(again.stdout).toContain('est déjà compté');
  });
});
