import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { ConfigError, loadConfig, testConfig, type Config } from '../../server/config.ts';
import type { Store } from '../../server/store/store.ts';
import { testDatabase, type TestDatabase } from '../helpers/test-database.ts';
import { addProcedure } from '../helpers/procedures.ts';

// A client is who the trusted proxies say it is: whatever a client writes left of the addresses its
// proxies append, the rate limit and the daily count still hold for it, and for it alone.

const AGENCY = 'https://passeport.example.gouv.fr';
const CLIENT = '203.0.113.7';
const NEIGHBOUR = '203.0.113.8';

let db: TestDatabase;
let store: Store | undefined;
let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  await store?.close();
  [app, store] = [undefined, undefined];
});

async function start(overrides: Partial<Config>): Promise<void> {
  db = await testDatabase();
  store = await db.open();
  await addProcedure(store, { id: 'demande-passeport', title: 'Demande de passeport', entity: 'Intérieur', origins: [AGENCY] });
  app = await buildApp({ config: testConfig({ ...db.options, ...overrides }), store, now: () => new Date('2026-11-22T10:00:00Z') });
}

/** A rating as it reaches the collector: from `socket`, with `forwardedFor` written by the client and its proxies. */
const rating = (socket: string, forwardedFor?: string) =>
  app!.inject({
    method: 'POST',
    url: '/api/v1/reviews',
    remoteAddress: socket,
    headers: {
      'content-type': 'application/json',
      origin: AGENCY,
      ...(forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }),
    },
    payload: { procedure: 'demande-passeport', satisfaction: 'good' },
  });

/** What a client writes itself: a leftmost entry or several, odd or not, that must change nothing. */
const FORGED = ['198.51.100.1', '198.51.100.2, 198.51.100.3', 'garbage', '2001:db8::1', `${'192.0.2.1, '.repeat(20)}192.0.2.2`];

/** Each setting, with how a rating from `client` reaches the collector through its proxies, after `forged`. */
const SETTINGS = [
  { env: undefined, via: (client: string, forged: string) => [client, forged] as const },
  { env: '1', via: (client: string, forged: string) => ['10.0.0.1', `${forged}, ${client}`] as const },
  { env: '2', via: (client: string, forged: string) => ['10.0.0.2', `${forged}, ${client}, 10.0.0.1`] as const },
  {
    env: '10.0.0.0/8, 192.168.0.0/16',
    via: (client: string, forged: string) => ['10.0.0.3', `${forged}, ${client}, 192.168.1.5`] as const,
  },
];

const trustProxyOf = (env: string | undefined) => loadConfig(env === undefined ? {} : { TRUST_PROXY: env }).trustProxy;

describe.each(SETTINGS)('TRUST_PROXY=$env: forged X-Forwarded-For entries change nothing', ({ env, via }) => {
  test('the rate limit holds for the real client, and for it alone', async () => {
    await start({ trustProxy: trustProxyOf(env), rateLimitPerMinute: 3, ratingsPerClientPerDay: 0 });
    const statuses = [];
    for (const forged of FORGED.slice(0, 3)) statuses.push((await rating(...via(CLIENT, forged))).statusCode);
    expect(statuses).toEqual([201, 201, 201]);
    const before = await db.snapshot();
    for (const forged of FORGED) {
      const refused = await rating(...via(CLIENT, forged));
      expect([refused.statusCode, refused.json().error.code]).toEqual([429, 'rate_limited']);
    }
    expect(await db.snapshot()).toEqual(before);
    // Another client behind the same proxies has its own count: the key is the client, not the proxy.
    expect((await rating(...via(NEIGHBOUR, FORGED[0]!))).statusCode).toBe(201);
  });

  test('the daily count holds for the real client, and for it alone', async () => {
    await start({ trustProxy: trustProxyOf(env), rateLimitPerMinute: 0, ratingsPerClientPerDay: 2 });
    expect([(await rating(...via(CLIENT, FORGED[0]!))).statusCode, (await rating(...via(CLIENT, FORGED[1]!))).statusCode]).toEqual([
      201, 201,
    ]);
    const before = await db.snapshot();
    for (const forged of FORGED) {
      const refused = await rating(...via(CLIENT, forged));
      expect([refused.statusCode, refused.json().error.code]).toEqual([429, 'too_many_ratings']);
    }
    expect(await db.snapshot()).toEqual(before);
    expect((await rating(...via(NEIGHBOUR, FORGED[2]!))).statusCode).toBe(201);
  });
});

test('100 addresses of one IPv6 /64 share one rate limit; the next /64 has its own', async () => {
  await start({ rateLimitPerMinute: 60, ratingsPerClientPerDay: 0 });
  const statuses = new Map<number, number>();
  for (let i = 1; i <= 100; i++) {
    const status = (await rating(`2001:db8:aa:bb:${i.toString(16)}::${i.toString(16)}`)).statusCode;
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }
  expect(Object.fromEntries(statuses)).toEqual({ 201: 60, 429: 40 });
  expect((await rating('2001:db8:aa:bc::1')).statusCode).toBe(201);
});

test('an IPv4 client is one client whether its socket is IPv4 or IPv4-mapped IPv6', async () => {
  await start({ rateLimitPerMinute: 1, ratingsPerClientPerDay: 0 });
  expect((await rating(CLIENT)).statusCode).toBe(201);
  expect((await rating(`::ffff:${CLIENT}`)).statusCode).toBe(429);
});

describe('TRUST_PROXY is read at start-up', () => {
  test.each([
    [undefined, false],
    ['false', false],
    ['0', false],
    ['1', 1],
    ['2', 2],
    ['127.0.0.1', '127.0.0.1'],
    ['10.0.0.0/8,fd00::/8', '10.0.0.0/8,fd00::/8'],
    ['loopback, 192.168.0.0/16', 'loopback, 192.168.0.0/16'],
  ])('TRUST_PROXY=%s is %o', (env, expected) => {
    expect(trustProxyOf(env)).toEqual(expected);
  });

  test.each(['true', 'TRUE', 'yes', '1.2', '10.0.0.0/33', '10.0.0.0/0', '::1/129', '10.0.0.1,', 'localhost', '-1', '100'])(
    'TRUST_PROXY=%s stops start-up with one French line',
    (env) => {
      expect(() => loadConfig({ TRUST_PROXY: env })).toThrow(ConfigError);
      expect(() => loadConfig({ TRUST_PROXY: env })).toThrow(/^configuration invalide : TRUST_PROXY = « .* » : [^\n]+$/);
    },
  );

  test('true is refused with the value to use instead', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/X-Forwarded-For.*nombre de proxys.*1 derrière le routeur de Scalingo/);
  });
});
