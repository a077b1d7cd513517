// A small agency world for the agency API's tests: two entities, their procedures, members, keys
// and sessions, written through the store into a real database of the engine under test, and the
// collector built on it with a clock the test moves.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { gracefulClose } from '../../server/graceful-close.ts';
import { hashSecret, newSecret } from '../../server/agency/secrets.ts';
import { testConfig, type Config } from '../../server/config.ts';
import type { Store } from '../../server/store/store.ts';
import { testDatabase, type TestDatabase } from './test-database.ts';

export const ORIGIN_A = 'https://demarches.a.example.gouv.fr';
export const ADMIN_A = 'admin@a.example.gouv.fr';
export const READER_A = 'lecteur@a.example.gouv.fr';
export const ADMIN_B = 'admin@b.example.gouv.fr';
export const HOUR = 60 * 60 * 1000;
export const DAY = 24 * HOUR;

export interface AgencyWorld {
  db: TestDatabase;
  store: Store;
  app: FastifyInstance;
  config: Config;
  /** The app's clock: tests move it with `clock.now = …`. */
  clock: { now: Date };
  /** API keys as their holders send them. */
  keys: { all: string; limited: string; revoked: string; otherEntity: string };
  /** Starts a session for `email` directly in the store (as a login would), returns its cookie header. */
  session(email: string, startedAgo?: number, idleFor?: number): Promise<{ cookie: string; secret: string }>;
  /** The session cookie's name for this config. */
  cookieName: string;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * Entity `ministere-a` (procedures `demarche-a`, `demarche-a2`; admin ADMIN_A, reader READER_A;
 * keys `tableau` for everything, `limitee` for demarche-a2 only, `ancienne` revoked) and entity
 * `ministere-b` (procedure `demarche-b`, admin ADMIN_B, key `tableau-b`).
 */
export async function agencyWorld(overrides: Partial<Config> = {}): Promise<AgencyWorld> {
  const db = await testDatabase();
  const store = await db.open();
  const clock = { now: new Date('2026-12-01T10:00:00Z') };
  const config = testConfig({ ...db.options, ...overrides });
  await store.entities.add({ id: 'ministere-a', name: 'Ministère A' });
  await store.entities.add({ id: 'ministere-b', name: 'Ministère B' });
  await store.procedures.add({ id: 'demarche-a', title: 'Démarche A', entityId: 'ministere-a', origins: [ORIGIN_A], placements: ['site'] });
  await store.procedures.add({ id: 'demarche-a2', title: 'Démarche A2', entityId: 'ministere-a', origins: [ORIGIN_A] });
  await store.procedures.add({ id: 'demarche-b', title: 'Démarche B', entityId: 'ministere-b', origins: ['https://b.example.gouv.fr'] });
  await store.members.put({ entityId: 'ministere-a', email: ADMIN_A, role: 'admin' });
  await store.members.put({ entityId: 'ministere-a', email: READER_A, role: 'reader' });
  await store.members.put({ entityId: 'ministere-b', email: ADMIN_B, role: 'admin' });
  const key = async (entityId: string, name: string, procedureIds: string[] | null) => {
    const secret = newSecret('jdma_');
    await store.apiKeys.add({ entityId, name, hash: hashSecret(secret), procedureIds });
    return secret;
  };
  const keys = {
    all: await key('ministere-a', 'tableau', null),
    limited: await key('ministere-a', 'limitee', ['demarche-a2']),
    revoked: await key('ministere-a', 'ancienne', null),
    otherEntity: await key('ministere-b', 'tableau-b', null),
  };
  await store.apiKeys.revoke('ministere-a', 'ancienne', clock.now);
  const app = await buildApp({ config, store, now: () => clock.now });
  const closeApp = gracefulClose(app);
  // Ready now, so that the purge the app runs when ready (retention.ts) sees the world as made, at
  // the start time, and not whatever a test later sets up with the clock moved.
  await app.ready();
  // Its first purge folds closed months' term counts: done before a test writes any, not halfway.
  await app.purgeSettled();
  const cookieName = config.publicUrl.startsWith('https:') ? '__Host-jdma_session' : 'jdma_session';
  return {
    db,
    store,
    app,
    config,
    clock,
    keys,
    cookieName,
    async session(email, startedAgo = 0, idleFor = startedAgo) {
      const secret = newSecret();
      const at = clock.now.getTime();
      await store.sessions.create({ idHash: hashSecret(secret), email, createdAt: at - startedAgo, lastSeenAt: at - idleFor });
      return { cookie: `${cookieName}=${secret}`, secret };
    },
    inject: (options) => app.inject(options),
    async close() {
      // As server.ts closes: a connection fetch opened ahead and never used would otherwise hold the
      // close for Node's 60 s headers timeout.
      await closeApp();
      await store.close();
    },
  };
}

/** The CSRF token of a session, read as its owner's page would: from GET /api/v1/me. */
export async function csrfTokenOf(world: AgencyWorld, cookie: string): Promise<string> {
  const me = await world.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
  if (me.statusCode !== 200) throw new Error(`GET /api/v1/me answered ${me.statusCode}: ${me.body}`);
  return me.json().csrf_token;
}
