// The comments page of the agency space over HTTP (SPEC §8), on both engines: who may open it, the
// filters and their refusals, a page that follows the listing's cursor until it is full, the search
// words marked in the original text, and hiding and restoring a comment through its forms.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { FollowUpAnswers, SatisfactionAnswer } from '../../../../../shared/questionnaire.ts';
import { ADMIN_A, ADMIN_B, type AgencyWorld, agencyWorld, csrfTokenOf, ORIGIN_A, READER_A } from '../../../../helpers/agency-world.ts';
import { seedReviews } from '../../../../helpers/seed-reviews.ts';

let world: AgencyWorld;
afterEach(async () => world?.close());
beforeEach(async () => {
  world = await agencyWorld({ rateLimitPerMinute: 0, ratingsPerClientPerDay: 0 });
});

const PAGE = '/espace/demarches/demarche-a/avis';

/** A review posted as the widget posts it, at the world's clock, with its follow-up when given. */
async function review(satisfaction: SatisfactionAnswer, answers?: FollowUpAnswers, placement = 'default'): Promise<number> {
  const rated = await world.inject({
    method: 'POST',
    url: '/api/v1/reviews',
    headers: { 'content-type': 'application/json', origin: ORIGIN_A },
    payload: { procedure: 'demarche-a', placement, satisfaction },
  });
  expect(rated.statusCode, rated.body).toBe(201);
  const { id, token } = rated.json() as { id: number; token: string };
  if (answers) {
    const followed = await world.inject({
      method: 'POST',
      url: `/api/v1/reviews/${id}`,
      headers: { 'content-type': 'application/json', origin: ORIGIN_A },
      payload: { token, answers },
    });
    expect(followed.statusCode, followed.body).toBe(200);
  }
  return id;
}

async function member(email: string): Promise<{ cookie: string; csrf: string }> {
  const { cookie } = await world.session(email);
  return { cookie, csrf: await csrfTokenOf(world, cookie) };
}

const page = (url: string, cookie?: string) => world.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
const post = (url: string, cookie: string, form: Record<string, string>) =>
  world.inject({
    method: 'POST',
    url,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(form).toString(),
  });

const h1Of = (body: string) => /<h1[^>]*>([^<]*)</.exec(body)?.[1];
const marksOf = (body: string) => [...body.matchAll(/<mark>(.*?)<\/mark>/g)].map((match) => match[1]);
/** The reviews a page lists, by id, in order. */
const idsOf = (body: string) => [...body.matchAll(/<article id="avis-(\d+)"/g)].map((match) => Number(match[1]));
const olderLinkOf = (body: string) =>
  /<a class="fr-pagination__link fr-pagination__link--next[^"]*" href="([^"]+)">Avis plus anciens<\/a>/
    .exec(body)?.[1]
    ?.replaceAll('&amp;', '&');

describe('who may open the page and use its forms', () => {
  test('signed out, or with an API key: the sign-in page (401); out of scope or unknown: « Page introuvable » (404)', async () => {
    for (const headers of [{}, { authorization: `Bearer ${world.keys.all}` }]) {
      const reply = await world.inject({ method: 'GET', url: PAGE, headers });
      expect(reply.statusCode).toBe(401);
      expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(h1Of(reply.body)).toBe('Connexion à l’espace agence');
    }
    const other = await member(ADMIN_B);
    for (const url of [PAGE, '/espace/demarches/inconnue/avis', '/espace/demarches/NOT%20A%20SLUG/avis']) {
      const reply = await page(url, other.cookie);
      expect(reply.statusCode, url).toBe(404);
      expect(h1Of(reply.body)).toBe('Page introuvable');
    }
  });

  test('a reader reads the comments but is offered no hide form, and posting one is « Page introuvable » with nothing changed', async () => {
    const id = await review('bad', { comment: 'Très lent' });
    const reader = await member(READER_A);
    const reply = await page(PAGE, reader.cookie);
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.body).toContain('<title>Avis – Démarche A – Je donne mon avis</title>');
    expect(reply.body).toContain('Très lent');
    expect(reply.body).not.toContain('/masquer');
    expect(reply.body).not.toContain('Raison du masquage');
    // Readers have no settings link either (procedureNav).
    expect(reply.body).not.toContain('/reglages');

    const before = await world.db.snapshot();
    const refused = await post(`${PAGE}/${id}/masquer`, reader.cookie, { _csrf: reader.csrf, reason: 'Injurieux' });
    expect(refused.statusCode).toBe(404);
    expect(h1Of(refused.body)).toBe('Page introuvable');
    expect(await world.db.snapshot()).toEqual(before);
  });

  test.each([
    ['no _csrf field', {}],
    ['a wrong _csrf', { _csrf: 'x'.repeat(43) }],
  ])('an admin’s form with %s is « Ce formulaire a expiré » (403), nothing changed', async (_name, extra) => {
    const id = await review('bad', { comment: 'Très lent' });
    const admin = await member(ADMIN_A);
    const before = await world.db.snapshot();
    for (const action of ['masquer', 'retablir']) {
      const reply = await post(`${PAGE}/${id}/${action}`, admin.cookie, { reason: 'Injurieux', ...extra });
      expect(reply.statusCode).toBe(403);
      expect(h1Of(reply.body)).toBe('Ce formulaire a expiré');
    }
    expect(await world.db.snapshot()).toEqual(before);
  });

  test.each([
    ['an empty reason', `${PAGE}/:id/masquer`, { reason: '   ' }, 400, 'Indiquez pourquoi le commentaire est masqué'],
    ['no reason', `${PAGE}/:id/masquer`, {}, 400, 'Indiquez pourquoi'],
    ['a reason over 500 characters', `${PAGE}/:id/masquer`, { reason: 'x'.repeat(501) }, 400, '500 caractères au plus'],
    ['a bad filter in the page address', `${PAGE}/:id/masquer?satisfaction=excellent`, { reason: 'Injurieux' }, 400, 'n’est pas valable'],
    ['an unknown review', `${PAGE}/999999/masquer`, { reason: 'Injurieux' }, 404, 'Page introuvable'],
    ['another procedure’s review', '/espace/demarches/demarche-a2/avis/:id/masquer', { reason: 'Injurieux' }, 404, 'Page introuvable'],
    ['a review id that is no number', `${PAGE}/abc/retablir`, {}, 404, 'Page introuvable'],
  ])('an admin’s form with %s is refused as a page, nothing changed', async (_name, url, form, status, text) => {
    const id = await review('bad', { comment: 'Très lent' });
    const admin = await member(ADMIN_A);
    const before = await world.db.snapshot();
    const reply = await post(url.replace(':id', String(id)), admin.cookie, { _csrf: admin.csrf, ...form });
    expect(reply.statusCode, reply.body).toBe(status);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.body).toContain(text);
    expect(await world.db.snapshot()).toEqual(before);
  });

  test.each([
    ['from=2026-13-01', 'Du\u00a0: une date, sous la forme AAAA-MM-JJ.'],
    ['from=2026-12-01&to=2026-11-01', 'Du\u00a0: le début ne doit pas être après la fin.'],
    ['from=2019-01-01&to=2026-11-01', 'Du\u00a0: la période ne doit pas dépasser 5 ans.'],
    ['satisfaction=excellent', 'Satisfaction\u00a0: Très bien, Moyen ou Pas bien.'],
    ['placement=Pas%20un%20emplacement', 'Emplacement\u00a0: un des emplacements de la liste.'],
    [`q=${'x'.repeat(201)}`, 'Mots recherchés\u00a0: 200 caractères au plus.'],
    ['q=a&q=b', 'Mots recherchés\u00a0: '],
    ['cursor=nimporte-quoi', 'Page\u00a0: ce lien n’est plus valable'],
    ['comments=peut-etre', 'Ce lien n’est pas valable\u00a0: revenez aux avis les plus récents.'],
    ['tri=date', 'Paramètre inconnu «\u00a0tri\u00a0».'],
  ])('a bad filter (%s) is a 400 page that says what is wrong, keeps the form, lists nothing, changes nothing', async (query, text) => {
    await review('bad', { comment: 'Très lent' });
    const reader = await member(READER_A);
    const before = await world.db.snapshot();
    const reply = await page(`${PAGE}?${query}`, reader.cookie);
    expect(reply.statusCode).toBe(400);
    expect(reply.body).toContain('Ces filtres ne peuvent pas être appliqués');
    expect(reply.body).toContain(text);
    expect(reply.body).toContain('<form method="get" action="/espace/demarches/demarche-a/avis">');
    expect(reply.body).not.toContain('Très lent');
    expect(await world.db.snapshot()).toEqual(before);
  });
  test('the refused field is marked as the DSFR marks errors, and keeps what was typed', async () => {
    const reader = await member(READER_A);
    const reply = await page(`${PAGE}?from=2026-12-01&to=2026-11-01&q=mot`, reader.cookie);
    expect(reply.statusCode).toBe(400);
    expect(reply.body).toMatch(
      /<div class="fr-input-group fr-input-group--error">\s*<label class="fr-label" for="filtre-du">Du<span class="fr-hint-text">[^<]*<\/span><\/label>\s*<input class="fr-input" type="date" id="filtre-du" name="from" value="2026-12-01" aria-describedby="filtre-du-messages">/,
    );
    expect(reply.body).toContain('<p class="fr-message fr-message--error">le début ne doit pas être après la fin.</p>');
    expect(reply.body).toContain('value="mot"');
    const select = await page(`${PAGE}?satisfaction=excellent`, reader.cookie);
    expect(select.body).toContain('<div class="fr-select-group fr-select-group--error">');
    expect(select.body).toContain('name="satisfaction" aria-describedby="filtre-satisfaction-messages">');
    // The alert comes first, so that it is met before the form.
    expect(reply.body.indexOf('role="alert"')).toBeLessThan(reply.body.indexOf('<form method="get"'));
  });
});

describe('the reviews listed', () => {
  test('by default only reviews with a comment, newest first; unchecking lists every review; the filters keep in every link', async () => {
    const a = await review('good', { comment: 'Parfait' }, 'site');
    const b = await review('medium');
    const c = await review('bad', { clarity: 2, comment: 'Trop long' });
    const reader = await member(READER_A);
    const first = await page(PAGE, reader.cookie);
    expect(idsOf(first.body)).toEqual([c, a]);
    expect(first.body).toMatch(/<input type="checkbox" id="filtre-commentaire" name="comments" value="only" checked>/);
    expect(first.body).toContain('2 avis sur cette page.');
    // The form unchecked sends filters=1 and no `comments`.
    const all = await page(`${PAGE}?filters=1&from=&to=&placement=&satisfaction=&q=`, reader.cookie);
    expect(all.statusCode).toBe(200);
    expect(idsOf(all.body)).toEqual([c, b, a]);
    expect(all.body).toMatch(/<input type="checkbox" id="filtre-commentaire" name="comments" value="only">/);
    expect(idsOf((await page(`${PAGE}?comments=all&placement=site`, reader.cookie)).body)).toEqual([a]);
    expect(idsOf((await page(`${PAGE}?filters=1&comments=only&satisfaction=bad`, reader.cookie)).body)).toEqual([c]);

    // Exports carry the same filters, under the API's names; the English page keeps its language.
    const filtered = await page(`${PAGE}?filters=1&comments=only&satisfaction=bad&q=long&lang=en`, reader.cookie);
    expect(filtered.body).toContain('href="/api/v1/procedures/demarche-a/reviews.csv?satisfaction=bad&amp;has_comment=true&amp;q=long"');
    expect(filtered.body).toContain('href="/api/v1/procedures/demarche-a/reviews.xlsx?satisfaction=bad&amp;has_comment=true&amp;q=long"');
    expect(filtered.body).toContain('<title>Reviews – Démarche A – Je donne mon avis</title>');
    expect(filtered.body).toContain('<dt class="fr-text--bold">What did you think of the information and instructions provided?</dt>');
    expect(filtered.body).toContain('2 out of 5');
  });

  test('each review in words: date, placement, language, satisfaction, every answer under its question', async () => {
    world.clock.now = new Date('2026-07-14T08:05:00Z');
    await review(
      'medium',
      {
        clarity: 5,
        help_sought: ['phone', 'email', 'other'],
        help_other: 'Un forum',
        help_reached: { phone: 'yes', email: 'no' },
        help_quality: { phone: 1 },
        comment: 'Première ligne\nseconde ligne',
      },
      'site',
    );
    const reader = await member(READER_A);
    const body = (await page(PAGE, reader.cookie)).body;
    expect(body).toContain('Avis du 14\u00a0juillet\u00a02026\u00a0à 10:05');
    expect(body).toContain('Emplacement\u00a0: site · Langue\u00a0: français');
    expect(body).toMatch(
      /<p class="fr-badge fr-badge--warning fr-badge--no-icon[^"]*"><svg[^>]*aria-hidden="true"[^>]*>.*?<\/svg>Moyen<\/p>/,
    );
    const rows = [...body.matchAll(/<dt class="fr-text--bold">(.*?)<\/dt><dd class="[^"]*">(.*?)<\/dd>/gs)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual([
      ['De façon générale, comment ça s’est passé\u00a0?', 'Moyen'],
      ['Qu’avez-vous pensé des informations et des instructions fournies\u00a0?', '5 sur 5 (Très clair)'],
      [
        'Durant votre parcours, avez-vous tenté d’obtenir de l’aide par l’un des moyens suivants\u00a0?',
        'Par téléphone, Par e-mail, Autre (précisé\u00a0: «\u00a0Un forum\u00a0»)',
      ],
      ['Avez-vous réussi à joindre l’administration\u00a0?', 'Par téléphone\u00a0: Oui\u00a0; Par e-mail\u00a0: Non'],
      ['Comment évaluez-vous la qualité de l’aide obtenue\u00a0?', 'Par téléphone\u00a0: 1 sur 5 (Très mauvaise)'],
      [
        'Souhaitez-vous nous en dire plus\u00a0?',
        '<div class="fr-highlight fr-ml-0"><p class="fr-text--lg">Première ligne<br>seconde ligne</p></div>',
      ],
    ]);
  });

  test('the search words are marked in the original text, whatever its accents, case or ligatures; markup in it stays text', async () => {
    const a = await review('good', { comment: 'Démarche TRÈS claire, très très bien' });
    const b = await review('bad', {
      help_sought: ['other'],
      help_other: 'Cœur de TRES vieux site',
      comment: '<b>tres</b> lent, De\u0301marche pe\u0301nible',
    });
    await review('bad', { comment: 'Rien à voir' });
    const reader = await member(READER_A);
    const tres = (await page(`${PAGE}?q=${encodeURIComponent('tres')}`, reader.cookie)).body;
    expect(idsOf(tres)).toEqual([b, a]);
    expect(marksOf(tres)).toEqual(['TRES', 'tres', 'TRÈS', 'très', 'très']);
    expect(tres).toContain('&lt;b&gt;<mark>tres</mark>&lt;/b&gt; lent');
    expect(tres).toContain('Recherche\u00a0: «\u00a0tres\u00a0».');

    const demarche = (await page(`${PAGE}?q=${encodeURIComponent('DÉMARCHE')}`, reader.cookie)).body;
    // The decomposed « é » (e + combining accent) is marked whole, with its accent.
    expect(marksOf(demarche)).toEqual(['De\u0301marche', 'Démarche']);
    const coeur = (await page(`${PAGE}?q=${encodeURIComponent('coeur de')}`, reader.cookie)).body;
    expect(marksOf(coeur)).toEqual(['Cœur de']);
    expect(coeur).toContain('Autre (précisé\u00a0: «\u00a0<mark>Cœur de</mark> TRES vieux site\u00a0»)');
    // A search that finds nothing says so, and offers no older page.
    const none = await page(`${PAGE}?q=introuvable`, reader.cookie);
    expect(none.statusCode).toBe(200);
    expect(idsOf(none.body)).toEqual([]);
    expect(none.body).toContain('Aucun avis ne correspond à ces filtres.');
    expect(olderLinkOf(none.body)).toBeUndefined();
  });

  test('a page follows the listing’s cursor until it holds 20 reviews, then offers the older ones with the same filters', async () => {
    // 24 comments among 24,000 reviews: one store page (5,000 examined) finds about 5.
    await seedReviews(world.db, { procedureId: 'demarche-a', count: 24_000, lastDay: '2026-11-30', days: 97, commentEvery: 1000 });
    const reader = await member(READER_A);
    const everyComment = [];
    for await (const batch of world.store.reviews.batches('demarche-a', {
      from: '2025-12-02',
      to: '2026-12-01',
      placementId: null,
      satisfaction: null,
      hasComment: true,
      q: null,
    })) {
      everyComment.push(...batch.map((r) => r.id));
    }
    expect(everyComment).toHaveLength(24);
    const first = await page(`${PAGE}?placement=&q=`, reader.cookie);
    expect(first.statusCode).toBe(200);
    expect(idsOf(first.body)).toEqual(everyComment.slice(0, 20));
    expect(first.body).not.toContain('Recherche poursuivie');
    const older = olderLinkOf(first.body)!;
    expect(older).toMatch(/^\/espace\/demarches\/demarche-a\/avis\?cursor=[A-Za-z0-9_-]+$/);
    const second = await page(older, reader.cookie);
    expect(idsOf(second.body)).toEqual(everyComment.slice(20));
    expect(second.body).toContain('<h2 id="avis-titre" class="fr-h4">Avis plus anciens</h2>');
    expect(olderLinkOf(second.body)).toBeUndefined();
    expect(second.body).toContain(
      '<a class="fr-pagination__link fr-pagination__link--first fr-pagination__link--lg-label" href="/espace/demarches/demarche-a/avis">Revenir aux avis les plus récents</a>',
    );
  });

  test('past its scanning bound a page says the search goes on, and its older link goes on from there', async () => {
    // 60,000 reviews, a comment every 6,001: a page examines 10 × 5,000 and stops short of the last ones.
    await seedReviews(world.db, { procedureId: 'demarche-a', count: 60_000, lastDay: '2026-11-30', days: 97, commentEvery: 6001 });
    const filters = {
      from: '2025-12-02',
      to: '2026-12-01',
      placementId: null,
      satisfaction: 'medium' as const,
      hasComment: true,
      q: null,
    };
    // What 10 store pages of 5,000 see, read at once.
    const expected = await world.store.reviews.page('demarche-a', filters, { after: null, limit: 20, scan: 50_000 });
    expect(expected.reviews.length).toBeLessThan(20);
    expect(expected.next).not.toBeNull();
    const reader = await member(READER_A);
    const first = await page(`${PAGE}?satisfaction=medium`, reader.cookie);
    expect(idsOf(first.body)).toEqual(expected.reviews.map((r) => r.id));
    expect(first.body).toContain('Recherche poursuivie…');
    const older = olderLinkOf(first.body)!;
    expect(older).toMatch(/^\/espace\/demarches\/demarche-a\/avis\?satisfaction=medium&cursor=/);
    const rest = await world.store.reviews.page('demarche-a', filters, { after: expected.next, limit: 20, scan: 50_000 });
    const second = await page(older, reader.cookie);
    expect(idsOf(second.body)).toEqual(rest.reviews.map((r) => r.id));
  });
});

describe('hiding and restoring a comment', () => {
  test('an admin hides a comment with a reason, comes back to the same filtered page told so, and restores it', async () => {
    const id = await review('bad', { help_sought: ['other'], help_other: 'Mon voisin', comment: 'Texte injurieux' });
    const admin = await member(ADMIN_A);
    const shown = await page(`${PAGE}?satisfaction=bad&lang=en`, admin.cookie);
    expect(shown.body).toContain(`<form method="post" action="${PAGE}/${id}/masquer?satisfaction=bad&amp;lang=en"`);
    expect(shown.body).toContain(`<input type="hidden" name="_csrf" value="${admin.csrf}">`);

    const hidden = await post(`${PAGE}/${id}/masquer?satisfaction=bad&lang=en`, admin.cookie, { _csrf: admin.csrf, reason: 'Injurieux' });
    expect(hidden.statusCode, hidden.body).toBe(303);
    expect(hidden.headers.location).toBe(`${PAGE}?satisfaction=bad&lang=en&hidden=${id}#avis-${id}`);
    const rows = await world.db.rows<{ hidden_reason: string; hidden_by: string; comment: string }>(
      `SELECT hidden_reason, hidden_by, comment FROM reviews WHERE id = ${id}`,
    );
    expect(rows).toEqual([{ hidden_reason: 'Injurieux', hidden_by: ADMIN_A, comment: 'Texte injurieux' }]);
    const audit = await world.db.rows<{ action: string; actor: string; target: string }>(
      `SELECT action, actor, target FROM audit_log WHERE action LIKE 'review_%'`,
    );
    expect(audit).toEqual([{ action: 'review_hidden', actor: ADMIN_A, target: String(id) }]);

    const after = (await page(hidden.headers.location!.replace(/#.*/, ''), admin.cookie)).body;
    expect(after).toContain('<div class="fr-alert fr-alert--success fr-alert--sm fr-mb-2w" role="status">');
    expect(after).toContain('The comment is hidden.');
    expect(after).toContain(`Comment hidden on 1\u00a0December\u00a02026\u00a0at 11:00 by ${ADMIN_A}: </em>Injurieux`);
    expect(after).not.toContain('Texte injurieux');
    expect(after).not.toContain('Mon voisin');
    expect(after).toContain(`action="${PAGE}/${id}/retablir?satisfaction=bad&amp;lang=en"`);
    // A reader is told it was hidden, not by whom nor why.
    const reader = await member(READER_A);
    const read = (await page(PAGE, reader.cookie)).body;
    expect(read).toContain('Commentaire masqué par un administrateur le 1er\u00a0décembre\u00a02026\u00a0à 11:00.');
    expect(read).not.toContain('Injurieux');

    const restored = await post(`${PAGE}/${id}/retablir?satisfaction=bad&lang=en`, admin.cookie, { _csrf: admin.csrf });
    expect(restored.statusCode).toBe(303);
    expect(restored.headers.location).toBe(`${PAGE}?satisfaction=bad&lang=en&restored=${id}#avis-${id}`);
    const back = (await page(restored.headers.location!.replace(/#.*/, ''), admin.cookie)).body;
    expect(back).toContain('The comment is restored.');
    expect(back).toContain('Texte injurieux');
    expect(await world.db.rows(`SELECT action FROM audit_log WHERE action LIKE 'review_%' ORDER BY id`)).toEqual([
      { action: 'review_hidden' },
      { action: 'review_restored' },
    ]);
  });

  test('hidden from a search, the comment leaves it: the notice says why, at the top', async () => {
    const id = await review('bad', { comment: 'Texte injurieux' });
    const admin = await member(ADMIN_A);
    const hidden = await post(`${PAGE}/${id}/masquer?q=injurieux`, admin.cookie, { _csrf: admin.csrf, reason: 'Injurieux' });
    expect(hidden.headers.location).toBe(`${PAGE}?q=injurieux&hidden=${id}#avis-${id}`);
    const after = (await page(hidden.headers.location!.replace(/#.*/, ''), admin.cookie)).body;
    expect(idsOf(after)).toEqual([]);
    expect(after).toContain('Le commentaire est masqué. Il n’apparaît plus dans cette recherche\u00a0: un texte masqué n’est pas cherché.');
  });
});
