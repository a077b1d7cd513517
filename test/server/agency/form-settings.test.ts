// A procedure's form (SPEC §3 "Customisation") through the agency API and the public routes, on
// both engines: a draft saved, published as a numbered version, served to the widget with an ETag,
// archived; every review stores the version it was given. Each refusal is a 4xx in the one shape
// with nothing stored.
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, test } from 'vitest';
import { ADMIN_A, type AgencyWorld, agencyWorld, csrfTokenOf, ORIGIN_A, READER_A } from '../../helpers/agency-world.ts';
import { postRatingForm } from '../../helpers/hosted-form.ts';

let world: AgencyWorld;
afterEach(async () => {
  await world?.close();
});

type Send = (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => ReturnType<AgencyWorld['inject']>;

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

async function expectRefused(send: () => ReturnType<AgencyWorld['inject']>, status: number, code: string) {
  const before = await world.db.snapshot();
  const reply = await send();
  expect(reply.statusCode, reply.body).toBe(status);
  expect(reply.json().error.code).toBe(code);
  expect(await world.db.snapshot()).toEqual(before);
  return reply.json().error;
}

const FORM = '/api/v1/procedures/demarche-a/form';
const DRAFT = {
  hidden: ['comment'],
  labels: { fr: { 'clarity.question': 'Les consignes du formulaire étaient-elles claires ?', 'help_sought.answers.phone': 'Au 3939' } },
};

const rate = (body: Record<string, unknown>) =>
  world.inject({
    method: 'POST',
    url: '/api/v1/reviews',
    headers: { 'content-type': 'application/json', origin: ORIGIN_A },
    payload: { procedure: 'demarche-a', satisfaction: 'good', ...body },
  });

describe('drafts, versions and the widget’s route', () => {
  test('a draft changes nothing for users until published; published, it is served with an ETag and numbered', async () => {
    world = await agencyWorld({ rateLimitPerMinute: 0, ratingsPerClientPerDay: 0 });
    const admin = await as(ADMIN_A);
    const saved = await admin('PUT', `${FORM}/draft`, DRAFT);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ draft: { ...DRAFT, updated_by: ADMIN_A }, published: null, versions: [], in_observatory: false });
    const served = async (lang = 'fr', headers: Record<string, string> = {}) =>
      world.inject({ url: `/api/v1/forms/demarche-a?lang=${lang}`, headers });
    expect((await served()).json()).toEqual({ version: null, hidden: [], labels: {} });

    const published = await admin('POST', `${FORM}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json().published).toMatchObject({ version: 1, ...DRAFT, published_by: ADMIN_A });
    const fr = await served();
    expect(fr.statusCode).toBe(200);
    expect(fr.json()).toEqual({ version: 1, hidden: ['comment'], labels: DRAFT.labels.fr });
    expect(fr.headers['cache-control']).toBe('public, max-age=60');
    expect(fr.headers['access-control-allow-origin']).toBe('*');
    expect((await served('fr', { 'if-none-match': String(fr.headers.etag) })).statusCode).toBe(304);
    // English has no labels of its own: the default words, the same steps hidden.
    expect((await served('en')).json()).toEqual({ version: 1, hidden: ['comment'], labels: {} });

    // A second publication archives the first; the first stays a version reviews may name.
    await admin('PUT', `${FORM}/draft`, { hidden: [], labels: {} });
    const second = (await admin('POST', `${FORM}/publish`)).json();
    expect(second.published.version).toBe(2);
    expect(second.versions.map((v: { version: number; archived_at: string | null }) => [v.version, v.archived_at === null])).toEqual([
      [2, true],
      [1, false],
    ]);
    const next = await served('fr', { 'if-none-match': String(fr.headers.etag) });
    expect(next.statusCode).toBe(200);
    expect(next.json().version).toBe(2);

    const archived = (await admin('POST', `${FORM}/archive`)).json();
    expect(archived.published).toBeNull();
    expect((await served()).json()).toEqual({ version: null, hidden: [], labels: {} });
    const actions = (await world.store.audit.list('ministere-a', { limit: 20 })).map((e) => [e.action, e.details]).reverse();
    expect(actions.filter(([action]) => String(action).startsWith('form_'))).toEqual([
      ['form_draft_saved', { hidden: ['comment'], languages: ['fr'] }],
      ['form_published', { version: 1 }],
      ['form_draft_saved', { hidden: [], languages: [] }],
      ['form_published', { version: 2 }],
      ['form_archived', { version: 2 }],
    ]);
  });

  test('every review stores the version it was given; an unknown version is refused and nothing is stored', async () => {
    world = await agencyWorld({ rateLimitPerMinute: 0, ratingsPerClientPerDay: 0 });
    const admin = await as(ADMIN_A);
    await admin('PUT', `${FORM}/draft`, DRAFT);
    await admin('POST', `${FORM}/publish`);
    const given = await rate({ form_version: 1 });
    expect(given.statusCode, given.body).toBe(201);
    const plain = await rate({});
    expect(plain.statusCode).toBe(201);
    const rows = await world.db.rows<{ id: number; form_version: number | null }>('SELECT id, form_version FROM reviews ORDER BY id');
    expect(rows.map((r) => [Number(r.id), r.form_version === null ? null : Number(r.form_version)])).toEqual([
      [given.json().id, 1],
      [plain.json().id, null],
    ]);
    // The three exports carry it in their last column, empty for the default form.
    const bearer = { authorization: `Bearer ${world.keys.all}` };
    const csv = (await world.inject({ url: '/api/v1/procedures/demarche-a/reviews.csv', headers: bearer })).body.trim().split('\r\n');
    expect(csv.map((line) => line.split(',').at(-1))).toEqual(['form_version', '', '1']);
    const excel = (await world.inject({ url: '/api/v1/procedures/demarche-a/reviews-excel.csv', headers: bearer })).body
      .trim()
      .split('\r\n');
    expect(excel.map((line) => line.split(';').at(-1))).toEqual(['Version du formulaire', '', '1']);
    const xlsx = await world.inject({ url: '/api/v1/procedures/demarche-a/reviews.xlsx', headers: bearer });
    const workbook = new ExcelJS.Workbook();
    const bytes = xlsx.rawPayload;
    await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    const lastCells = (name: string) => {
      const sheet = workbook.getWorksheet(name)!;
      return [1, 2, 3].map((r) => sheet.getRow(r).getCell(sheet.getRow(1).cellCount).value ?? null);
    };
    expect(lastCells('Avis')).toEqual(['form_version', null, 1]);
    expect(lastCells('Avis (libellés)')).toEqual(['Version du formulaire', null, 1]);
    for (const body of [{ form_version: 2 }, { procedure: 'demarche-a2', form_version: 1 }]) {
      const before = await world.db.rows('SELECT * FROM reviews ORDER BY id');
      const refused = await rate(body);
      expect(refused.statusCode, refused.body).toBe(404);
      expect(refused.json().error.code).toBe('unknown_form_version');
      expect(await world.db.rows('SELECT * FROM reviews ORDER BY id')).toEqual(before);
    }
    for (const form_version of [0, 1.5, '1']) {
      const refused = await rate({ form_version });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.code).toBe('invalid_body');
    }
  });
});

test('the hosted form gives the published form: its version stored, its hidden step absent, its labels', async () => {
  world = await agencyWorld({ rateLimitPerMinute: 0, ratingsPerClientPerDay: 0 });
  const admin = await as(ADMIN_A);
  await admin('PUT', `${FORM}/draft`, DRAFT);
  await admin('POST', `${FORM}/publish`);
  const clock = { advance: (ms: number) => void (world.clock.now = new Date(world.clock.now.getTime() + ms)) };
  const rated = await postRatingForm(world.app, clock, '/avis/demarche-a', { satisfaction: 'medium' });
  expect(rated.statusCode, rated.body).toBe(201);
  expect(rated.body).toContain('Les consignes du formulaire étaient-elles claires ?');
  expect(rated.body).toContain('Au 3939');
  expect(rated.body).not.toContain('<textarea');
  expect(rated.body).not.toContain('Qu’avez-vous pensé des informations et des instructions fournies\u00a0?');
  const rows = await world.db.rows<{ form_version: number }>('SELECT form_version FROM reviews');
  expect(rows.map((r) => Number(r.form_version))).toEqual([1]);
});

describe('what a draft may not do', () => {
  const long = 'x'.repeat(151);
  test.each([
    ['a label over 150 characters', { labels: { fr: { 'clarity.question': long } } }, 400, 'invalid_body'],
    ['an empty label', { labels: { fr: { 'comment.question': '  ' } } }, 400, 'invalid_body'],
    ['the satisfaction question relabelled', { labels: { en: { 'satisfaction.question': 'How was it?' } } }, 400, 'satisfaction_locked'],
    ['a satisfaction answer relabelled', { labels: { fr: { 'satisfaction.answers.good': 'Super' } } }, 400, 'satisfaction_locked'],
    ['a path the form does not have', { labels: { fr: { 'clarity.title': 'Titre' } } }, 400, 'invalid_body'],
    ['a language the widget does not speak', { labels: { nl: { 'clarity.question': 'Duidelijk?' } } }, 400, 'invalid_body'],
    ['the satisfaction step hidden', { hidden: ['satisfaction'] }, 400, 'invalid_body'],
    ['a step hidden twice', { hidden: ['comment', 'comment'] }, 400, 'invalid_body'],
    ['an unknown field', { hidden: [], theme: 'dark' }, 400, 'invalid_body'],
  ])('%s is refused, and nothing is stored', async (_name, body, status, code) => {
    world = await agencyWorld();
    const admin = await as(ADMIN_A);
    await expectRefused(() => admin('PUT', `${FORM}/draft`, body), status, code);
  });

  test('a procedure with a JDMA product id keeps its indicator steps; the comment may go', async () => {
    world = await agencyWorld();
    await world.store.procedures.setProductId('demarche-a', 1617);
    const admin = await as(ADMIN_A);
    for (const hidden of [['help'], ['clarity', 'comment']]) {
      const error = await expectRefused(() => admin('PUT', `${FORM}/draft`, { hidden }), 409, 'indicator_step_required');
      expect(error.message).toMatch(/observatory publishes this procedure/);
    }
    const comment = await admin('PUT', `${FORM}/draft`, { hidden: ['comment'] });
    expect(comment.statusCode).toBe(200);
    expect(comment.json().in_observatory).toBe(true);
  });

  test('a procedure with enough reviews for the observatory keeps them too, and a draft saved before is not published', async () => {
    world = await agencyWorld({ feedMinReviews: 1, rateLimitPerMinute: 0, ratingsPerClientPerDay: 0 });
    const admin = await as(ADMIN_A);
    expect((await admin('PUT', `${FORM}/draft`, { hidden: ['help'] })).statusCode).toBe(200);
    expect((await rate({})).statusCode).toBe(201);
    await expectRefused(() => admin('POST', `${FORM}/publish`), 409, 'indicator_step_required');
    await expectRefused(() => admin('PUT', `${FORM}/draft`, { hidden: ['clarity'] }), 409, 'indicator_step_required');
  });

  test('publishing without a draft, a reader, an unknown language or procedure: refused, nothing stored', async () => {
    world = await agencyWorld();
    const admin = await as(ADMIN_A);
    await expectRefused(() => admin('POST', `${FORM}/publish`), 409, 'form_draft_missing');
    const reader = await as(READER_A);
    await expectRefused(() => reader('PUT', `${FORM}/draft`, DRAFT), 403, 'forbidden');
    await expectRefused(() => reader('POST', `${FORM}/publish`), 403, 'forbidden');
    expect((await reader('GET', FORM)).statusCode).toBe(200);
    await expectRefused(() => world.inject({ url: '/api/v1/forms/demarche-a?lang=nl' }), 400, 'invalid_query');
    await expectRefused(() => world.inject({ url: '/api/v1/forms/inconnue' }), 404, 'unknown_procedure');
    // Archiving with nothing published changes nothing, audits nothing.
    const archived = await admin('POST', `${FORM}/archive`);
    expect(archived.statusCode).toBe(200);
    expect((await world.store.audit.list('ministere-a', { limit: 10 })).filter((e) => e.action.startsWith('form_'))).toEqual([]);
  });
});

describe('in the space’s settings page', () => {
  async function member(email: string) {
    const { cookie } = await world.session(email);
    const csrf = await csrfTokenOf(world, cookie);
    const post = (path: string, fields: Record<string, string | string[]>) => {
      const body = new URLSearchParams({ _csrf: csrf });
      for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(name, item);
      return world.inject({
        method: 'POST',
        url: `/espace/demarches/demarche-a/reglages${path}`,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: body.toString(),
      });
    };
    return { cookie, post };
  }

  test('an admin saves a draft for one language, keeps the others, previews it and publishes it', async () => {
    world = await agencyWorld();
    const admin = await member(ADMIN_A);
    await world.store.forms.saveDraft('demarche-a', {
      changes: { hidden: [], labels: { en: { 'comment.question': 'Anything else?' } } },
      updatedAt: 0,
      updatedBy: ADMIN_A,
    });
    const saved = await admin.post('/formulaire', {
      lang: 'fr',
      hidden: 'comment',
      'label:clarity.question': 'Claires ?',
      'label:clarity.low': '',
    });
    expect(saved.statusCode, saved.body).toBe(303);
    expect(saved.headers.location).toBe('/espace/demarches/demarche-a/reglages?langue-formulaire=fr&fait=formulaire-enregistre#formulaire');
    expect((await world.store.forms.draft('demarche-a'))?.changes).toEqual({
      hidden: ['comment'],
      labels: { en: { 'comment.question': 'Anything else?' }, fr: { 'clarity.question': 'Claires ?' } },
    });
    const page = (
      await world.inject({ url: '/espace/demarches/demarche-a/reglages?langue-formulaire=fr', headers: { cookie: admin.cookie } })
    ).body;
    expect(page).toContain('value="Claires ?"');
    // Each field says where its words sit in the form, in words: the API's key means nothing to the editor.
    expect(page).toContain('<span class="fr-hint-text">Clarté des informations · la question</span>');
    expect(page).toContain('<span class="fr-hint-text">Aide cherchée · une réponse</span>');
    expect(page).not.toContain('<span class="fr-hint-text">clarity.question</span>');
    expect(page).toMatch(
      /<div id="apercu-formulaire" data-chunk="\/widget\/form-fr-[0-9a-f]+\.js" data-lang="fr" data-form="[^"]*Claires \?/,
    );
    const published = await admin.post('/formulaire/publier', {});
    expect(published.statusCode).toBe(303);
    expect((await world.store.forms.published('demarche-a'))?.version).toBe(1);
  });

  test('a refusal is the settings page again, saying why, and nothing is stored', async () => {
    world = await agencyWorld();
    await world.store.procedures.setProductId('demarche-a', 1617);
    const admin = await member(ADMIN_A);
    for (const [path, fields, status, reason] of [
      [
        '/formulaire',
        { lang: 'fr', hidden: 'help' },
        409,
        'une démarche publiée dans l’observatoire garde les étapes qui servent à ses indicateurs',
      ],
      ['/formulaire', { lang: 'fr', 'label:clarity.question': 'x'.repeat(151) }, 400, 'requête invalide'],
      [
        '/formulaire',
        { lang: 'fr', 'label:satisfaction.question': 'Alors ?' },
        400,
        'la question de satisfaction et ses trois réponses ne peuvent pas être modifiées',
      ],
      ['/formulaire/publier', {}, 409, 'aucun brouillon de formulaire à publier'],
    ] as const) {
      const before = await world.db.snapshot();
      const reply = await admin.post(path, fields);
      expect(reply.statusCode, path).toBe(status);
      expect(reply.body).toContain(reason);
      expect(await world.db.snapshot()).toEqual(before);
    }
  });
});
