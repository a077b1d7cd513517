// The agency space's sign-in page, home and results page over HTTP (SPEC §8): who gets which page
// with which status, and that every figure a page shows is the one the API's /stats gives for the
// same query.
import { MAX_DISTINCT_KEYS_PER_DAY } from '../../../../../server/refusal-counter.ts';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import { LEVEL_LABELS, formatCount, formatScore } from '../../../../../server/pages/kit/figures.ts';
import { formatReviews } from '../../../../../server/pages/observatory-pages.ts';
import { periodLabel } from '../../../../../server/pages/trend-chart.ts';
import { addDays, windowStart } from '../../../../../shared/feed-window.ts';
import type { FollowUpAnswers, Lang, SatisfactionAnswer } from '../../../../../shared/questionnaire.ts';
import { ADMIN_A, ADMIN_B, type AgencyWorld, agencyWorld, ORIGIN_A, READER_A } from '../../../../helpers/agency-world.ts';

let world: AgencyWorld;
afterEach(async () => world?.close());

const TODAY = '2026-12-01';

async function start(overrides = {}): Promise<void> {
  world = await agencyWorld({ rateLimitPerMinute: 0, ratingsPerClientPerDay: 0, ...overrides });
}

/** A review posted as the widget posts it, on `day` (the world's clock moves there), with its follow-up. */
async function review(
  day: string,
  satisfaction: SatisfactionAnswer,
  { procedure = 'demarche-a', placement = 'default', answers }: { procedure?: string; placement?: string; answers?: FollowUpAnswers } = {},
): Promise<void> {
  world.clock.now = new Date(`${day}T10:00:00Z`);
  const rated = await world.inject({
    method: 'POST',
    url: '/api/v1/reviews',
    headers: { 'content-type': 'application/json', origin: procedure === 'demarche-b' ? 'https://b.example.gouv.fr' : ORIGIN_A },
    payload: { procedure, placement, satisfaction },
  });
  expect(rated.statusCode, rated.body).toBe(201);
  if (answers) {
    const { id, token } = rated.json() as { id: number; token: string };
    const followed = await world.inject({
      method: 'POST',
      url: `/api/v1/reviews/${id}`,
      headers: { 'content-type': 'application/json', origin: ORIGIN_A },
      payload: { token, answers },
    });
    expect(followed.statusCode, followed.body).toBe(200);
  }
}

/** Reviews over a year and a half: old ones poor, recent ones good, a few at the `site` placement. */
async function seed(): Promise<void> {
  await review('2025-06-10', 'bad');
  await review('2026-03-02', 'bad', { answers: { clarity: 2, help_sought: ['phone'], help_reached: { phone: 'no' } } });
  await review('2026-04-15', 'medium', { placement: 'site' });
  await review('2026-07-20', 'medium', { answers: { clarity: 3, help_sought: ['none'] } });
  await review('2026-09-30', 'good', {
    answers: { clarity: 5, help_sought: ['email'], help_reached: { email: 'yes' }, help_quality: { email: 4 } },
  });
  await review('2026-11-10', 'good', { placement: 'site' });
  await review('2026-11-29', 'good');
  await review('2026-12-01', 'medium');
  await review('2026-12-01', 'good', { procedure: 'demarche-a2' });
  await review('2026-12-01', 'bad', { procedure: 'demarche-b' });
  world.clock.now = new Date(`${TODAY}T12:00:00Z`);
}

const page = async (url: string, cookie?: string): Promise<LightMyRequestResponse> =>
  world.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

const stats = async (id: string, query: string) => {
  const reply = await world.inject({
    method: 'GET',
    url: `/api/v1/procedures/${id}/stats?${query}`,
    headers: { authorization: `Bearer ${world.keys.all}` },
  });
  expect(reply.statusCode, reply.body).toBe(200);
  return reply.json();
};

function expectPage(reply: LightMyRequestResponse, status: number, title: string): void {
  expect(reply.statusCode, reply.body.slice(0, 300)).toBe(status);
  expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(reply.headers['cache-control']).toBe('no-store');
  expect(reply.headers['content-security-policy']).toContain("script-src 'self'");
  expect(reply.body).toContain(`<title>${title} – Je donne mon avis</title>`);
}

/** The rows of the table with this caption: the text of each cell, tags dropped. */
function tableRows(body: string, caption: string): string[][] {
  const table = new RegExp(`<caption[^>]*>${caption}</caption>([\\s\\S]*?)</table>`).exec(body)?.[1];
  if (table === undefined) throw new Error(`no table "${caption}"`);
  const tbody = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)![1]!;
  return [...tbody.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) =>
      cell[1]!
        .replace(/<br><a[\s\S]*<\/a>/, '')
        .replace(/<br>/g, ' ')
        .replace(/<[^>]+>/g, '')
        .replace(/&#39;/g, "'")
        .trim(),
    ),
  );
}

type Period = {
  from: string;
  to: string;
  reviews: number;
  indicators: { satisfaction: { score: number | null; level: keyof typeof LEVEL_LABELS; interval: { low: number; high: number } | null } };
};

/** The rows a trend table must show for the API's series. */
const expectedRows = (series: Period[], interval: 'month' | 'week', lang: Lang = 'fr') =>
  series.map((p) => {
    const { score, level, interval: range } = p.indicators.satisfaction;
    const shownRange = range ? ` 95 %\u00a0: ${formatScore(range.low, lang)} à ${formatScore(range.high, lang)}` : '';
    return [
      periodLabel(p, interval, lang),
      formatCount(p.reviews, lang),
      score === null ? '–' : `${formatScore(score, lang)} ${LEVEL_LABELS[level][lang]}${shownRange}`,
    ];
  });

describe('signed out', () => {
  test('/espace is the sign-in page (401): the one-time link explained, no ProConnect without OIDC', async () => {
    await start();
    for (const headers of [{}, { authorization: `Bearer ${world.keys.all}` }]) {
      const reply = await world.inject({ method: 'GET', url: '/espace', headers });
      expectPage(reply, 401, 'Connexion à l’espace agence');
      expect(reply.body).toContain('jdma login-link');
      expect(reply.body).not.toContain('ProConnect');
    }
    const english = await page('/espace?lang=en');
    expectPage(english, 401, 'Sign in to the agency space');
    expect(english.body).toContain('<html lang="en"');
  });

  test('with OIDC the sign-in page offers ProConnect first, then the link', async () => {
    await start({ oidc: { issuer: 'https://auth.example.gouv.fr', clientId: 'client', clientSecret: 'secret' } });
    const reply = await page('/espace');
    expectPage(reply, 401, 'Connexion à l’espace agence');
    expect(reply.body).toContain('<a class="fr-btn" href="/espace/connexion/proconnect">S’identifier avec ProConnect</a>');
    expect(reply.body.indexOf('ProConnect')).toBeLessThan(reply.body.indexOf('jdma login-link'));
  });

  test('a results page asks to sign in (401), and a key is not signed in there', async () => {
    await start();
    expectPage(await page('/espace/demarches/demarche-a'), 401, 'Connexion à l’espace agence');
    const keyed = await world.inject({
      method: 'GET',
      url: '/espace/demarches/demarche-a',
      headers: { authorization: `Bearer ${world.keys.all}` },
    });
    expectPage(keyed, 401, 'Connexion à l’espace agence');
  });
});

describe('home', () => {
  test('the admin sees the procedures of their entity with the API’s figures, and the warning of refused ratings', async () => {
    await start();
    await seed();
    await world.store.refusedRatings.add(
      [
        {
          procedureId: 'demarche-a2',
          day: addDays(TODAY, -3),
          reason: 'origin_not_allowed',
          origin: 'https://copie.example.gouv.fr',
          placementId: 'default',
          count: 142,
        },
        // Older than 30 days: not in the warning.
        {
          procedureId: 'demarche-a',
          day: addDays(TODAY, -40),
          reason: 'origin_not_allowed',
          origin: 'https://copie.example.gouv.fr',
          placementId: 'default',
          count: 5,
        },
      ],
      addDays(TODAY, -80),
      MAX_DISTINCT_KEYS_PER_DAY,
    );
    const { cookie } = await world.session(ADMIN_A);
    const reply = await page('/espace', cookie);
    expectPage(reply, 200, 'Espace agence');
    const body = reply.body;
    expect(body).toContain(ADMIN_A);
    expect(body).toContain('Ministère A');
    expect(body).toContain('administrateur');
    // Signed in, the page loads DSFR's script (its disclosures and menus); the sign-in page does not.
    expect(body).toMatch(/<script type="module" src="\/dsfr\/[^"]+\/dsfr\.module\.min\.js"><\/script>/);
    expect(body).toContain('href="/espace/demarches/demarche-a">Démarche A</a>');
    expect(body).toContain('href="/espace/demarches/demarche-a2">Démarche A2</a>');
    expect(body).not.toContain('Démarche B');

    // Démarche A's card: its figures are the API's over the same windows.
    const card = body.slice(body.indexOf('>Démarche A</a>'), body.indexOf('>Démarche A2</a>'));
    const year = await stats('demarche-a', '');
    const recent = await stats('demarche-a', `from=${addDays(TODAY, -29)}`);
    const current = await stats('demarche-a', `from=${windowStart(TODAY, 3)}`);
    const previousEnd = addDays(windowStart(TODAY, 3), -1);
    const previous = await stats('demarche-a', `from=${windowStart(previousEnd, 3)}&to=${previousEnd}`);
    expect(year.reviews).toBe(7);
    expect(card).toContain(`${formatScore(year.indicators.satisfaction.score, 'fr')}</strong> de satisfaction sur 12 mois`);
    expect(card).toContain(LEVEL_LABELS[year.indicators.satisfaction.level as 'average'].fr);
    expect(card).toContain(`Avis\u00a0: ${recent.reviews} sur les 30 derniers jours, ${year.reviews} sur 12 mois.`);
    expect(current.indicators.satisfaction.score - previous.indicators.satisfaction.score).toBeGreaterThanOrEqual(0.5);
    expect(card).toContain('<span aria-hidden="true">↗</span> en hausse</strong>');
    expect(card).toContain(
      `${formatScore(current.indicators.satisfaction.score, 'fr')} ces 3 derniers mois, contre ${formatScore(previous.indicators.satisfaction.score, 'fr')} les 3 mois d’avant.`,
    );
    // Its refusals are older than 30 days; Démarche A2's are not, and its admin is sent to the settings.
    expect(card).not.toContain('notes refusées');
    const a2 = body.slice(body.indexOf('>Démarche A2</a>'));
    expect(a2).toContain('142 notes refusées ces 30 derniers jours');
    expect(a2).toContain('href="/espace/demarches/demarche-a2/reglages"');
    expect(a2).toContain('pas encore mesurable');
  });

  test('a reader sees the warning without the settings link; several entities are grouped; English', async () => {
    await start();
    await seed();
    await world.store.refusedRatings.add(
      [
        {
          procedureId: 'demarche-a',
          day: TODAY,
          reason: 'origin_not_allowed',
          origin: 'https://copie.example.gouv.fr',
          placementId: 'default',
          count: 1,
        },
      ],
      addDays(TODAY, -80),
      MAX_DISTINCT_KEYS_PER_DAY,
    );
    await world.store.members.put({ entityId: 'ministere-b', email: READER_A, role: 'reader' });
    const { cookie } = await world.session(READER_A);
    const reply = await page('/espace?lang=en', cookie);
    expectPage(reply, 200, 'Agency space');
    expect(reply.body).toContain('<h2 id="entite-ministere-a">Ministère A</h2>');
    expect(reply.body).toContain('<h2 id="entite-ministere-b">Ministère B</h2>');
    expect(reply.body).toContain('href="/espace/demarches/demarche-b?lang=en">Démarche B</a>');
    expect(reply.body).toContain('1 rating refused in the last 30 days');
    expect(reply.body).not.toContain('/reglages');
    expect(reply.body).not.toContain('/membres');
  });

  test('an entity without procedures says what to do', async () => {
    await start();
    await world.store.entities.add({ id: 'ministere-c', name: 'Ministère C' });
    await world.store.members.put({ entityId: 'ministere-c', email: 'admin@c.example.gouv.fr', role: 'admin' });
    const { cookie } = await world.session('admin@c.example.gouv.fr');
    const reply = await page('/espace', cookie);
    expectPage(reply, 200, 'Espace agence');
    expect(reply.body).toContain('Aucune démarche pour l’instant');
    expect(reply.body).toContain('POST /api/v1/procedures');
  });
});

describe('results page', () => {
  test('the indicators, the monthly and weekly tables and the placements are the API’s, for the default and a chosen period', async () => {
    await start();
    await seed();
    const { cookie } = await world.session(ADMIN_A);
    for (const [pageQuery, apiQuery] of [
      ['', ''],
      ['?from=2026-03-01&to=2026-11-30', 'from=2026-03-01&to=2026-11-30'],
      ['?from=2026-01-01&to=2026-12-01&placement=site', 'from=2026-01-01&to=2026-12-01&placement=site'],
      ['?from=&to=&placement=', ''],
    ] as const) {
      const reply = await page(`/espace/demarches/demarche-a${pageQuery}`, cookie);
      expectPage(reply, 200, 'Résultats – Démarche A');
      const monthly = await stats('demarche-a', `${apiQuery}&interval=month`);
      const weekly = await stats('demarche-a', `${apiQuery}&interval=week`);
      expect(tableRows(reply.body, 'Avis et satisfaction par mois')).toEqual(expectedRows(monthly.series, 'month'));
      expect(tableRows(reply.body, 'Avis et satisfaction par semaine')).toEqual(expectedRows(weekly.series, 'week'));
      expect(reply.body).toContain(`: ${formatReviews(monthly.reviews, 'fr')}`);
      expect(reply.body).toContain(`value="${monthly.window.from}"`);
      expect(reply.body).toContain(`value="${monthly.window.to}"`);
      const placements = tableRows(reply.body, `Indicateurs par emplacement, du [^<]*`);
      expect(placements.map((row) => [row[0], row[1]])).toEqual(
        monthly.placements.map((p: { placement: string; reviews: number }) => [
          p.placement === 'default' ? 'Par défaut (default)' : p.placement,
          String(p.reviews),
        ]),
      );
      const satisfaction = monthly.indicators.satisfaction;
      expect(reply.body).toContain(
        `<h3 class="fr-card__title">Satisfaction</h3>\n<p class="fr-card__desc"><strong class="fr-h4">${formatScore(satisfaction.score, 'fr')}</strong>`,
      );
    }
  });

  test('the threshold note says what the observatory withholds; the admin has the settings tab, the reader not', async () => {
    await start();
    await seed();
    const admin = await page('/espace/demarches/demarche-a', (await world.session(ADMIN_A)).cookie);
    expect(admin.body).toContain('Avec 7 avis sur cette période, il n’en publierait que le nombre d’avis');
    expect(admin.body).toContain('à partir de 100 avis');
    expect(admin.body).toContain('href="/espace/demarches/demarche-a/reglages"');
    expect(admin.body).toContain('aria-current="page">Résultats</a>');
    const reader = await page('/espace/demarches/demarche-a?lang=en', (await world.session(READER_A)).cookie);
    expectPage(reader, 200, 'Results – Démarche A');
    expect(reader.body).not.toContain('/reglages');
    expect(reader.body).toContain('<input type="hidden" name="lang" value="en">');
  });

  test('a period without reviews shows the indicators empty and no curve', async () => {
    await start();
    await seed();
    const { cookie } = await world.session(ADMIN_A);
    const reply = await page('/espace/demarches/demarche-a?from=2024-01-01&to=2024-12-31', cookie);
    expectPage(reply, 200, 'Résultats – Démarche A');
    expect(reply.body).toContain('Aucun avis sur cette période');
    expect(reply.body).not.toContain('Avis et satisfaction par mois</caption>');
    expect(reply.body).not.toContain('<svg');
    expect(reply.body).toContain('Aucune réponse');
  });

  test('another entity’s procedure and an unknown one are not found (404), whoever asks', async () => {
    await start();
    const before = await world.db.snapshot();
    for (const [email, url] of [
      [ADMIN_A, '/espace/demarches/demarche-b'],
      [READER_A, '/espace/demarches/inconnue'],
      [READER_A, '/espace/demarches/%00'],
      [READER_A, '/espace/demarches/Demarche%20A'],
      [ADMIN_B, '/espace/demarches/demarche-a?from=2026-01-01'],
    ] as const) {
      const reply = await page(url, (await world.session(email)).cookie);
      expectPage(reply, 404, 'Page introuvable');
    }
    // Sessions were made above; nothing else.
    const after = await world.db.snapshot();
    expect({ ...after, sessions: [] }).toEqual({ ...before, sessions: [] });
  });

  test.each([
    ['a day that does not exist', '?from=2026-02-30', 'La date de début n’est pas valide'],
    ['a day badly written', '?to=01/12/2026', 'La date de fin n’est pas valide'],
    ['a repeated date', '?from=2026-01-01&from=2026-02-01', 'La date de début n’est pas valide'],
    ['a start after the end', '?from=2026-11-01&to=2026-10-01', 'La date de début doit précéder la date de fin.'],
    ['more than 5 years', '?from=2020-01-01&to=2026-12-01', 'La période ne peut pas dépasser 5 ans.'],
    ['a placement that is no slug', '?placement=Site%20web', 'L’emplacement n’est pas valide.'],
  ])('%s is a 400 page that changes nothing', async (_name, query, message) => {
    await start();
    const { cookie } = await world.session(READER_A);
    const before = await world.db.snapshot();
    const reply = await page(`/espace/demarches/demarche-a${query}`, cookie);
    expectPage(reply, 400, 'Cette demande n’a pas pu aboutir');
    expect(reply.body).toContain(message);
    expect(await world.db.snapshot()).toEqual(before);
  });
});
