// The comparison page (SPEC §8): the same figures as the API, in a table; a refused form is a 400
// page; another entity's procedure is not offered, nor found.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { ADMIN_B, type AgencyWorld, agencyWorld, ORIGIN_A, READER_A } from '../../../../helpers/agency-world.ts';

let world: AgencyWorld;
afterEach(async () => world?.close());
beforeEach(async () => {
  world = await agencyWorld({ rateLimitPerMinute: 0, ratingsPerClientPerDay: 0 });
});

const PAGE = '/espace/demarches/demarche-a/comparer';

async function rate(at: string, procedure: string, satisfaction: 'good' | 'bad', times: number) {
  world.clock.now = new Date(at);
  for (let i = 0; i < times; i++) {
    await world.inject({
      method: 'POST',
      url: '/api/v1/reviews',
      headers: { 'content-type': 'application/json', origin: ORIGIN_A },
      payload: { procedure, satisfaction },
    });
  }
}

test('a reader compares two procedures: the table shows both sides, the difference and the verdict', async () => {
  await rate('2026-11-10T10:00:00Z', 'demarche-a', 'good', 12);
  await rate('2026-11-10T10:00:00Z', 'demarche-a2', 'bad', 12);
  world.clock.now = new Date('2026-12-01T10:00:00Z');
  const { cookie } = await world.session(READER_A);
  const reply = await world.inject({ method: 'GET', url: `${PAGE}?b=demarche-a2&from=2026-11-01&to=2026-11-30`, headers: { cookie } });
  expect(reply.statusCode, reply.body).toBe(200);
  expect(reply.body).toContain('<option value="demarche-a2" selected>Démarche A2</option>');
  expect(reply.body).not.toContain('demarche-b');
  const row = /<th scope="row">Satisfaction \(sur 10\)<\/th>([\s\S]*?)<\/tr>/.exec(reply.body)?.[1] ?? '';
  const cells = [...row.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((match) => match[1]!.trim());
  const api = (
    await world.inject({
      method: 'GET',
      url: '/api/v1/comparisons?a=demarche-a&b=demarche-a2&from=2026-11-01&to=2026-11-30',
      headers: { cookie },
    })
  ).json().indicators.satisfaction;
  expect(cells).toEqual([
    `10 [${String(api.a.interval.low).replace('.', ',')} – 10]`,
    `0 [0 – ${String(api.b.interval.high).replace('.', ',')}]`,
    '-10',
    '<strong>Oui</strong>',
  ]);
  // The rates read in percent, as on every other page, not as fractions of 1.
  expect(reply.body).toContain('<th scope="row">Administration joignable (en\u00a0%)</th>');
  expect(reply.body).toContain('<th scope="row">Autonomie (en\u00a0%)</th>');
});

test('the page has the DSFR breadcrumb of the other procedure pages: the space, the procedure, this page', async () => {
  const { cookie } = await world.session(READER_A);
  for (const [lang, expected] of [
    [
      'fr',
      [
        '<a class="fr-breadcrumb__link" href="/espace">Espace agence</a>',
        '<a class="fr-breadcrumb__link" href="/espace/demarches/demarche-a">Démarche A</a>',
        '<a class="fr-breadcrumb__link" href="/espace/demarches/demarche-a/comparer" aria-current="page">Comparer</a>',
      ],
    ],
    [
      'en',
      [
        '<a class="fr-breadcrumb__link" href="/espace?lang=en">Agency space</a>',
        '<a class="fr-breadcrumb__link" href="/espace/demarches/demarche-a?lang=en">Démarche A</a>',
        '<a class="fr-breadcrumb__link" href="/espace/demarches/demarche-a/comparer?lang=en" aria-current="page">Compare</a>',
      ],
    ],
  ] as const) {
    const reply = await world.inject({ method: 'GET', url: `${PAGE}?lang=${lang}`, headers: { cookie } });
    expect(reply.statusCode, reply.body).toBe(200);
    const trail =
      /<nav role="navigation" class="fr-breadcrumb[^"]*" aria-label="[^"]+">[\s\S]*?<ol class="fr-breadcrumb__list">([\s\S]*?)<\/ol>/.exec(
        reply.body,
      )?.[1] ?? '';
    expect([...trail.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((match) => match[1])).toEqual(expected);
  }
});

test.each([
  ['a date that is no date', '?from=hier', 'Les dates s’écrivent AAAA-MM-JJ'],
  ['a backwards period', '?from=2026-11-30&to=2026-11-01', 'Chaque période commence avant de finir'],
  ['another entity’s procedure', '?b=demarche-b', 'Les dates s’écrivent AAAA-MM-JJ'],
  ['an unknown parameter', '?c=1', 'Les dates s’écrivent AAAA-MM-JJ'],
])('%s is a 400 page that says what to correct, nothing stored', async (_name, query, text) => {
  const { cookie } = await world.session(READER_A);
  const before = await world.db.snapshot();
  const reply = await world.inject({ method: 'GET', url: `${PAGE}${query}`, headers: { cookie } });
  expect(reply.statusCode).toBe(400);
  expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(reply.body).toContain(text);
  const { sessions: _a, ...after } = await world.db.snapshot();
  const { sessions: _b, ...was } = before;
  expect(after).toEqual(was);
});

test('another entity’s member finds no such page', async () => {
  const { cookie } = await world.session(ADMIN_B);
  const reply = await world.inject({ method: 'GET', url: PAGE, headers: { cookie } });
  expect(reply.statusCode).toBe(404);
});
