import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { ADMIN_A, ADMIN_B, type AgencyWorld, agencyWorld, csrfTokenOf, READER_A } from '../../helpers/agency-world.ts';
import { smtpListener, type SmtpListener } from '../../helpers/smtp-listener.ts';

// The language a member chooses for their mails (SPEC §8), on both engines: set on /espace/compte,
// kept for the address in every entity, and the language of the sign-in, invitation and access
// request mails that reach a real SMTP server.

let smtp: SmtpListener;
beforeAll(async () => {
  smtp = await smtpListener();
});
afterAll(async () => smtp?.stop());

const worlds: AgencyWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
  await new Promise((resolve) => setTimeout(resolve, 50));
  smtp.clear();
});

async function world(): Promise<AgencyWorld> {
  const w = await agencyWorld({
    signupDomains: ['example.gouv.fr'],
    mail: { smtpUrl: smtp.url, from: 'JDMA <ne-pas-repondre@jdma.example.gouv.fr>', directory: '/tmp' },
  });
  worlds.push(w);
  return w;
}

const urlencoded = { 'content-type': 'application/x-www-form-urlencoded' };

async function signedIn(w: AgencyWorld, email: string) {
  const { cookie } = await w.session(email);
  return { cookie, csrf: await csrfTokenOf(w, cookie) };
}

const chooseLang = (w: AgencyWorld, as: { cookie: string; csrf: string }, lang: string, csrf = as.csrf) =>
  w.inject({
    method: 'POST',
    url: '/espace/compte/langue',
    headers: { cookie: as.cookie, ...urlencoded },
    payload: new URLSearchParams({ _csrf: csrf, lang }).toString(),
  });

test('French until chosen; chosen on /espace/compte, English reaches the member in sign-in, invitation and access request mails', async () => {
  const w = await world();
  await w.store.members.put({ entityId: 'ministere-b', email: READER_A, role: 'reader' });
  const reader = await signedIn(w, READER_A);
  const page = await w.inject({ url: '/espace/compte', headers: { cookie: reader.cookie } });
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('<input type="radio" id="langue-fr" name="lang" value="fr" checked>');
  expect((await w.inject({ url: '/espace', headers: { cookie: reader.cookie } })).body).toContain('href="/espace/compte"');

  const saved = await chooseLang(w, reader, 'en');
  expect(saved.statusCode).toBe(303);
  expect(saved.headers.location).toBe('/espace/compte?fait=langue');
  expect((await w.inject({ url: saved.headers.location!, headers: { cookie: reader.cookie } })).body).toContain('Langue enregistrée');
  // One choice per address: every entity's row holds it.
  expect(await w.db.rows('SELECT entity_id, lang FROM members WHERE email = ? ORDER BY entity_id', READER_A)).toEqual([
    { entity_id: 'ministere-a', lang: 'en' },
    { entity_id: 'ministere-b', lang: 'en' },
  ]);

  // Asked from the French sign-in page, the link comes in English, and opens the English pages.
  await w.inject({ method: 'POST', url: '/espace/connexion', headers: urlencoded, payload: `email=${encodeURIComponent(READER_A)}` });
  const signIn = await smtp.next();
  expect(signIn.parsed.subject).toBe('Your sign-in link to the agency space');
  expect(String(signIn.parsed.html)).toContain('<html lang="en">');
  expect(signIn.parsed.text).toMatch(/\/espace\/lien\/[A-Za-z0-9_-]+\?lang=en/);

  // Made admin of a third entity, the invitation is in English too.
  await w.store.entities.add({ id: 'ministere-c', name: 'Ministère C' });
  await w.store.members.put({ entityId: 'ministere-c', email: ADMIN_B, role: 'admin' });
  const admin = await signedIn(w, ADMIN_B);
  const added = await w.inject({
    method: 'POST',
    url: '/api/v1/entities/ministere-c/members',
    headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
    payload: { email: READER_A, role: 'admin' },
  });
  expect(added.statusCode).toBe(201);
  expect((await smtp.next()).parsed.subject).toBe('Invitation to the agency space: Ministère C');

  // An admin who chose English gets access requests in English; one who did not, in French.
  await chooseLang(w, await signedIn(w, ADMIN_A), 'en');
  await w.inject({
    method: 'POST',
    url: '/espace/connexion/demande',
    headers: urlencoded,
    payload: new URLSearchParams({ email: 'agent@a.example.gouv.fr', entity: 'ministere-a' }).toString(),
  });
  expect((await smtp.next()).parsed.subject).toBe('Access request to Ministère A');
  await w.inject({
    method: 'POST',
    url: '/espace/connexion/demande',
    headers: urlencoded,
    payload: new URLSearchParams({ email: 'agent@a.example.gouv.fr', entity: 'ministere-b' }).toString(),
  });
  expect((await smtp.next()).parsed.subject).toBe('Demande d’accès à l’entité «\u00a0Ministère B\u00a0»');
});

test('a language that is neither fr nor en, or a form without its CSRF token: refused, nothing stored', async () => {
  const w = await world();
  const reader = await signedIn(w, READER_A);
  const before = await w.db.snapshot();
  for (const lang of ['', 'de', 'EN', 'fr,en']) {
    const reply = await chooseLang(w, reader, lang);
    expect(reply.statusCode).toBe(400);
    expect(reply.body).toContain('Choisissez le français ou l’anglais.');
  }
  const forged = await chooseLang(w, reader, 'en', 'x');
  expect(forged.statusCode).toBe(403);
  const signedOut = await w.inject({ method: 'POST', url: '/espace/compte/langue', headers: urlencoded, payload: 'lang=en' });
  expect(signedOut.statusCode).toBe(401);
  expect(await w.db.snapshot()).toEqual(before);
});
