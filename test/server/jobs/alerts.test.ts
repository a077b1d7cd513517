// Alerts and digests with a moved clock, on both engines: each alert kind and the digests are
// queued by their leased job run, delivered through the outbox to a real SMTP server in this
// process and parsed back as a mail client reads them; two collectors on one database (two stores
// on it) queue each once. Mails carry counts and links, never a comment's text, never another
// entity's figures, and a one-click unsubscribe link that works by POST.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../../server/app.ts';
import { testConfig } from '../../../server/config.ts';
import { type AlertSettings, alertJob } from '../../../server/jobs/alert-job.ts';
import { digestJob, duePeriods } from '../../../server/jobs/digest-job.ts';
import { mailQueue, mailSender } from '../../../server/mail/mail-outbox.ts';
import { mailTransport } from '../../../server/mail/mail-transport.ts';
import { digestMail, integrationBrokenMail, levelChangeMail, newReviewsMail } from '../../../server/mail/notification-templates.ts';
import type { MailPreference, Store } from '../../../server/store/store.ts';
import type { SatisfactionAnswer } from '../../../shared/questionnaire.ts';
import { formatDayRange } from '../../../server/pages/kit/format.ts';
import { countQueuedTerms } from '../../../server/term-counting.ts';
import { smtpListener, type SmtpListener } from '../../helpers/smtp-listener.ts';
import { testDatabase, type TestDatabase } from '../../helpers/test-database.ts';

const ADMIN = 'admin@dinum.example.gouv.fr';
const READER = 'lecteur@dinum.example.gouv.fr';
const OTHER = 'admin@autre.example.gouv.fr';
const PUBLIC_URL = 'https://avis.example.gouv.fr';
const SECRET_TEXT = 'Texte très personnel à ne jamais envoyer';
// A Monday, and its month's first: every digest is due.
const MONDAY = new Date('2026-12-07T06:00:00Z');
const SETTINGS: AlertSettings = { windowMs: 300_000, maxMs: 7_200_000, brokenMinRefusals: 5, levelMinReviews: 10 };

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

interface World {
  db: TestDatabase;
  store: Store;
  clock: { now: Date };
}

async function world(start = MONDAY): Promise<World> {
  const db = await testDatabase();
  const store = await db.open();
  cleanups.push(() => store.close());
  await store.entities.add({ id: 'dinum', name: 'DINUM' });
  await store.entities.add({ id: 'autre', name: 'Autre ministère' });
  await store.members.put({ entityId: 'dinum', email: ADMIN, role: 'admin' });
  await store.members.put({ entityId: 'dinum', email: READER, role: 'reader' });
  await store.members.put({ entityId: 'autre', email: OTHER, role: 'admin' });
  await store.procedures.add({ id: 'demarche', title: 'Demande de passeport', entityId: 'dinum', origins: ['https://a.example.gouv.fr'] });
  await store.procedures.add({
    id: 'secrete',
    title: 'Démarche d’une autre entité',
    entityId: 'autre',
    origins: ['https://b.example.gouv.fr'],
  });
  return { db, store, clock: { now: new Date(start) } };
}

const choose = (w: World, email: string, rows: Omit<MailPreference, 'entityId' | 'email'>[], entityId = 'dinum') =>
  w.store.notifications.setPreferences(rows.map((row) => ({ entityId, email, ...row })));

const deps = (w: World, store = w.store) => ({
  store,
  queue: mailQueue(store, { smtpUrl: smtp.url, from: 'JDMA <ne-pas-repondre@jdma.example.gouv.fr>', directory: '' }, () => w.clock.now),
  publicUrl: PUBLIC_URL,
  now: () => w.clock.now,
});

async function rate(
  w: World,
  satisfaction: SatisfactionAnswer = 'good',
  procedureId = 'demarche',
  comment?: string,
  placementId = 'default',
): Promise<number> {
  const id = await w.store.reviews.create({
    procedureId,
    placementId,
    satisfaction,
    lang: 'fr',
    tokenHash: randomBytes(32),
    createdAt: w.clock.now,
  });
  if (comment) await w.store.reviews.replaceFollowUps(id, { comment }, w.clock.now);
  return id;
}

const at = (w: World, offsetMs: number) => {
  w.clock.now = new Date(MONDAY.getTime() + offsetMs);
};

/** Delivers every queued mail to the SMTP server and reads them back, in queueing order. */
async function deliver(w: World) {
  const sender = mailSender({
    store: w.store,
    transport: mailTransport({ smtpUrl: smtp.url, from: 'JDMA <ne-pas-repondre@jdma.example.gouv.fr>', directory: '' }),
    now: () => w.clock.now,
    onWritten: () => {},
    onError: (error) => {
      throw error;
    },
    pollMs: 2 ** 31 - 1,
  });
  const sent = await sender.sendDue();
  await sender.stop();
  const mails = [];
  for (let i = 0; i < sent; i++) mails.push(await smtp.next());
  return mails;
}

const queued = (w: World) =>
  w.db.rows<{ recipient: string; kind: string; subject: string }>('SELECT recipient, kind, subject FROM mails ORDER BY id');

/** What every chosen mail must be: text and HTML parts, French, its unsubscribe headers, no comment text, no other entity. */
function expectChosenMail(mail: Awaited<ReturnType<typeof deliver>>[number]) {
  const { parsed } = mail;
  expect(parsed.text).toBeTruthy();
  expect(String(parsed.html)).toContain('<html lang="fr">');
  expect(parsed.headers.get('content-language')).toBe('fr');
  // mailparser reads the List-* headers (RFC 2369, RFC 8058) into one `list` entry.
  const list = parsed.headers.get('list') as unknown as { unsubscribe: { url: string }; 'unsubscribe-post': { name: string } };
  const header = `<${list.unsubscribe.url}>`;
  expect(header).toMatch(/^<https:\/\/avis\.example\.gouv\.fr\/espace\/desabonnement\?t=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+>$/);
  expect(mail.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
  for (const part of [parsed.text, String(parsed.html)]) {
    expect(part).not.toContain(SECRET_TEXT);
    expect(part).not.toContain('Démarche d’une autre entité');
    expect(part).toContain('/espace/desabonnement?t=');
  }
  return header.slice(1, -1);
}

describe('the new-review alert', () => {
  test('goes once the window has been quiet, with counts and a link, to the members who chose it only', async () => {
    const w = await world();
    await choose(w, READER, [{ kind: 'new_reviews', procedureId: 'demarche', value: 'on' }]);
    const run = alertJob(deps(w), SETTINGS);
    // The first run starts from the reviews there are.
    await rate(w);
    expect(await run()).toBe(0);
    at(w, 10_000);
    await rate(w);
    at(w, 60_000);
    await rate(w, 'bad', 'demarche', SECRET_TEXT);
    await rate(w, 'good', 'secrete');
    at(w, 200_000);
    await rate(w, 'medium');
    expect(await run()).toBe(0);
    // Each review extends the window: 5 minutes after the last one, not the first.
    at(w, 200_000 + 299_000);
    expect(await run()).toBe(0);
    at(w, 200_000 + 300_000);
    expect(await run()).toBe(1);
    expect(await run()).toBe(0);
    expect(await queued(w)).toEqual([
      { recipient: READER, kind: 'new_reviews', subject: 'Demande de passeport\u00a0: 3 nouveaux avis, dont 1 avec un commentaire' },
    ]);
    const [mail] = await deliver(w);
    expect(mail!.to).toEqual([READER]);
    expectChosenMail(mail!);
    expect(mail!.parsed.text).toContain(`${PUBLIC_URL}/espace/demarches/demarche/avis`);
  });

  test('leaves out the reviews of a test placement: an agency trying its integration is not mailed about itself', async () => {
    const w = await world();
    await w.store.procedures.addPlacement('demarche', 'essai');
    await w.store.procedures.setPlacementTest('demarche', 'essai', true);
    await choose(w, READER, [{ kind: 'new_reviews', procedureId: 'demarche', value: 'on' }]);
    const run = alertJob(deps(w), SETTINGS);
    expect(await run()).toBe(0);
    at(w, 10_000);
    await rate(w, 'good', 'demarche', SECRET_TEXT, 'essai');
    await rate(w, 'bad', 'demarche', undefined, 'essai');
    at(w, 10_000 + 300_000);
    expect(await run()).toBe(0);
    // A real review after them: the alert counts it alone.
    await rate(w, 'medium');
    at(w, 20_000 + 600_000);
    expect(await run()).toBe(1);
    expect(await queued(w)).toEqual([
      { recipient: READER, kind: 'new_reviews', subject: 'Demande de passeport\u00a0: 1 nouvel avis, dont aucun avec un commentaire' },
    ]);
  });

  test('is written in the language the member chose on « Mon compte »', async () => {
    const w = await world();
    await choose(w, READER, [{ kind: 'new_reviews', procedureId: 'demarche', value: 'on' }]);
    await w.store.members.setLang(READER, 'en');
    const run = alertJob(deps(w), SETTINGS);
    expect(await run()).toBe(0);
    await rate(w);
    at(w, 300_000);
    expect(await run()).toBe(1);
    const [mail] = await deliver(w);
    expect(mail!.parsed.headers.get('content-language')).toBe('en');
    expect(String(mail!.parsed.html)).toContain('<html lang="en">');
    expect(mail!.parsed.subject).toBe('Demande de passeport: 1 new review, none with a comment');
  });

  test('goes at most ALERT_MAX_SECONDS after the first review, however often reviews come', async () => {
    const w = await world();
    await choose(w, ADMIN, [{ kind: 'new_reviews', procedureId: 'demarche', value: 'on' }]);
    const run = alertJob(deps(w), SETTINGS);
    expect(await run()).toBe(0);
    let sentAt: number | undefined;
    for (let minutes = 1; minutes <= 130 && sentAt === undefined; minutes += 4) {
      at(w, minutes * 60_000);
      await rate(w);
      if ((await run()) === 1) sentAt = minutes;
    }
    // The first review came at minute 1: the cap closes its window at minute 121, the first run after.
    expect(sentAt).toBe(121);
    expect((await queued(w))[0]!.subject).toBe('Demande de passeport\u00a0: 31 nouveaux avis, dont aucun avec un commentaire');
  });

  test('its unsubscribe link, POSTed as a mail client does, stops this alert: the next window mails nobody', async () => {
    const w = await world();
    await choose(w, READER, [{ kind: 'new_reviews', procedureId: 'demarche', value: 'on' }]);
    const run = alertJob(deps(w), SETTINGS);
    expect(await run()).toBe(0);
    await rate(w);
    at(w, 300_000);
    expect(await run()).toBe(1);
    const link = expectChosenMail((await deliver(w))[0]!);
    const app = await buildApp({ config: testConfig({ ...w.db.options, publicUrl: PUBLIC_URL }), store: w.store, now: () => w.clock.now });
    cleanups.push(() => app.close());
    const reply = await app.inject({
      method: 'POST',
      url: link.slice(PUBLIC_URL.length),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(reply.statusCode).toBe(200);
    await rate(w);
    at(w, 900_000);
    expect(await run()).toBe(0);
    expect((await queued(w)).length).toBe(1);
  });
});

describe('the « intégration cassée » alert', () => {
  const refuse = (w: World, day: string, count: number) =>
    w.store.refusedRatings.add(
      [
        {
          procedureId: 'demarche',
          day,
          reason: 'origin_not_allowed',
          origin: 'https://nouveau.example.gouv.fr',
          placementId: 'default',
          count,
        },
      ],
      '2026-01-01',
      20,
    );

  test('goes to the admins by default when refusals pass the threshold on a day after one without, once that day', async () => {
    const w = await world();
    const run = alertJob(deps(w), SETTINGS);
    expect(await run()).toBe(0);
    await refuse(w, '2026-12-07', 4);
    at(w, 60_000);
    expect(await run()).toBe(0);
    await refuse(w, '2026-12-07', 1);
    at(w, 120_000);
    expect(await run()).toBe(1);
    at(w, 180_000);
    await refuse(w, '2026-12-07', 10);
    expect(await run()).toBe(0);
    const [mail] = await deliver(w);
    expect(mail!.to).toEqual([ADMIN]);
    expect(mail!.parsed.subject).toBe('Demande de passeport\u00a0: des notes sont refusées');
    expectChosenMail(mail!);
    expect(mail!.parsed.text).toContain('Motif principal\u00a0: origine non autorisée, depuis https://nouveau.example.gouv.fr.');
    expect(mail!.parsed.text).toContain(`${PUBLIC_URL}/espace/demarches/demarche/reglages#sante`);
  });

  test('counts the refusals of the last hour: a slow trickle over the day does not make it', async () => {
    const w = await world();
    const run = alertJob(deps(w), SETTINGS);
    expect(await run()).toBe(0);
    // 4 an hour for 3 hours: 12 today, never 5 in an hour.
    for (let hour = 0; hour < 3; hour++) {
      for (let quarter = 0; quarter < 4; quarter++) {
        at(w, hour * 3_600_000 + quarter * 900_000 + 60_000);
        await refuse(w, '2026-12-07', 1);
        expect(await run()).toBe(0);
      }
    }
    // Then 5 within the hour.
    at(w, 3 * 3_600_000 + 60_000);
    await refuse(w, '2026-12-07', 5);
    expect(await run()).toBe(1);
    expect((await queued(w)).map((mail) => mail.kind)).toEqual(['integration_broken']);
  });

  test('does not go when the procedure had refusals the day before, nor to an admin who turned it off', async () => {
    const w = await world();
    const run = alertJob(deps(w), SETTINGS);
    expect(await run()).toBe(0);
    await refuse(w, '2026-12-06', 1);
    await refuse(w, '2026-12-07', 50);
    at(w, 60_000);
    expect(await run()).toBe(0);
    const other = await world();
    await choose(other, ADMIN, [{ kind: 'integration_broken', procedureId: '', value: 'off' }]);
    const otherRun = alertJob(deps(other), SETTINGS);
    expect(await otherRun()).toBe(0);
    await refuse(other, '2026-12-07', 50);
    at(other, 60_000);
    expect(await otherRun()).toBe(0);
  });
});

describe('the level-change alert', () => {
  test('goes when the 30-day satisfaction crosses a level with enough reviews, to those who chose it', async () => {
    const w = await world();
    await choose(w, READER, [{ kind: 'level_change', procedureId: '', value: 'on' }]);
    const run = alertJob(deps(w), SETTINGS);
    for (let i = 0; i < 10; i++) await rate(w, 'good');
    // The first check records the level: nothing to compare with yet.
    expect(await run()).toBe(0);
    for (let i = 0; i < 30; i++) await rate(w, 'bad');
    // Levels are checked hourly.
    at(w, 30 * 60_000);
    expect(await run()).toBe(0);
    at(w, 60 * 60_000);
    expect(await run()).toBe(1);
    at(w, 2 * 60 * 60_000);
    expect(await run()).toBe(0);
    const [mail] = await deliver(w);
    expect(mail!.to).toEqual([READER]);
    expect(mail!.parsed.text).toContain(
      'Demande de passeport\u00a0: la satisfaction est passée du niveau «\u00a0Très bien\u00a0» au niveau «\u00a0Critique\u00a0»',
    );
    expect(mail!.parsed.text).toContain('Sur les 30 derniers jours\u00a0: 2,5/10 sur 40 avis.');
    expectChosenMail(mail!);
  });
});

describe('two collectors on one database', () => {
  test('queue each alert and each digest once', async () => {
    const w = await world();
    await choose(w, READER, [
      { kind: 'new_reviews', procedureId: 'demarche', value: 'on' },
      { kind: 'digest', procedureId: '', value: 'daily' },
    ]);
    const second = await w.db.open();
    cleanups.push(() => second.close());
    const runs = [alertJob(deps(w), SETTINGS), alertJob(deps(w, second), SETTINGS)];
    await Promise.all(runs.map((run) => run()));
    await rate(w);
    at(w, 300_000);
    const alerts = await Promise.all(runs.flatMap((run) => [run(), run()]));
    expect(alerts.reduce((a, b) => a + b, 0)).toBe(1);
    const digests = await Promise.all([digestJob(deps(w))(), digestJob(deps(w, second))(), digestJob(deps(w))()]);
    expect(digests.reduce((a, b) => a + b, 0)).toBe(1);
    // A lease that lapsed mid-run is redone by the other collector: the mails' keys keep it from queueing twice.
    await w.db.exec("UPDATE mail_jobs SET state = '{}' WHERE name = 'digests'");
    expect(await digestJob(deps(w, second))()).toBe(0);
    expect((await queued(w)).map((mail) => mail.kind)).toEqual(['new_reviews', 'digest']);
  });
});

describe('two collectors (two apps) on one database, ticking on their own', () => {
  test('send each alert and each digest once, through the outbox to the SMTP server', async () => {
    const w = await world();
    await choose(w, READER, [
      { kind: 'new_reviews', procedureId: 'demarche', value: 'on' },
      { kind: 'digest', procedureId: '', value: 'daily' },
    ]);
    const second = await w.db.open();
    cleanups.push(() => second.close());
    const config = testConfig({
      ...w.db.options,
      publicUrl: PUBLIC_URL,
      mail: { smtpUrl: smtp.url, from: 'JDMA <ne-pas-repondre@jdma.example.gouv.fr>', directory: '' },
    });
    const apps = [];
    for (const store of [w.store, second]) {
      const app = await buildApp({ config, store, now: () => w.clock.now, notificationTickMs: 50 });
      cleanups.push(() => app.close());
      await app.ready();
      apps.push(app);
    }
    // The first ticks: the day's digest goes, and the alert job records where reviews stand.
    const digest = await smtp.next();
    const initialised = async () => (await w.db.rows<{ state: string }>("SELECT state FROM mail_jobs WHERE name = 'alerts'"))[0]?.state;
    const deadline = Date.now() + 10_000;
    while (!(await initialised())?.includes('lastReviewId') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    // Then a review, and its window's end (once the digest is marked sent: a clock moved past a
    // claimed mail's lease would let the other collector send it again, as after a crash).
    while ((await w.db.rows("SELECT 1 FROM mails WHERE status = 'sent'")).length === 0) await new Promise((r) => setTimeout(r, 20));
    await rate(w);
    at(w, 300_000);
    const received = [digest, await smtp.next()];
    // Time for a second send, if there were one.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(smtp.received.length).toBe(2);
    expect(received.map((mail) => mail.to[0])).toEqual([READER, READER]);
    expect(received.map((mail) => mail.parsed.subject).sort()).toEqual([
      'DINUM\u00a0: votre synthèse le 6\u00a0décembre 2026',
      'Demande de passeport\u00a0: 1 nouvel avis, dont aucun avec un commentaire',
    ]);
    expect(await w.db.rows('SELECT kind, status FROM mails ORDER BY kind')).toEqual([
      { kind: 'digest', status: 'sent' },
      { kind: 'new_reviews', status: 'sent' },
    ]);
  });
});

describe('digests', () => {
  test('are due daily, weekly on Mondays and monthly on a month’s first Monday', () => {
    expect(duePeriods('2026-12-07').map((p) => [p.frequency, p.from, p.to])).toEqual([
      ['daily', '2026-12-06', '2026-12-06'],
      ['weekly', '2026-11-30', '2026-12-06'],
      ['monthly', '2026-11-01', '2026-11-30'],
    ]);
    expect(duePeriods('2026-12-14').map((p) => p.frequency)).toEqual(['daily', 'weekly']);
    expect(duePeriods('2026-12-08').map((p) => p.frequency)).toEqual(['daily']);
  });

  test('are written in the language each member chose, read once for the whole run', async () => {
    const w = await world();
    await choose(w, ADMIN, [{ kind: 'digest', procedureId: '', value: 'daily' }]);
    await choose(w, READER, [{ kind: 'digest', procedureId: '', value: 'daily' }]);
    await w.store.members.setLang(READER, 'en');
    expect(await digestJob(deps(w))()).toBe(2);
    const mails = await deliver(w);
    const languages = new Map(mails.map((mail) => [mail.to[0], mail.parsed.headers.get('content-language')]));
    expect(languages).toEqual(
      new Map([
        [ADMIN, 'fr'],
        [READER, 'en'],
      ]),
    );
  });

  test('give each procedure of the member’s entity its reviews, score, level, trend in words and refusals, once a period', async () => {
    const w = await world();
    await choose(w, ADMIN, [{ kind: 'digest', procedureId: '', value: 'weekly' }]);
    await choose(w, READER, [{ kind: 'digest', procedureId: '', value: 'monthly' }]);
    await choose(w, OTHER, [{ kind: 'digest', procedureId: '', value: 'daily' }], 'autre');
    w.clock.now = new Date('2026-12-03T12:00:00Z');
    for (let i = 0; i < 3; i++) await rate(w, 'good', 'demarche', i === 0 ? SECRET_TEXT : undefined);
    await rate(w, 'bad', 'secrete');
    await w.store.refusedRatings.add(
      [
        {
          procedureId: 'demarche',
          day: '2026-12-04',
          reason: 'unknown_placement',
          origin: 'https://a.example.gouv.fr',
          placementId: 'x',
          count: 2,
        },
      ],
      '2026-01-01',
      20,
    );
    w.clock.now = new Date(MONDAY);
    const run = digestJob(deps(w));
    expect(await run()).toBe(3);
    expect(await run()).toBe(0);
    const mails = await deliver(w);
    const byRecipient = new Map(mails.map((mail) => [mail.to[0], mail]));
    const weekly = byRecipient.get(ADMIN)!;
    const week = formatDayRange('fr', '2026-11-30', '2026-12-06');
    expect(weekly.parsed.subject).toBe(`DINUM\u00a0: votre synthèse sur ${week}`);
    expect(weekly.parsed.text).toContain(
      `Demande de passeport\u00a0: 3 avis sur ${week}\u00a0; note 10,0/10 (niveau «\u00a0Très bien\u00a0») sur 12 mois, tendance inconnue (trop peu d’avis)\u00a0; 2 notes refusées.`,
    );
    expectChosenMail(weekly);
    const monthly = byRecipient.get(READER)!;
    expect(monthly.parsed.subject).toBe('DINUM\u00a0: votre synthèse en novembre 2026');
    expect(monthly.parsed.text).toContain('Demande de passeport\u00a0: 0 avis en novembre 2026');
    expectChosenMail(monthly);
    const daily = byRecipient.get(OTHER)!;
    expect(daily.parsed.text).toContain('Démarche d’une autre entité\u00a0: 0 avis le 6\u00a0décembre 2026');
    expect(daily.parsed.text).not.toContain('Demande de passeport');
  });
});

describe('digests’ rising terms', () => {
  test('weekly and monthly digests name the terms rising in comments, by the insights’ rule and floor; daily ones do not', async () => {
    const w = await world();
    await choose(w, ADMIN, [{ kind: 'digest', procedureId: '', value: 'weekly' }]);
    await choose(w, READER, [{ kind: 'digest', procedureId: '', value: 'monthly' }]);
    await w.store.members.setLang(READER, 'en');
    await choose(w, OTHER, [{ kind: 'digest', procedureId: '', value: 'daily' }], 'autre');
    const places = ['mairie', 'préfecture', 'consulat', 'internet', 'téléphone', 'courrier', 'agence', 'guichet', 'poste', 'bureau'];
    // Three months before: 20 comments of the counter. Then 20 of a delay in the last days of
    // November, 4 of them naming « Zorglub » (under the floor of 5: never in a mail).
    w.clock.now = new Date('2026-09-15T12:00:00Z');
    for (let i = 0; i < 20; i++) await rate(w, 'good', 'demarche', `Accueil aimable, ${places[i % 10]} ${places[(i + 3) % 10]}`);
    w.clock.now = new Date('2026-11-25T12:00:00Z');
    for (let i = 0; i < 20; i++) {
      await rate(w, 'bad', 'demarche', `Délai interminable, ${places[i % 10]}${i < 4 ? ' Zorglub' : ''} ${places[(i + 3) % 10]}`);
    }
    await rate(w, 'bad', 'secrete', 'Délai interminable');
    await countQueuedTerms(w.store);
    w.clock.now = new Date(MONDAY);
    expect(await digestJob(deps(w), 5)()).toBe(3);
    const byRecipient = new Map((await deliver(w)).map((mail) => [mail.to[0], mail]));
    // The three terms every one of the 20 wrote, equally strong (their order is the engine's): sorted here.
    const named = (text: string | undefined, pattern: RegExp) =>
      [...(pattern.exec(text ?? '')?.[1] ?? '').matchAll(/[«“]\s?([^»”]+?)\s?[»”]/g)].map((m) => m[1]).sort();
    const weekly = byRecipient.get(ADMIN)!.parsed;
    expect(named(weekly.text, /Termes en hausse dans les commentaires\u00a0: (.+)\./)).toEqual([
      'délai',
      'délai interminable',
      'interminable',
    ]);
    expect(String(weekly.html)).toContain('Termes en hausse dans les commentaires\u00a0: «\u00a0');
    const monthly = byRecipient.get(READER)!.parsed;
    expect(named(monthly.text, /Rising terms in comments: (.+)\./)).toEqual(['délai', 'délai interminable', 'interminable']);
    for (const mail of [weekly, monthly]) expect(`${mail.text}${mail.html}`).not.toMatch(/zorglub/i);
    const daily = byRecipient.get(OTHER)!.parsed;
    expect(daily.text).not.toMatch(/hausse|délai/i);
  });
});

describe('every alert and digest, in French and English', () => {
  const links = { unsubscribe: `${PUBLIC_URL}/espace/desabonnement?t=a.b`, preferences: `${PUBLIC_URL}/espace/preferences` };
  const url = `${PUBLIC_URL}/espace/demarches/demarche`;
  const line = { procedure: 'Passeport', reviews: 12, score: 7.8, level: 'average' as const, trend: 'up' as const, refused: 3, url };
  test.each([
    [
      'fr',
      'new reviews',
      newReviewsMail('fr', { procedure: 'Passeport', reviews: 12, comments: 4, url, links }),
      'Passeport\u00a0: 12 nouveaux avis, dont 4 avec un commentaire',
    ],
    [
      'en',
      'new reviews',
      newReviewsMail('en', { procedure: 'Passeport', reviews: 12, comments: 4, url, links }),
      'Passeport: 12 new reviews, 4 with a comment',
    ],
    [
      'fr',
      'broken',
      integrationBrokenMail('fr', { procedure: 'Passeport', refused: 25, reason: 'origin_not_allowed', origin: '', url, links }),
      'Motif principal\u00a0: origine non autorisée, depuis sans origine (formulaire hébergé, script).',
    ],
    [
      'en',
      'broken',
      integrationBrokenMail('en', {
        procedure: 'Passeport',
        refused: 25,
        reason: 'origin_not_allowed',
        origin: 'https://x.example.fr',
        url,
        links,
      }),
      'Main reason: origin not allowed, from https://x.example.fr.',
    ],
    [
      'fr',
      'level',
      levelChangeMail('fr', { procedure: 'Passeport', from: 'good', to: 'average', score: 7.5, reviews: 40, url, links }),
      'Passeport\u00a0: la satisfaction est passée du niveau «\u00a0Très bien\u00a0» au niveau «\u00a0Moyen\u00a0»',
    ],
    [
      'en',
      'level',
      levelChangeMail('en', { procedure: 'Passeport', from: 'good', to: 'average', score: 7.5, reviews: 40, url, links }),
      'Passeport: satisfaction went from “Very good” to “Average”',
    ],
    [
      'fr',
      'digest',
      digestMail('fr', { entity: 'DINUM', period: 'le 6\u00a0décembre 2026', lines: [line], home: `${PUBLIC_URL}/espace`, links }),
      'Passeport\u00a0: 12 avis le 6\u00a0décembre 2026\u00a0; note 7,8/10 (niveau «\u00a0Moyen\u00a0») sur 12 mois, en hausse\u00a0; 3 notes refusées.',
    ],
    [
      'en',
      'digest',
      digestMail('en', { entity: 'DINUM', period: 'on 6 December 2026', lines: [line], home: `${PUBLIC_URL}/espace`, links }),
      'Passeport: 12 reviews on 6 December 2026; score 7.8/10 (level “Average”) over 12 months, rising; 3 refused ratings.',
    ],
  ])('%s %s: a text part and an HTML part saying it, with both footer links', (lang, _kind, mail, says) => {
    expect(mail.subject.length).toBeGreaterThan(0);
    expect(mail.text).toContain(says);
    expect(mail.html).toContain(`<html lang="${lang}">`);
    expect(mail.html).toContain(says);
    for (const href of [links.unsubscribe, links.preferences, url]) {
      expect(mail.text).toContain(href);
      expect(mail.html).toContain(`href="${href}"`);
    }
  });
});
