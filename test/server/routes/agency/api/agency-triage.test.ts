// Comment triage over HTTP (SPEC §8): status, tags, spam and duplicates on both engines; lists
// leave marked reviews out by default while every count keeps them; each refusal changes nothing.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { FollowUpAnswers, SatisfactionAnswer } from '../../../../../shared/questionnaire.ts';
import { ADMIN_A, ADMIN_B, type AgencyWorld, agencyWorld, csrfTokenOf, ORIGIN_A, READER_A } from '../../../../helpers/agency-world.ts';

let world: AgencyWorld;
let bearer: { authorization: string };
afterEach(async () => world?.close());
beforeEach(async () => {
  world = await agencyWorld({ rateLimitPerMinute: 0, ratingsPerClientPerDay: 0 });
  bearer = { authorization: `Bearer ${world.keys.all}` };
});

async function review(satisfaction: SatisfactionAnswer, answers?: FollowUpAnswers, procedure = 'demarche-a'): Promise<number> {
  const rated = await world.inject({
    method: 'POST',
    url: '/api/v1/reviews',
    headers: { 'content-type': 'application/json', origin: procedure === 'demarche-b' ? 'https://b.example.gouv.fr' : ORIGIN_A },
    payload: { procedure, placement: 'default', satisfaction },
  });
  expect(rated.statusCode, rated.body).toBe(201);
  const { id, token } = rated.json() as { id: number; token: string };
  if (answers) {
    const followed = await world.inject({
      method: 'POST',
      url: `/api/v1/reviews/${id}`,
      headers: { 'content-type': 'application/json', origin: procedure === 'demarche-b' ? 'https://b.example.gouv.fr' : ORIGIN_A },
      payload: { token, answers },
    });
    expect(followed.statusCode, followed.body).toBe(200);
  }
  return id;
}

async function member(email: string): Promise<Record<string, string>> {
  const { cookie } = await world.session(email);
  return { cookie, 'x-csrf-token': await csrfTokenOf(world, cookie), 'content-type': 'application/json' };
}

const triage = (reviewId: number, payload: unknown, headers: Record<string, string>, procedure = 'demarche-a') =>
  world.inject({ method: 'POST', url: `/api/v1/procedures/${procedure}/reviews/${reviewId}/triage`, headers, payload: payload as object });

const listed = async (query = '') => {
  const reply = await world.inject({ method: 'GET', url: `/api/v1/procedures/demarche-a/reviews?${query}`, headers: bearer });
  expect(reply.statusCode, reply.body).toBe(200);
  return (reply.json().reviews as { id: number }[]).map((r) => r.id);
};

/** The database as `before`, but for what every authenticated request writes (a session's last use, a key's). */
async function expectUnchanged(before: Record<string, unknown>): Promise<void> {
  const { sessions: _s, api_keys: _k, ...after } = await world.db.snapshot();
  const { sessions: _bs, api_keys: _bk, ...was } = before;
  expect(after).toEqual(was);
}

const LONG = 'Le formulaire de demande a planté trois fois avant que je puisse envoyer mes pièces justificatives.';

describe('duplicates', () => {
  test('a near-identical comment of the same procedure is flagged as the earlier one’s duplicate; a different one is not', async () => {
    const first = await review('bad', { comment: LONG });
    world.clock.now = new Date(world.clock.now.getTime() + 2 * 24 * 3600_000);
    const again = await review('bad', { comment: `${LONG.toUpperCase()} !!` });
    const other = await review('bad', { comment: 'Très bon accueil au téléphone, la conseillère a répondu à toutes mes questions.' });
    const elsewhere = await review('bad', { comment: LONG }, 'demarche-b');
    const short1 = await review('good', { comment: 'Merci beaucoup' });
    const short2 = await review('good', { comment: 'Merci beaucoup' });

    const rows = await world.db.rows<{ id: number; duplicate_of: number | null; duplicate_state: string | null }>(
      'SELECT id, duplicate_of, duplicate_state FROM reviews ORDER BY id',
    );
    const state = Object.fromEntries(
      rows.map((r) => [Number(r.id), [r.duplicate_of === null ? null : Number(r.duplicate_of), r.duplicate_state]]),
    );
    expect(state[first]).toEqual([null, null]);
    expect(state[again]).toEqual([first, 'flagged']);
    expect(state[other]).toEqual([null, null]);
    expect(state[elsewhere]).toEqual([null, null]);
    expect(state[short1]).toEqual([null, null]);
    expect(state[short2]).toEqual([null, null]);
  });

  test('a flagged duplicate leaves the list but not the counts; cleared, it is listed again and stays cleared', async () => {
    const first = await review('bad', { comment: LONG });
    const again = await review('bad', { comment: LONG });
    expect(await listed()).toEqual([first]);
    expect(await listed('marked=only')).toEqual([again]);
    expect(await listed('marked=show')).toEqual([again, first]);

    const stats = await world.inject({ method: 'GET', url: '/api/v1/procedures/demarche-a/stats', headers: bearer });
    expect(stats.json()).toMatchObject({ reviews: 2, marked: { spam: 0, duplicates: 1 } });

    const headers = await member(READER_A);
    const confirmed = await triage(again, { duplicate: 'confirmed' }, headers);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json().duplicate).toEqual({ of: first, state: 'confirmed' });
    const cleared = await triage(again, { duplicate: 'cleared' }, headers);
    expect(cleared.json().duplicate).toEqual({ of: first, state: 'cleared' });
    expect(await listed()).toEqual([again, first]);
    const audit = await world.db.rows<{ action: string; actor: string; target: string }>(
      "SELECT action, actor, target FROM audit_log WHERE action LIKE 'duplicate_%' ORDER BY id",
    );
    expect(audit).toEqual([
      { action: 'duplicate_confirmed', actor: READER_A, target: String(again) },
      { action: 'duplicate_cleared', actor: READER_A, target: String(again) },
    ]);
  });
});

test('spam leaves the list, keeps counting, and the results say how many', async () => {
  const kept = await review('good', { comment: 'Rapide et clair.' });
  const spam = await review('bad', { comment: 'Achetez des montres pas chères sur notre site !' });
  const before = (await world.inject({ method: 'GET', url: '/api/v1/procedures/demarche-a/stats', headers: bearer })).json();

  const marked = await triage(spam, { spam: true }, await member(READER_A));
  expect(marked.statusCode, marked.body).toBe(200);
  expect(marked.json().spam).toEqual({ at: world.clock.now.toISOString(), by: READER_A });

  const after = (await world.inject({ method: 'GET', url: '/api/v1/procedures/demarche-a/stats', headers: bearer })).json();
  expect(after.marked).toEqual({ spam: 1, duplicates: 0 });
  expect({ ...after, marked: null }).toEqual({ ...before, marked: null });
  expect(await listed()).toEqual([kept]);
  expect(await listed('marked=only')).toEqual([spam]);
  const csv = await world.inject({ method: 'GET', url: '/api/v1/procedures/demarche-a/reviews.csv', headers: bearer });
  expect(csv.body).not.toContain('montres');
});

test('any member sets a status and a tag; lists and exports filter by them; all of it is audited', async () => {
  const admin = await member(ADMIN_A);
  const created = await world.inject({
    method: 'POST',
    url: '/api/v1/entities/ministere-a/tags',
    headers: admin,
    payload: { name: 'Délais' },
  });
  expect(created.statusCode, created.body).toBe(201);
  const tag = created.json() as { id: number; name: string };
  expect(tag).toMatchObject({ name: 'Délais', reviews: 0 });

  const a = await review('bad', { comment: 'Trop long à instruire.' });
  const b = await review('medium', { comment: 'Correct.' });
  const reader = await member(READER_A);
  expect((await triage(a, { status: 'handled' }, reader)).json().status).toBe('handled');
  const tagged = await triage(a, { tag: tag.id, on: true }, reader);
  expect(tagged.json().tags).toEqual([{ id: tag.id, name: 'Délais' }]);
  expect((await triage(b, { status: 'seen' }, reader)).statusCode).toBe(200);

  expect(await listed('status=handled')).toEqual([a]);
  expect(await listed('status=seen')).toEqual([b]);
  expect(await listed('status=new')).toEqual([]);
  expect(await listed(`tag=${tag.id}`)).toEqual([a]);
  const csv = await world.inject({ method: 'GET', url: `/api/v1/procedures/demarche-a/reviews.csv?tag=${tag.id}`, headers: bearer });
  const lines = csv.body.trim().split('\r\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain('Trop long');
  expect(lines[0]!.split(',').slice(-5)).toEqual(['status', 'tags', 'spam_at', 'duplicate_of', 'form_version']);
  expect(lines[1]!.split(',').slice(-5)).toEqual(['handled', 'Délais', '', '', '']);

  const renamed = await world.inject({
    method: 'PATCH',
    url: `/api/v1/entities/ministere-a/tags/${tag.id}`,
    headers: admin,
    payload: { name: 'Délais d’instruction' },
  });
  expect(renamed.json()).toEqual({ id: tag.id, name: 'Délais d’instruction', reviews: 1 });
  const untagged = await triage(a, { tag: tag.id, on: false }, reader);
  expect(untagged.json().tags).toEqual([]);
  const { 'content-type': _json, ...bare } = admin;
  const removed = await world.inject({ method: 'DELETE', url: `/api/v1/entities/ministere-a/tags/${tag.id}`, headers: bare });
  expect(removed.statusCode).toBe(204);
  const list = await world.inject({ method: 'GET', url: '/api/v1/entities/ministere-a/tags', headers: bearer });
  expect(list.json()).toEqual({ tags: [] });

  const audit = await world.db.rows<{ action: string; actor: string }>(
    "SELECT action, actor FROM audit_log WHERE action LIKE 'tag_%' OR action LIKE 'review_%' ORDER BY id",
  );
  expect(audit).toEqual([
    { action: 'tag_created', actor: ADMIN_A },
    { action: 'review_status', actor: READER_A },
    { action: 'review_tagged', actor: READER_A },
    { action: 'review_status', actor: READER_A },
    { action: 'tag_renamed', actor: ADMIN_A },
    { action: 'review_untagged', actor: READER_A },
    { action: 'tag_deleted', actor: ADMIN_A },
  ]);
});

test('renames at once onto one name: the unique constraint lets one through, the others are told 409 tag_exists', async () => {
  const tags = [];
  for (const name of ['A', 'B', 'C', 'D', 'E', 'F']) tags.push(await world.store.tags.add('ministere-a', name, 0));
  const headers = await member(ADMIN_A);
  const replies = await Promise.all(
    tags.map((tag) =>
      world.inject({ method: 'PATCH', url: `/api/v1/entities/ministere-a/tags/${tag!.id}`, headers, payload: { name: 'Délais' } }),
    ),
  );
  expect(replies.map((reply) => reply.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409]);
  for (const reply of replies.filter((r) => r.statusCode === 409)) expect(reply.json().error.code).toBe('tag_exists');
  const renamed = replies.find((reply) => reply.statusCode === 200)!.json() as { id: number };
  const rows = await world.db.rows<{ id: number; name: string }>('SELECT id, name FROM entity_tags ORDER BY id');
  expect(rows.map((row) => [Number(row.id), row.name])).toEqual(
    tags.map((tag) => [tag!.id, tag!.id === renamed.id ? 'Délais' : tag!.name]),
  );
  const audit = await world.db.rows('SELECT target FROM audit_log WHERE action = ?', 'tag_renamed');
  expect(audit).toEqual([{ target: 'Délais' }]);
});

describe('refusals change nothing', () => {
  test.each([
    ['no body', undefined, 400, 'invalid_json'],
    ['two changes at once', { status: 'seen', spam: true }, 400, 'invalid_body'],
    ['an unknown status', { status: 'closed' }, 400, 'invalid_body'],
    ['spam as text', { spam: 'yes' }, 400, 'invalid_body'],
    ['a verdict that is not one', { duplicate: 'maybe' }, 400, 'invalid_body'],
    ['a tag without on', { tag: 1 }, 400, 'invalid_body'],
    ['a tag id that is no id', { tag: 0, on: true }, 400, 'invalid_body'],
    ['a tag of no entity', { tag: 999, on: true }, 404, 'tag_not_found'],
    ['a verdict on a review nothing flagged', { duplicate: 'confirmed' }, 409, 'not_duplicate'],
  ])('%s', async (_name, payload, status, code) => {
    const id = await review('bad', { comment: 'Un commentaire assez long pour compter.' });
    const before = await world.db.snapshot();
    const reply = await triage(id, payload, await member(READER_A));
    expect(reply.statusCode, reply.body).toBe(status);
    expect(reply.json().error.code).toBe(code);
    await expectUnchanged(before);
  });

  test.each([
    ['an API key, which only reads', 'key', 'demarche-a', 403, 'forbidden'],
    ['another entity’s procedure', ADMIN_B, 'demarche-a', 404, 'procedure_not_found'],
    ['a review of another procedure', ADMIN_A, 'demarche-a2', 404, 'review_not_found'],
    ['another entity’s tag', ADMIN_A, 'demarche-a', 404, 'tag_not_found'],
  ])('%s', async (name, who, procedure, status, code) => {
    const id = await review('bad', { comment: 'Un commentaire assez long pour compter.' });
    const otherTag = await world.store.tags.add('ministere-b', 'Autre', 0);
    const headers = who === 'key' ? { ...bearer, 'content-type': 'application/json' } : await member(who);
    const before = await world.db.snapshot();
    const payload = name.includes('tag') ? { tag: otherTag!.id, on: true } : { status: 'seen' };
    const reply = await triage(id, payload, headers, procedure);
    expect(reply.statusCode, reply.body).toBe(status);
    expect(reply.json().error.code).toBe(code);
    await expectUnchanged(before);
  });

  test.each([
    ['a reader creating a tag', 'POST', '/api/v1/entities/ministere-a/tags', READER_A, { name: 'X' }, 403, 'forbidden'],
    ['an empty name', 'POST', '/api/v1/entities/ministere-a/tags', ADMIN_A, { name: '  ' }, 400, 'invalid_body'],
    ['a name the entity has', 'POST', '/api/v1/entities/ministere-a/tags', ADMIN_A, { name: 'Délais' }, 409, 'tag_exists'],
    [
      'renaming onto a name the entity has',
      'PATCH',
      '/api/v1/entities/ministere-a/tags/:other',
      ADMIN_A,
      { name: 'Délais' },
      409,
      'tag_exists',
    ],
    ['renaming no tag', 'PATCH', '/api/v1/entities/ministere-a/tags/999', ADMIN_A, { name: 'Y' }, 404, 'tag_not_found'],
    ['deleting another entity’s tag', 'DELETE', '/api/v1/entities/ministere-a/tags/:foreign', ADMIN_A, undefined, 404, 'tag_not_found'],
    ['another entity’s tags', 'POST', '/api/v1/entities/ministere-b/tags', ADMIN_A, { name: 'Z' }, 404, 'entity_not_found'],
  ] as const)('%s: %i %s', async (_name, method, path, who, payload, status, code) => {
    await world.store.tags.add('ministere-a', 'Délais', 0);
    const other = await world.store.tags.add('ministere-a', 'Accueil', 0);
    const foreign = await world.store.tags.add('ministere-b', 'Autre', 0);
    const { 'content-type': _json, ...bare } = await member(who);
    const headers = payload ? { ...bare, 'content-type': 'application/json' } : bare;
    const before = await world.db.snapshot();
    const url = path.replace(':other', String(other!.id)).replace(':foreign', String(foreign!.id));
    const reply = await world.inject({ method, url, headers, ...(payload && { payload }) });
    expect(reply.statusCode, reply.body).toBe(status);
    expect(reply.json().error.code).toBe(code);
    await expectUnchanged(before);
  });
});
