// The agency's side of the problem form (SPEC §3 "Signaler un problème"): the contact page an admin
// sets (validated, audited), and the reports listed, counted per kind and exported apart from reviews.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ADMIN_A, ADMIN_B, type AgencyWorld, agencyWorld, csrfTokenOf, ORIGIN_A, READER_A } from '../../../../helpers/agency-world.ts';

let world: AgencyWorld;
beforeEach(async () => {
  world = await agencyWorld();
});
afterEach(async () => world.close());

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const get = (url: string, key = world.keys.all) => world.inject({ url, headers: bearer(key) });
/** Sends changes as ADMIN_A's session, opened now, with its CSRF token (API keys are read-only). */
const adminPatch = async () => {
  const { cookie } = await world.session(ADMIN_A);
  const csrf = await csrfTokenOf(world, cookie);
  return (body: unknown) =>
    world.inject({
      method: 'PATCH',
      url: '/api/v1/procedures/demarche-a',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
};
const report = async (body: Record<string, unknown>) => {
  const reply = await world.inject({
    method: 'POST',
    url: '/api/v1/problem-reports',
    headers: { origin: ORIGIN_A, 'content-type': 'text/plain' },
    payload: JSON.stringify({ procedure: 'demarche-a', ...body }),
  });
  expect(reply.statusCode, reply.body).toBe(201);
  return reply.json();
};
const audited = async () => (await world.store.audit.list('ministere-a', { limit: 100 })).filter((entry) => entry.action !== 'login');

describe('the contact page of « ma situation personnelle »', () => {
  test('an admin sets it (audited once), the public reply and the procedure give it, null removes it', async () => {
    const patch = await adminPatch();
    const contactOf = async () => {
      const shown = await get('/api/v1/procedures/demarche-a');
      const listed = (await get('/api/v1/procedures')).json().procedures.find((p: { id: string }) => p.id === 'demarche-a');
      expect(listed.contact_url).toBe(shown.json().contact_url);
      return shown.json().contact_url;
    };
    expect(await contactOf()).toBeNull();
    const reply = await patch({ contact_url: 'https://demarches.a.example.gouv.fr/contact?from=jdma' });
    expect(reply.statusCode, reply.body).toBe(200);
    expect(reply.json().contact_url).toBe('https://demarches.a.example.gouv.fr/contact?from=jdma');
    expect(await contactOf()).toBe('https://demarches.a.example.gouv.fr/contact?from=jdma');
    expect(await world.store.problemReports.contactUrl('demarche-a')).toBe('https://demarches.a.example.gouv.fr/contact?from=jdma');
    expect((await report({ kind: 'own_situation' })).contact_url).toBe('https://demarches.a.example.gouv.fr/contact?from=jdma');
    // The same address again changes nothing, and leaves no trace.
    expect((await patch({ contact_url: 'https://demarches.a.example.gouv.fr/contact?from=jdma' })).statusCode).toBe(200);
    expect((await audited()).map((entry) => [entry.action, entry.details])).toEqual([
      ['procedure_updated', { contact_url: 'https://demarches.a.example.gouv.fr/contact?from=jdma' }],
    ]);
    expect((await patch({ contact_url: null })).statusCode).toBe(200);
    expect(await world.store.problemReports.contactUrl('demarche-a')).toBeNull();
    expect(await contactOf()).toBeNull();
    expect((await audited())[0]).toMatchObject({ action: 'procedure_updated', details: { contact_url: null } });
  });

  test.each([
    ['an http address', 'http://demarches.a.example.gouv.fr/contact'],
    ['not an address', 'contact page'],
    ['credentials in it', 'https://user:secret@demarches.a.example.gouv.fr/'],
    ['a javascript: link', 'javascript:alert(1)'],
    ['a line break', 'https://a.example.gouv.fr/\ncontact'],
    ['over 2,000 characters', `https://a.example.gouv.fr/${'a'.repeat(2000)}`],
  ])('%s → 400 invalid_body, nothing stored', async (_name, url) => {
    const patch = await adminPatch();
    const before = await world.db.snapshot();
    const reply = await patch({ contact_url: url });
    expect(reply.statusCode).toBe(400);
    expect(reply.json().error.code).toBe('invalid_body');
    expect(await world.db.snapshot()).toEqual(before);
  });

  test('a reader may not set it: 403 forbidden, nothing stored', async () => {
    const { cookie } = await world.session(READER_A);
    const before = await world.db.snapshot();
    const reply = await world.inject({
      method: 'PATCH',
      url: '/api/v1/procedures/demarche-a',
      headers: { cookie, 'x-csrf-token': await csrfTokenOf(world, cookie), 'content-type': 'application/json' },
      payload: JSON.stringify({ contact_url: 'https://a.example.gouv.fr/contact' }),
    });
    expect(reply.statusCode).toBe(403);
    expect(reply.json().error.code).toBe('forbidden');
    expect(await world.db.snapshot()).toEqual(before);
  });
});

describe('GET /api/v1/procedures/:id/problem-reports and .csv', () => {
  test('lists the reports newest first with their counts per kind, never among the reviews', async () => {
    await report({ kind: 'technical', text: 'Le bouton ne marche pas, appelez le 06 12 34 56 78', placement: 'site' });
    await report({ kind: 'suggestion', text: '=HYPERLINK("http://x")' });
    await report({ kind: 'own_situation', lang: 'en' });
    const reply = await get('/api/v1/procedures/demarche-a/problem-reports');
    expect(reply.statusCode, reply.body).toBe(200);
    expect(reply.headers['cache-control']).toContain('no-store');
    const body = reply.json();
    expect(body.counts).toEqual({ technical: 1, own_situation: 1, suggestion: 1 });
    expect(body.reports.map((r: { kind: string; text: string | null; placement: string }) => [r.kind, r.placement, r.text])).toEqual([
      ['own_situation', 'default', null],
      ['suggestion', 'default', '=HYPERLINK("http://x")'],
      ['technical', 'site', 'Le bouton ne marche pas, appelez le [numéro de téléphone]'],
    ]);
    expect((await get('/api/v1/procedures/demarche-a/reviews')).json().reviews).toEqual([]);

    const csv = await get('/api/v1/procedures/demarche-a/problem-reports.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('id,created_at,day,placement,lang,kind,text');
    expect(lines.slice(1).map((line) => line.split(',').slice(3).join(','))).toEqual([
      'default,en,own_situation,',
      `default,fr,suggestion,"'=HYPERLINK(""http://x"")"`,
      'site,fr,technical,"Le bouton ne marche pas, appelez le [numéro de téléphone]"',
    ]);
  });

  test('a window with no report counts 0 of each kind', async () => {
    await report({ kind: 'technical', text: 'x' });
    const body = (await get('/api/v1/procedures/demarche-a/problem-reports?from=2025-01-01&to=2025-01-31')).json();
    expect(body).toEqual({ from: '2025-01-01', to: '2025-01-31', counts: { technical: 0, own_situation: 0, suggestion: 0 }, reports: [] });
  });

  test.each([
    ['/api/v1/procedures/demarche-a/problem-reports?limit=0', 400, 'invalid_query'],
    ['/api/v1/procedures/demarche-a/problem-reports?kind=technical', 400, 'invalid_query'],
    ['/api/v1/procedures/demarche-a/problem-reports?from=2026-02-01&to=2026-01-01', 400, 'invalid_query'],
    ['/api/v1/procedures/demarche-a/problem-reports.csv?from=hier', 400, 'invalid_query'],
    ['/api/v1/procedures/demarche-b/problem-reports', 404, 'procedure_not_found'],
    ['/api/v1/procedures/demarche-b/problem-reports.csv', 404, 'procedure_not_found'],
  ])('%s → %i %s', async (url, status, code) => {
    const reply = await get(url);
    expect(reply.statusCode).toBe(status);
    expect(reply.json().error.code).toBe(code);
  });

  test('another entity’s admin does not see them, a key limited to another procedure neither', async () => {
    await report({ kind: 'technical', text: 'x' });
    const { cookie } = await world.session(ADMIN_B);
    expect((await world.inject({ url: '/api/v1/procedures/demarche-a/problem-reports', headers: { cookie } })).statusCode).toBe(404);
    expect((await get('/api/v1/procedures/demarche-a/problem-reports', world.keys.limited)).statusCode).toBe(404);
    expect((await world.inject({ url: '/api/v1/procedures/demarche-a/problem-reports' })).statusCode).toBe(401);
  });
});

describe('the results page of the agency space', () => {
  test('counts the reports per kind and lists the newest apart, while the satisfaction figures ignore them', async () => {
    const { cookie } = await world.session(READER_A);
    const page = async () => (await world.inject({ url: '/espace/demarches/demarche-a', headers: { cookie } })).body;
    const figures = (body: string) => body.slice(body.indexOf('<h2>Indicateurs</h2>'), body.indexOf('id="signalements"'));
    const before = await page();
    expect(before).toContain('<td>Un problème technique</td><td>0</td>');
    expect(before).toContain('Aucun signalement sur la période.');
    await report({ kind: 'technical', text: 'La page <b>plante</b>' });
    await report({ kind: 'technical', text: 'Encore' });
    await report({ kind: 'own_situation' });
    const after = await page();
    expect(after).toContain('<td>Un problème technique</td><td>2</td>');
    expect(after).toContain('<td>Ma situation personnelle</td><td>1</td>');
    expect(after).toContain('<td>Une suggestion</td><td>0</td>');
    expect(after).toContain('La page &lt;b&gt;plante&lt;/b&gt;');
    expect(after).toContain('/api/v1/procedures/demarche-a/problem-reports.csv?from=');
    expect(figures(after)).toEqual(figures(before));
  });
});

describe('the contact page in the space’s settings', () => {
  const SETTINGS = '/espace/demarches/demarche-a/reglages';
  const postForm = async (fields: Record<string, string>) => {
    const { cookie } = await world.session(ADMIN_A);
    const csrf = await csrfTokenOf(world, cookie);
    return (more: Record<string, string> = {}) =>
      world.inject({
        method: 'POST',
        url: `${SETTINGS}/contact`,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf, ...fields, ...more }).toString(),
      });
  };

  test('an admin saves it from the settings page (audited), and empties it to remove it', async () => {
    const save = await postForm({ contact_url: ' https://demarches.a.example.gouv.fr/nous-ecrire ' });
    const saved = await save();
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`${SETTINGS}?fait=contact`);
    expect(await world.store.problemReports.contactUrl('demarche-a')).toBe('https://demarches.a.example.gouv.fr/nous-ecrire');
    const { cookie } = await world.session(ADMIN_A);
    const page = (await world.inject({ url: `${SETTINGS}?fait=contact`, headers: { cookie } })).body;
    expect(page).toContain('Page de contact enregistrée.');
    expect(page).toContain('value="https://demarches.a.example.gouv.fr/nous-ecrire"');
    expect((await audited())[0]).toMatchObject({
      action: 'procedure_updated',
      details: { contact_url: 'https://demarches.a.example.gouv.fr/nous-ecrire' },
    });
    expect((await save({ contact_url: '' })).statusCode).toBe(303);
    expect(await world.store.problemReports.contactUrl('demarche-a')).toBeNull();
  });

  test('an http address is refused: 400, the page says why, nothing stored', async () => {
    const save = await postForm({ contact_url: 'http://demarches.a.example.gouv.fr/contact' });
    const before = await world.db.snapshot();
    const refused = await save();
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Saisissez une adresse https://');
    expect(await world.db.snapshot()).toEqual(before);
  });
});

describe('the form version in the agency’s review list', () => {
  test('each review shows the published form version it was given, null for the default form', async () => {
    await world.store.forms.saveDraft('demarche-a', { changes: { hidden: ['comment'], labels: {} }, updatedAt: 1, updatedBy: 'operator' });
    expect(await world.store.forms.publish('demarche-a', 'operator', 2)).toBe(1);
    for (const body of [{ satisfaction: 'good', form_version: 1 }, { satisfaction: 'bad' }]) {
      const rated = await world.inject({
        method: 'POST',
        url: '/api/v1/reviews',
        headers: { origin: ORIGIN_A, 'content-type': 'application/json' },
        payload: JSON.stringify({ procedure: 'demarche-a', ...body }),
      });
      expect(rated.statusCode, rated.body).toBe(201);
    }
    const { reviews } = (await get('/api/v1/procedures/demarche-a/reviews')).json();
    expect(
      reviews.map((r: { answers: { satisfaction: string }; form_version: number | null }) => [r.answers.satisfaction, r.form_version]),
    ).toEqual([
      ['bad', null],
      ['good', 1],
    ]);
  });
});
