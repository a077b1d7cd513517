import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../../server/app.ts';
import { loadConfig, testConfig } from '../../../server/config.ts';
import { queueLoginLink } from '../../../server/agency/login-link-mail.ts';
import { MAIL_GIVE_UP_MS, MAIL_LEASE_MS, mailQueue, mailSender } from '../../../server/mail/mail-outbox.ts';
import { mailTransport } from '../../../server/mail/mail-transport.ts';
import { purge } from '../../../server/retention.ts';
import type { Store } from '../../../server/store/store.ts';
import { ADMIN_A, agencyWorld, csrfTokenOf, DAY, READER_A } from '../../helpers/agency-world.ts';
import { smtpListener, type SmtpListener } from '../../helpers/smtp-listener.ts';
import { testDatabase, type TestDatabase } from '../../helpers/test-database.ts';

// Mail through the outbox to a real SMTP server in this process, on both engines: what arrives is
// parsed back as a mail client reads it; the outbox's rows are read through a connection of our own.

const MEMBER = 'camille.martin@example.gouv.fr';
const STRANGER = 'inconnu@example.gouv.fr';
const START = new Date('2026-12-01T10:00:00Z');

let smtp: SmtpListener;
beforeAll(async () => {
  smtp = await smtpListener();
});
afterAll(async () => smtp?.stop());

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  // Mails a test left unread are not the next test's.
  await new Promise((resolve) => setTimeout(resolve, 50));
  smtp.clear();
});

interface World {
  db: TestDatabase;
  store: Store;
  clock: { now: Date };
}

async function world(): Promise<World> {
  const db = await testDatabase();
  const store = await db.open();
  cleanups.push(() => store.close());
  await store.entities.add({ id: 'dinum', name: 'DINUM' });
  await store.members.put({ entityId: 'dinum', email: MEMBER, role: 'admin' });
  await store.procedures.add({ id: 'demarche', title: 'Démarche', entityId: 'dinum', origins: ['https://a.example.gouv.fr'] });
  return { db, store, clock: { now: new Date(START) } };
}

const mailConfig = (smtpUrl: string | undefined, directory = tmpdir()) => ({
  smtpUrl,
  from: 'JDMA <ne-pas-repondre@jdma.example.gouv.fr>',
  directory,
});

function senderOf(w: World, smtpUrl: string | undefined = smtp.url, directory?: string) {
  const failed: number[] = [];
  const sender = mailSender({
    store: w.store,
    transport: mailTransport(mailConfig(smtpUrl, directory)),
    now: () => w.clock.now,
    onWritten: () => {},
    onError: (error) => {
      throw error;
    },
    onFailed: () => failed.push(1),
    pollMs: 2 ** 31 - 1,
  });
  cleanups.push(() => sender.stop());
  return Object.assign(sender, { failed });
}

async function until(done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('not done within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const queueOf = (w: World) => mailQueue(w.store, mailConfig(smtp.url), () => w.clock.now);
const outbox = (w: World) =>
  w.db.rows<{
    status: string;
    attempts: number;
    text_body: string;
    next_attempt_at: number;
    last_error: string | null;
    message_id: string;
  }>('SELECT status, attempts, text_body, next_attempt_at, last_error, message_id FROM mails ORDER BY id');

describe('a mail through the outbox', () => {
  test('a sign-in mail arrives with a text and an accessible HTML part, in its language, with its Message-ID', async () => {
    const w = await world();
    const sender = senderOf(w);
    const deps = { store: w.store, publicUrl: 'https://avis.example.gouv.fr', queue: queueOf(w), now: () => w.clock.now };
    expect(await queueLoginLink(deps, MEMBER, 'fr', MEMBER)).toMatchObject({ outcome: 'sent' });
    expect(await queueLoginLink(deps, MEMBER, 'en', MEMBER)).toMatchObject({ outcome: 'sent' });
    expect(await sender.sendDue()).toBe(2);
    const [fr, en] = [await smtp.next(), await smtp.next()];
    const [rowFr, rowEn] = await outbox(w);
    for (const [mail, row, lang] of [
      [fr, rowFr, 'fr'],
      [en, rowEn, 'en'],
    ] as const) {
      expect(mail.to).toEqual([MEMBER]);
      expect(mail.parsed.messageId).toBe(row!.message_id);
      expect(mail.parsed.from?.value).toEqual([{ name: 'JDMA', address: 'ne-pas-repondre@jdma.example.gouv.fr' }]);
      expect(mail.parsed.headers.get('content-language')).toBe(lang);
      const html = String(mail.parsed.html);
      expect(html).toContain(`<html lang="${lang}">`);
      expect(html).toMatch(/<h1>[^<]+<\/h1>/);
      expect(html).not.toMatch(/<table|<img/i);
      const link = /https:\/\/avis\.example\.gouv\.fr\/espace\/lien\/[A-Za-z0-9_-]+(\?lang=en)?/.exec(mail.parsed.text ?? '')?.[0];
      expect(link).toBeDefined();
      expect(html).toContain(`href="${link!.replace('&', '&amp;')}"`);
      expect(row).toMatchObject({ status: 'sent', attempts: 1, text_body: '' });
    }
    expect(fr.parsed.subject).toBe('Votre lien de connexion à l’espace agence');
    expect(en.parsed.subject).toBe('Your sign-in link to the agency space');
    expect(en.parsed.text).toContain('?lang=en');
  });

  test('with the SMTP server down the mail is retried with backoff, then sent once when it is back', async () => {
    const w = await world();
    const sender = senderOf(w);
    await smtp.stop();
    try {
      await queueOf(w)(MEMBER, 'test', 'fr', { subject: 'Essai', text: 'Essai', html: '<p>Essai</p>' });
      expect(await sender.sendDue()).toBe(0);
      let [row] = await outbox(w);
      expect(row).toMatchObject({ status: 'queued', attempts: 1, next_attempt_at: START.getTime() + 30_000 });
      expect(row!.last_error).toMatch(/ECONNREFUSED/);
      // Not due yet: nothing tried.
      w.clock.now = new Date(START.getTime() + 29_000);
      expect(await sender.sendDue()).toBe(0);
      expect((await outbox(w))[0]!.attempts).toBe(1);
      // The second failure waits twice as long.
      w.clock.now = new Date(START.getTime() + 30_000);
      expect(await sender.sendDue()).toBe(0);
      [row] = await outbox(w);
      expect(row).toMatchObject({ attempts: 2, next_attempt_at: START.getTime() + 30_000 + 60_000 });
    } finally {
      await smtp.start();
    }
    w.clock.now = new Date(START.getTime() + 90_000);
    expect(await sender.sendDue()).toBe(1);
    expect(await sender.sendDue()).toBe(0);
    expect((await smtp.next()).parsed.subject).toBe('Essai');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(smtp.received).toHaveLength(1);
    expect(await outbox(w)).toEqual([expect.objectContaining({ status: 'sent', attempts: 3, last_error: null })]);
  });

  test('a mail still failing a day after it was queued is given up: failed, its body erased', async () => {
    const w = await world();
    const sender = senderOf(w, 'smtp://127.0.0.1:1');
    await queueOf(w)(MEMBER, 'test', 'fr', { subject: 'Essai', text: 'Essai', html: '<p>Essai</p>' });
    expect(await sender.sendDue()).toBe(0);
    w.clock.now = new Date(START.getTime() + MAIL_GIVE_UP_MS);
    expect(await sender.sendDue()).toBe(0);
    expect(await outbox(w)).toEqual([expect.objectContaining({ status: 'failed', attempts: 2, text_body: '' })]);
    expect(sender.failed).toHaveLength(1);
    expect(await w.store.mails.list({ status: 'failed', limit: 10 })).toHaveLength(1);
    expect(await w.store.mails.countQueued()).toBe(0);
  });

  test('a claimed row is not claimed again until its lease ends (a sender that died), then once more', async () => {
    const w = await world();
    await queueOf(w)(MEMBER, 'test', 'fr', { subject: 'Essai', text: 'Essai', html: '<p>Essai</p>' });
    const at = START.getTime();
    expect(await w.store.mails.claim(at, MAIL_LEASE_MS, 10)).toHaveLength(1);
    expect(await w.store.mails.claim(at + MAIL_LEASE_MS - 1, MAIL_LEASE_MS, 10)).toEqual([]);
    expect(await w.store.mails.claim(at + MAIL_LEASE_MS, MAIL_LEASE_MS, 10)).toEqual([expect.objectContaining({ attempts: 2 })]);
  });

  test('a sender whose lease lapsed cannot set back or fail the row another sender claimed since', async () => {
    const w = await world();
    const id = await queueOf(w)(MEMBER, 'test', 'fr', { subject: 'Essai', text: 'Essai', html: '<p>Essai</p>' });
    const at = START.getTime();
    const [first] = await w.store.mails.claim(at, MAIL_LEASE_MS, 10);
    const [second] = await w.store.mails.claim(at + MAIL_LEASE_MS, MAIL_LEASE_MS, 10);
    expect([first?.attempts, second?.attempts]).toEqual([1, 2]);
    // The first sender's SMTP server answers at last, with a refusal: its retry and its giving up are void.
    await w.store.mails.retryAt(id, first!.attempts, at + 1, 'refusé');
    await w.store.mails.giveUp(id, first!.attempts, 'refusé');
    expect(await outbox(w)).toEqual([
      expect.objectContaining({ status: 'queued', attempts: 2, next_attempt_at: at + 2 * MAIL_LEASE_MS, last_error: null }),
    ]);
    // The holder's own retry applies.
    await w.store.mails.retryAt(id, second!.attempts, at + 3 * MAIL_LEASE_MS, 'refusé');
    expect(await outbox(w)).toEqual([
      expect.objectContaining({ status: 'queued', next_attempt_at: at + 3 * MAIL_LEASE_MS, last_error: 'refusé' }),
    ]);
  });

  test('the purge forgets sent and given-up mails after 30 days, never a queued one', async () => {
    const w = await world();
    const queue = queueOf(w);
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await queue(MEMBER, 'test', 'fr', { subject: `Essai ${i}`, text: 'x', html: '<p>x</p>' }));
    await w.store.mails.markSent(ids[0]!, START.getTime());
    await w.store.mails.giveUp(ids[1]!, 0, 'refusé');
    await w.store.mails.markSent(ids[3]!, START.getTime());
    await w.db.exec(`UPDATE mails SET created_at = created_at + 1000 WHERE id = ${ids[3]}`);
    // 30 days and a millisecond after the first three were queued; the fourth is a second younger.
    w.clock.now = new Date(START.getTime() + 30 * DAY + 1);
    expect(await purge(w.store, 730, w.clock.now)).toMatchObject({ mails: 2 });
    expect(await w.db.rows('SELECT subject, status FROM mails ORDER BY id')).toEqual([
      { subject: 'Essai 2', status: 'queued' },
      { subject: 'Essai 3', status: 'sent' },
    ]);
  });

  test('two senders on one database send each of 30 mails once', async () => {
    const w = await world();
    const other = await w.db.open();
    cleanups.push(() => other.close());
    const queue = queueOf(w);
    for (let i = 0; i < 30; i++) await queue(MEMBER, 'test', 'fr', { subject: `Essai ${i}`, text: 'Essai', html: '<p>Essai</p>' });
    const a = senderOf(w);
    const b = senderOf({ ...w, store: other });
    const [sentA, sentB] = await Promise.all([a.sendDue(), b.sendDue()]);
    expect(sentA + sentB).toBe(30);
    for (let i = 0; i < 30; i++) await smtp.next();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const subjects = smtp.received.map((mail) => mail.parsed.subject).sort();
    expect(subjects).toEqual(Array.from({ length: 30 }, (_, i) => `Essai ${i}`).sort());
    expect(new Set(smtp.received.map((mail) => mail.parsed.messageId)).size).toBe(30);
  });
});

describe('sign-in by e-mail', () => {
  async function app(w: World, overrides: Parameters<typeof testConfig>[0] = {}) {
    const config = testConfig({ ...w.db.options, mail: mailConfig(smtp.url), ...overrides });
    const built = await buildApp({ config, store: w.store, now: () => w.clock.now });
    cleanups.push(() => built.close());
    return built;
  }
  const ask = (a: Awaited<ReturnType<typeof app>>, email: string, query = '') =>
    a.inject({
      method: 'POST',
      url: `/espace/connexion${query}`,
      payload: `email=${encodeURIComponent(email)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

  test('the page answers a member and a stranger alike; only the member gets a link, audited', async () => {
    const w = await world();
    const a = await app(w);
    const stranger = await ask(a, STRANGER);
    const member = await ask(a, ` ${MEMBER.toUpperCase()} `);
    expect(member.statusCode).toBe(200);
    expect(stranger.statusCode).toBe(200);
    expect(member.body).toBe(stranger.body);
    expect(member.body).toContain('Si cette adresse a accès à l’espace, un lien de connexion vient de lui être envoyé.');
    expect((await ask(a, STRANGER, '?lang=en')).body).toContain(
      'If this address has access to the space, a sign-in link has just been sent to it.',
    );
    const mail = await smtp.next();
    expect(mail.to).toEqual([MEMBER]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(smtp.received).toHaveLength(1);
    expect(await w.db.rows('SELECT email FROM login_links')).toEqual([{ email: MEMBER }]);
    expect(await w.db.rows('SELECT recipient FROM mails')).toEqual([{ recipient: MEMBER }]);
    expect(await w.db.rows("SELECT actor, target FROM audit_log WHERE action = 'login_link_mailed'")).toEqual([
      { actor: MEMBER, target: MEMBER },
    ]);
    // The link in the mail signs the member in.
    const token = /\/espace\/lien\/([A-Za-z0-9_-]+)/.exec(mail.parsed.text ?? '')![1]!;
    const signIn = await a.inject({ method: 'POST', url: `/espace/lien/${token}` });
    expect(signIn.statusCode).toBe(303);
    expect(await w.db.rows('SELECT email FROM sessions')).toEqual([{ email: MEMBER }]);
  });

  test.each([
    ['no address', ''],
    ['not an address', 'camille'],
    ['two addresses', `${MEMBER},${STRANGER}`],
    ['too long', `${'a'.repeat(250)}@example.gouv.fr`],
  ])('%s: 400 with the form and its error, nothing stored or sent', async (_name, email) => {
    const w = await world();
    const a = await app(w);
    const before = await w.db.snapshot();
    const reply = await ask(a, email);
    expect(reply.statusCode).toBe(400);
    expect(reply.headers['content-type']).toContain('text/html');
    expect(reply.body).toContain('Cette adresse n’est pas une adresse électronique valide');
    expect(reply.body).toContain('aria-invalid="true"');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await w.db.snapshot()).toEqual(before);
  });

  test('past 3 sign-in mails in 15 minutes an address gets no more (the same page), audited', async () => {
    const w = await world();
    const a = await app(w);
    for (let i = 0; i < 4; i++) expect((await ask(a, MEMBER)).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await w.db.rows('SELECT count(*) AS n FROM mails')).toEqual([{ n: 3 }]);
    expect(await w.db.rows("SELECT action FROM audit_log WHERE action = 'login_link_refused'")).toEqual([{ action: 'login_link_refused' }]);
    w.clock.now = new Date(START.getTime() + 15 * 60_000 + 1);
    await ask(a, MEMBER);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await w.db.rows('SELECT count(*) AS n FROM mails')).toEqual([{ n: 4 }]);
  });

  test('past 10 requests in 15 minutes one client gets 429 (a page), and nothing is stored', async () => {
    const w = await world();
    const a = await app(w);
    for (let i = 0; i < 10; i++) expect((await ask(a, STRANGER)).statusCode).toBe(200);
    const before = await w.db.snapshot();
    const reply = await ask(a, MEMBER);
    expect(reply.statusCode).toBe(429);
    // A page, as every refusal of the space is to a browser.
    expect(reply.headers['content-type']).toContain('text/html');
    expect(reply.body).toContain('Trop de demandes');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await w.db.snapshot()).toEqual(before);
  });

  test('without SMTP_URL the mail is an .eml file in the data folder, and the log names it', async () => {
    const w = await world();
    const directory = mkdtempSync(join(tmpdir(), 'jdma-mails-'));
    const lines: string[] = [];
    const config = testConfig({ ...w.db.options, logLevel: 'info', mail: mailConfig(undefined, directory) });
    const a = await buildApp({ config, store: w.store, now: () => w.clock.now, logStream: { write: (line) => void lines.push(line) } });
    cleanups.push(() => a.close());
    await ask(a, MEMBER);
    const deadline = Date.now() + 5000;
    while (readdirSync(directory).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const [file] = readdirSync(directory);
    expect(file).toMatch(/\.eml$/);
    const parsed = await simpleParser(readFileSync(join(directory, file!)));
    expect(parsed.subject).toBe('Votre lien de connexion à l’espace agence');
    expect(parsed.text).toMatch(/\/espace\/lien\/[A-Za-z0-9_-]+/);
    // The file is written before the sender logs it and marks the row: under load, that takes a while.
    await until(
      async () =>
        lines.some((line) => line.includes(join(directory, file!))) &&
        (await w.db.rows<{ status: string }>('SELECT status FROM mails'))[0]?.status === 'sent',
    );
    expect(lines.filter((line) => line.includes(join(directory, file!)))).toHaveLength(1);
    expect(await w.db.rows('SELECT status FROM mails')).toEqual([{ status: 'sent' }]);
  });

  test('/metrics counts mails sent and queued', async () => {
    const w = await world();
    const token = 'mail-metrics-token-0123456789';
    const a = await app(w, { metricsToken: token });
    await ask(a, MEMBER);
    await smtp.next();
    // The server has the mail before the sender has its answer and marks the row.
    await until(async () => (await w.db.rows("SELECT 1 FROM mails WHERE status = 'sent'")).length === 1);
    await queueOf(w)(MEMBER, 'test', 'fr', { subject: 'Plus tard', text: 'x', html: '<p>x</p>' });
    await w.db.exec(`UPDATE mails SET next_attempt_at = ${START.getTime() + 3_600_000} WHERE status = 'queued'`);
    const metrics = (await a.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } })).body;
    expect(metrics).toMatch(/^jdma_mails_sent_total 1$/m);
    expect(metrics).toMatch(/^jdma_mails_failed_total 0$/m);
    expect(metrics).toMatch(/^jdma_mails_queued 1$/m);
  });
});

describe('invitations', () => {
  test('an admin who adds a member mails them an invitation whose link signs in once, within 7 days', async () => {
    const world = await agencyWorld({ mail: mailConfig(smtp.url) });
    cleanups.push(() => world.close());
    const { cookie } = await world.session(ADMIN_A);
    const added = await world.inject({
      method: 'POST',
      url: '/api/v1/entities/ministere-a/members',
      headers: { cookie, 'x-csrf-token': await csrfTokenOf(world, cookie) },
      payload: { email: 'nouvelle@a.example.gouv.fr', role: 'reader' },
    });
    expect(added.statusCode).toBe(201);
    const mail = await smtp.next();
    expect(mail.to).toEqual(['nouvelle@a.example.gouv.fr']);
    expect(mail.parsed.subject).toBe('Invitation à l’espace agence\u00a0: Ministère A');
    expect(mail.parsed.text).toContain(
      `${ADMIN_A} vous a ajouté à l’entité «\u00a0Ministère A\u00a0» dans Je donne mon avis, comme lecteur`,
    );
    expect(String(mail.parsed.html)).toContain('<html lang="fr">');
    const at = world.clock.now.getTime();
    expect(await world.db.rows('SELECT email, expires_at FROM login_links')).toEqual([
      { email: 'nouvelle@a.example.gouv.fr', expires_at: at + 7 * DAY },
    ]);
    expect(await world.db.rows('SELECT kind FROM mails')).toEqual([{ kind: 'invitation' }]);
    const token = /\/espace\/lien\/([A-Za-z0-9_-]+)/.exec(mail.parsed.text ?? '')![1]!;
    // Six days on, the link still works, once.
    world.clock.now = new Date(at + 6 * DAY);
    expect((await world.inject({ method: 'POST', url: `/espace/lien/${token}` })).statusCode).toBe(303);
    expect((await world.inject({ method: 'POST', url: `/espace/lien/${token}` })).statusCode).toBe(410);
  });

  test('adding a member on the space’s members page mails the invitation too, and the page says so', async () => {
    const world = await agencyWorld({ mail: mailConfig(smtp.url) });
    cleanups.push(() => world.close());
    const { cookie } = await world.session(ADMIN_A);
    const csrf = await csrfTokenOf(world, cookie);
    const added = await world.inject({
      method: 'POST',
      url: '/espace/entites/ministere-a/membres',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(csrf)}&email=${encodeURIComponent('Admin2@A.example.gouv.fr')}&role=admin`,
    });
    expect(added.statusCode).toBe(303);
    const page = await world.inject({ url: added.headers.location!, headers: { cookie } });
    expect(page.body).toContain('une invitation lui a été envoyée par courriel');
    const mail = await smtp.next();
    expect(mail.to).toEqual(['admin2@a.example.gouv.fr']);
    expect(mail.parsed.text).toContain('comme administrateur\u00a0: vous pouvez lire les avis de ses démarches et les gérer');
  });

  test('an invitation link is gone after 7 days; a refused addition mails nobody', async () => {
    const world = await agencyWorld({ mail: mailConfig(smtp.url) });
    cleanups.push(() => world.close());
    const { cookie } = await world.session(ADMIN_A);
    const headers = { cookie, 'x-csrf-token': await csrfTokenOf(world, cookie) };
    const before = await world.db.snapshot();
    const twice = await world.inject({
      method: 'POST',
      url: '/api/v1/entities/ministere-a/members',
      headers,
      payload: { email: READER_A, role: 'admin' },
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ error: { code: 'member_exists' } });
    expect(await world.db.snapshot()).toEqual(before);
    await world.inject({
      method: 'POST',
      url: '/api/v1/entities/ministere-a/members',
      headers,
      payload: { email: 'tard@a.example.gouv.fr', role: 'reader' },
    });
    const token = /\/espace\/lien\/([A-Za-z0-9_-]+)/.exec((await smtp.next()).parsed.text ?? '')![1]!;
    world.clock.now = new Date(world.clock.now.getTime() + 7 * DAY);
    expect((await world.inject({ method: 'POST', url: `/espace/lien/${token}` })).statusCode).toBe(410);
    expect(smtp.received).toHaveLength(1);
  });
});

describe('configuration', () => {
  test.each([
    ['SMTP_URL', 'http://smtp.example.gouv.fr', /SMTP_URL = « http:\/\/smtp\.example\.gouv\.fr » : attendu une URL smtp:\/\//],
    ['SMTP_URL', 'smtp.example.gouv.fr:587', /SMTP_URL = « smtp\.example\.gouv\.fr:587 » : attendu une URL smtp:\/\//],
    ['MAIL_FROM', 'pas une adresse', /MAIL_FROM = « pas une adresse » : attendu une adresse/],
    ['MAIL_FROM', 'JDMA <a@b> <c@d>', /MAIL_FROM = « JDMA <a@b> <c@d> » : attendu une adresse/],
  ])('%s = %s stops start-up with one line', (name, value, message) => {
    expect(() => loadConfig({ SMTP_URL: 'smtp://relay.example.gouv.fr:587', MAIL_FROM: 'jdma@example.gouv.fr', [name]: value })).toThrow(
      message,
    );
  });

  test('SMTP_URL needs MAIL_FROM; without SMTP_URL mail goes to mails/ beside the database, from a no-reply address', () => {
    expect(() => loadConfig({ SMTP_URL: 'smtps://u:p@relay.example.gouv.fr:465' })).toThrow(
      /^configuration invalide : MAIL_FROM : manquant/,
    );
    expect(loadConfig({ SMTP_URL: 'smtps://u:p@relay.example.gouv.fr:465', MAIL_FROM: 'JDMA <jdma@example.gouv.fr>' }).mail).toMatchObject({
      smtpUrl: 'smtps://u:p@relay.example.gouv.fr:465',
      from: 'JDMA <jdma@example.gouv.fr>',
    });
    expect(loadConfig({ DATABASE_PATH: '/srv/jdma/jdma.sqlite', PUBLIC_URL: 'https://avis.example.gouv.fr' }).mail).toEqual({
      smtpUrl: undefined,
      from: 'Je donne mon avis <ne-pas-repondre@avis.example.gouv.fr>',
      directory: '/srv/jdma/mails',
    });
    expect(loadConfig({}).mail.from).toBe('Je donne mon avis <ne-pas-repondre@localhost>');
  });
});
