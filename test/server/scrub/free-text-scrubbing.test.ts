import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { buildApp } from '../../../server/app.ts';
import { testConfig } from '../../../server/config.ts';
import { scrubFreeText } from '../../../server/scrub/scrub.ts';
import type { Store } from '../../../server/store/store.ts';
import { LIMITS, type Lang } from '../../../shared/questionnaire.ts';
import { postRatingForm } from '../../helpers/hosted-form.ts';
import { testDatabase, type TestDatabase } from '../../helpers/test-database.ts';
import { addProcedure } from '../../helpers/procedures.ts';

// Personal data never reaches the database: free text posted through the API or the hosted form is
// stored with placeholders in the review's language, and the size limits apply to what was typed.

const COLLECTOR = 'http://127.0.0.1:8080';
const AGENCY = 'https://passeport.example.gouv.fr';

let store: Store;
let app: FastifyInstance;
let db: TestDatabase;
let clock: Date;

beforeEach(async () => {
  db = await testDatabase();
  store = await db.open();
  clock = new Date('2026-11-22T10:00:00Z');
  app = await buildApp({ config: testConfig({ ...db.options, publicUrl: COLLECTOR, rateLimitPerMinute: 0 }), store, now: () => clock });
  await addProcedure(store, {
    id: 'demande-passeport',
    title: 'Demande de passeport',
    entity: 'Ministère de l’Intérieur',
    origins: [AGENCY],
  });
});

afterEach(async () => {
  await app.close();
  await store.close();
});

/** The stored free text, read from the database file by a connection of its own. */
const storedText = async (id: number) =>
  (await db.rows<{ comment: string | null; help_other: string | null }>('SELECT comment, help_other FROM reviews WHERE id = ?', id))[0]!;

const COMMENT = 'Bonjour, je m’appelle Sophie Lemaire, rappelez-moi au 06 12 34 56 78 ou à sophie.lemaire@gmail.com.';
const HELP_OTHER = 'M. Dupont de l’association (06.45.78.12.90, dupont.asso@orange.fr)';
const ORIGINALS = ['Sophie Lemaire', '06 12 34 56 78', 'sophie.lemaire@gmail.com', 'Dupont', '06.45.78.12.90', 'dupont.asso@orange.fr'];

const EXPECTED: Record<Lang, { comment: string; help_other: string }> = {
  fr: {
    comment: 'Bonjour, je m’appelle [nom], rappelez-moi au [numéro de téléphone] ou à [adresse e-mail].',
    help_other: 'M. [nom] de l’association ([numéro de téléphone], [adresse e-mail])',
  },
  en: {
    comment: 'Bonjour, je m’appelle [name], rappelez-moi au [phone number] ou à [email address].',
    help_other: 'M. [name] de l’association ([phone number], [email address])',
  },
};

async function rateThroughApi(lang: Lang): Promise<{ id: number; token: string }> {
  const reply = await app.inject({
    method: 'POST',
    url: '/api/v1/reviews',
    headers: { 'content-type': 'application/json', origin: AGENCY },
    payload: { procedure: 'demande-passeport', satisfaction: 'bad', lang },
  });
  expect(reply.statusCode).toBe(201);
  return reply.json();
}

const followUpThroughApi = (id: number, token: string, answers: Record<string, unknown>) =>
  app.inject({
    method: 'POST',
    url: `/api/v1/reviews/${id}`,
    headers: { 'content-type': 'text/plain;charset=UTF-8', origin: AGENCY },
    payload: JSON.stringify({ token, answers }),
  });

const postForm = (url: string, fields: Record<string, string>) =>
  app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: COLLECTOR },
    payload: new URLSearchParams(fields).toString(),
  });

async function rateThroughHostedForm(lang: Lang): Promise<{ id: number; token: string }> {
  // The person takes a few seconds to choose, on the app's clock (the form refuses a faster post).
  const thinking = { advance: (ms: number) => void (clock = new Date(clock.getTime() + ms)) };
  const reply = await postRatingForm(app, thinking, `/avis/demande-passeport?lang=${lang}`, { satisfaction: 'bad' }, { origin: COLLECTOR });
  expect(reply.statusCode).toBe(201);
  const [, id] = /action="\/avis\/demande-passeport\/(\d+)"/.exec(reply.body)!;
  const [, token] = /name="token" value="([^"]+)"/.exec(reply.body)!;
  return { id: Number(id), token: token! };
}

describe('free text is stored scrubbed, with placeholders in the review’s language', () => {
  test.each(['fr', 'en'] as const)('through the API (review in %s)', async (lang) => {
    const { id, token } = await rateThroughApi(lang);
    const reply = await followUpThroughApi(id, token, { help_sought: ['other'], help_other: HELP_OTHER, comment: COMMENT });
    expect(reply.statusCode).toBe(200);
    const stored = await storedText(id);
    expect(stored).toEqual(EXPECTED[lang]);
    for (const original of ORIGINALS) expect(JSON.stringify(stored)).not.toContain(original);
  });

  // The follow-up page is posted in French here while the rating was given in the other
  // language: the placeholders follow the review, not the page that carried the text.
  test.each(['fr', 'en'] as const)('through the hosted form (review in %s)', async (lang) => {
    const { id, token } = await rateThroughHostedForm(lang);
    const reply = await postForm(`/avis/demande-passeport/${id}`, {
      token,
      action: 'send',
      lang: 'fr',
      help_sought: 'other',
      help_other: HELP_OTHER,
      comment: COMMENT,
    });
    expect(reply.statusCode).toBe(200);
    const stored = await storedText(id);
    expect(stored).toEqual(EXPECTED[lang]);
    for (const original of ORIGINALS) expect(JSON.stringify(stored)).not.toContain(original);
  });
});

describe('size limits apply to what was typed, and the scrubbed text is stored whole', () => {
  // 3,000 characters of e-mail addresses: each placeholder is longer than the address it replaces.
  const unit = 'a.b@c.fr ';
  const atLimit = `${unit.repeat(Math.ceil(LIMITS.comment / unit.length)).slice(0, LIMITS.comment - 1)}.`;

  test('a comment of exactly the limit is accepted, and stored whole even when its placeholders make it longer', async () => {
    expect(atLimit).toHaveLength(LIMITS.comment);
    const { id, token } = await rateThroughApi('fr');
    expect((await followUpThroughApi(id, token, { comment: atLimit })).statusCode).toBe(200);
    const { comment } = await storedText(id);
    expect(comment).toBe(scrubFreeText(atLimit, 'fr'));
    expect(comment!.length).toBeGreaterThan(LIMITS.comment);
    expect(comment).not.toContain('@');
  });

  test('a comment one character over the limit is refused before any scrubbing could shorten it', async () => {
    // Scrubbed, this text would be shorter than the limit (an IBAN is longer than « [IBAN] »): the
    // refusal proves the original is what is measured.
    const unit = 'IBAN FR76 3000 6000 0112 3456 7890 189 ';
    const over = unit.repeat(Math.ceil((LIMITS.comment + 1) / unit.length)).slice(0, LIMITS.comment + 1);
    expect(scrubFreeText(over, 'fr').length).toBeLessThan(over.length);
    const { id, token } = await rateThroughApi('fr');
    const reply = await followUpThroughApi(id, token, { comment: over });
    expect(reply.statusCode).toBe(400);
    expect(reply.json().error.details.map((d: { field: string }) => d.field)).toEqual(['answers.comment']);
    expect(await storedText(id)).toEqual({ comment: null, help_other: null });
  });

  test('help_other at its limit is stored whole, scrubbed', async () => {
    const helpOther = `${'tel 0612345678 '.repeat(16)}merci bien`;
    expect(helpOther).toHaveLength(LIMITS.helpOther);
    const { id, token } = await rateThroughHostedForm('en');
    const reply = await postForm(`/avis/demande-passeport/${id}`, { token, action: 'send', help_sought: 'other', help_other: helpOther });
    expect(reply.statusCode).toBe(200);
    const stored = (await storedText(id)).help_other!;
    expect(stored).toBe(scrubFreeText(helpOther, 'en'));
    expect(stored.length).toBeGreaterThan(LIMITS.helpOther);
    expect(stored).not.toMatch(/\d/);
  });
});
