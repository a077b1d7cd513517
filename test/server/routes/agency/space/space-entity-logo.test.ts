// An entity's logo (SPEC §3), through the app on both engines: an admin uploads a PNG or JPEG from
// the members page as a browser posts a file (multipart/form-data), the collector serves it with
// an ETag, the admin removes it; each change audited. Every refusal is a 4xx page and stores nothing.
// The agency API puts and deletes the same logo, its body the image itself.
import { afterEach, describe, expect, test } from 'vitest';
import { ADMIN_A, ADMIN_B, type AgencyWorld, agencyWorld, csrfTokenOf, READER_A } from '../../../../helpers/agency-world.ts';

let world: AgencyWorld;
afterEach(async () => world?.close());

const MEMBERS = '/espace/entites/ministere-a/membres';
const UPLOAD = '/espace/entites/ministere-a/logo';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR une image')]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF une photo')]);
const GIF = Buffer.from('GIF89a une animation');

/** A file posted as a browser posts it: multipart/form-data, the file with the type it declares. */
async function multipart(fields: Record<string, string>, file?: { bytes: Buffer; type: string; name: string }) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  if (file) form.set('logo', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { payload: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get('content-type')! };
}

async function as(email: string) {
  const { cookie } = await world.session(email);
  const csrf = await csrfTokenOf(world, cookie);
  return {
    upload: async (file?: { bytes: Buffer; type: string; name: string }, token = csrf) => {
      const { payload, contentType } = await multipart({ _csrf: token }, file);
      return world.inject({ method: 'POST', url: UPLOAD, headers: { cookie, 'content-type': contentType }, payload });
    },
    remove: () =>
      world.inject({
        method: 'POST',
        url: `${UPLOAD}/retirer`,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: `_csrf=${encodeURIComponent(csrf)}`,
      }),
    page: () => world.inject({ url: MEMBERS, headers: { cookie } }),
  };
}

const logoActions = async () =>
  (
    await world.db.rows<{ actor: string; action: string; details: string }>(
      "SELECT actor, action, details FROM audit_log WHERE action LIKE 'entity_logo_%' ORDER BY id",
    )
  ).map((row) => [row.actor, row.action, JSON.parse(row.details)]);

test('an admin uploads a PNG, replaces it by a JPEG, removes it: served with an ETag and a long cache, audited', async () => {
  world = await agencyWorld();
  const admin = await as(ADMIN_A);
  expect((await world.inject({ url: '/logos/ministere-a' })).statusCode).toBe(404);
  expect((await admin.page()).body).toContain('Aucun logo');

  const saved = await admin.upload({ bytes: PNG, type: 'image/png', name: 'logo.png' });
  expect(saved.statusCode, saved.body).toBe(303);
  expect(saved.headers.location).toBe(`${MEMBERS}?fait=logo-enregistre`);
  const served = await world.inject({ url: '/logos/ministere-a' });
  expect(served.statusCode).toBe(200);
  expect(served.headers['content-type']).toBe('image/png');
  expect(served.headers['cache-control']).toBe('public, max-age=31536000');
  expect(served.rawPayload).toEqual(PNG);
  const etag = String(served.headers.etag);
  expect((await world.inject({ url: '/logos/ministere-a', headers: { 'if-none-match': etag } })).statusCode).toBe(304);
  const page = (await admin.page()).body;
  const src = /<img src="(\/logos\/ministere-a\?v=[0-9a-f]{16})"/.exec(page)?.[1];
  expect(src).toBeDefined();
  // The hosted rating and problem forms show it in their header, its alt empty: the entity's name is beside it.
  for (const url of ['/avis/demarche-a', '/probleme/demarche-a']) {
    const form = await world.inject({ url });
    expect(form.statusCode, url).toBe(200);
    expect(form.body, url).toContain(`<header class="site"><img src="${src}" alt="" class="entity-logo"><p>Ministère A</p>`);
    expect(form.headers['content-security-policy'], url).toContain("img-src 'self'");
  }
  expect((await world.inject({ url: src! })).statusCode).toBe(200);

  // The type is read from the bytes: a JPEG declared as a PNG is stored and served as a JPEG.
  expect((await admin.upload({ bytes: JPEG, type: 'image/png', name: 'logo.png' })).statusCode).toBe(303);
  const jpeg = await world.inject({ url: '/logos/ministere-a', headers: { 'if-none-match': etag } });
  expect(jpeg.statusCode).toBe(200);
  expect(jpeg.headers['content-type']).toBe('image/jpeg');
  expect(jpeg.rawPayload).toEqual(JPEG);

  const removed = await admin.remove();
  expect(removed.statusCode).toBe(303);
  expect(removed.headers.location).toBe(`${MEMBERS}?fait=logo-retire`);
  expect((await world.inject({ url: '/logos/ministere-a' })).statusCode).toBe(404);
  expect((await world.inject({ url: '/avis/demarche-a' })).body).toContain('<header class="site"><p>Ministère A</p>');
  // Removing it again changes nothing and writes nothing.
  expect((await admin.remove()).statusCode).toBe(303);
  expect(await logoActions()).toEqual([
    [ADMIN_A, 'entity_logo_set', { type: 'image/png', bytes: PNG.length }],
    [ADMIN_A, 'entity_logo_set', { type: 'image/jpeg', bytes: JPEG.length }],
    [ADMIN_A, 'entity_logo_removed', {}],
  ]);
  const journal = await world.inject({
    url: '/espace/entites/ministere-a/journal',
    headers: { cookie: (await world.session(ADMIN_A)).cookie },
  });
  expect(journal.body).toContain('Logo enregistré');
  expect(journal.body).toContain('Logo retiré');
});

test.each([
  [
    'a file over 100 kB',
    { bytes: Buffer.concat([PNG, Buffer.alloc(100_000)]), type: 'image/png', name: 'grand.png' },
    413,
    'Logo trop lourd',
  ],
  ['a GIF declared as a PNG', { bytes: GIF, type: 'image/png', name: 'logo.png' }, 415, 'Le logo doit être une image PNG ou JPEG'],
  [
    'an SVG',
    { bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), type: 'image/svg+xml', name: 'logo.svg' },
    415,
    'PNG ou JPEG',
  ],
  ['an empty file', { bytes: Buffer.alloc(0), type: 'image/png', name: 'vide.png' }, 400, 'Aucun fichier de logo envoyé'],
  ['no file', undefined, 400, 'Aucun fichier de logo envoyé'],
])('%s is refused, said on the page, and nothing is stored', async (_name, file, status, said) => {
  world = await agencyWorld();
  const admin = await as(ADMIN_A);
  const before = await world.db.snapshot();
  const reply = await admin.upload(file);
  expect(reply.statusCode).toBe(status);
  expect(reply.body).toContain(said);
  expect(await world.db.snapshot()).toEqual(before);
});

test('a reader, another entity’s admin, and a form without its CSRF token are refused; nothing is stored', async () => {
  world = await agencyWorld();
  const file = { bytes: PNG, type: 'image/png', name: 'logo.png' };
  const [admin, reader, other] = [await as(ADMIN_A), await as(READER_A), await as(ADMIN_B)];
  const before = await world.db.snapshot();
  expect((await reader.upload(file)).statusCode).toBe(404);
  expect((await other.upload(file)).statusCode).toBe(404);
  for (const token of ['', 'x']) {
    const reply = await admin.upload(file, token);
    expect(reply.statusCode).toBe(403);
    expect(reply.body).toContain('Ce formulaire a expiré');
  }
  expect(await world.db.snapshot()).toEqual(before);
});

describe('PUT and DELETE /api/v1/entities/:entity/logo: the same logo through the API', () => {
  const API = '/api/v1/entities/ministere-a/logo';
  /** Sends `bytes` as the body with `type`, as ADMIN_A's session (or `headers` instead). */
  const put = async (bytes: Buffer | string | undefined, type?: string, headers?: Record<string, string>) => {
    const auth = headers ?? (await sessionHeaders(ADMIN_A));
    return world.inject({ method: 'PUT', url: API, headers: { ...auth, ...(type ? { 'content-type': type } : {}) }, payload: bytes });
  };
  const sessionHeaders = async (email: string) => {
    const { cookie } = await world.session(email);
    return { cookie, 'x-csrf-token': await csrfTokenOf(world, cookie) };
  };

  test('an admin puts a PNG, then a JPEG, and deletes it: served by the collector, audited as from the space', async () => {
    world = await agencyWorld();
    const saved = await put(PNG, 'image/png');
    expect(saved.statusCode, saved.body).toBe(204);
    const served = await world.inject({ url: '/logos/ministere-a' });
    expect([served.statusCode, served.headers['content-type'], served.rawPayload]).toEqual([200, 'image/png', PNG]);
    // The type is told by the bytes, not by the header.
    expect((await put(JPEG, 'image/png')).statusCode).toBe(204);
    expect((await world.inject({ url: '/logos/ministere-a' })).headers['content-type']).toBe('image/jpeg');
    const auth = await sessionHeaders(ADMIN_A);
    expect((await world.inject({ method: 'DELETE', url: API, headers: auth })).statusCode).toBe(204);
    expect((await world.inject({ url: '/logos/ministere-a' })).statusCode).toBe(404);
    // Deleting again changes nothing and leaves no trace.
    expect((await world.inject({ method: 'DELETE', url: API, headers: auth })).statusCode).toBe(204);
    expect((await logoActions()).map(([actor, action]) => [actor, action])).toEqual([
      [ADMIN_A, 'entity_logo_set'],
      [ADMIN_A, 'entity_logo_set'],
      [ADMIN_A, 'entity_logo_removed'],
    ]);
  });

  test.each([
    ['an empty body', Buffer.alloc(0), 'image/png', 400, 'logo_missing'],
    ['no body', undefined, undefined, 400, 'logo_missing'],
    ['a GIF declared as a PNG', GIF, 'image/png', 415, 'logo_type_unsupported'],
    ['JSON instead of an image', '{"logo": "x"}', 'application/json', 415, 'logo_type_unsupported'],
    ['an SVG', '<svg xmlns="http://www.w3.org/2000/svg"/>', 'image/svg+xml', 415, 'unsupported_media_type'],
    ['a PNG over 100 kB', Buffer.concat([PNG, Buffer.alloc(100_000)]), 'image/png', 413, 'logo_too_large'],
    ['a body over twice the limit', Buffer.concat([PNG, Buffer.alloc(200_000)]), 'image/png', 413, 'body_too_large'],
  ] as const)('%s is refused with its code, nothing stored', async (_name, bytes, type, status, code) => {
    world = await agencyWorld();
    const auth = await sessionHeaders(ADMIN_A);
    const before = await world.db.snapshot();
    const reply = await put(bytes, type, auth);
    expect(reply.statusCode, reply.body).toBe(status);
    expect(reply.json().error.code).toBe(code);
    expect(await world.db.snapshot()).toEqual(before);
  });

  test('a reader and an API key are refused (403), another entity’s admin meets 404, a session without its CSRF token 403; nothing stored', async () => {
    world = await agencyWorld();
    const { cookie } = await world.session(ADMIN_A);
    const callers = [
      [await sessionHeaders(READER_A), 403, 'forbidden'],
      [{ authorization: `Bearer ${world.keys.all}` }, 403, 'forbidden'],
      [await sessionHeaders(ADMIN_B), 404, 'entity_not_found'],
      [{ cookie }, 403, 'csrf_invalid'],
    ] as const;
    // A key's use is stamped on it (last_used_at): used once before, so that only the logo could differ.
    expect((await world.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${world.keys.all}` } })).statusCode).toBe(200);
    const before = await world.db.snapshot();
    for (const [headers, status, code] of callers) {
      for (const reply of [await put(PNG, 'image/png', headers), await world.inject({ method: 'DELETE', url: API, headers })]) {
        expect([reply.statusCode, reply.json().error.code]).toEqual([status, code]);
      }
    }
    expect(await world.db.snapshot()).toEqual(before);
  });
});
