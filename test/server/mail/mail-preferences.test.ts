// A member's mail preferences and the one-click unsubscribe link, through the app on both engines:
// the page shows the defaults (alerts off, « intégration cassée » on for admins, no digest), a
// form saves one entity's choices (CSRF, audited), a wrong form or a forged link changes nothing,
// and a mail client's POST to the link stops that one kind without a session, audited.
import { afterEach, describe, expect, test } from 'vitest';
import { unsubscribeToken } from '../../../server/mail/unsubscribe-token.ts';
import { ADMIN_A, ADMIN_B, type AgencyWorld, agencyWorld, csrfTokenOf, READER_A } from '../../helpers/agency-world.ts';

const worlds: AgencyWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

async function newWorld(): Promise<AgencyWorld> {
  const w = await agencyWorld();
  worlds.push(w);
  return w;
}

function formBody(fields: Record<string, string | string[]>): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(name, item);
  return body.toString();
}

async function as(w: AgencyWorld, email: string) {
  const { cookie } = await w.session(email);
  const csrf = await csrfTokenOf(w, cookie);
  return {
    get: (url: string) => w.inject({ method: 'GET', url, headers: { cookie } }),
    post: (url: string, fields: Record<string, string | string[]>, token: string | null = csrf) =>
      w.inject({
        method: 'POST',
        url,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: formBody(token === null ? fields : { _csrf: token, ...fields }),
      }),
  };
}

const checked = (body: string, id: string) => new RegExp(`id="${id}"[^>]*checked`).test(body);
const preferencesRows = (w: AgencyWorld) =>
  w.db.rows<{ entity_id: string; email: string; kind: string; procedure_id: string; value: string }>(
    'SELECT entity_id, email, kind, procedure_id, value FROM mail_preferences ORDER BY entity_id, email, kind, procedure_id',
  );

describe('the preferences page', () => {
  test('shows the defaults: alerts off, « intégration cassée » on for an admin, off for a reader, no digest', async () => {
    const w = await newWorld();
    const admin = await (await as(w, ADMIN_A)).get('/espace/preferences');
    expect(admin.statusCode).toBe(200);
    expect(admin.body).toContain('<h1 class="fr-mt-4w">Mes courriels</h1>');
    expect(checked(admin.body, 'pref-ministere-a-avis-demarche-a')).toBe(false);
    expect(checked(admin.body, 'pref-ministere-a-integration')).toBe(true);
    expect(checked(admin.body, 'pref-ministere-a-niveau')).toBe(false);
    expect(checked(admin.body, 'pref-ministere-a-synthese-none')).toBe(true);
    // Another entity's procedures are not offered.
    expect(admin.body).not.toContain('demarche-b');
    const reader = await (await as(w, READER_A)).get('/espace/preferences?lang=en');
    expect(reader.body).toContain('My e-mails');
    expect(checked(reader.body, 'pref-ministere-a-integration')).toBe(false);
  });

  test('is linked from the account bar of every page of the space', async () => {
    const w = await newWorld();
    const home = await (await as(w, READER_A)).get('/espace');
    expect(home.body).toContain('href="/espace/preferences">Mes courriels</a>');
  });

  test('go with the member: removed and added again, they start from the defaults', async () => {
    const w = await newWorld();
    const member = await as(w, READER_A);
    await member.post('/espace/preferences', { entity: 'ministere-a', level_change: 'on', digest: 'weekly' });
    expect((await preferencesRows(w)).filter((row) => row.email === READER_A).length).toBeGreaterThan(0);
    expect(await w.store.members.remove('ministere-a', READER_A)).toBe(true);
    expect((await preferencesRows(w)).filter((row) => row.email === READER_A)).toEqual([]);
  });

  test('saves one entity’s choices, shows them, and audits the change once', async () => {
    const w = await newWorld();
    const member = await as(w, READER_A);
    const saved = await member.post('/espace/preferences', {
      entity: 'ministere-a',
      new_reviews: ['demarche-a2'],
      level_change: 'on',
      digest: 'weekly',
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/espace/preferences?fait=enregistre');
    const page = await member.get('/espace/preferences?fait=enregistre');
    expect(page.body).toContain('Vos choix sont enregistrés.');
    expect(checked(page.body, 'pref-ministere-a-avis-demarche-a2')).toBe(true);
    expect(checked(page.body, 'pref-ministere-a-avis-demarche-a')).toBe(false);
    expect(checked(page.body, 'pref-ministere-a-niveau')).toBe(true);
    expect(checked(page.body, 'pref-ministere-a-synthese-weekly')).toBe(true);
    expect(await preferencesRows(w)).toEqual([
      { entity_id: 'ministere-a', email: READER_A, kind: 'digest', procedure_id: '', value: 'weekly' },
      { entity_id: 'ministere-a', email: READER_A, kind: 'integration_broken', procedure_id: '', value: 'off' },
      { entity_id: 'ministere-a', email: READER_A, kind: 'level_change', procedure_id: '', value: 'on' },
      { entity_id: 'ministere-a', email: READER_A, kind: 'new_reviews', procedure_id: 'demarche-a', value: 'off' },
      { entity_id: 'ministere-a', email: READER_A, kind: 'new_reviews', procedure_id: 'demarche-a2', value: 'on' },
    ]);
    const again = await member.post('/espace/preferences', {
      entity: 'ministere-a',
      new_reviews: 'demarche-a2',
      level_change: 'on',
      digest: 'weekly',
    });
    expect(again.headers.location).toBe('/espace/preferences?fait=inchange');
    const audit = await w.db.rows<{ action: string; actor: string; details: string }>(
      "SELECT action, actor, details FROM audit_log WHERE action = 'mail_preferences_changed'",
    );
    expect(audit).toEqual([
      {
        action: 'mail_preferences_changed',
        actor: READER_A,
        details: JSON.stringify({ new_reviews: ['demarche-a2'], integration_broken: false, level_change: true, digest: 'weekly' }),
      },
    ]);
  });

  const VALID = { entity: 'ministere-a', digest: 'daily' };
  test.each([
    ['no digest frequency', { entity: 'ministere-a' }, 400, 'Choisissez une fréquence de synthèse'],
    ['an unknown frequency', { ...VALID, digest: 'hourly' }, 400, 'Choisissez une fréquence de synthèse'],
    ['another entity’s procedure', { ...VALID, new_reviews: 'demarche-b' }, 400, 'Cochez des démarches de cette entité.'],
    ['an unknown procedure', { ...VALID, new_reviews: ['demarche-a', 'nope'] }, 400, 'Cochez des démarches de cette entité.'],
    ['an entity the member is not in', { ...VALID, entity: 'ministere-b' }, 404, 'Page introuvable'],
    ['no entity', { digest: 'daily' }, 404, 'Page introuvable'],
  ])('refuses %s as a page, and stores nothing', async (_name, fields, status, says) => {
    const w = await newWorld();
    const admin = await as(w, ADMIN_A);
    const before = await w.db.snapshot();
    const refused = await admin.post('/espace/preferences', fields);
    expect(refused.statusCode).toBe(status);
    expect(refused.body).toContain(says);
    expect(await w.db.snapshot()).toEqual(before);
  });

  test('refuses a form without the session’s CSRF token (403) and a visitor without a session (401)', async () => {
    const w = await newWorld();
    const admin = await as(w, ADMIN_A);
    const before = await w.db.snapshot();
    const forged = await admin.post('/espace/preferences', VALID, null);
    expect(forged.statusCode).toBe(403);
    const anonymous = await w.inject({
      method: 'POST',
      url: '/espace/preferences',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody(VALID),
    });
    expect(anonymous.statusCode).toBe(401);
    expect(await w.db.snapshot()).toEqual(before);
  });
});

describe('the one-click unsubscribe link', () => {
  const linkOf = async (w: AgencyWorld, target: Parameters<typeof unsubscribeToken>[1]) =>
    `/espace/desabonnement?t=${unsubscribeToken(await w.store.notifications.signingKey(), target)}`;

  test('a GET shows what it stops and a button, and changes nothing (mail scanners follow links)', async () => {
    const w = await newWorld();
    const link = await linkOf(w, { entityId: 'ministere-a', email: ADMIN_A, kind: 'new_reviews', procedureId: 'demarche-a' });
    const before = await w.db.snapshot();
    const page = await w.inject({ method: 'GET', url: link });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Vous ne recevrez plus l’alerte «\u00a0nouveaux avis\u00a0» de Démarche A pour Ministère A.');
    expect(page.body).toContain(`<form method="post" action="${link}">`);
    expect(page.body).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(await w.db.snapshot()).toEqual(before);
  });

  test('a POST as a mail client sends it stops that one kind, without a session, audited', async () => {
    const w = await newWorld();
    const admin = await as(w, ADMIN_A);
    await admin.post('/espace/preferences', { entity: 'ministere-a', new_reviews: ['demarche-a', 'demarche-a2'], digest: 'daily' });
    const link = await linkOf(w, { entityId: 'ministere-a', email: ADMIN_A, kind: 'new_reviews', procedureId: 'demarche-a' });
    const done = await w.inject({
      method: 'POST',
      url: link,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Désabonnement enregistré');
    const rows = await preferencesRows(w);
    expect(rows.filter((row) => row.kind === 'new_reviews')).toEqual([
      { entity_id: 'ministere-a', email: ADMIN_A, kind: 'new_reviews', procedure_id: 'demarche-a', value: 'off' },
      { entity_id: 'ministere-a', email: ADMIN_A, kind: 'new_reviews', procedure_id: 'demarche-a2', value: 'on' },
    ]);
    expect(rows.find((row) => row.kind === 'digest')?.value).toBe('daily');
    const audit = await w.db.rows<{ actor: string; target: string; details: string }>(
      "SELECT actor, target, details FROM audit_log WHERE action = 'mail_unsubscribed'",
    );
    expect(audit).toEqual([{ actor: ADMIN_A, target: ADMIN_A, details: JSON.stringify({ kind: 'new_reviews', procedure: 'demarche-a' }) }]);
    // The digest's link sets it to none; the admin's default « intégration cassée » can be stopped too.
    for (const kind of ['digest', 'integration_broken'] as const) {
      const stop = await w.inject({
        method: 'POST',
        url: await linkOf(w, { entityId: 'ministere-a', email: ADMIN_A, kind, procedureId: '' }),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
      expect(stop.statusCode).toBe(200);
    }
    const after = await preferencesRows(w);
    expect(after.find((row) => row.kind === 'digest')?.value).toBe('none');
    expect(after.find((row) => row.kind === 'integration_broken')?.value).toBe('off');
  });

  test.each([
    ['no token', () => '/espace/desabonnement'],
    ['an empty token', () => '/espace/desabonnement?t='],
    ['a token cut short', (link: string) => link.slice(0, -3)],
    [
      'a token of another member with this signature',
      (link: string) => {
        const [, signature] = new URL(link, 'http://x').searchParams.get('t')!.split('.');
        const forged = Buffer.from(JSON.stringify(['ministere-b', ADMIN_B, 'digest', ''])).toString('base64url');
        return `/espace/desabonnement?t=${forged}.${signature}`;
      },
    ],
    [
      'a token signed with another key',
      () =>
        `/espace/desabonnement?t=${unsubscribeToken(Buffer.alloc(32, 7), { entityId: 'ministere-a', email: ADMIN_A, kind: 'digest', procedureId: '' })}`,
    ],
  ])('refuses %s: 400 unsubscribe_invalid, nothing changed', async (_name, make) => {
    const w = await newWorld();
    const link = await linkOf(w, { entityId: 'ministere-a', email: ADMIN_A, kind: 'digest', procedureId: '' });
    const url = make(link);
    const before = await w.db.snapshot();
    const posted = await w.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(posted.statusCode).toBe(400);
    expect(posted.json()).toMatchObject({ error: { code: 'unsubscribe_invalid' } });
    const shown = await w.inject({ method: 'GET', url });
    expect(shown.statusCode).toBe(400);
    expect(shown.body).toContain('Ce lien de désabonnement est incomplet');
    expect(await w.db.snapshot()).toEqual(before);
  });
});
