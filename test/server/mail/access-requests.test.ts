import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../../server/config.ts';
import { purge } from '../../../server/retention.ts';
import { ADMIN_A, ADMIN_B, type AgencyWorld, agencyWorld, csrfTokenOf, READER_A } from '../../helpers/agency-world.ts';
import { smtpListener, type SmtpListener } from '../../helpers/smtp-listener.ts';

// Access requests from the sign-in page to the answer by mail, on both engines: a real SMTP server
// receives the mails, parsed back as a mail client reads them; rows are read through our own connection.

const AGENT = 'camille.agent@a.example.gouv.fr';

let smtp: SmtpListener;
beforeAll(async () => {
  smtp = await smtpListener();
});
afterAll(async () => smtp?.stop());

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await new Promise((resolve) => setTimeout(resolve, 50));
  smtp.clear();
});

async function world(signupDomains = ['example.gouv.fr']): Promise<AgencyWorld> {
  const w = await agencyWorld({
    signupDomains,
    mail: { smtpUrl: smtp.url, from: 'JDMA <ne-pas-repondre@jdma.example.gouv.fr>', directory: '/tmp' },
  });
  cleanups.push(() => w.close());
  return w;
}

const form = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('&');

const ask = (w: AgencyWorld, email: string, entity: string, query = '') =>
  w.inject({
    method: 'POST',
    url: `/espace/connexion/demande${query}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: form({ email, entity }),
  });

/** The requests run after the reply: waits until the rows say they are done. */
async function until(done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('not done within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
/** The server has a mail before the sender has its answer and marks the row: waits for the marks. */
const allSent = (w: AgencyWorld) => until(async () => (await w.db.rows("SELECT id FROM mails WHERE status = 'queued'")).length === 0);
const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

/** A member's session, with the CSRF token of their forms: opened before a snapshot, so that it is not the change seen. */
async function signedIn(w: AgencyWorld, email: string) {
  const { cookie } = await w.session(email);
  return { cookie, csrf: await csrfTokenOf(w, cookie) };
}

async function answer(w: AgencyWorld, as: string | { cookie: string; csrf: string }, path: string, fields: Record<string, string> = {}) {
  const { cookie, csrf } = typeof as === 'string' ? await signedIn(w, as) : as;
  return w.inject({
    method: 'POST',
    url: `/espace/entites/ministere-a/demandes/${path}`,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form({ _csrf: csrf, ...fields }),
  });
}

const requestId = async (w: AgencyWorld) => (await w.db.rows<{ id: number }>('SELECT id FROM access_requests'))[0]!.id;

describe('an access request', () => {
  test('accepted: the admins are mailed, one accepts as admin, the agent is mailed a link that signs them in; audited', async () => {
    const w = await world();
    const reply = await ask(w, ` ${AGENT.toUpperCase()} `, '  ministère a ');
    expect(reply.statusCode).toBe(200);
    expect(reply.body).toContain('ses administrateurs viennent de recevoir votre demande');
    const toAdmin = await smtp.next();
    expect(toAdmin.to).toEqual([ADMIN_A]);
    expect(toAdmin.parsed.subject).toBe('Demande d’accès à l’entité «\u00a0Ministère A\u00a0»');
    expect(toAdmin.parsed.text).toContain(`${AGENT} demande à rejoindre l’entité «\u00a0Ministère A\u00a0»`);
    expect(toAdmin.parsed.text).toContain('/espace/entites/ministere-a/membres#demandes');
    expect(await w.db.rows('SELECT entity_id, email, status FROM access_requests')).toEqual([
      { entity_id: 'ministere-a', email: AGENT, status: 'pending' },
    ]);
    const { cookie } = await w.session(ADMIN_A);
    const page = await w.inject({ url: '/espace/entites/ministere-a/membres', headers: { cookie } });
    expect(page.body).toContain('Demandes d’accès');
    expect(page.body).toContain(`aria-label="Accepter la demande de ${AGENT}"`);

    const id = await requestId(w);
    const accepted = await answer(w, ADMIN_A, `${id}/accepter`, { role: 'admin' });
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe('/espace/entites/ministere-a/membres?fait=demande-acceptee');
    const toAgent = await smtp.next();
    expect(toAgent.to).toEqual([AGENT]);
    expect(toAgent.parsed.subject).toBe('Votre demande d’accès à l’entité «\u00a0Ministère A\u00a0» est acceptée');
    expect(toAgent.parsed.text).toContain('vous en êtes membre, comme administrateur');
    expect(await w.db.rows('SELECT role FROM members WHERE email = ?', AGENT)).toEqual([{ role: 'admin' }]);
    expect(await w.db.rows('SELECT status, decided_by FROM access_requests')).toEqual([{ status: 'accepted', decided_by: ADMIN_A }]);
    expect(await w.db.rows('SELECT actor, action, target FROM audit_log WHERE target = ? ORDER BY id', AGENT)).toEqual([
      { actor: AGENT, action: 'access_requested', target: AGENT },
      { actor: ADMIN_A, action: 'member_added', target: AGENT },
      { actor: ADMIN_A, action: 'access_request_accepted', target: AGENT },
    ]);
    const token = /\/espace\/lien\/([A-Za-z0-9_-]+)/.exec(toAgent.parsed.text ?? '')![1]!;
    expect((await w.inject({ method: 'POST', url: `/espace/lien/${token}` })).statusCode).toBe(303);
    expect(await w.db.rows('SELECT email FROM sessions WHERE email = ?', AGENT)).toEqual([{ email: AGENT }]);
  });

  test('refused: the agent is mailed the refusal in the language of the form they used, and is no member; audited', async () => {
    const w = await world();
    await ask(w, AGENT, 'ministere-a', '?lang=en');
    await smtp.next();
    const refused = await answer(w, ADMIN_A, `${await requestId(w)}/refuser`);
    expect(refused.statusCode).toBe(303);
    const toAgent = await smtp.next();
    expect(toAgent.to).toEqual([AGENT]);
    // Asked from the English form, answered in English.
    expect(toAgent.parsed.subject).toBe('Your access request to Ministère A is refused');
    expect(toAgent.parsed.text).not.toMatch(/\/espace\/lien\//);
    expect(await w.db.rows('SELECT email FROM members WHERE email = ?', AGENT)).toEqual([]);
    expect(await w.db.rows('SELECT status FROM access_requests')).toEqual([{ status: 'refused' }]);
    expect(await w.db.rows("SELECT actor, action FROM audit_log WHERE action LIKE 'access_%' ORDER BY id")).toEqual([
      { actor: AGENT, action: 'access_requested' },
      { actor: ADMIN_A, action: 'access_request_refused' },
    ]);
  });

  test('a member, a stranger to an unknown entity and a stranger to a real one get the same page; only the last is recorded', async () => {
    const w = await world();
    const member = await ask(w, READER_A, 'Ministère A');
    const unknown = await ask(w, AGENT, 'Ministère Z');
    const stranger = await ask(w, AGENT, 'Ministère A');
    for (const reply of [member, unknown, stranger]) expect(reply.statusCode).toBe(200);
    expect(member.body).toBe(stranger.body);
    expect(unknown.body).toBe(stranger.body);
    expect((await smtp.next()).to).toEqual([ADMIN_A]);
    await settle();
    expect(smtp.received).toHaveLength(1);
    expect(await w.db.rows('SELECT email FROM access_requests')).toEqual([{ email: AGENT }]);
  });

  test('asked twice, the admins are mailed once; past 3 requests in a day an address records no more', async () => {
    const w = await world();
    await ask(w, AGENT, 'ministere-a');
    await ask(w, AGENT, 'Ministère A');
    await smtp.next();
    await settle();
    expect(smtp.received).toHaveLength(1);
    await ask(w, AGENT, 'ministere-b');
    await ask(w, 'autre@b.example.gouv.fr', 'ministere-b');
    await until(async () => (await w.db.rows('SELECT id FROM access_requests')).length === 3);
    // The repeat was refused by the pending one, not counted: a third entity is still possible… once.
    await w.store.entities.add({ id: 'ministere-c', name: 'Ministère C' });
    await w.store.members.put({ entityId: 'ministere-c', email: ADMIN_B, role: 'admin' });
    await ask(w, AGENT, 'ministere-c');
    await until(async () => (await w.db.rows('SELECT id FROM access_requests')).length === 4);
    await w.store.entities.add({ id: 'ministere-d', name: 'Ministère D' });
    await ask(w, AGENT, 'ministere-d');
    await settle();
    expect(await w.db.rows("SELECT entity_id FROM access_requests WHERE entity_id = 'ministere-d'")).toEqual([]);
  });
});

test('answered requests are purged 30 days after they were made; pending ones stay', async () => {
  const w = await world();
  const at = w.clock.now.getTime();
  const answered = (await w.store.accessRequests.add({ entityId: 'ministere-a', email: 'ancien@a.example.gouv.fr', at, lang: 'fr' }))!;
  await w.store.accessRequests.decide('ministere-a', answered, 'refused', ADMIN_A, at);
  await w.store.accessRequests.add({ entityId: 'ministere-a', email: 'attend@a.example.gouv.fr', at, lang: 'fr' });
  expect(await purge(w.store, 730, new Date(at + 30 * 24 * 3_600_000))).toMatchObject({ accessRequests: 0 });
  expect(await purge(w.store, 730, new Date(at + 30 * 24 * 3_600_000 + 1))).toMatchObject({ accessRequests: 1 });
  expect(await w.db.rows('SELECT email, status FROM access_requests')).toEqual([{ email: 'attend@a.example.gouv.fr', status: 'pending' }]);
});

test('past 10 requests in 15 minutes one client gets 429 (a page), and nothing is stored', async () => {
  const w = await world();
  for (let i = 0; i < 10; i++) expect((await ask(w, `agent${i}@example.fr`, 'Ministère A')).statusCode).toBe(403);
  const before = await w.db.snapshot();
  const reply = await ask(w, AGENT, 'Ministère A');
  expect(reply.statusCode).toBe(429);
  expect(reply.headers['content-type']).toContain('text/html');
  expect(reply.body).toContain('Trop de demandes');
  await settle();
  expect(await w.db.snapshot()).toEqual(before);
  expect(smtp.received).toHaveLength(0);
});

describe('refusals: a clear answer, nothing stored, nothing sent', () => {
  test('an address outside SIGNUP_DOMAINS: 403 and the form saying which domains may ask', async () => {
    const w = await world(['example.gouv.fr', 'interieur.gouv.fr']);
    const before = await w.db.snapshot();
    for (const email of ['agent@example.fr', 'agent@notexample.gouv.fr', 'agent@gouv.fr']) {
      const reply = await ask(w, email, 'Ministère A');
      expect(reply.statusCode).toBe(403);
      expect(reply.body).toContain('n’est pas dans un domaine autorisé à demander un accès (example.gouv.fr, interieur.gouv.fr)');
      expect(reply.body).toContain('aria-invalid="true"');
    }
    await settle();
    expect(await w.db.snapshot()).toEqual(before);
    expect(smtp.received).toHaveLength(0);
  });

  test.each([
    ['no address', { entity: 'Ministère A' }, 'Cette adresse n’est pas une adresse électronique valide'],
    ['not an address', { email: 'camille', entity: 'Ministère A' }, 'Cette adresse n’est pas une adresse électronique valide'],
    ['no entity', { email: AGENT, entity: '  ' }, 'Indiquez le nom ou l’identifiant de l’entité'],
    ['an entity too long', { email: AGENT, entity: 'x'.repeat(101) }, 'Indiquez le nom ou l’identifiant de l’entité'],
  ])('%s: 400 with the form and its error', async (_name, fields, message) => {
    const w = await world();
    const before = await w.db.snapshot();
    const reply = await w.inject({
      method: 'POST',
      url: '/espace/connexion/demande',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form(fields),
    });
    expect(reply.statusCode).toBe(400);
    expect(reply.headers['content-type']).toContain('text/html');
    expect(reply.body).toContain(message);
    await settle();
    expect(await w.db.snapshot()).toEqual(before);
  });

  test('without SIGNUP_DOMAINS the form does not exist and the sign-in page does not offer it', async () => {
    const w = await world([]);
    expect((await w.inject({ url: '/espace/connexion/demande' })).statusCode).toBe(404);
    const before = await w.db.snapshot();
    expect((await ask(w, AGENT, 'Ministère A')).statusCode).toBe(404);
    expect((await w.inject({ url: '/espace/connexion' })).body).not.toContain('/espace/connexion/demande');
    await settle();
    expect(await w.db.snapshot()).toEqual(before);
    const on = await world();
    expect((await on.inject({ url: '/espace/connexion' })).body).toContain('href="/espace/connexion/demande"');
  });

  test('an answer to a request already answered, unknown or another entity’s: 404 on the members page, nothing changed', async () => {
    const w = await world();
    await ask(w, AGENT, 'Ministère A');
    await smtp.next();
    const id = await requestId(w);
    expect((await answer(w, ADMIN_A, `${id}/refuser`)).statusCode).toBe(303);
    await smtp.next();
    await allSent(w);
    const admin = await signedIn(w, ADMIN_A);
    const before = await w.db.snapshot();
    for (const path of [`${id}/accepter`, `${id}/refuser`, '999/refuser', 'abc/refuser']) {
      const reply = await answer(w, admin, path, { role: 'reader' });
      expect(reply.statusCode).toBe(404);
      expect(reply.headers['content-type']).toContain('text/html');
    }
    expect((await answer(w, admin, `${id}/accepter`, { role: 'reader' })).body).toContain('n’attend plus de réponse');
    await settle();
    expect(await w.db.snapshot()).toEqual(before);
    expect(smtp.received).toHaveLength(2);
  });

  test('a reader, an admin of another entity, or a wrong role cannot answer: nothing changed', async () => {
    const w = await world();
    await ask(w, AGENT, 'Ministère A');
    await smtp.next();
    const id = await requestId(w);
    const [reader, otherAdmin, admin] = [await signedIn(w, READER_A), await signedIn(w, ADMIN_B), await signedIn(w, ADMIN_A)];
    await allSent(w);
    const before = await w.db.snapshot();
    expect((await answer(w, reader, `${id}/accepter`, { role: 'admin' })).statusCode).toBe(404);
    expect((await answer(w, otherAdmin, `${id}/accepter`, { role: 'admin' })).statusCode).toBe(404);
    const badRole = await answer(w, admin, `${id}/accepter`, { role: 'owner' });
    expect(badRole.statusCode).toBe(400);
    expect(badRole.body).toContain('Choisissez un rôle\u00a0: lecteur ou administrateur.');
    await settle();
    expect(await w.db.snapshot()).toEqual(before);
    expect(smtp.received).toHaveLength(1);
  });
});

test('SIGNUP_DOMAINS: comma-separated domains, each matching its subdomains; a bad one stops start-up', () => {
  expect(loadConfig({ SIGNUP_DOMAINS: 'gouv.fr, Interieur.Gouv.fr,.finances.gouv.fr' }).signupDomains).toEqual([
    'gouv.fr',
    'interieur.gouv.fr',
    'finances.gouv.fr',
  ]);
  expect(loadConfig({}).signupDomains).toEqual([]);
  expect(() => loadConfig({ SIGNUP_DOMAINS: 'gouv.fr,,x.fr' })).toThrow(/^configuration invalide : SIGNUP_DOMAINS/);
  expect(() => loadConfig({ SIGNUP_DOMAINS: 'gouv fr' })).toThrow(/attendu des noms de domaine séparés par des virgules/);
});
