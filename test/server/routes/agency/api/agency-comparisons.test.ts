// Comparisons (SPEC §8): two periods of one procedure, two procedures of one entity, with the
// difference and whether it is beyond the 95 % intervals; refusals name the parameter at fault.
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { SatisfactionAnswer } from '../../../../../shared/questionnaire.ts';
import { type AgencyWorld, agencyWorld, ORIGIN_A } from '../../../../helpers/agency-world.ts';

let world: AgencyWorld;
let bearer: { authorization: string };
afterEach(async () => world?.close());
beforeEach(async () => {
  world = await agencyWorld({ rateLimitPerMinute: 0, ratingsPerClientPerDay: 0 });
  bearer = { authorization: `Bearer ${world.keys.all}` };
});

async function rate(at: string, procedure: string, satisfaction: SatisfactionAnswer, times: number): Promise<void> {
  world.clock.now = new Date(at);
  for (let i = 0; i < times; i++) {
    const reply = await world.inject({
      method: 'POST',
      url: '/api/v1/reviews',
      headers: { 'content-type': 'application/json', origin: ORIGIN_A },
      payload: { procedure, satisfaction },
    });
    expect(reply.statusCode).toBe(201);
  }
}

const get = (url: string) => world.inject({ method: 'GET', url, headers: bearer });

test('two periods of one procedure: a fall from 9 to 1 is beyond the intervals, and each side is what the stats say', async () => {
  await rate('2026-10-10T10:00:00Z', 'demarche-a', 'good', 16);
  await rate('2026-10-11T10:00:00Z', 'demarche-a', 'medium', 4);
  await rate('2026-11-10T10:00:00Z', 'demarche-a', 'bad', 16);
  await rate('2026-11-11T10:00:00Z', 'demarche-a', 'medium', 4);
  world.clock.now = new Date('2026-12-01T10:00:00Z');

  const reply = await get('/api/v1/comparisons?a=demarche-a&from=2026-10-01&to=2026-10-31&b_from=2026-11-01&b_to=2026-11-30');
  expect(reply.statusCode, reply.body).toBe(200);
  const comparison = reply.json();
  expect(comparison.a).toEqual({
    procedure: { id: 'demarche-a', title: 'Démarche A' },
    window: { from: '2026-10-01', to: '2026-10-31' },
    reviews: 20,
  });
  expect(comparison.b).toEqual({
    procedure: { id: 'demarche-a', title: 'Démarche A' },
    window: { from: '2026-11-01', to: '2026-11-30' },
    reviews: 20,
  });
  // 16 × 10 + 4 × 5 = 180 / 20 = 9; 4 × 5 / 20 = 1.
  expect(comparison.indicators.satisfaction).toMatchObject({
    a: { value: 9, answers: 20 },
    b: { value: 1, answers: 20 },
    difference: -8,
    beyond_intervals: true,
  });
  const october = (await get('/api/v1/procedures/demarche-a/stats?from=2026-10-01&to=2026-10-31')).json();
  const november = (await get('/api/v1/procedures/demarche-a/stats?from=2026-11-01&to=2026-11-30')).json();
  expect(comparison.indicators.satisfaction.a.interval).toEqual(october.indicators.satisfaction.interval);
  expect(comparison.indicators.satisfaction.b.interval).toEqual(november.indicators.satisfaction.interval);
  expect(comparison.indicators.clarity).toEqual({
    a: { value: null, interval: null, answers: 0 },
    b: { value: null, interval: null, answers: 0 },
    difference: null,
    beyond_intervals: null,
  });
});

test('two procedures of one entity: a small difference stays within the intervals', async () => {
  await rate('2026-11-10T10:00:00Z', 'demarche-a', 'good', 2);
  await rate('2026-11-10T10:00:00Z', 'demarche-a', 'bad', 1);
  await rate('2026-11-10T10:00:00Z', 'demarche-a2', 'good', 1);
  await rate('2026-11-10T10:00:00Z', 'demarche-a2', 'bad', 2);
  world.clock.now = new Date('2026-12-01T10:00:00Z');
  const reply = await get('/api/v1/comparisons?a=demarche-a&b=demarche-a2');
  expect(reply.statusCode, reply.body).toBe(200);
  const { a, b, indicators } = reply.json();
  expect([a.window, b.window]).toEqual([
    { from: '2025-12-02', to: '2026-12-01' },
    { from: '2025-12-02', to: '2026-12-01' },
  ]);
  expect(indicators.satisfaction).toMatchObject({ a: { value: 6.7 }, b: { value: 3.3 }, difference: -3.4, beyond_intervals: false });
});

test.each([
  ['no a', '', 400, 'invalid_query'],
  ['an unknown parameter', '?a=demarche-a&c=x', 400, 'invalid_query'],
  ['a backwards window', '?a=demarche-a&from=2026-11-30&to=2026-11-01', 400, 'invalid_query'],
  ['a backwards b window', '?a=demarche-a&b_from=2026-11-30&b_to=2026-11-01', 400, 'invalid_query'],
  ['a procedure of another entity as b', '?a=demarche-a&b=demarche-b', 404, 'procedure_not_found'],
  ['an unknown a', '?a=inconnue', 404, 'procedure_not_found'],
])('%s is refused, nothing stored', async (_name, query, status, code) => {
  const before = await world.db.snapshot();
  const reply = await get(`/api/v1/comparisons${query}`);
  expect(reply.statusCode, reply.body).toBe(status);
  expect(reply.json().error.code).toBe(code);
  const { api_keys: _a, ...after } = await world.db.snapshot();
  const { api_keys: _b, ...was } = before;
  expect(after).toEqual(was);
});

test('a member of two entities may not compare across them', async () => {
  await world.store.members.put({ entityId: 'ministere-b', email: 'admin@a.example.gouv.fr', role: 'reader' });
  const { cookie } = await world.session('admin@a.example.gouv.fr');
  const before = await world.db.snapshot();
  const reply = await world.inject({ method: 'GET', url: '/api/v1/comparisons?a=demarche-a&b=demarche-b', headers: { cookie } });
  expect(reply.statusCode).toBe(400);
  expect(reply.json().error).toMatchObject({ code: 'invalid_query', details: [{ field: 'b' }] });
  const { sessions: _a, ...after } = await world.db.snapshot();
  const { sessions: _b, ...was } = before;
  expect(after).toEqual(was);
});
