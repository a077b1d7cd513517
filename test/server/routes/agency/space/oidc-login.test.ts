import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../../../../server/app.ts';
import { ConfigError, loadConfig, type OidcConfig, testConfig } from '../../../../../server/config.ts';
import { agencyCsp } from '../../../../../server/pages/agency-layout.ts';
import type { Store } from '../../../../../server/store/store.ts';
import { runCli } from '../../../../helpers/cli-process.ts';
import { freePort, tempDir } from '../../../../helpers/test-server.ts';
import {
  OIDC_CLIENT_ID,
  OIDC_CLIENT_SECRET,
  signInAtProvider,
  startOidcProvider,
  type TestOidcProvider,
} from '../../../../helpers/oidc-provider.ts';
import { type TestDatabase, testDatabase } from '../../../../helpers/test-database.ts';

// Sign-in with OpenID Connect against a real provider (oidc-provider, started here on 127.0.0.1):
// the collector through app.inject(), the provider over real HTTP, the browser's part played by
// signInAtProvider (its cookies, its login form). The same flow in a real Chromium is in
// test/e2e/oidc-login.test.ts.

/** The collector's address as the provider knows it (its redirect URI); the tests reach it through inject(). */
const PUBLIC_URL = 'http://127.0.0.1:8080';
const MEMBER = 'camille.martin@example.gouv.fr';
const PENDING_COOKIE = 'jdma_oidc';
const SESSION_COOKIE = 'jdma_session';

let provider: TestOidcProvider;
let db: TestDatabase;
let store: Store;
let app: FastifyInstance;
let clock: Date;
/** The pages' strict CSP, whose form-action also lets the logout form's redirect reach the provider. */
let agencyPageCsp: string;

beforeAll(async () => {
  provider = await startOidcProvider({ collectorUrl: PUBLIC_URL });
});
afterAll(async () => provider.close());
afterEach(async () => {
  await app?.close();
  await store?.close();
});

const oidcOf = (issuer: string): OidcConfig => ({ issuer, clientId: OIDC_CLIENT_ID, clientSecret: OIDC_CLIENT_SECRET });

/** `null`: OIDC_* unset. */
async function start(oidc: OidcConfig | null = oidcOf(provider.issuer)): Promise<void> {
  db = await testDatabase();
  store = await db.open();
  await store.entities.add({ id: 'dinum', name: 'DINUM' });
  await store.members.put({ entityId: 'dinum', email: MEMBER, role: 'admin' });
  clock = new Date();
  agencyPageCsp = agencyCsp(oidc ? [new URL(oidc.issuer).origin] : []);
  app = await buildApp({
    config: testConfig({ ...db.options, publicUrl: PUBLIC_URL, rateLimitPerMinute: 0, oidc: oidc ?? undefined }),
    store,
    now: () => clock,
  });
}

const cookieOf = (reply: LightMyRequestResponse, name: string) => reply.cookies.find((cookie) => cookie.name === name);

/** Leaves for the provider as a browser following the ProConnect button: the provider's address and the checks' cookie. */
async function beginLogin(query = ''): Promise<{ authorizationUrl: string; cookie: string }> {
  const reply = await app.inject({ url: `/espace/connexion/proconnect${query}` });
  expect(reply.statusCode).toBe(303);
  const pending = cookieOf(reply, PENDING_COOKIE);
  expect(pending).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 600 });
  return { authorizationUrl: reply.headers.location as string, cookie: `${PENDING_COOKIE}=${pending!.value}` };
}

/** Back from the provider with its answer, carrying the browser's checks. */
const callback = (back: URL, cookie?: string) =>
  app.inject({ url: back.pathname + back.search, headers: cookie === undefined ? {} : { cookie } });

function expectPage(reply: LightMyRequestResponse, status: number, title: RegExp): void {
  expect(reply.statusCode).toBe(status);
  expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(reply.headers['content-security-policy']).toBe(agencyPageCsp);
  expect(reply.headers['cache-control']).toBe('no-store');
  expect(reply.body).toMatch(title);
}

const withCookie = (cookie: string) => ({ headers: { cookie } });

describe('a member signs in with OpenID Connect', () => {
  test('the provider is asked for a code with PKCE (S256), state, nonce and ProConnect’s scopes', async () => {
    await start();
    const { authorizationUrl } = await beginLogin();
    const url = new URL(authorizationUrl);
    expect(url.origin + url.pathname).toBe(`${provider.issuer}/auth`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: OIDC_CLIENT_ID,
      response_type: 'code',
      redirect_uri: `${PUBLIC_URL}/espace/connexion/retour`,
      scope: 'openid email given_name usual_name',
      code_challenge_method: 'S256',
    });
    for (const name of ['state', 'nonce', 'code_challenge']) expect(url.searchParams.get(name)).toMatch(/^[A-Za-z0-9_-]{43,}$/);
  });

  test('a member comes back with a session, lands in /espace, and /api/v1/me knows them', async () => {
    await start();
    const { authorizationUrl, cookie } = await beginLogin();
    // The provider's account is typed in mixed case: members are lower-case addresses.
    const back = await signInAtProvider(authorizationUrl, 'Camille.Martin@Example.gouv.fr');
    const reply = await callback(back, cookie);
    expect(reply.statusCode).toBe(303);
    expect(reply.headers.location).toBe('/espace');
    expect(cookieOf(reply, PENDING_COOKIE)?.value).toBe('');
    const session = cookieOf(reply, SESSION_COOKIE);
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const sessionCookie = `${SESSION_COOKIE}=${session!.value}`;

    expect(await db.rows('SELECT email FROM sessions')).toEqual([{ email: MEMBER }]);
    const audit = await db.rows<{ action: string; actor: string; details: string | object }>(
      'SELECT action, actor, details FROM audit_log',
    );
    expect(audit.map(({ action, actor }) => ({ action, actor }))).toEqual([{ action: 'login', actor: MEMBER }]);
    const details = typeof audit[0]!.details === 'string' ? JSON.parse(audit[0]!.details) : audit[0]!.details;
    expect(details).toEqual({ via: 'oidc' });

    const space = await app.inject({ url: '/espace', ...withCookie(sessionCookie) });
    expect(space.statusCode).toBe(200);
    expect(space.body).toContain(MEMBER);
    const me = await app.inject({ url: '/api/v1/me', ...withCookie(sessionCookie) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ kind: 'member', email: MEMBER, entities: [{ id: 'dinum', name: 'DINUM', role: 'admin' }] });
  });

  test('logout ends the session here and at the provider (end_session_endpoint, id_token_hint, post_logout_redirect_uri)', async () => {
    await start();
    const { authorizationUrl, cookie } = await beginLogin();
    const reply = await callback(await signInAtProvider(authorizationUrl, MEMBER), cookie);
    const cookies = reply.cookies.filter((c) => c.value !== '').map((c) => `${c.name}=${c.value}`);
    expect(cookies.map((c) => c.split('=')[0])).toEqual(expect.arrayContaining([SESSION_COOKIE, 'jdma_oidc_id']));
    const jar = cookies.join('; ');
    const me = await app.inject({ url: '/api/v1/me', ...withCookie(jar) });
    const csrf = me.json<{ csrf_token: string }>().csrf_token;

    const logout = await app.inject({
      method: 'POST',
      url: '/espace/deconnexion',
      headers: { cookie: jar, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    expect(logout.statusCode).toBe(303);
    const end = new URL(logout.headers.location as string);
    expect(end.origin + end.pathname).toBe(`${provider.issuer}/session/end`);
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${PUBLIC_URL}/espace/connexion`);
    expect(end.searchParams.get('id_token_hint')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(cookieOf(logout, 'jdma_oidc_id')?.value).toBe('');
    expect(await db.rows('SELECT email FROM sessions')).toEqual([]);
    // The provider accepts the hint it signed (a bad one is a 400): its logout form follows.
    const atProvider = await fetch(end, { redirect: 'manual' });
    expect(atProvider.status).toBe(200);
    expect(await atProvider.text()).toContain(`action="${provider.issuer}/session/end/confirm"`);

    const after = await app.inject({ url: '/api/v1/me', ...withCookie(jar) });
    expect(after.statusCode).toBe(401);
    expect(after.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
  });

  /** Signs the member in; the browser's cookies afterwards, and the session's CSRF token. */
  async function signedIn(): Promise<{ jar: string; csrf: string }> {
    const { authorizationUrl, cookie } = await beginLogin();
    const reply = await callback(await signInAtProvider(authorizationUrl, MEMBER), cookie);
    const jar = reply.cookies
      .filter((c) => c.value !== '')
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    const csrf = (await app.inject({ url: '/api/v1/me', ...withCookie(jar) })).json<{ csrf_token: string }>().csrf_token;
    return { jar, csrf };
  }

  test('logout through the API ends the session and drops the ID token (a JSON reply sends nobody to the provider)', async () => {
    await start();
    const { jar, csrf } = await signedIn();
    const logout = await app.inject({ method: 'POST', url: '/api/v1/logout', headers: { cookie: jar, 'x-csrf-token': csrf } });
    expect(logout.statusCode).toBe(204);
    expect(cookieOf(logout, 'jdma_oidc_id')?.value).toBe('');
    expect(await db.rows('SELECT email FROM sessions')).toEqual([]);
  });

  test('with the provider down at logout, the local logout still happens', async () => {
    const fleeting = await startOidcProvider({ collectorUrl: PUBLIC_URL });
    await start(oidcOf(fleeting.issuer));
    const { jar, csrf } = await signedIn();
    await fleeting.close();
    // A new collector process: the provider's metadata must be fetched again, and cannot be.
    await app.close();
    app = await buildApp({
      config: testConfig({ ...db.options, publicUrl: PUBLIC_URL, rateLimitPerMinute: 0, oidc: oidcOf(fleeting.issuer) }),
      store,
      now: () => clock,
    });
    const logout = await app.inject({ method: 'POST', url: '/espace/deconnexion', headers: { cookie: jar, 'x-csrf-token': csrf } });
    expect(logout.statusCode).toBe(200);
    expect(logout.body).toContain('Vous êtes déconnecté');
    expect(cookieOf(logout, 'jdma_oidc_id')?.value).toBe('');
    expect(await db.rows('SELECT email FROM sessions')).toEqual([]);
  });

  test('with a provider that offers no end_session_endpoint, logout is the collector’s alone', async () => {
    const bare = await startOidcProvider({ collectorUrl: PUBLIC_URL, endSession: false });
    try {
      await start(oidcOf(bare.issuer));
      const { jar, csrf } = await signedIn();
      const logout = await app.inject({ method: 'POST', url: '/espace/deconnexion', headers: { cookie: jar, 'x-csrf-token': csrf } });
      expect(logout.statusCode).toBe(200);
      expect(logout.body).toContain('Vous êtes déconnecté');
      expect(await db.rows('SELECT email FROM sessions')).toEqual([]);
    } finally {
      await bare.close();
    }
  });
});

describe('a provider of standard claims only', () => {
  test('gets `openid email` asked, gives the address in the ID token, and an address it has not verified opens nothing', async () => {
    const standard = await startOidcProvider({ collectorUrl: PUBLIC_URL, standard: true });
    try {
      await start(oidcOf(standard.issuer));
      const first = await beginLogin();
      expect(new URL(first.authorizationUrl).searchParams.get('scope')).toBe('openid email');
      const signedIn = await callback(await signInAtProvider(first.authorizationUrl, MEMBER), first.cookie);
      expect(signedIn.statusCode).toBe(303);
      expect(await db.rows('SELECT email FROM sessions')).toEqual([{ email: MEMBER }]);

      const second = await beginLogin();
      const back = await signInAtProvider(second.authorizationUrl, `unverified:${MEMBER}`);
      const before = await db.snapshot();
      expectPage(await callback(back, second.cookie), 400, /La connexion n’a pas abouti/);
      expect(await db.snapshot()).toEqual(before);
    } finally {
      await standard.close();
    }
  });
});

describe('what opens no session', () => {
  test('a person who is no member sees « Pas d’accès » (403), and nothing is stored', async () => {
    await start();
    const { authorizationUrl, cookie } = await beginLogin();
    const back = await signInAtProvider(authorizationUrl, 'dominique@example.gouv.fr');
    const before = await db.snapshot();
    const reply = await callback(back, cookie);
    expectPage(reply, 403, /<h1[^>]*>Pas d’accès<\/h1>/);
    expect(reply.body).toContain('Demandez à un administrateur');
    expect(cookieOf(reply, SESSION_COOKIE)).toBeUndefined();
    expect(await db.snapshot()).toEqual(before);
  });

  test('in English when the sign-in started with ?lang=en', async () => {
    await start();
    const { authorizationUrl, cookie } = await beginLogin('?lang=en');
    const reply = await callback(await signInAtProvider(authorizationUrl, 'dominique@example.gouv.fr'), cookie);
    expectPage(reply, 403, /<h1[^>]*>No access<\/h1>/);
    expect(reply.body).toContain('Ask an admin');
  });

  // Each row changes one thing the provider or the browser brings back; all answer the same clear page.
  const tampered: [string, (back: URL, cookie: string) => { back: URL; cookie: string | undefined }][] = [
    [
      'a tampered state',
      (back, cookie) => {
        back.searchParams.set('state', `${back.searchParams.get('state')}x`);
        return { back, cookie };
      },
    ],
    ['no state at all', (back, cookie) => (back.searchParams.delete('state'), { back, cookie })],
    ['no checks’ cookie (another browser)', (back) => ({ back, cookie: undefined })],
    ['a checks’ cookie that is not ours', (back) => ({ back, cookie: `${PENDING_COOKIE}=bm90LWpzb24` })],
    [
      'a nonce other than the ID token’s',
      (back, cookie) => ({ back, cookie: editPending(cookie, (pending) => ({ ...pending, nonce: 'another-nonce-of-the-right-shape' })) }),
    ],
    [
      'a PKCE verifier other than the challenge’s',
      (back, cookie) => ({ back, cookie: editPending(cookie, (pending) => ({ ...pending, codeVerifier: 'v'.repeat(43) })) }),
    ],
    [
      'an error from the provider (the person cancelled)',
      (back, cookie) => {
        const cancelled = new URL(back.pathname, back);
        cancelled.search = new URLSearchParams({
          error: 'access_denied',
          state: back.searchParams.get('state')!,
          iss: back.searchParams.get('iss')!,
        }).toString();
        return { back: cancelled, cookie };
      },
    ],
  ];

  test.each(tampered)('%s: a clear page (400), no session', async (_name, tamper) => {
    await start();
    const begun = await beginLogin();
    const changed = tamper(await signInAtProvider(begun.authorizationUrl, MEMBER), begun.cookie);
    const before = await db.snapshot();
    const reply = await callback(changed.back, changed.cookie);
    expectPage(reply, 400, /<h1[^>]*>La connexion n’a pas abouti<\/h1>/);
    expect(cookieOf(reply, SESSION_COOKIE)).toBeUndefined();
    expect(await db.snapshot()).toEqual(before);
  });

  test('a replayed callback fails, with the checks’ cookie or without', async () => {
    await start();
    const { authorizationUrl, cookie } = await beginLogin();
    const back = await signInAtProvider(authorizationUrl, MEMBER);
    expect((await callback(back, cookie)).statusCode).toBe(303);
    const before = await db.snapshot();
    // The browser's cookie was cleared; an attacker who kept it meets the provider's single-use code.
    for (const replayCookie of [cookie, undefined]) {
      const replay = await callback(new URL(back), replayCookie);
      expectPage(replay, 400, /La connexion n’a pas abouti/);
      expect(cookieOf(replay, SESSION_COOKIE)).toBeUndefined();
    }
    expect(await db.snapshot()).toEqual(before);
  });

  test('a sign-in finished more than 10 minutes after it started is refused', async () => {
    await start();
    const { authorizationUrl, cookie } = await beginLogin();
    const back = await signInAtProvider(authorizationUrl, MEMBER);
    clock = new Date(clock.getTime() + 10 * 60 * 1000 + 1);
    const before = await db.snapshot();
    expectPage(await callback(back, cookie), 400, /La connexion n’a pas abouti/);
    expect(await db.snapshot()).toEqual(before);
  });
});

function editPending(cookie: string, edit: (pending: Record<string, unknown>) => Record<string, unknown>): string {
  const value = cookie.slice(`${PENDING_COOKIE}=`.length);
  const pending = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Record<string, unknown>;
  return `${PENDING_COOKIE}=${Buffer.from(JSON.stringify(edit(pending))).toString('base64url')}`;
}

describe('the provider is down', () => {
  test('the collector starts without it, and a sign-in gets a clear page (503), not a 500', async () => {
    const nobody = `http://127.0.0.1:${await freePort()}`;
    await start(oidcOf(nobody));
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const before = await db.snapshot();
    const reply = await app.inject({ url: '/espace/connexion/proconnect' });
    expectPage(reply, 503, /<h1[^>]*>Le fournisseur d’identité ne répond pas<\/h1>/);
    expect(cookieOf(reply, PENDING_COOKIE)).toBeUndefined();
    expect(await db.snapshot()).toEqual(before);
  });

  test('down between leaving for it and coming back: a clear page (503), no session', async () => {
    const fleeting = await startOidcProvider({ collectorUrl: PUBLIC_URL });
    await start(oidcOf(fleeting.issuer));
    const { authorizationUrl, cookie } = await beginLogin();
    const back = await signInAtProvider(authorizationUrl, MEMBER);
    await fleeting.close();
    const before = await db.snapshot();
    expectPage(await callback(back, cookie), 503, /Le fournisseur d’identité ne répond pas/);
    expect(await db.snapshot()).toEqual(before);
  });
});

describe('configuration', () => {
  test('without OIDC_* the ProConnect routes do not exist (404), and neither /espace nor the sign-in page offers ProConnect', async () => {
    await start(null);
    expect((await app.inject({ url: '/espace/connexion' })).body).not.toContain('ProConnect');
    for (const url of ['/espace/connexion/proconnect', '/espace/connexion/retour?code=x&state=y']) {
      const reply = await app.inject({ url });
      expect(reply.statusCode).toBe(404);
      expect(reply.json()).toEqual({ error: { code: 'not_found', message: 'No such page.' } });
    }
    expect((await app.inject({ url: '/espace' })).body).not.toContain('ProConnect');
  });

  test('with OIDC_* the sign-in page and /espace offer ProConnect, under the pages’ CSP', async () => {
    await start();
    expectPage(await app.inject({ url: '/espace/connexion' }), 200, /href="\/espace\/connexion\/proconnect">S’identifier avec ProConnect</);
    expect((await app.inject({ url: '/espace?lang=en' })).body).toContain(
      'href="/espace/connexion/proconnect?lang=en">Sign in with ProConnect<',
    );
  });

  const full = { OIDC_ISSUER: 'https://auth.agentconnect.gouv.fr/api/v2', OIDC_CLIENT_ID: 'client', OIDC_CLIENT_SECRET: 'secret' };

  test('OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET go together', () => {
    expect(loadConfig(full).oidc).toEqual({ issuer: full.OIDC_ISSUER, clientId: 'client', clientSecret: 'secret' });
    expect(loadConfig({}).oidc).toBeUndefined();
    expect(() => loadConfig({ OIDC_ISSUER: full.OIDC_ISSUER })).toThrow(
      new ConfigError(
        'configuration invalide : OIDC_CLIENT_ID, OIDC_CLIENT_SECRET : manquant (OIDC_ISSUER, OIDC_CLIENT_ID et OIDC_CLIENT_SECRET vont ensemble)',
      ),
    );
    expect(() => loadConfig({ ...full, OIDC_ISSUER: '' })).toThrow(/configuration invalide : OIDC_ISSUER : manquant/);
  });

  test('`jdma serve` with half of them stops at start-up with one French line', () => {
    const temp = tempDir();
    try {
      const result = runCli(['serve'], {
        OIDC_ISSUER: full.OIDC_ISSUER,
        OIDC_CLIENT_ID: 'client',
        DATABASE_PATH: `${temp.dir}/never.sqlite`,
      });
      expect(result.status).not.toBe(0);
      expect(result.stderr.trim()).toBe(
        'jdma : configuration invalide : OIDC_CLIENT_SECRET : manquant (OIDC_ISSUER, OIDC_CLIENT_ID et OIDC_CLIENT_SECRET vont ensemble)',
      );
    } finally {
      temp.remove();
    }
  });

  test.each([
    ['http://auth.example.gouv.fr', /OIDC_ISSUER = « http:\/\/auth.example.gouv.fr » : attendu une URL https:\/\//],
    ['ftp://127.0.0.1', /OIDC_ISSUER/],
    ['not a url', /OIDC_ISSUER/],
  ])('OIDC_ISSUER=%s stops start-up', (issuer, message) => {
    expect(() => loadConfig({ ...full, OIDC_ISSUER: issuer })).toThrow(message);
  });

  test.each(['http://127.0.0.1:9000', 'http://localhost:9000/oidc', 'http://[::1]:9000'])(
    'plain http is allowed on loopback: %s',
    (issuer) => {
      expect(loadConfig({ ...full, OIDC_ISSUER: issuer }).oidc?.issuer).toBe(issuer);
    },
  );
});
