// The agency space's admin pages (SPEC §8), through the app on both engines: a procedure's settings,
// an entity's members and keys, its audit log. Each page and form answers admins only (anyone else
// meets a "not found" page, and nothing changes), refuses a form without its CSRF token or with a
// wrong value as a page saying so (nothing changed), and changes what the API would, audited alike.
import { MAX_DISTINCT_KEYS_PER_DAY } from '../../../../../server/refusal-counter.ts';
import { afterEach, describe, expect, test } from 'vitest';
import { ADMIN_A, ADMIN_B, type AgencyWorld, agencyWorld, csrfTokenOf, DAY, ORIGIN_A, READER_A } from '../../../../helpers/agency-world.ts';

const worlds: AgencyWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

async function newWorld(): Promise<AgencyWorld> {
  const w = await agencyWorld();
  worlds.push(w);
  return w;
}

interface Member {
  cookie: string;
  csrf: string;
  get(url: string): ReturnType<AgencyWorld['inject']>;
  /** Posts a form as a browser does (urlencoded), with the session's CSRF token unless `_csrf` is given. */
  post(url: string, fields?: Record<string, string | string[]>): ReturnType<AgencyWorld['inject']>;
}

async function as(w: AgencyWorld, email: string): Promise<Member> {
  const { cookie } = await w.session(email);
  const csrf = await csrfTokenOf(w, cookie);
  return {
    cookie,
    csrf,
    get: (url) => w.inject({ method: 'GET', url, headers: { cookie } }),
    post: (url, fields = {}) =>
      w.inject({
        method: 'POST',
        url,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: formBody({ _csrf: csrf, ...fields }),
      }),
  };
}

function formBody(fields: Record<string, string | string[]>): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(name, item);
  return body.toString();
}

const h1 = (body: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(body)?.[1];
const titleOf = (body: string) => /<title>([^<]*)<\/title>/.exec(body)?.[1];
/** The page's visible text, tags dropped and spaces joined, for assertions a person would make. */
const text = (body: string) =>
  body
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, (run) => (run.includes('\u00a0') ? '\u00a0' : ' '));

const SETTINGS = '/espace/demarches/demarche-a/reglages';
const MEMBERS = '/espace/entites/ministere-a/membres';
const JOURNAL = '/espace/entites/ministere-a/journal';

/** Every form of the pages, with fields that would change something if the caller were allowed. */
const FORMS: { url: string; fields: Record<string, string> }[] = [
  { url: `${SETTINGS}/titre`, fields: { title: 'Nouveau titre' } },
  { url: `${SETTINGS}/origines`, fields: { origin: 'https://nouvelle.example.gouv.fr' } },
  { url: `${SETTINGS}/origines/retirer`, fields: { origin: ORIGIN_A } },
  { url: `${SETTINGS}/emplacements`, fields: { placement: 'courriel' } },
  { url: `${SETTINGS}/emplacements/retirer`, fields: { placement: 'site' } },
  { url: `${SETTINGS}/emplacements/test`, fields: { placement: 'site' } },
  { url: `${SETTINGS}/archiver`, fields: {} },
  { url: `${MEMBERS}`, fields: { email: 'nouveau@a.example.gouv.fr', role: 'admin' } },
  { url: `${MEMBERS}/role`, fields: { email: READER_A, role: 'admin' } },
  { url: `${MEMBERS}/retirer`, fields: { email: READER_A, confirm: 'oui' } },
  { url: '/espace/entites/ministere-a/cles', fields: { name: 'nouvelle' } },
  { url: '/espace/entites/ministere-a/cles/revoquer', fields: { name: 'tableau' } },
  { url: '/espace/entites/ministere-a/logo/retirer', fields: {} },
];
const PAGES = [SETTINGS, MEMBERS, JOURNAL];

describe('who may open the admin pages', () => {
  test('an admin opens each page; its title names the page and the procedure or entity; its breadcrumb leads back to the space', async () => {
    const w = await newWorld();
    const admin = await as(w, ADMIN_A);
    const expected = [
      [
        SETTINGS,
        'Réglages – Démarche A – Je donne mon avis',
        'Réglages de «\u00a0Démarche A\u00a0»',
        ['Espace agence', 'Démarche A', 'Réglages'],
      ],
      [
        MEMBERS,
        'Membres et clés d’API – Ministère A – Je donne mon avis',
        'Membres et clés d’API – Ministère A',
        ['Espace agence', 'Membres et clés d’API – Ministère A'],
      ],
      [
        JOURNAL,
        'Journal des actions – Ministère A – Je donne mon avis',
        'Journal des actions – Ministère A',
        ['Espace agence', 'Journal des actions – Ministère A'],
      ],
      [
        `${SETTINGS}?lang=en`,
        'Settings – Démarche A – Je donne mon avis',
        'Settings of “Démarche A”',
        ['Agency space', 'Démarche A', 'Settings'],
      ],
      [
        `${MEMBERS}?lang=en`,
        'Members and API keys – Ministère A – Je donne mon avis',
        'Members and API keys – Ministère A',
        ['Agency space', 'Members and API keys – Ministère A'],
      ],
      [
        `${JOURNAL}?lang=en`,
        'Audit log – Ministère A – Je donne mon avis',
        'Audit log – Ministère A',
        ['Agency space', 'Audit log – Ministère A'],
      ],
    ] as const;
    for (const [url, title, heading, trail] of expected) {
      const reply = await admin.get(url);
      expect(reply.statusCode, url).toBe(200);
      expect(reply.headers['cache-control']).toBe('no-store');
      expect(reply.headers['content-security-policy']).not.toContain('unsafe-inline');
      expect(titleOf(reply.body)).toBe(title);
      expect(h1(reply.body)).toBe(heading);
      const links = [...reply.body.matchAll(/<a class="fr-breadcrumb__link" href="([^"]+)"( aria-current="page")?>([^<]*)<\/a>/g)];
      expect(links.map((link) => link[3])).toEqual(trail);
      expect(links.at(-1)?.slice(1, 3)).toEqual([url, ' aria-current="page"']);
      expect(links[0]?.[1]).toBe(url.endsWith('?lang=en') ? '/espace?lang=en' : '/espace');
    }
  });

  test('signed out: the sign-in page (401) for each page and form, and nothing changes', async () => {
    const w = await newWorld();
    const before = await w.db.snapshot();
    for (const url of PAGES) {
      const reply = await w.inject({ url });
      expect(reply.statusCode, url).toBe(401);
      expect(h1(reply.body)).toBe('Connexion à l’espace agence');
    }
    for (const { url, fields } of FORMS) {
      const reply = await w.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: formBody(fields),
      });
      expect(reply.statusCode, url).toBe(401);
    }
    expect(await w.db.snapshot()).toEqual(before);
  });

  test('a reader, another entity’s admin and an API key meet « Page introuvable » (404) on each page and form; nothing changes', async () => {
    const w = await newWorld();
    const reader = await as(w, READER_A);
    const other = await as(w, ADMIN_B);
    // The key's last use is written at its first request: made before the snapshot.
    const key = { authorization: `Bearer ${w.keys.all}` };
    expect((await w.inject({ url: '/api/v1/me', headers: key })).statusCode).toBe(200);
    const before = await w.db.snapshot();
    for (const who of [reader, other]) {
      for (const url of [
        ...PAGES,
        '/espace/demarches/inconnue/reglages',
        '/espace/entites/inconnue/membres',
        '/espace/demarches/NOPE/reglages',
      ]) {
        const reply = await who.get(url);
        expect(reply.statusCode, url).toBe(404);
        expect(h1(reply.body)).toBe('Page introuvable');
      }
      for (const { url, fields } of FORMS) {
        const reply = await who.post(url, fields);
        expect(reply.statusCode, url).toBe(404);
        expect(h1(reply.body)).toBe('Page introuvable');
      }
    }
    for (const url of PAGES) expect((await w.inject({ url, headers: key })).statusCode, url).toBe(404);
    for (const { url, fields } of FORMS) {
      const reply = await w.inject({
        method: 'POST',
        url,
        headers: { ...key, 'content-type': 'application/x-www-form-urlencoded' },
        payload: formBody(fields),
      });
      expect(reply.statusCode, url).toBe(404);
    }
    expect(await w.db.snapshot()).toEqual(before);
  });

  test('a form without its CSRF token, or with another one, is « Ce formulaire a expiré » (403); nothing changes', async () => {
    const w = await newWorld();
    const admin = await as(w, ADMIN_A);
    const otherSession = await as(w, ADMIN_A);
    const before = await w.db.snapshot();
    for (const { url, fields } of FORMS) {
      for (const token of ['', 'x', otherSession.csrf]) {
        const reply = await admin.post(url, { ...fields, _csrf: token });
        expect(reply.statusCode, url).toBe(403);
        expect(h1(reply.body)).toBe('Ce formulaire a expiré');
      }
    }
    expect(await w.db.snapshot()).toEqual(before);
  });

  test('the home page links to the members and audit pages of the entities one administers, and only those', async () => {
    const w = await newWorld();
    const admin = (await (await as(w, ADMIN_A)).get('/espace')).body;
    expect(admin).toContain(`href="${MEMBERS}"`);
    expect(admin).toContain(`href="${JOURNAL}"`);
    const reader = (await (await as(w, READER_A)).get('/espace')).body;
    expect(reader).not.toContain('/membres');
    expect(reader).not.toContain('/journal');
    expect(reader).not.toContain('/reglages');
  });
});

describe('wrong values are said at their field (400), and change nothing', () => {
  const CASES: { name: string; url: string; fields: Record<string, string | string[]>; status?: number; says: string }[] = [
    { name: 'an empty title', url: `${SETTINGS}/titre`, fields: { title: '   ' }, says: 'Saisissez un titre de 1 à 200 caractères.' },
    { name: 'a title too long', url: `${SETTINGS}/titre`, fields: { title: 'x'.repeat(201) }, says: 'Saisissez un titre' },
    { name: 'no title', url: `${SETTINGS}/titre`, fields: {}, says: 'Saisissez un titre' },
    {
      name: 'an origin with a path',
      url: `${SETTINGS}/origines`,
      fields: { origin: 'https://www.example.gouv.fr/demarche' },
      says: 'Saisissez une origine',
    },
    {
      name: 'an origin that is no URL',
      url: `${SETTINGS}/origines`,
      fields: { origin: 'www.example.gouv.fr' },
      says: 'Saisissez une origine',
    },
    { name: 'an ftp origin', url: `${SETTINGS}/origines`, fields: { origin: 'ftp://example.gouv.fr' }, says: 'Saisissez une origine' },
    {
      name: 'an origin given twice',
      url: `${SETTINGS}/origines`,
      fields: { origin: ['https://a.fr', 'https://b.fr'] },
      says: 'Saisissez une origine',
    },
    {
      name: 'a placement with capitals',
      url: `${SETTINGS}/emplacements`,
      fields: { placement: 'Page De Fin' },
      says: 'Saisissez un emplacement',
    },
    {
      name: 'removing «\u00a0default\u00a0»',
      url: `${SETTINGS}/emplacements/retirer`,
      fields: { placement: 'default' },
      says: 'L’emplacement par défaut (default) ne peut pas être retiré',
    },
    {
      name: 'a member address that is none',
      url: MEMBERS,
      fields: { email: 'camille', role: 'reader' },
      says: 'Saisissez une adresse électronique valide',
    },
    {
      name: 'a role that is none',
      url: MEMBERS,
      fields: { email: 'camille@a.example.gouv.fr', role: 'owner' },
      says: 'Choisissez un rôle',
    },
    { name: 'a role change to no role', url: `${MEMBERS}/role`, fields: { email: READER_A, role: 'owner' }, says: 'Choisissez un rôle' },
    {
      name: 'a key name with a slash',
      url: '/espace/entites/ministere-a/cles',
      fields: { name: 'a/b' },
      says: 'Saisissez un nom de 1 à 100 caractères',
    },
    { name: 'a key without a name', url: '/espace/entites/ministere-a/cles', fields: { name: '' }, says: 'Saisissez un nom' },
    {
      name: 'a key for another entity’s procedure',
      url: '/espace/entites/ministere-a/cles',
      fields: { name: 'ailleurs', procedures: ['demarche-a', 'demarche-b'] },
      says: 'Cochez des démarches de cette entité',
    },
    {
      name: 'an already-member invited',
      url: MEMBERS,
      fields: { email: READER_A, role: 'admin' },
      status: 409,
      says: 'Cette adresse est déjà membre',
    },
    {
      name: 'a live key’s name taken again',
      url: '/espace/entites/ministere-a/cles',
      fields: { name: 'tableau' },
      status: 409,
      says: 'Une clé active porte déjà ce nom',
    },
    {
      name: 'a revoked key revoked again',
      url: '/espace/entites/ministere-a/cles/revoquer',
      fields: { name: 'ancienne' },
      status: 404,
      says: 'Aucune clé active ne porte ce nom',
    },
    {
      name: 'a role change for no member',
      url: `${MEMBERS}/role`,
      fields: { email: 'personne@a.example.gouv.fr', role: 'admin' },
      status: 404,
      says: 'n’est pas (ou plus) membre',
    },
  ];

  test.each(CASES)('$name', async ({ url, fields, status = 400, says }) => {
    const w = await newWorld();
    const admin = await as(w, ADMIN_A);
    const before = await w.db.snapshot();
    const reply = await admin.post(url, fields);
    expect(reply.statusCode, reply.body).toBe(status);
    expect(text(reply.body)).toContain(says);
    expect(await w.db.snapshot()).toEqual(before);
  });

  test('a wrong origin is shown again in its field, marked invalid, with the message tied to it', async () => {
    const w = await newWorld();
    const reply = await (await as(w, ADMIN_A)).post(`${SETTINGS}/origines?lang=en`, { origin: 'https://www.example.gouv.fr/demarche' });
    expect(reply.statusCode).toBe(400);
    expect(reply.body).toMatch(
      /<input class="fr-input fr-input--error" type="url" id="origines-nouvelle" name="origin" value="https:\/\/www.example.gouv.fr\/demarche" aria-describedby="origines-nouvelle-messages" aria-invalid="true"/,
    );
    expect(text(reply.body)).toContain('Type an origin: https://domain-name, without a path');
    // Its language link leads to the settings page, which answers GET (the form's address does not).
    expect(reply.body).toContain(`href="${SETTINGS}" hreflang="fr"`);
  });

  test('the audit log pages 50 entries at a time, newest first, with « Plus anciennes » and « Plus récentes »', async () => {
    const w = await newWorld();
    const admin = await as(w, ADMIN_A);
    for (let i = 1; i <= 60; i++) {
      await w.store.audit.add({
        entityId: 'ministere-a',
        at: Date.UTC(2026, 10, 1, 0, i),
        actor: 'operator',
        action: 'member_added',
        target: `m${i}@a.fr`,
        details: { role: 'reader' },
      });
    }
    const rowsOf = (body: string) => [...body.matchAll(/<td>(m\d+@a\.fr)<\/td>/g)].map((m) => m[1]);
    const first = await admin.get(JOURNAL);
    expect(rowsOf(first.body)).toEqual(Array.from({ length: 50 }, (_, i) => `m${60 - i}@a.fr`));
    expect(text(first.body)).toContain('l’exploitant du service (ligne de commande) Membre ajouté m60@a.fr rôle\u00a0: lecteur');
    const older = /<a class="fr-pagination__link fr-pagination__link--next[^"]*" href="([^"]+)">Plus anciennes<\/a>/.exec(first.body)?.[1];
    expect(older).toMatch(/^\/espace\/entites\/ministere-a\/journal\?avant=\d+$/);
    expect(first.body).not.toContain('Plus récentes');
    const second = await admin.get(older!.replaceAll('&amp;', '&'));
    expect(rowsOf(second.body)).toEqual(Array.from({ length: 10 }, (_, i) => `m${10 - i}@a.fr`));
    expect(second.body).not.toContain('Plus anciennes');
    expect(second.body).toContain(
      `<a class="fr-pagination__link fr-pagination__link--first fr-pagination__link--lg-label" href="${JOURNAL}">Plus récentes</a>`,
    );
  });

  test('the audit log names a review’s triage status in words, « traité » in French and “handled” in English', async () => {
    const w = await newWorld();
    const admin = await as(w, ADMIN_A);
    for (const [minute, status] of [
      [1, 'seen'],
      [2, 'handled'],
    ] as const) {
      await w.store.audit.add({
        entityId: 'ministere-a',
        at: Date.UTC(2026, 10, 1, 0, minute),
        actor: ADMIN_A,
        action: 'review_status',
        target: String(minute),
        details: { procedure: 'demarche-a', status },
      });
    }
    const fr = text((await admin.get(JOURNAL)).body);
    expect(fr).toContain('Statut d’un avis changé 2 démarche\u00a0: demarche-a statut\u00a0: traité');
    expect(fr).toContain('Statut d’un avis changé 1 démarche\u00a0: demarche-a statut\u00a0: lu');
    const en = text((await admin.get(`${JOURNAL}?lang=en`)).body);
    expect(en).toContain('Review status changed 2 procedure: demarche-a status: handled');
    expect(en).toContain('Review status changed 1 procedure: demarche-a status: seen');
  });

  test('the audit log refuses a page address that is no entry', async () => {
    const w = await newWorld();
    const admin = await as(w, ADMIN_A);
    for (const avant of ['abc', '0', '-3', '1.5']) {
      const reply = await admin.get(`${JOURNAL}?avant=${avant}`);
      expect(reply.statusCode, avant).toBe(400);
      expect(text(reply.body)).toContain('Cette adresse de page est incorrecte.');
    }
  });
});

describe('the last admin', () => {
  test('is neither made a reader nor removed (409, said plainly), and nothing changes', async () => {
    const w = await newWorld();
    const admin = await as(w, ADMIN_A);
    const before = await w.db.snapshot();
    for (const [url, fields] of [
      [`${MEMBERS}/role`, { email: ADMIN_A, role: 'reader' }],
      [`${MEMBERS}/retirer`, { email: ADMIN_A, confirm: 'oui' }],
    ] as const) {
      const reply = await admin.post(url, fields);
      expect(reply.statusCode).toBe(409);
      expect(text(reply.body)).toContain('Une entité garde au moins un administrateur\u00a0: nommez d’abord un autre administrateur.');
    }
    expect(await w.db.snapshot()).toEqual(before);
  });
});

describe('changes, as the API makes them', () => {
  /** The entity's log without the sign-ins, as it can be compared between two worlds. */
  const log = async (w: AgencyWorld) =>
    (await w.store.audit.list('ministere-a', { limit: 100 }))
      .filter((e) => e.action !== 'login')
      .map(({ actor, action, target, details, at }) => ({ actor, action, target, details, at }));

  test('every change made by a page is what the API makes, and is audited exactly alike', async () => {
    const pageWorld = await newWorld();
    const apiWorld = await newWorld();
    const admin = await as(pageWorld, ADMIN_A);
    const { cookie } = await apiWorld.session(ADMIN_A);
    const csrf = await csrfTokenOf(apiWorld, cookie);
    const api = (method: string, url: string, body?: unknown) =>
      apiWorld.inject({
        method: method as 'POST',
        url,
        headers: { cookie, 'x-csrf-token': csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
    const steps: [string, Record<string, string | string[]>, string, string, unknown?][] = [
      [
        `${SETTINGS}/titre`,
        { title: ' Démarche A, nouvelle ' },
        'PATCH',
        '/api/v1/procedures/demarche-a',
        { title: 'Démarche A, nouvelle' },
      ],
      [
        `${SETTINGS}/origines`,
        { origin: 'https://Copie.example.gouv.fr' },
        'PATCH',
        '/api/v1/procedures/demarche-a',
        { origins: { add: ['https://copie.example.gouv.fr'] } },
      ],
      [`${SETTINGS}/origines/retirer`, { origin: ORIGIN_A }, 'PATCH', '/api/v1/procedures/demarche-a', { origins: { remove: [ORIGIN_A] } }],
      [
        `${SETTINGS}/emplacements`,
        { placement: 'courriel' },
        'PATCH',
        '/api/v1/procedures/demarche-a',
        { placements: { add: ['courriel'] } },
      ],
      [
        `${SETTINGS}/emplacements/retirer`,
        { placement: 'site' },
        'PATCH',
        '/api/v1/procedures/demarche-a',
        { placements: { remove: ['site'] } },
      ],
      [`${SETTINGS}/archiver`, {}, 'POST', '/api/v1/procedures/demarche-a/archive'],
      [`${SETTINGS}/reactiver`, {}, 'POST', '/api/v1/procedures/demarche-a/restore'],
      [
        MEMBERS,
        { email: 'Camille@A.example.gouv.fr', role: 'reader' },
        'POST',
        '/api/v1/entities/ministere-a/members',
        { email: 'camille@a.example.gouv.fr', role: 'reader' },
      ],
      [
        `${MEMBERS}/role`,
        { email: 'camille@a.example.gouv.fr', role: 'admin' },
        'PATCH',
        '/api/v1/entities/ministere-a/members/camille@a.example.gouv.fr',
        { role: 'admin' },
      ],
      [`${MEMBERS}/retirer`, { email: READER_A, confirm: 'oui' }, 'DELETE', `/api/v1/entities/ministere-a/members/${READER_A}`],
      [
        '/espace/entites/ministere-a/cles',
        { name: 'export nuit', procedures: ['demarche-a2'] },
        'POST',
        '/api/v1/entities/ministere-a/keys',
        { name: 'export nuit', procedures: ['demarche-a2'] },
      ],
      ['/espace/entites/ministere-a/cles', { name: 'tout' }, 'POST', '/api/v1/entities/ministere-a/keys', { name: 'tout' }],
      ['/espace/entites/ministere-a/cles/revoquer', { name: 'tableau' }, 'DELETE', '/api/v1/entities/ministere-a/keys/tableau'],
    ];
    for (const [url, fields, method, apiUrl, body] of steps) {
      pageWorld.clock.now = apiWorld.clock.now = new Date(pageWorld.clock.now.getTime() + 60_000);
      const reply = await admin.post(url, fields);
      expect(reply.statusCode, `${url}: ${reply.body}`).toBe(url.endsWith('/cles') ? 201 : 303);
      const viaApi = await api(method, apiUrl, body);
      expect(viaApi.statusCode, viaApi.body).toBeLessThan(300);
    }
    const fromPages = await log(pageWorld);
    expect(fromPages).toHaveLength(steps.length);
    expect(fromPages).toEqual(await log(apiWorld));
    // And the state they leave is the same.
    expect((await apiWorld.inject({ url: '/api/v1/procedures/demarche-a', headers: { cookie } })).json()).toEqual(
      (await pageWorld.inject({ url: '/api/v1/procedures/demarche-a', headers: { cookie: admin.cookie } })).json(),
    );
    const members = async (w: AgencyWorld) => (await w.store.members.list('ministere-a')).map(({ email, role }) => ({ email, role }));
    expect(await members(pageWorld)).toEqual(await members(apiWorld));
  });

  test('a form sends back to its page with a notice; a change that changes nothing says so and is not audited', async () => {
    const w = await newWorld();
    const admin = await as(w, ADMIN_A);
    const added = await admin.post(`${SETTINGS}/origines?lang=en`, { origin: 'https://copie.example.gouv.fr' });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(`${SETTINGS}?fait=origine-ajoutee&lang=en`);
    expect(text((await admin.get(added.headers.location!)).body)).toContain('Origin added: its pages may now send ratings.');
    const before = await w.db.snapshot();
    const again = await admin.post(`${SETTINGS}/origines`, { origin: 'https://copie.example.gouv.fr' });
    expect(again.headers.location).toBe(`${SETTINGS}?fait=inchange`);
    expect(text((await admin.get(again.headers.location!)).body)).toContain('Rien n’a changé\u00a0: c’était déjà ainsi.');
    expect(await w.db.snapshot()).toEqual(before);
  });

  test('removing a member asks first, saying what it does; the confirmation removes them', async () => {
    const w = await newWorld();
    const admin = await as(w, ADMIN_A);
    const before = await w.db.snapshot();
    const asked = await admin.post(`${MEMBERS}/retirer`, { email: READER_A });
    expect(asked.statusCode).toBe(200);
    expect(h1(asked.body)).toBe('Retirer ce membre\u00a0?');
    expect(text(asked.body)).toContain(`${READER_A} n’aura plus accès à l’entité «\u00a0Ministère A\u00a0» dès sa prochaine action`);
    expect(asked.body).toContain('<input type="hidden" name="confirm" value="oui">');
    expect(await w.db.snapshot()).toEqual(before);
    const done = await admin.post(`${MEMBERS}/retirer`, { email: READER_A, confirm: 'oui' });
    expect(done.headers.location).toBe(`${MEMBERS}?fait=membre-retire`);
    expect((await w.store.members.list('ministere-a')).map((m) => m.email)).toEqual([ADMIN_A]);
  });

  test('a new key is shown once, in the reply to its form (no-store, in no address); it reads as Bearer until revoked', async () => {
    const w = await newWorld();
    const admin = await as(w, ADMIN_A);
    const reply = await admin.post('/espace/entites/ministere-a/cles', { name: 'tableau de bord', procedures: 'demarche-a' });
    expect(reply.statusCode).toBe(201);
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers.location).toBeUndefined();
    const key = /<textarea class="fr-input jdma-code" id="cle" rows="2" readonly spellcheck="false">(jdma_[A-Za-z0-9_-]+)<\/textarea>/.exec(
      reply.body,
    )?.[1];
    expect(key).toBeDefined();
    expect(text(reply.body)).toContain('Copiez cette clé maintenant\u00a0: elle ne sera plus jamais affichée.');
    const me = await w.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${key}` } });
    expect(me.json()).toMatchObject({ kind: 'key', name: 'tableau de bord', procedures: ['demarche-a'] });
    // The members page lists it, never with its secret.
    const page = await admin.get(MEMBERS);
    expect(text(page.body)).toContain('tableau de bord Démarche A');
    expect(page.body).not.toContain(key);
    expect((await admin.post('/espace/entites/ministere-a/cles/revoquer', { name: 'tableau de bord' })).statusCode).toBe(303);
    expect((await w.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(401);
  });
});

describe('integration health on the settings page', () => {
  test('each refusal with a fix is a sentence and a one-click button; once fixed, only the table keeps it; limits apart', async () => {
    const w = await newWorld();
    const admin = await as(w, ADMIN_A);
    const day = (ago: number) => new Date(w.clock.now.getTime() - ago * DAY).toISOString().slice(0, 10);
    const row = { procedureId: 'demarche-a', placementId: 'default', count: 1 };
    await w.store.refusedRatings.add(
      [
        { ...row, day: day(0), reason: 'origin_not_allowed', origin: 'https://copie.example.gouv.fr', count: 100 },
        { ...row, day: day(1), reason: 'origin_not_allowed', origin: 'https://copie.example.gouv.fr', count: 42 },
        { ...row, day: day(1), reason: 'unknown_placement', origin: ORIGIN_A, placementId: 'courriel' },
        { ...row, day: day(1), reason: 'rate_limited', origin: ORIGIN_A, count: 7 },
        { ...row, day: day(2), reason: 'honeypot', origin: '', count: 3 },
        { ...row, day: day(40), reason: 'procedure_archived', origin: ORIGIN_A },
      ],
      day(80),
      MAX_DISTINCT_KEYS_PER_DAY,
    );
    const page = text((await admin.get(SETTINGS)).body);
    expect(page).toContain('Problèmes d’intégration\u00a0: 143 notes refusées.');
    expect(page).toContain('Limites anti-abus\u00a0: 10 notes refusées, pas une erreur de vos pages');
    expect(page).toContain(
      '142 notes refusées depuis https://copie.example.gouv.fr\u00a0: cette origine n’est pas autorisée. Ajouter cette origine',
    );
    expect(page).toContain(
      '1 note refusée pour l’emplacement «\u00a0courriel\u00a0», que la démarche ne connaît pas. Ajouter cet emplacement',
    );
    // The limits are a table of their own, by reason, without origins.
    const limits = page.slice(page.indexOf('Limites anti-abus sur 30 jours'));
    expect(limits).toContain('trop d’envois depuis une même connexion 7');
    expect(limits).toContain('formulaire hébergé rempli par un robot 3');
    const faults = page.slice(page.indexOf('Problèmes d’intégration sur 30 jours'), page.indexOf('Limites anti-abus sur 30 jours'));
    expect(faults).not.toContain('trop d’envois');
    // 40 days ago is outside the 30 days shown.
    expect(page).not.toContain('démarche archivée');
    const fixed = await admin.post(`${SETTINGS}/origines`, { origin: 'https://copie.example.gouv.fr' });
    expect(fixed.statusCode).toBe(303);
    const after = text((await admin.get(fixed.headers.location!)).body);
    expect(after).not.toContain('Ajouter cette origine');
    expect(after).toContain('Ajouter cet emplacement');
    expect(after).toMatch(/origine non autorisée https:\/\/copie\.example\.gouv\.fr default 142 \d+(?:er)?\u00a0décembre 2026/);
    expect(after).not.toContain('Aucune correction en attente');
    await admin.post(`${SETTINGS}/emplacements`, { placement: 'courriel' });
    expect(text((await admin.get(SETTINGS)).body)).toContain(
      'Aucune correction en attente\u00a0: les problèmes ci-dessous sont déjà corrigés',
    );
  });

  test('limits alone are no problem to fix; a placement defaulted is a stored rating, not a refusal', async () => {
    const w = await newWorld();
    const admin = await as(w, ADMIN_A);
    const today = w.clock.now.toISOString().slice(0, 10);
    const row = { procedureId: 'demarche-a', day: today, origin: '', placementId: 'default' };
    await w.store.refusedRatings.add(
      [
        { ...row, reason: 'rate_limited', count: 10 },
        { ...row, reason: 'placement_defaulted', placementId: 'lettre', count: 1 },
      ],
      today,
      MAX_DISTINCT_KEYS_PER_DAY,
    );
    const page = text((await admin.get(SETTINGS)).body);
    expect(page).not.toContain('Problèmes d’intégration\u00a0:');
    expect(page).toContain('1 note enregistrée malgré tout, sous l’emplacement par défaut (default)\u00a0: simple avertissement.');
    expect(page).toContain('Limites anti-abus\u00a0: 10 notes refusées');
    expect(page).toContain('Ajouter cet emplacement');
  });

  test('an archived procedure says what archiving does, and offers to restore it', async () => {
    const w = await newWorld();
    await w.store.procedures.setArchived('demarche-a', true);
    const page = text((await (await as(w, ADMIN_A)).get(SETTINGS)).body);
    expect(page).toMatch(
      /Démarche archivée le \d+(?:er)?\u00a0\S+ 2026\u00a0: ses nouvelles notes sont refusées et elle n’est plus publiée\. Réactiver la démarche/,
    );
    expect(page).toMatch(/Démarche archivée le \d+(?:er)?\u00a0\S+ 2026\./);
    expect(page).toContain('La réactiver\u00a0: elle recueille de nouveau des notes et revient dans le flux ouvert.');
    expect(page).toContain('Réactiver la démarche');
  });

  test('the snippet’s five blocks are those of the API, for the placement chosen', async () => {
    const w = await newWorld();
    const admin = await as(w, ADMIN_A);
    const api = async (placement?: string) =>
      (
        await w.inject({
          url: `/api/v1/procedures/demarche-a/snippet${placement ? `?placement=${placement}` : ''}`,
          headers: { cookie: admin.cookie },
        })
      ).json().snippet as string;
    for (const [query, placement] of [
      ['', undefined],
      ['?emplacement=site', 'site'],
    ] as const) {
      const body = (await admin.get(`${SETTINGS}${query}`)).body;
      const blocks = [...body.matchAll(/<textarea[^>]*id="bloc-\d"[^>]*>([^<]*)<\/textarea>/g)].map((m) => text(m[1]!).trim());
      const fromApi = (await api(placement)).split('\n').filter((line) => line && !line.startsWith('====='));
      expect(blocks).toEqual(fromApi);
    }
  });
});
