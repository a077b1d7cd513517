import { createHash } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { purge } from '../../../server/retention.ts';
import { type Store, UnknownEntityError } from '../../../server/store/store.ts';
import { testDatabase, type TestDatabase } from '../../helpers/test-database.ts';

// The storage of agency access (SPEC §8), on the engine under test: entities and the procedures'
// reference to them, members, API keys, sessions, one-time login links, the audit log, and their purge.

let db: TestDatabase;
const opened: Store[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});
async function open(): Promise<Store> {
  db ??= await testDatabase();
  const store = await db.open();
  opened.push(store);
  return store;
}
async function fresh(): Promise<Store> {
  db = await testDatabase();
  return open();
}
const hash = (secret: string) => createHash('sha256').update(secret).digest();
const ORIGIN = 'https://a.gouv.fr';

describe('entities and the procedures that belong to them', () => {
  test('an entity is added once; the list is by id', async () => {
    const store = await fresh();
    expect(await store.entities.add({ id: 'dinum', name: 'DINUM' })).toBe(true);
    expect(await store.entities.add({ id: 'dinum', name: 'Autre nom' })).toBe(false);
    expect(await store.entities.add({ id: 'ants', name: 'Agence nationale des titres sécurisés' })).toBe(true);
    expect(await store.entities.find('dinum')).toEqual({ id: 'dinum', name: 'DINUM' });
    expect(await store.entities.find('absente')).toBeUndefined();
    expect(await store.entities.list()).toEqual([
      { id: 'ants', name: 'Agence nationale des titres sécurisés' },
      { id: 'dinum', name: 'DINUM' },
    ]);
  });

  test('a procedure names its entity by id and reads back its name; an unknown entity is refused and nothing is written', async () => {
    const store = await fresh();
    await store.entities.add({ id: 'dinum', name: 'DINUM' });
    await store.procedures.add({ id: 'demarche', title: 'Démarche', entityId: 'dinum', origins: [ORIGIN] });
    expect(await store.procedures.find('demarche')).toMatchObject({ entityId: 'dinum', entity: 'DINUM' });
    expect(await store.procedures.list()).toEqual([expect.objectContaining({ id: 'demarche', entityId: 'dinum', entity: 'DINUM' })]);

    const before = await db.snapshot();
    const refused = store.procedures.add({ id: 'autre', title: 'Autre', entityId: 'inconnue', origins: [ORIGIN] });
    await expect(refused).rejects.toBeInstanceOf(UnknownEntityError);
    await expect(refused).rejects.toMatchObject({ entityId: 'inconnue' });
    await expect(store.procedures.rename('demarche', 'Nouveau titre', 'inconnue')).rejects.toBeInstanceOf(UnknownEntityError);
    expect(await db.snapshot()).toEqual(before);
    expect((await store.procedures.access()).exists('autre')).toBe(false);
  });

  test('moving a procedure to another entity reaches the feed versions and the access snapshot (and the catalog version on PostgreSQL)', async () => {
    const store = await fresh();
    await store.entities.add({ id: 'dinum', name: 'DINUM' });
    await store.entities.add({ id: 'ants', name: 'ANTS' });
    await store.procedures.add({ id: 'demarche', title: 'Démarche', entityId: 'dinum', origins: [ORIGIN] });
    expect((await store.procedures.access()).isOriginAllowed('demarche', ORIGIN)).toBe(true);
    const catalog = async () =>
      db.engine === 'postgres' ? (await db.rows<{ version: number }>('SELECT version FROM catalog_version'))[0]!.version : 0;
    const catalogBefore = await catalog();

    expect(await store.procedures.rename('demarche', 'Démarche renommée', 'ants')).toBe(true);
    expect(await store.rollups.procedureVersions()).toEqual([
      { id: 'demarche', title: 'Démarche renommée', entityId: 'ants', entity: 'ANTS', version: 0 },
    ]);
    expect(await db.rows('SELECT entity_id FROM procedures')).toEqual([{ entity_id: 'ants' }]);
    if (db.engine === 'postgres') expect(await catalog()).toBe(catalogBefore + 1);
    expect((await store.procedures.access()).isOriginAllowed('demarche', ORIGIN)).toBe(true);
  });
});

describe('members', () => {
  test('put adds a member or changes their role, and says when nothing changed; addresses are lower-cased', async () => {
    const store = await fresh();
    await store.entities.add({ id: 'dinum', name: 'DINUM' });
    await store.entities.add({ id: 'ants', name: 'ANTS' });
    expect(await store.members.put({ entityId: 'dinum', email: 'Agent@Example.gouv.fr', role: 'reader' })).toBe(true);
    expect(await store.members.put({ entityId: 'dinum', email: 'agent@example.gouv.fr', role: 'reader' })).toBe(false);
    expect(await store.members.put({ entityId: 'dinum', email: 'agent@example.gouv.fr', role: 'admin' })).toBe(true);
    expect(await store.members.put({ entityId: 'ants', email: 'agent@example.gouv.fr', role: 'reader' })).toBe(true);
    expect(await store.members.put({ entityId: 'ants', email: 'autre@example.gouv.fr', role: 'admin' })).toBe(true);

    expect(await store.members.rolesOf('AGENT@example.gouv.fr')).toEqual(
      new Map([
        ['dinum', 'admin'],
        ['ants', 'reader'],
      ]),
    );
    expect(await store.members.list('ants')).toEqual([
      { entityId: 'ants', email: 'agent@example.gouv.fr', role: 'reader', createdAt: expect.any(String) },
      { entityId: 'ants', email: 'autre@example.gouv.fr', role: 'admin', createdAt: expect.any(String) },
    ]);
    expect(await db.rows('SELECT DISTINCT email FROM members ORDER BY email')).toEqual([
      { email: 'agent@example.gouv.fr' },
      { email: 'autre@example.gouv.fr' },
    ]);

    expect(await store.members.remove('dinum', 'Agent@example.gouv.fr')).toBe(true);
    expect(await store.members.remove('dinum', 'agent@example.gouv.fr')).toBe(false);
    expect(await store.members.rolesOf('agent@example.gouv.fr')).toEqual(new Map([['ants', 'reader']]));
    expect(await store.members.rolesOf('personne@example.gouv.fr')).toEqual(new Map());
  });
});

describe('API keys', () => {
  async function withEntity(): Promise<Store> {
    const store = await fresh();
    await store.entities.add({ id: 'dinum', name: 'DINUM' });
    for (const id of ['beta', 'alpha']) await store.procedures.add({ id, title: id, entityId: 'dinum', origins: [] });
    return store;
  }

  test('a key is found by its hash with its scope; its last use is written at most once a minute', async () => {
    const store = await withEntity();
    expect(await store.apiKeys.add({ entityId: 'dinum', name: 'tableau', hash: hash('k1'), procedureIds: null })).toBe(true);
    expect(await store.apiKeys.add({ entityId: 'dinum', name: 'script', hash: hash('k2'), procedureIds: ['beta', 'alpha'] })).toBe(true);
    expect(await db.rows('SELECT hash FROM api_keys ORDER BY id')).toEqual([{ hash: hash('k1') }, { hash: hash('k2') }]);

    const t0 = new Date('2026-06-01T10:00:00.000Z');
    expect(await store.apiKeys.use(hash('k2'), t0)).toEqual({
      id: expect.any(Number),
      entityId: 'dinum',
      name: 'script',
      procedureIds: ['alpha', 'beta'],
      createdAt: expect.any(String),
      revokedAt: null,
      lastUsedAt: t0.toISOString(),
    });
    expect(await store.apiKeys.use(hash('k2'), new Date(t0.getTime() + 59_000))).toMatchObject({ lastUsedAt: t0.toISOString() });
    const later = new Date(t0.getTime() + 60_000);
    expect(await store.apiKeys.use(hash('k2'), later)).toMatchObject({ lastUsedAt: later.toISOString() });
    expect(await db.rows("SELECT last_used_at FROM api_keys WHERE name = 'script'")).toEqual([{ last_used_at: later.toISOString() }]);
    expect(await store.apiKeys.use(hash('k1'), t0)).toMatchObject({ name: 'tableau', procedureIds: null });
    expect(await store.apiKeys.use(hash('inconnue'), t0)).toBeUndefined();
  });

  test('a live name is unique in its entity; a revoked key is not found, and its name can be used again', async () => {
    const store = await withEntity();
    await store.apiKeys.add({ entityId: 'dinum', name: 'tableau', hash: hash('k1'), procedureIds: null });
    const before = await db.snapshot();
    expect(await store.apiKeys.add({ entityId: 'dinum', name: 'tableau', hash: hash('k2'), procedureIds: ['alpha'] })).toBe(false);
    expect(await db.snapshot()).toEqual(before);

    const at = new Date('2026-06-01T10:00:00.000Z');
    expect(await store.apiKeys.revoke('dinum', 'tableau', at)).toBe(true);
    expect(await store.apiKeys.revoke('dinum', 'tableau', at)).toBe(false);
    expect(await store.apiKeys.use(hash('k1'), at)).toBeUndefined();
    expect(await store.apiKeys.add({ entityId: 'dinum', name: 'tableau', hash: hash('k2'), procedureIds: null })).toBe(true);
    expect((await store.apiKeys.list('dinum')).map((k) => [k.name, k.revokedAt])).toEqual([
      ['tableau', at.toISOString()],
      ['tableau', null],
    ]);
    expect(await store.apiKeys.list('autre')).toEqual([]);
  });
});

describe('sessions and login links', () => {
  test('a session is created, found, touched, removed', async () => {
    const store = await fresh();
    const idHash = hash('session');
    await store.sessions.create({ idHash, email: 'agent@example.gouv.fr', createdAt: 1000, lastSeenAt: 1000 });
    await store.sessions.touch(idHash, 5000);
    await store.sessions.touch(idHash, 3000); // a slower request does not move it back
    expect(await store.sessions.find(idHash)).toEqual({ idHash, email: 'agent@example.gouv.fr', createdAt: 1000, lastSeenAt: 5000 });
    await store.sessions.remove(idHash);
    expect(await store.sessions.find(idHash)).toBeUndefined();
  });

  test('every session of one address is removed at once, whatever its case, and no one else’s', async () => {
    const store = await fresh();
    for (const [name, email] of [
      ['a', 'agent@example.gouv.fr'],
      ['b', 'Agent@Example.gouv.fr'],
      ['c', 'collegue@example.gouv.fr'],
    ] as const) {
      await store.sessions.create({ idHash: hash(name), email, createdAt: 1000, lastSeenAt: 1000 });
    }
    expect(await store.sessions.removeAllOf('AGENT@example.gouv.fr')).toBe(2);
    expect(await store.sessions.find(hash('a'))).toBeUndefined();
    expect(await store.sessions.find(hash('b'))).toBeUndefined();
    expect(await store.sessions.find(hash('c'))).toMatchObject({ email: 'collegue@example.gouv.fr' });
    expect(await store.sessions.removeAllOf('agent@example.gouv.fr')).toBe(0);
  });

  test('a login link works once; an expired one never', async () => {
    const store = await fresh();
    await store.loginLinks.create({ tokenHash: hash('lien'), email: 'Agent@example.gouv.fr', expiresAt: 10_000 });
    expect(await store.loginLinks.consume(hash('lien'), 9_999)).toBe('agent@example.gouv.fr');
    expect(await store.loginLinks.consume(hash('lien'), 9_999)).toBeUndefined();

    await store.loginLinks.create({ tokenHash: hash('vieux'), email: 'autre@example.gouv.fr', expiresAt: 10_000 });
    expect(await store.loginLinks.consume(hash('vieux'), 10_000)).toBeUndefined();
    expect(await store.loginLinks.consume(hash('inconnu'), 0)).toBeUndefined();
    expect(await db.rows('SELECT email, used_at FROM login_links ORDER BY email')).toEqual([
      { email: 'agent@example.gouv.fr', used_at: 9_999 },
      { email: 'autre@example.gouv.fr', used_at: null },
    ]);
  });

  test('two collectors racing for one link: exactly one gets it', async () => {
    const first = await fresh();
    const second = await open();
    for (let i = 0; i < 20; i++) {
      await first.loginLinks.create({ tokenHash: hash(`lien-${i}`), email: 'agent@example.gouv.fr', expiresAt: 10_000 });
      const results = await Promise.all([
        first.loginLinks.consume(hash(`lien-${i}`), 1),
        second.loginLinks.consume(hash(`lien-${i}`), 1),
        first.loginLinks.consume(hash(`lien-${i}`), 1),
      ]);
      expect(results.filter((email) => email !== undefined)).toEqual(['agent@example.gouv.fr']);
    }
  });
});

describe('the audit log', () => {
  test('entries read newest first, a page at a time, only of one entity', async () => {
    const store = await fresh();
    for (let i = 1; i <= 25; i++) {
      await store.audit.add({
        entityId: 'dinum',
        at: i * 1000,
        actor: 'operator',
        action: 'member_added',
        target: `m${i}`,
        details: { i },
      });
      if (i % 10 === 0)
        await store.audit.add({ entityId: 'ants', at: i * 1000, actor: 'key:x', action: 'export', target: `p${i}`, details: {} });
    }
    await store.audit.add({ entityId: null, at: 1, actor: 'operator', action: 'login_link_created', target: 'a@b.fr', details: {} });

    const pages: string[][] = [];
    for (let before: number | undefined; ; ) {
      const page = await store.audit.list('dinum', { before, limit: 10 });
      if (page.length === 0) break;
      pages.push(page.map((entry) => entry.target));
      before = page.at(-1)!.id;
    }
    expect(pages.map((page) => page.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual(Array.from({ length: 25 }, (_, k) => `m${25 - k}`));
    expect((await store.audit.list('dinum', { limit: 1 }))[0]).toEqual({
      id: expect.any(Number),
      entityId: 'dinum',
      at: 25_000,
      actor: 'operator',
      action: 'member_added',
      target: 'm25',
      details: { i: 25 },
      count: 1,
    });
    expect((await store.audit.list('ants', { limit: 10 })).map((entry) => entry.at)).toEqual([20_000, 10_000]);
  });

  test('an event identical to an entry of the last minute adds to its count, outside any entity too; a minute on, it is a new entry', async () => {
    const store = await fresh();
    const event = (entityId: string | null, at: number, details: Record<string, unknown> = { format: 'csv' }) =>
      store.audit.add({ entityId, at, actor: 'key:x', action: 'export', target: 'p', details });
    for (const at of [0, 1_000, 59_999]) await event('dinum', at);
    await event('dinum', 2_000, { format: 'xlsx' });
    await event('ants', 3_000);
    await event(null, 4_000);
    await event(null, 5_000);
    await event('dinum', 60_000); // a minute after the entry's first event
    const rows = await db.rows<{ entity_id: string | null; at: number; details: string; count: number }>(
      'SELECT entity_id, at, details, count FROM audit_log ORDER BY id',
    );
    expect(rows.map((row) => [row.entity_id, Number(row.at), JSON.parse(row.details).format, Number(row.count)])).toEqual([
      ['dinum', 0, 'csv', 3],
      ['dinum', 2_000, 'xlsx', 1],
      ['ants', 3_000, 'csv', 1],
      [null, 4_000, 'csv', 2],
      ['dinum', 60_000, 'csv', 1],
    ]);
  });
});

test('the hourly purge forgets audit entries over a year old, ended sessions and used or expired login links, and nothing else', async () => {
  const store = await fresh();
  const now = new Date('2027-06-01T12:00:00Z');
  const at = (ms: number) => now.getTime() - ms;
  const HOUR = 3_600_000;
  const DAY = 24 * HOUR;
  for (const [target, age] of [
    ['ancienne', 366 * DAY],
    ['recente', 364 * DAY],
  ] as const) {
    await store.audit.add({ entityId: 'dinum', at: at(age), actor: 'operator', action: 'entity_added', target, details: {} });
  }
  const sessions: [string, number, number][] = [
    ['active', at(6 * DAY), at(HOUR)],
    ['inactive', at(DAY), at(8 * HOUR + 1)],
    ['trop-vieille', at(7 * DAY + 1), at(1)],
  ];
  for (const [name, createdAt, lastSeenAt] of sessions) {
    await store.sessions.create({ idHash: hash(name), email: `${name}@example.gouv.fr`, createdAt, lastSeenAt });
  }
  await store.loginLinks.create({ tokenHash: hash('valide'), email: 'valide@example.gouv.fr', expiresAt: at(-60_000) });
  await store.loginLinks.create({ tokenHash: hash('expire'), email: 'expire@example.gouv.fr', expiresAt: at(0) });
  await store.loginLinks.create({ tokenHash: hash('utilise'), email: 'utilise@example.gouv.fr', expiresAt: at(-60_000) });
  await store.loginLinks.consume(hash('utilise'), at(1000));

  expect(await purge(store, 730, now)).toEqual({
    freeText: 0,
    tokens: 0,
    audit: 1,
    sessions: 2,
    loginLinks: 2,
    formKeys: 0,
    mails: 0,
    accessRequests: 0,
    problemReports: 0,
  });
  expect(await db.rows('SELECT target FROM audit_log')).toEqual([{ target: 'recente' }]);
  expect(await db.rows('SELECT email FROM sessions')).toEqual([{ email: 'active@example.gouv.fr' }]);
  expect(await db.rows('SELECT email FROM login_links')).toEqual([{ email: 'valide@example.gouv.fr' }]);
  expect(await purge(store, 730, now)).toEqual({
    freeText: 0,
    tokens: 0,
    audit: 0,
    sessions: 0,
    loginLinks: 0,
    formKeys: 0,
    mails: 0,
    accessRequests: 0,
    problemReports: 0,
  });
});
