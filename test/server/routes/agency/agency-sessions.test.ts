// Signing in and staying signed in (SPEC §8): one-time login links, the session cookie, its
// lifetimes, logout, CSRF, and the widget's routes that still set and read no cookie.
import { afterEach, describe, expect, test } from 'vitest';
import { hashSecret, newSecret } from '../../../../server/agency/secrets.ts';
import { runCli } from '../../../helpers/cli-process.ts';
import { ADMIN_A, type AgencyWorld, agencyWorld, csrfTokenOf, HOUR, ORIGIN_A, READER_A } from '../../../helpers/agency-world.ts';

const MINUTE = 60 * 1000;

let world: AgencyWorld;
afterEach(async () => world?.close());

/** A login link as `jdma login-link` makes it: valid 15 minutes from now, for one address. */
async function loginLink(w: AgencyWorld, email: string): Promise<string> {
  const token = newSecret();
  await w.store.loginLinks.create({ tokenHash: hashSecret(token), email, expiresAt: w.clock.now.getTime() + 15 * MINUTE });
  return token;
}

const follow = (w: AgencyWorld, token: string, query = '') =>
  w.inject({
    method: 'POST',
    url: `/espace/lien/${token}${query}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: '',
  });

/** Set-Cookie's attributes, lower-cased, by name (the value under the cookie's own name). */
function cookieAttributes(header: string | string[] | undefined): Record<string, string | true> {
  const [first = '', ...attributes] = ([header ?? []].flat()[0] ?? '').split(';').map((part) => part.trim());
  const equals = first.indexOf('=');
  const out: Record<string, string | true> = { [first.slice(0, equals)]: first.slice(equals + 1) };
  for (const attribute of attributes) {
    const [name = '', ...value] = attribute.split('=');
    out[name.toLowerCase()] = value.length ? value.join('=') : true;
  }
  return out;
}

const sessionCount = async (w: AgencyWorld) => (await w.db.snapshot()).sessions!.length;

describe('one-time login links', () => {
  test('following the link shows a page whose button signs in; the GET alone uses nothing', async () => {
    world = await agencyWorld();
    const token = await loginLink(world, ADMIN_A);
    const before = await world.db.snapshot();
    const page = await world.inject({ method: 'GET', url: `/espace/lien/${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.body).toContain(`<form method="post" action="/espace/lien/${token}">`);
    expect(page.body).toContain('Se connecter');
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(await world.db.snapshot()).toEqual(before);

    const english = await world.inject({ method: 'GET', url: `/espace/lien/${token}?lang=en` });
    expect(english.body).toContain('<html lang="en"');
    expect(english.body).toContain(`action="/espace/lien/${token}?lang=en"`);
    expect(english.body).toContain('Sign in');
  });

  test('the link signs in once: a session cookie, a login in the audit log, and /espace shows the member', async () => {
    world = await agencyWorld();
    const token = await loginLink(world, ADMIN_A);
    const reply = await follow(world, token);
    expect(reply.statusCode).toBe(303);
    expect(reply.headers.location).toBe('/espace');
    const cookie = cookieAttributes(reply.headers['set-cookie']);
    expect(cookie.jdma_session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie).toMatchObject({ httponly: true, samesite: 'Lax', path: '/' });
    expect(cookie.secure).toBeUndefined();
    // Stored hashed: the cookie's value is nowhere in the database.
    expect(JSON.stringify(await world.db.snapshot())).not.toContain(cookie.jdma_session as string);
    const audit = await world.store.audit.list('ministere-a', { limit: 10 });
    expect(audit.map((e) => [e.action, e.actor])).toEqual([['login', ADMIN_A]]);

    const space = await world.inject({ method: 'GET', url: '/espace', headers: { cookie: `jdma_session=${cookie.jdma_session}` } });
    expect(space.statusCode).toBe(200);
    expect(space.body).toContain(ADMIN_A);
    expect(space.body).toContain('Ministère A');
    expect(space.body).toContain('administrateur');

    const before = await world.db.snapshot();
    const again = await follow(world, token);
    expect(again.statusCode).toBe(410);
    expect(again.headers['content-type']).toMatch(/^text\/html/);
    expect(again.body).toContain('n’est plus valable');
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(await world.db.snapshot()).toEqual(before);
  });

  test('a link is refused 15 minutes after it was made', async () => {
    world = await agencyWorld();
    const token = await loginLink(world, READER_A);
    world.clock.now = new Date(world.clock.now.getTime() + 15 * MINUTE + 1);
    const before = await world.db.snapshot();
    const reply = await follow(world, token, '?lang=en');
    expect(reply.statusCode).toBe(410);
    expect(reply.body).toContain('no longer valid');
    expect(reply.headers['set-cookie']).toBeUndefined();
    expect(await world.db.snapshot()).toEqual(before);
  });

  test.each([
    ['an unknown link', () => newSecret(), 410],
    ['a mistyped link', () => 'pas-un-jeton', 404],
    ['a link with a NUL byte', () => `${newSecret()}%00`, 404],
  ])('%s is a page, not an error, and changes nothing', async (_name, token, status) => {
    world = await agencyWorld();
    const before = await world.db.snapshot();
    const reply = await follow(world, token());
    expect(reply.statusCode).toBe(status);
    expect(reply.headers['content-type']).toMatch(/^text\/html/);
    expect(reply.headers['set-cookie']).toBeUndefined();
    expect(await world.db.snapshot()).toEqual(before);
  });

  test('an address that is no longer a member gets no session', async () => {
    world = await agencyWorld();
    const token = await loginLink(world, READER_A);
    await world.store.members.remove('ministere-a', READER_A);
    const sessions = await sessionCount(world);
    const reply = await follow(world, token);
    expect(reply.statusCode).toBe(403);
    expect(reply.body).toContain('Aucun accès');
    expect(reply.headers['set-cookie']).toBeUndefined();
    expect(await sessionCount(world)).toBe(sessions);
  });
});

describe('a sign-in link is used from the collector’s own page only (login CSRF)', () => {
  const post = (w: AgencyWorld, token: string, headers: Record<string, string>, cookie?: string) =>
    w.inject({
      method: 'POST',
      url: `/espace/lien/${token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers, ...(cookie ? { cookie } : {}) },
      payload: '',
    });

  test.each([
    ['another site’s Origin', { origin: 'https://evil.example.com' }],
    ['an opaque Origin (a sandboxed frame)', { origin: 'null' }],
    ['a look-alike Origin', { origin: 'http://127.0.0.1:8080.evil.example.com' }],
    ['Sec-Fetch-Site: cross-site, no Origin', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site (a sibling subdomain)', { 'sec-fetch-site': 'same-site' }],
    ['another site’s Origin and Sec-Fetch-Site', { origin: 'https://evil.example.com', 'sec-fetch-site': 'cross-site' }],
  ])('%s: a 403 page, no session, and the link is not used', async (_name, headers) => {
    world = await agencyWorld();
    const token = await loginLink(world, ADMIN_A);
    const before = await world.db.snapshot();
    const refused = await post(world, token, headers);
    expect([refused.statusCode, refused.headers['content-type']]).toEqual([403, 'text/html; charset=utf-8']);
    expect(refused.body).toContain('Connexion refusée\u00a0: demande venue d’un autre site');
    expect(refused.headers['set-cookie']).toBeUndefined();
    expect(await world.db.snapshot()).toEqual(before);
    // Its owner can still use it, from its own page.
    const used = await post(world, token, { origin: new URL(world.config.publicUrl).origin, 'sec-fetch-site': 'same-origin' });
    expect(used.statusCode).toBe(303);
  });

  test('the refusal is in English with ?lang=en', async () => {
    world = await agencyWorld();
    const token = await loginLink(world, ADMIN_A);
    const refused = await world.inject({
      method: 'POST',
      url: `/espace/lien/${token}?lang=en`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example.com' },
      payload: '',
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('Sign-in refused: the request came from another site');
  });

  test.each([
    ['the collector’s Origin', () => ({ origin: new URL(world.config.publicUrl).origin })],
    [
      'Sec-Fetch-Site: same-origin, behind a proxy whose origin is not PUBLIC_URL’s',
      () => ({
        origin: 'https://proxy.example.gouv.fr',
        'sec-fetch-site': 'same-origin',
      }),
    ],
    ['neither header (no browser: curl, a script)', () => ({})],
  ])('%s signs in', async (_name, headers) => {
    world = await agencyWorld();
    const token = await loginLink(world, ADMIN_A);
    const reply = await post(world, token, headers());
    expect(reply.statusCode, reply.body).toBe(303);
    expect(cookieAttributes(reply.headers['set-cookie']).jdma_session).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test('a new sign-in ends the session the browser held: its row deleted, its cookie refused at once', async () => {
    world = await agencyWorld();
    const old = await world.session(READER_A);
    expect((await world.inject({ url: '/api/v1/me', headers: { cookie: old.cookie } })).statusCode).toBe(200);
    const token = await loginLink(world, ADMIN_A);
    const reply = await post(world, token, {}, old.cookie);
    expect(reply.statusCode).toBe(303);
    const sessions = await world.db.rows<{ email: string }>('SELECT email FROM sessions');
    expect(sessions.map((row) => row.email)).toEqual([ADMIN_A]);
    expect((await world.inject({ url: '/api/v1/me', headers: { cookie: old.cookie } })).statusCode).toBe(401);
    const fresh = `jdma_session=${cookieAttributes(reply.headers['set-cookie']).jdma_session}`;
    expect((await world.inject({ url: '/api/v1/me', headers: { cookie: fresh } })).json().email).toBe(ADMIN_A);
  });
});

describe('the session cookie', () => {
  test('over https it is __Host-jdma_session, Secure, HttpOnly, SameSite=Lax, Path=/, without Domain', async () => {
    world = await agencyWorld({ publicUrl: 'https://avis.example.gouv.fr' });
    const reply = await follow(world, await loginLink(world, ADMIN_A));
    expect(reply.statusCode).toBe(303);
    const cookie = cookieAttributes(reply.headers['set-cookie']);
    expect(cookie['__Host-jdma_session']).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie).toMatchObject({ secure: true, httponly: true, samesite: 'Lax', path: '/' });
    expect(cookie.domain).toBeUndefined();
    const me = await world.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: `__Host-jdma_session=${cookie['__Host-jdma_session']}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.headers['cache-control']).toBe('no-store');
    expect(me.json()).toMatchObject({
      kind: 'member',
      email: ADMIN_A,
      entities: [{ id: 'ministere-a', name: 'Ministère A', role: 'admin' }],
    });
  });

  test('a session ends after 8 hours without a request, and is removed', async () => {
    world = await agencyWorld();
    const { cookie } = await world.session(READER_A);
    const me = () => world.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    world.clock.now = new Date(world.clock.now.getTime() + 8 * HOUR);
    expect((await me()).statusCode).toBe(200);
    world.clock.now = new Date(world.clock.now.getTime() + 8 * HOUR + 1);
    const sessions = await sessionCount(world);
    const expired = await me();
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('unauthenticated');
    expect(await sessionCount(world)).toBe(sessions - 1);
  });

  test('a session ends 7 days after it started, however active', async () => {
    world = await agencyWorld();
    const { cookie } = await world.session(READER_A);
    const me = () => world.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    for (let hours = 7; hours <= 7 * 24; hours += 7) {
      world.clock.now = new Date(world.clock.now.getTime() + 7 * HOUR);
      expect((await me()).statusCode, `${hours} h`).toBe(200);
    }
    world.clock.now = new Date(world.clock.now.getTime() + 1);
    expect((await me()).statusCode).toBe(401);
  });

  test('the last request time is written at most once a minute', async () => {
    world = await agencyWorld();
    const { cookie } = await world.session(READER_A);
    const me = () => world.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    const before = await world.db.snapshot();
    world.clock.now = new Date(world.clock.now.getTime() + 59 * 1000);
    await me();
    expect(await world.db.snapshot()).toEqual(before);
    world.clock.now = new Date(world.clock.now.getTime() + 1000);
    await me();
    expect((await world.db.snapshot()).sessions).not.toEqual(before.sessions);
  });

  test('a member removed from their last entity loses access at the next request', async () => {
    world = await agencyWorld();
    const { cookie } = await world.session(READER_A);
    expect((await world.inject({ method: 'GET', url: '/api/v1/procedures/demarche-a', headers: { cookie } })).statusCode).toBe(200);
    await world.store.members.remove('ministere-a', READER_A);
    const reply = await world.inject({ method: 'GET', url: '/api/v1/procedures/demarche-a', headers: { cookie } });
    expect(reply.statusCode).toBe(401);
    expect(reply.json().error.code).toBe('unauthenticated');
  });

  // Removed by the API, the space or the command line: the cookie fails at once, and still fails once
  // the address is a member again (its session was deleted, not only left without a role).
  const removals: [string, (w: AgencyWorld, admin: { cookie: string; csrf: string }) => Promise<void>][] = [
    [
      'the API',
      async (w, admin) => {
        const reply = await w.inject({
          method: 'DELETE',
          url: `/api/v1/entities/ministere-a/members/${READER_A}`,
          headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
        });
        expect(reply.statusCode, reply.body).toBe(204);
      },
    ],
    [
      'the space',
      async (w, admin) => {
        const reply = await w.inject({
          method: 'POST',
          url: '/espace/entites/ministere-a/membres/retirer',
          headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ _csrf: admin.csrf, email: READER_A, confirm: 'oui' }).toString(),
        });
        expect(reply.statusCode, reply.body).toBe(303);
      },
    ],
    [
      'jdma member remove',
      async (w) => {
        const removed = runCli(['member', 'remove', 'ministere-a', READER_A], w.db.env);
        expect(removed, removed.stderr).toMatchObject({ status: 0 });
        expect(removed.stdout).toContain('sessions fermées : 2');
      },
    ],
  ];
  test.each(removals)('a member removed by %s is signed out at once, and stays so when the address is added back', async (_by, remove) => {
    world = await agencyWorld();
    const { cookie } = await world.session(READER_A);
    const other = await world.session(READER_A);
    const admin = await world.session(ADMIN_A);
    const me = (c: string) => world.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: c } });
    expect((await me(cookie)).statusCode).toBe(200);
    await remove(world, { cookie: admin.cookie, csrf: await csrfTokenOf(world, admin.cookie) });
    expect(await world.db.rows('SELECT email FROM sessions WHERE email = ?', READER_A)).toEqual([]);
    for (const c of [cookie, other.cookie]) expect((await me(c)).statusCode).toBe(401);
    await world.store.members.put({ entityId: 'ministere-a', email: READER_A, role: 'reader' });
    for (const c of [cookie, other.cookie]) expect((await me(c)).statusCode).toBe(401);
    expect((await me(admin.cookie)).statusCode).toBe(200);
  });

  test('sessions are an address’s: removed from one entity, a member of two is signed out of both', async () => {
    world = await agencyWorld();
    await world.store.members.put({ entityId: 'ministere-b', email: READER_A, role: 'reader' });
    const { cookie } = await world.session(READER_A);
    const admin = await world.session(ADMIN_A);
    const reply = await world.inject({
      method: 'DELETE',
      url: `/api/v1/entities/ministere-a/members/${READER_A}`,
      headers: { cookie: admin.cookie, 'x-csrf-token': await csrfTokenOf(world, admin.cookie) },
    });
    expect(reply.statusCode).toBe(204);
    expect((await world.inject({ url: '/api/v1/procedures/demarche-b', headers: { cookie } })).statusCode).toBe(401);
    expect([...(await world.store.members.rolesOf(READER_A)).keys()]).toEqual(['ministere-b']);
  });

  test('an admin demoted to reader may no longer change anything, at once', async () => {
    world = await agencyWorld();
    const { cookie } = await world.session(ADMIN_A);
    const csrf = await csrfTokenOf(world, cookie);
    await world.store.members.put({ entityId: 'ministere-a', email: ADMIN_A, role: 'reader' });
    const reply = await world.inject({
      method: 'POST',
      url: '/api/v1/procedures/demarche-a/archive',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(reply.statusCode).toBe(403);
    expect(reply.json().error.code).toBe('forbidden');
  });
});

describe('logout', () => {
  test('POST /api/v1/logout ends the session: its row deleted, the cookie cleared, a logout in the audit log', async () => {
    world = await agencyWorld();
    const { cookie } = await world.session(ADMIN_A);
    const csrf = await csrfTokenOf(world, cookie);
    const sessions = await sessionCount(world);
    const reply = await world.inject({ method: 'POST', url: '/api/v1/logout', headers: { cookie, 'x-csrf-token': csrf } });
    expect(reply.statusCode).toBe(204);
    expect(cookieAttributes(reply.headers['set-cookie'])).toMatchObject({ jdma_session: '' });
    expect(await sessionCount(world)).toBe(sessions - 1);
    expect((await world.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(401);
    const audit = await world.store.audit.list('ministere-a', { limit: 10 });
    expect(audit.map((e) => [e.action, e.actor])).toEqual([['logout', ADMIN_A]]);
  });

  test('the /espace form signs out with the token in its _csrf field', async () => {
    world = await agencyWorld();
    const { cookie } = await world.session(READER_A);
    const space = await world.inject({ method: 'GET', url: '/espace', headers: { cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(space.body)?.[1];
    expect(csrf).toBe(await csrfTokenOf(world, cookie));
    const reply = await world.inject({
      method: 'POST',
      url: '/espace/deconnexion',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(csrf!)}`,
    });
    expect(reply.statusCode).toBe(200);
    expect(reply.body).toContain('Vous êtes déconnecté');
    expect((await world.inject({ method: 'GET', url: '/espace', headers: { cookie } })).statusCode).toBe(401);
  });
});

describe('the sign-in and sign-out pages', () => {
  /** Markup the template escaped instead of writing: a reader would see the tag itself. */
  const ESCAPED_TAG = /&lt;\/?[a-z]/;

  test.each([
    ['fr', ''],
    ['en', '?lang=en'],
  ])('in %s, they name the command in <code>, never as escaped text', async (_lang, query) => {
    for (const oidc of [undefined, { issuer: 'https://proconnect.example.gouv.fr', clientId: 'jdma', clientSecret: 'secret' }]) {
      world = await agencyWorld({ oidc });
      const signIn = await world.inject({ method: 'GET', url: `/espace${query}` });
      expect(signIn.statusCode).toBe(401);
      const { cookie } = await world.session(READER_A);
      const signOut = await world.inject({
        method: 'POST',
        url: `/espace/deconnexion${query}`,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: `_csrf=${encodeURIComponent(await csrfTokenOf(world, cookie))}`,
      });
      expect(signOut.statusCode).toBe(200);
      for (const page of [signIn.body, signOut.body]) {
        expect(page).toContain('<code>jdma login-link</code>');
        expect(page).not.toMatch(ESCAPED_TAG);
      }
      await world.close();
    }
  });
});

describe('CSRF', () => {
  const archive = (w: AgencyWorld, headers: Record<string, string>) =>
    w.inject({ method: 'POST', url: '/api/v1/procedures/demarche-a/archive', headers });

  test.each([
    ['no token', async () => ({})],
    ['an empty token', async () => ({ 'x-csrf-token': '' })],
    ['a forged token', async () => ({ 'x-csrf-token': 'A'.repeat(43) })],
    ['another session’s token', async () => ({ 'x-csrf-token': await csrfTokenOf(world, (await world.session(ADMIN_A)).cookie) })],
  ])('a state-changing request by session with %s is refused: 403 csrf_invalid, nothing changed', async (_name, token) => {
    world = await agencyWorld();
    const { cookie } = await world.session(ADMIN_A);
    const headers = { cookie, ...(await token()) };
    const before = await world.db.snapshot();
    const reply = await archive(world, headers);
    expect(reply.statusCode).toBe(403);
    expect(reply.json().error.code).toBe('csrf_invalid');
    expect(await world.db.snapshot()).toEqual(before);
  });

  test('a form without its _csrf field is refused, nothing changed', async () => {
    world = await agencyWorld();
    const { cookie } = await world.session(ADMIN_A);
    const before = await world.db.snapshot();
    const reply = await world.inject({
      method: 'POST',
      url: '/espace/deconnexion',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: '_csrf=faux',
    });
    // A form is answered with a page, which says what to do.
    expect(reply.statusCode).toBe(403);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.body).toContain('Ce formulaire a expiré');
    expect(await world.db.snapshot()).toEqual(before);
  });

  test('with its token the same request is done', async () => {
    world = await agencyWorld();
    const { cookie } = await world.session(ADMIN_A);
    const reply = await archive(world, { cookie, 'x-csrf-token': await csrfTokenOf(world, cookie) });
    expect(reply.statusCode).toBe(200);
    expect(reply.json().archived_at).not.toBeNull();
  });

  test('a Bearer key is exempt: no ambient credential, so no token asked (its refusal is about its role)', async () => {
    world = await agencyWorld();
    const { cookie } = await world.session(ADMIN_A);
    // The key decides who calls, even beside an admin's cookie: read-only, so 403 forbidden, never csrf_invalid.
    const reply = await archive(world, { authorization: `Bearer ${world.keys.all}`, cookie });
    expect(reply.statusCode).toBe(403);
    expect(reply.json().error.code).toBe('forbidden');
    expect(
      (await world.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${world.keys.all}` } })).json(),
    ).toEqual({
      kind: 'key',
      name: 'tableau',
      entity: { id: 'ministere-a', name: 'Ministère A' },
      procedures: null,
    });
  });

  test.each([
    ['not a Bearer', 'Basic YWRtaW46YWRtaW4='],
    ['a key of the wrong shape', 'Bearer abc'],
    ['an unknown key', `Bearer ${newSecret('jdma_')}`],
  ])('an Authorization header with %s is 401 unauthenticated', async (_name, authorization) => {
    world = await agencyWorld();
    const reply = await world.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization } });
    expect(reply.statusCode).toBe(401);
    expect(reply.json().error.code).toBe('unauthenticated');
  });
});

describe('the widget’s routes set and read no cookie', () => {
  test('a rating sent with a session cookie is stored the same, gets no Set-Cookie, and its cookie is not read', async () => {
    world = await agencyWorld();
    // Reading this session would write its last request time (last written 2 minutes ago): it must stay as it is.
    const { cookie } = await world.session(ADMIN_A, 2 * MINUTE);
    const sessions = (await world.db.snapshot()).sessions;
    const rating = await world.inject({
      method: 'POST',
      url: '/api/v1/reviews',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: ORIGIN_A, cookie },
      payload: JSON.stringify({ procedure: 'demarche-a', satisfaction: 'good' }),
    });
    expect(rating.statusCode).toBe(201);
    expect(rating.headers['set-cookie']).toBeUndefined();
    const followUp = await world.inject({
      method: 'POST',
      url: `/api/v1/reviews/${rating.json().id}`,
      headers: { 'content-type': 'application/json', origin: ORIGIN_A, cookie },
      payload: JSON.stringify({ token: rating.json().token, answers: { clarity: 5 } }),
    });
    expect(followUp.statusCode).toBe(200);
    expect(followUp.headers['set-cookie']).toBeUndefined();
    for (const url of ['/api/v1/feed', '/avis/demarche-a', '/pages.css', '/']) {
      const reply = await world.inject({ method: 'GET', url, headers: { cookie } });
      expect(reply.statusCode, url).toBeLessThan(400);
      expect(reply.headers['set-cookie'], url).toBeUndefined();
    }
    expect((await world.db.snapshot()).sessions).toEqual(sessions);
    // The same cookie on an agency route is read, and its last request time written.
    expect((await world.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(200);
    expect((await world.db.snapshot()).sessions).not.toEqual(sessions);
  });
});
