// The same thirteen agency changes through the three doors an agency has, each on a fresh store:
// the operator's command line (dist/cli.js in a child process), the JSON API, and the space's HTML
// forms (a real HTTP server, the CSRF token read from the page, as a browser would post it). The
// three must hold the same rules (the last admin stays, with the same code) and leave the same
// audit log (actions, targets and details, in order) and the same final state.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { ADMIN_A, type AgencyWorld, agencyWorld, ORIGIN_A, READER_A } from '../../helpers/agency-world.ts';
import { runCli } from '../../helpers/cli-process.ts';

const ENTITY = 'ministere-a';
const NEW_MEMBER = 'nouveau@a.example.gouv.fr';
const SECOND_ORIGIN = 'https://autre.a.example.gouv.fr';
const REASON = 'Nom et adresse d’un usager';

/** What a step came to: done, or refused with a status and (where the door says it) a code. */
type Outcome = { done: true } | { done: false; status?: number; code?: string };

/** One door: the thirteen changes, each as that door makes it. `review` is the id of the review to hide. */
type Door = (review: number) => Record<Step, () => Promise<Outcome>>;

const STEPS = [
  'create a procedure',
  'rename it',
  'add an origin',
  'add a placement',
  'mark the placement test',
  'add a member',
  'change their role',
  'remove the last admin (refused)',
  'create a key',
  'revoke it',
  'hide a review',
  'restore it',
  'remove the member',
] as const;
type Step = (typeof STEPS)[number];

let world: AgencyWorld;
/** The world still open, closed after a failed run. */
let open: AgencyWorld | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

/** A fresh world, with one review (with a comment) on demarche-a to hide and restore. */
async function freshWorld(): Promise<{ review: number; url: string }> {
  world = await agencyWorld({ rateLimitPerMinute: 0, ratingsPerClientPerDay: 0 });
  open = world;
  await world.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(world.app.server.address() as AddressInfo).port}`;
  const created = await fetch(`${url}/api/v1/reviews`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ procedure: 'demarche-a', satisfaction: 'bad' }),
  });
  expect(created.status).toBe(201);
  const { id, token } = (await created.json()) as { id: number; token: string };
  const followed = await fetch(`${url}/api/v1/reviews/${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, answers: { clarity: 2, help_sought: ['none'], comment: 'Le formulaire est trop long.' } }),
  });
  expect(followed.status).toBe(200);
  return { review: id, url };
}

const cli: (url: string) => Door = () => (review) => {
  const jdma = async (...args: string[]): Promise<Outcome> => {
    const result = runCli(args, { ...world.db.env, PUBLIC_URL: 'https://avis.example.gouv.fr' });
    if (result.status === 0) return { done: true };
    expect(result.status, result.stderr).toBe(2);
    return { done: false, code: /\(([a-z_]+)\)/.exec(result.stderr)?.[1] };
  };
  return {
    'create a procedure': () => jdma('procedure', 'add', 'parite', '--title', 'Parité', '--entity', ENTITY, '--origin', ORIGIN_A),
    'rename it': () => jdma('procedure', 'rename', 'parite', '--title', 'Parité des portes'),
    'add an origin': () => jdma('origin', 'add', 'parite', SECOND_ORIGIN),
    'add a placement': () => jdma('placement', 'add', 'parite', 'courriel'),
    'mark the placement test': () => jdma('placement', 'test', 'parite', 'courriel'),
    'add a member': () => jdma('member', 'add', ENTITY, NEW_MEMBER, '--role', 'admin'),
    'change their role': () => jdma('member', 'add', ENTITY, NEW_MEMBER, '--role', 'reader'),
    'remove the last admin (refused)': () => jdma('member', 'remove', ENTITY, ADMIN_A),
    'create a key': () => jdma('key', 'create', ENTITY, '--name', 'parite-cle', '--procedure', 'parite'),
    'revoke it': () => jdma('key', 'revoke', ENTITY, 'parite-cle'),
    'hide a review': () => jdma('review', 'hide', 'demarche-a', String(review), '--reason', REASON),
    'restore it': () => jdma('review', 'restore', 'demarche-a', String(review)),
    'remove the member': () => jdma('member', 'remove', ENTITY, NEW_MEMBER),
  };
};

async function sessionOf(email: string): Promise<string> {
  return (await world.session(email)).cookie;
}

const api: (url: string) => Door = (url) => (review) => {
  let cookie = '';
  let csrf = '';
  const call = async (method: string, path: string, body?: unknown): Promise<Outcome> => {
    if (!cookie) {
      cookie = await sessionOf(ADMIN_A);
      csrf = ((await (await fetch(`${url}/api/v1/me`, { headers: { cookie } })).json()) as { csrf_token: string }).csrf_token;
    }
    const reply = await fetch(`${url}${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (reply.ok) return { done: true };
    const { error } = (await reply.json()) as { error: { code: string } };
    return { done: false, status: reply.status, code: error.code };
  };
  const members = `/api/v1/entities/${ENTITY}/members`;
  return {
    'create a procedure': () => call('POST', '/api/v1/procedures', { id: 'parite', title: 'Parité', entity: ENTITY, origins: [ORIGIN_A] }),
    'rename it': () => call('PATCH', '/api/v1/procedures/parite', { title: 'Parité des portes' }),
    'add an origin': () => call('PATCH', '/api/v1/procedures/parite', { origins: { add: [SECOND_ORIGIN] } }),
    'add a placement': () => call('PATCH', '/api/v1/procedures/parite', { placements: { add: ['courriel'] } }),
    'mark the placement test': () => call('PATCH', '/api/v1/procedures/parite', { test_placements: { add: ['courriel'] } }),
    'add a member': () => call('POST', members, { email: NEW_MEMBER, role: 'admin' }),
    'change their role': () => call('PATCH', `${members}/${NEW_MEMBER}`, { role: 'reader' }),
    'remove the last admin (refused)': () => call('DELETE', `${members}/${ADMIN_A}`),
    'create a key': () => call('POST', `/api/v1/entities/${ENTITY}/keys`, { name: 'parite-cle', procedures: ['parite'] }),
    'revoke it': () => call('DELETE', `/api/v1/entities/${ENTITY}/keys/parite-cle`),
    'hide a review': () => call('POST', `/api/v1/procedures/demarche-a/reviews/${review}/hide`, { reason: REASON }),
    'restore it': () => call('POST', `/api/v1/procedures/demarche-a/reviews/${review}/restore`),
    'remove the member': () => call('DELETE', `${members}/${NEW_MEMBER}`),
  };
};

const space: (url: string) => Door = (url) => (review) => {
  let cookie = '';
  /** Posts a form as the page that holds it would: the CSRF token is read from that page first. */
  const post = async (page: string, action: string, fields: [string, string][]): Promise<Outcome> => {
    cookie ||= await sessionOf(ADMIN_A);
    const html = await (await fetch(`${url}${page}`, { headers: { cookie } })).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    expect(token, `no CSRF field on ${page}`).toBeDefined();
    const reply = await fetch(`${url}${action}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([['_csrf', token!], ...fields]),
    });
    // A change done answers 303 to the page that says so, or the page itself (a key, shown once).
    return reply.status === 303 || reply.status === 201 ? { done: true } : { done: false, status: reply.status };
  };
  const settings = '/espace/demarches/parite/reglages';
  const membersPage = `/espace/entites/${ENTITY}/membres`;
  const reviews = '/espace/demarches/demarche-a/avis';
  return {
    'create a procedure': () =>
      post(`/espace/entites/${ENTITY}/demarches/nouvelle`, `/espace/entites/${ENTITY}/demarches`, [
        ['id', 'parite'],
        ['title', 'Parité'],
        ['origins', ORIGIN_A],
        ['placements', ''],
      ]),
    'rename it': () => post(settings, `${settings}/titre`, [['title', 'Parité des portes']]),
    'add an origin': () => post(settings, `${settings}/origines`, [['origin', SECOND_ORIGIN]]),
    'add a placement': () => post(settings, `${settings}/emplacements`, [['placement', 'courriel']]),
    'mark the placement test': () => post(settings, `${settings}/emplacements/test`, [['placement', 'courriel']]),
    'add a member': () =>
      post(membersPage, membersPage, [
        ['email', NEW_MEMBER],
        ['role', 'admin'],
      ]),
    'change their role': () =>
      post(membersPage, `${membersPage}/role`, [
        ['email', NEW_MEMBER],
        ['role', 'reader'],
      ]),
    'remove the last admin (refused)': () =>
      post(membersPage, `${membersPage}/retirer`, [
        ['email', ADMIN_A],
        ['confirm', 'oui'],
      ]),
    'create a key': () =>
      post(membersPage, `/espace/entites/${ENTITY}/cles`, [
        ['name', 'parite-cle'],
        ['procedures', 'parite'],
      ]),
    'revoke it': () => post(membersPage, `/espace/entites/${ENTITY}/cles/revoquer`, [['name', 'parite-cle']]),
    'hide a review': () => post(reviews, `${reviews}/${review}/masquer`, [['reason', REASON]]),
    'restore it': () => post(reviews, `${reviews}/${review}/retablir`, []),
    'remove the member': () =>
      post(membersPage, `${membersPage}/retirer`, [
        ['email', NEW_MEMBER],
        ['confirm', 'oui'],
      ]),
  };
};

interface Run {
  outcomes: Outcome[];
  /** The entity's audit log, oldest first, without ids, times and actors (the operator is not an admin's address). */
  audit: { action: string; target: string; details: Record<string, unknown> }[];
  state: unknown;
}

/** The agency's state after the changes, as each door's reader would see it, without ids, times, hashes. */
async function stateOf(review: number) {
  const procedure = await world.store.procedures.find('parite');
  const keys = (await world.store.apiKeys.list(ENTITY)).map((k) => ({
    name: k.name,
    procedures: k.procedureIds,
    revoked: k.revokedAt !== null,
  }));
  const members = (await world.store.members.list(ENTITY)).map((m) => [m.email, m.role]);
  const hidden = await world.db.rows('SELECT hidden_reason FROM reviews WHERE id = ?', review);
  return {
    procedure: procedure && {
      title: procedure.title,
      entityId: procedure.entityId,
      origins: procedure.origins,
      placements: procedure.placements,
      testPlacements: procedure.testPlacements,
      archivedAt: procedure.archivedAt,
    },
    keys,
    members,
    hidden,
  };
}

async function runThrough(door: (url: string) => Door): Promise<Run> {
  const { review, url } = await freshWorld();
  const steps = door(url)(review);
  const outcomes: Outcome[] = [];
  for (const step of STEPS) outcomes.push(await steps[step]());
  const audit = (await world.store.audit.list(ENTITY, { limit: 100 }))
    .reverse()
    .map(({ action, target, details }) => ({ action, target, details }));
  const run = { outcomes, audit, state: await stateOf(review) };
  await world.close();
  open = undefined;
  return run;
}

describe('thirteen agency changes through the command line, the API and the space', () => {
  // Thirteen runs of the command line, each a process of its own: about 2 s each on a busy machine.
  test('hold the same rules and leave the same audit log and the same state', { timeout: 300_000 }, async () => {
    const byCli = await runThrough(cli);
    const byApi = await runThrough(api);
    const bySpace = await runThrough(space);

    const refused = STEPS.indexOf('remove the last admin (refused)');
    const doneAll = STEPS.map((_step, i) => i !== refused);
    for (const run of [byCli, byApi, bySpace]) expect(run.outcomes.map((o) => o.done)).toEqual(doneAll);
    // The same refusal: its code said by the command line and the API, its status by the API and the space.
    expect(byCli.outcomes[refused]).toEqual({ done: false, code: 'last_admin' });
    expect(byApi.outcomes[refused]).toEqual({ done: false, status: 409, code: 'last_admin' });
    expect(bySpace.outcomes[refused]).toEqual({ done: false, status: 409 });

    expect(byCli.audit.map((e) => e.action)).toEqual([
      'procedure_created',
      'procedure_updated',
      'procedure_updated',
      'procedure_updated',
      'procedure_updated',
      'member_added',
      'member_role_changed',
      'key_created',
      'key_revoked',
      'review_hidden',
      'review_restored',
      'member_removed',
    ]);
    expect(byApi.audit).toEqual(byCli.audit);
    expect(bySpace.audit).toEqual(byCli.audit);

    expect(byCli.state).toMatchObject({
      procedure: { title: 'Parité des portes', origins: expect.arrayContaining([ORIGIN_A, SECOND_ORIGIN]), testPlacements: ['courriel'] },
      members: expect.arrayContaining([
        [ADMIN_A, 'admin'],
        [READER_A, 'reader'],
      ]),
    });
    expect(byApi.state).toEqual(byCli.state);
    expect(bySpace.state).toEqual(byCli.state);
  });
});
