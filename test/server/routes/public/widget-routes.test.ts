import { gunzipSync, brotliDecompressSync, inflateSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../../../server/app.ts';
import { testConfig } from '../../../../server/config.ts';
import { ensureDemoProcedure } from '../../../../server/demo-procedure.ts';
import type { Store } from '../../../../server/store/store.ts';
import { testDatabase, type TestDatabase } from '../../../helpers/test-database.ts';
import { formBody, formFields, postRatingForm, type FormFields } from '../../../helpers/hosted-form.ts';
import { addProcedure } from '../../../helpers/procedures.ts';
import { WIDGET_LANGS } from '../../../../shared/questionnaire.ts';

// The embed's server side (SPEC §5) through app.inject(): the widget's files and their caching, the button
// image, the demo pages, and the hosted form's two POSTs (same validation and store as the API).
// Needs dist/ (npm test builds first).

const PUBLIC_URL = 'http://127.0.0.1:8080';
const NOW = new Date('2026-11-22T10:00:00Z');
let clock = NOW;
let app: FastifyInstance;
let store: Store;
let db: TestDatabase;

beforeAll(async () => {
  db = await testDatabase();
  store = await db.open();
  const config = testConfig({ ...db.options, rateLimitPerMinute: 0, ratingsPerClientPerDay: 0, publicUrl: PUBLIC_URL });
  await ensureDemoProcedure(store, config);
  app = await buildApp({ config, store, now: () => clock });
});
afterAll(async () => {
  await app.close();
  await store.close();
});

const postForm = (url: string, fields: FormFields, origin: string | undefined = PUBLIC_URL) =>
  app.inject({
    method: 'POST',
    url,
    payload: formBody(fields),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(origin && { origin }) },
  });

/** The app's clock, moved by a person's thinking time between a page and its POST. */
const thinking = { advance: (ms: number) => void (clock = new Date(clock.getTime() + ms)) };

/** A person loads the rating page at `pageUrl`, chooses, and sends it a few seconds later. */
const rateThroughForm = (pageUrl: string, fields: FormFields, origin: string | undefined = PUBLIC_URL) =>
  postRatingForm(app, thinking, pageUrl, fields, { origin });

const reviews = () => db.rows('SELECT id, placement_id, satisfaction, lang, comment FROM reviews ORDER BY id');
const answers = (id: number) =>
  db.rows('SELECT question, channel, answer FROM review_answers WHERE review_id = ? ORDER BY question, channel', id);

describe('widget files', () => {
  test('/widget.js is JavaScript, cached 5 minutes (its URL never changes), compressed when asked', async () => {
    const plain = await app.inject({ url: '/widget.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=300');
    expect(plain.headers.vary).toBe('Accept-Encoding');
    const br = await app.inject({ url: '/widget.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    const gzip = await app.inject({ url: '/widget.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(plain.body);
    const again = await app.inject({ url: '/widget.js', headers: { 'if-none-match': String(plain.headers.etag) } });
    expect(again.statusCode).toBe(304);
  });

  test('the loader names every language’s rating and problem chunk by one shared hash, each cached a year, immutable, and loadable cross-origin', async () => {
    const loader = (await app.inject({ url: '/widget.js' })).body;
    expect(loader).toContain(JSON.stringify(WIDGET_LANGS));
    expect(loader).toContain('"probleme"');
    const hash = /\/widget\/\$\{\w+\}-\$\{\w+\}-([0-9a-f]{8})\.js/.exec(loader)?.[1];
    expect(hash).toMatch(/^[0-9a-f]{8}$/);
    const chunks = WIDGET_LANGS.flatMap((lang) => [`/widget/form-${lang}-${hash}.js`, `/widget/problem-${lang}-${hash}.js`]);
    for (const chunk of chunks) {
      const reply = await app.inject({ url: chunk });
      expect(reply.statusCode).toBe(200);
      expect(reply.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(reply.headers['access-control-allow-origin']).toBe('*');
      expect(reply.body).toContain('export{');
    }
    expect((await app.inject({ url: '/widget/form-fr-NOPE.js' })).statusCode).toBe(404);
  });
});

describe('button image', () => {
  test.each([
    ['/button.svg', '#000091', 'Je donne mon avis'],
    ['/button.svg?theme=light', '#000091', 'Je donne mon avis'],
    ['/button.svg?theme=dark', '#8585f6', 'Je donne mon avis'],
    ['/button.svg?theme=dark&lang=en', '#8585f6', 'Give my feedback'],
  ])('%s is an SVG in the widget’s colours', async (url, background, label) => {
    const reply = await app.inject({ url });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(reply.body).toContain(`fill="${background}"`);
    expect(reply.body).toContain(`<title>${label}</title>`);
  });

  test.each([
    ['?theme=blue', 'theme'],
    ['?lang=de', 'lang'],
  ])('%s is a 400 naming the parameter', async (query, field) => {
    const reply = await app.inject({ url: `/button.svg${query}` });
    expect(reply.statusCode).toBe(400);
    expect(reply.json().error.details).toEqual([{ field, message: expect.any(String) }]);
  });
});

/** A PNG's header (IHDR) and its top-left pixel, read from the bytes as a mail client would. */
function readPng(bytes: Buffer): { width: number; height: number; colourType: number; topLeft: string } {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
  const idat: Buffer[] = [];
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    if (bytes.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(bytes.subarray(at + 8, at + 8 + length));
    at += length + 12;
  }
  // Byte 0 of the image data is row 0's filter; whatever the filter, row 0's first pixel is stored as is.
  const pixels = inflateSync(Buffer.concat(idat));
  const hex = (i: number) => pixels[i]!.toString(16).padStart(2, '0');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), colourType: bytes[25]!, topLeft: `#${hex(1)}${hex(2)}${hex(3)}` };
}

describe('button image as PNG, for mail clients that show no SVG', () => {
  const cases = ['light', 'dark'].flatMap((theme) => ['fr', 'en'].flatMap((lang) => [1, 2].map((scale) => ({ theme, lang, scale }))));

  test.each(cases)(
    '/button.png?theme=$theme&lang=$lang&scale=$scale is a PNG of (200 × 48) × $scale in the theme’s colour',
    async ({ theme, lang, scale }) => {
      const reply = await app.inject({ url: `/button.png?theme=${theme}&lang=${lang}&scale=${scale}` });
      expect(reply.statusCode).toBe(200);
      expect(reply.headers['content-type']).toBe('image/png');
      expect(reply.headers['cache-control']).toBe('public, max-age=2592000');
      expect(reply.headers['cross-origin-resource-policy']).toBe('cross-origin');
      const png = readPng(reply.rawPayload);
      expect(png).toEqual({ width: 200 * scale, height: 48 * scale, colourType: 6, topLeft: theme === 'light' ? '#000091' : '#8585f6' });
    },
  );

  test('without a query it is the light French button at 1×; each language has its own image', async () => {
    const plain = await app.inject({ url: '/button.png' });
    expect(plain.rawPayload).toEqual((await app.inject({ url: '/button.png?theme=light&lang=fr&scale=1' })).rawPayload);
    expect(plain.rawPayload).not.toEqual((await app.inject({ url: '/button.png?lang=en' })).rawPayload);
    const again = await app.inject({ url: '/button.png', headers: { 'if-none-match': String(plain.headers.etag) } });
    expect(again.statusCode).toBe(304);
  });

  test.each([
    ['?theme=blue', ['theme']],
    ['?lang=de', ['lang']],
    ['?scale=3', ['scale']],
    ['?scale=1.5&theme=Dark', ['theme', 'scale']],
  ])('%s is a 400 invalid_query naming %j, in the one error shape', async (query, fields) => {
    const reply = await app.inject({ url: `/button.png${query}` });
    expect(reply.statusCode).toBe(400);
    expect(reply.json()).toEqual({
      error: {
        code: 'invalid_query',
        message: expect.any(String),
        details: fields.map((field) => ({ field, message: expect.any(String) })),
      },
    });
  });
});

describe('demo pages', () => {
  test.each(['/demo', '/demo/hostile'])('%s embeds the snippet under the strict CSP of SPEC §5', async (url) => {
    const reply = await app.inject({ url });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-security-policy']).toContain(
      `default-src 'none'; script-src ${PUBLIC_URL}; connect-src ${PUBLIC_URL}; style-src ${PUBLIC_URL}`,
    );
    expect(reply.body).toContain(`<script src="${PUBLIC_URL}/widget.js" data-procedure="demo" data-placement="site" async></script>`);
    expect(reply.body).not.toMatch(/<script>|<style|style="/);
  });

  test('the hostile page’s CSS resets, hides and enlarges what a widget could rely on', async () => {
    const css = (await app.inject({ url: '/demo/hostile.css' })).body;
    expect(css).toContain('* { all: unset; }');
    expect(css).toContain('button { display: none !important; }');
  });
});

describe('hosted form', () => {
  test('GET shows the smileys for a known procedure; an unknown procedure is a 404 page', async () => {
    const page = await app.inject({ url: '/avis/demo?placement=email' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).toContain('name="satisfaction" value="bad" required');
    const missing = await app.inject({ url: '/avis/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(missing.body).toContain('Démarche introuvable');
  });

  test.each([
    ['good', ['good']],
    ['medium', ['medium']],
    ['bad', ['bad']],
    ['excellent', []],
    ['', []],
  ])('?satisfaction=%s opens the rating page with that smiley already chosen (anything else: none)', async (value, chosen) => {
    const page = await app.inject({ url: `/avis/demo?placement=site&lang=fr&satisfaction=${value}` });
    expect(page.statusCode).toBe(200);
    expect([...page.body.matchAll(/name="satisfaction" value="(\w+)"[^>]*\bchecked/g)].map((match) => match[1])).toEqual(chosen);
  });

  test('every hosted-form page says the answers are anonymous, with a link to the privacy page in its language', async () => {
    for (const lang of ['fr', 'en'] as const) {
      const page = await app.inject({ url: `/avis/demo?lang=${lang}` });
      const text = lang === 'fr' ? 'Vos réponses sont anonymes' : 'Your answers are anonymous';
      expect(page.body).toContain(`<a href="/confidentialite?lang=${lang}" target="_blank">${text}</a>`);
    }
  });

  test('a link with a placement the procedure does not list is never turned away: stored under default, and counted', async () => {
    const page = await app.inject({ url: '/avis/demo?placement=courrier-2026' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="placement" value="courrier-2026"');
    const before = (await reviews()).length;
    const reply = await rateThroughForm('/avis/demo?placement=courrier-2026', { satisfaction: 'medium' });
    expect(reply.statusCode).toBe(201);
    expect(await reviews()).toHaveLength(before + 1);
    expect((await reviews()).at(-1)).toMatchObject({ placement_id: 'default', satisfaction: 'medium' });
    await expect
      .poll(() => db.rows("SELECT reason, placement_id, count FROM refused_ratings WHERE procedure_id = 'demo'"), { timeout: 3000 })
      .toEqual([{ reason: 'placement_defaulted', placement_id: 'courrier-2026', count: 1 }]);
  });

  test('an archived procedure’s link says it no longer collects feedback (410), and its form stores nothing', async () => {
    await addProcedure(store, { id: 'ancienne', title: 'Ancienne démarche', entity: 'Test', origins: [] });
    await store.procedures.setArchived('ancienne', true);
    const page = await app.inject({ url: '/avis/ancienne?lang=en' });
    expect(page.statusCode).toBe(410);
    expect(page.body).toContain('no longer collects feedback');
    const before = await db.snapshot();
    const reply = await postForm('/avis/ancienne', { satisfaction: 'good' });
    expect(reply.statusCode).toBe(410);
    expect(reply.body).toContain('ne recueille plus d’avis');
    expect(await db.snapshot()).toEqual(before);
  });

  test('POST stores the hot rating (as the API does) and answers with the follow-up form, carrying the token', async () => {
    const before = (await reviews()).length;
    const reply = await rateThroughForm('/avis/demo?placement=email&lang=en', { satisfaction: 'good' });
    expect(reply.statusCode).toBe(201);
    expect(reply.headers['cache-control']).toBe('no-store');
    const stored = await reviews();
    expect(stored).toHaveLength(before + 1);
    expect(stored.at(-1)).toMatchObject({ placement_id: 'email', satisfaction: 'good', lang: 'en' });
    expect(reply.body).toMatch(/<input type="hidden" name="token" value="[\w-]{43}">/);
  });

  test('reloading the posted rating form (same form key) does not count the rating twice', async () => {
    const { fields: shown } = formFields((await app.inject({ url: '/avis/demo?placement=email' })).body);
    const before = (await reviews()).length;
    thinking.advance(3000);
    const first = await postForm('/avis/demo', { ...shown, satisfaction: 'bad' });
    expect(first.statusCode).toBe(201);
    const reload = await postForm('/avis/demo', { ...shown, satisfaction: 'bad' });
    expect(reload.statusCode).toBe(200);
    expect(reload.body).toContain('Votre avis a déjà été enregistré');
    expect(await reviews()).toHaveLength(before + 1);
    const other = formFields((await app.inject({ url: '/avis/demo' })).body).fields;
    expect(other.form_key).not.toBe(shown.form_key);
    thinking.advance(3000);
    expect((await postForm('/avis/demo', { ...other, satisfaction: 'bad' })).statusCode).toBe(201);
    expect(await reviews()).toHaveLength(before + 2);
  });

  test.each([
    ['no smiley', { placement: 'email' }, undefined, 400],
    ['an unknown answer', { satisfaction: 'great' }, undefined, 400],
    ['another site’s page', { satisfaction: 'good' }, 'https://evil.example', 403],
  ])('a rating POST with %s stores nothing (%s → %i)', async (_name, fields, origin, status) => {
    const before = await db.snapshot();
    const reply = await rateThroughForm('/avis/demo?placement=email', fields, origin ?? PUBLIC_URL);
    expect(reply.statusCode).toBe(status);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(await db.snapshot()).toEqual(before);
  });

  test.each([
    ['/avis/demo', { satisfaction: { not: 'a string' } }],
    ['/avis/demo/1', { token: { a: 1 }, comment: { b: 2 }, help_other: 3 }],
  ])('a JSON body to %s is refused with 415 (forms post form-encoded strings), storing nothing', async (url, body) => {
    const before = await db.snapshot();
    for (const type of ['application/json', 'text/plain']) {
      const reply = await app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': type, origin: PUBLIC_URL },
        payload: JSON.stringify(body),
      });
      expect(reply.statusCode).toBe(415);
      expect(reply.json().error.code).toBe('unsupported_media_type');
    }
    expect(await db.snapshot()).toEqual(before);
  });

  async function rated(): Promise<{ id: number; token: string }> {
    const reply = await rateThroughForm('/avis/demo', { satisfaction: 'medium' });
    const [, id] = /action="\/avis\/demo\/(\d+)"/.exec(reply.body)!;
    const [, token] = /name="token" value="([^"]+)"/.exec(reply.body)!;
    return { id: Number(id), token: token! };
  }

  test('the follow-up POST goes through the API’s rules, and answers to questions not shown are not answers', async () => {
    const { id, token } = await rated();
    const reply = await postForm(`/avis/demo/${id}`, {
      token,
      action: 'send',
      clarity: '5',
      help_sought: ['phone', 'relative'],
      reached_phone: 'yes',
      quality_phone: '3',
      // Answered, then the channel was unticked: hidden by the page, so not an answer.
      reached_email: 'no',
      quality_chat: '1',
      help_other: 'ignored without «\u00a0Autre\u00a0»',
      comment: '  Merci  ',
    });
    expect(reply.statusCode).toBe(200);
    expect(reply.body).toContain('Merci pour votre aide\u00a0!');
    expect(await answers(id)).toEqual([
      { question: 'clarity', channel: '', answer: '5' },
      { question: 'help_quality', channel: 'phone', answer: '3' },
      { question: 'help_reached', channel: 'phone', answer: 'yes' },
      { question: 'help_sought', channel: '', answer: 'phone' },
      { question: 'help_sought', channel: '', answer: 'relative' },
    ]);
    expect((await reviews()).find((review) => (review as { id: number }).id === id)).toMatchObject({ comment: 'Merci' });
  });

  test.each([
    ['none with another channel', { help_sought: ['none', 'chat'] }, 'help_sought'],
    ['a clarity out of 1..5', { clarity: '9' }, 'clarity'],
    ['an unknown channel', { help_sought: ['pigeon'] }, 'help_sought'],
    ['a comment over 3,000 characters', { comment: 'x'.repeat(3001) }, 'comment'],
  ])('a follow-up POST with %s is a 400 page pointing at the field, storing nothing', async (_name, fields, field) => {
    const { id, token } = await rated();
    const before = await db.snapshot();
    const reply = await postForm(`/avis/demo/${id}`, { token, action: 'send', ...fields });
    expect(reply.statusCode).toBe(400);
    expect(reply.body).toContain(`<a href="#${field}">`);
    expect(await db.snapshot()).toEqual(before);
  });

  test('a wrong token is refused (403); « Passer ces questions » stores nothing; after one hour it is too late (410)', async () => {
    const { id, token } = await rated();
    expect((await postForm(`/avis/demo/${id}`, { token: 'x'.repeat(43), clarity: '3' })).statusCode).toBe(403);
    expect((await postForm(`/avis/demo/${id}`, { token, clarity: '3', action: 'skip' })).statusCode).toBe(200);
    expect(await answers(id)).toEqual([]);
    thinking.advance(61 * 60 * 1000);
    const late = await postForm(`/avis/demo/${id}`, { token, clarity: '3', action: 'send' });
    expect(late.statusCode).toBe(410);
    expect(await answers(id)).toEqual([]);
  });

  test('a follow-up POST for another procedure’s review, or no review, is a 404 page', async () => {
    const { id, token } = await rated();
    await addProcedure(store, { id: 'autre', title: 'Autre', entity: 'Test', origins: [] });
    expect((await postForm(`/avis/autre/${id}`, { token, clarity: '3' })).statusCode).toBe(404);
    expect((await postForm('/avis/demo/999999', { token, clarity: '3' })).statusCode).toBe(404);
  });
});

describe('hosted form: a post that does not come from a person reading the page', () => {
  const refusedCount = (reason: string) =>
    db
      .rows<{ count: number }>("SELECT count FROM refused_ratings WHERE procedure_id = 'demo' AND reason = ?", reason)
      .then((rows) => rows[0]?.count ?? 0);

  test('the rating page carries a signed render time and a honeypot that no person can see or reach', async () => {
    const page = (await app.inject({ url: '/avis/demo' })).body;
    const { fields } = formFields(page);
    expect(fields.rendered_at).toBe(String(clock.getTime()));
    expect(fields.signature).toMatch(/^[\w-]{43}$/);
    expect(fields.website).toBe('');
    expect(page).toContain(
      '<div hidden aria-hidden="true"><label>Laissez ce champ vide <input type="text" name="website" value="" tabindex="-1" autocomplete="off"></label></div>',
    );
  });

  const refusals: { name: string; reason: string; post: (shown: Record<string, string>) => { fields: FormFields; thinkMs: number } }[] = [
    {
      name: 'the honeypot filled in',
      reason: 'honeypot',
      post: (shown) => ({ fields: { ...shown, website: 'https://spam.example' }, thinkMs: 5000 }),
    },
    { name: 'sent back 1.9 s after the page was shown', reason: 'form_too_fast', post: (shown) => ({ fields: shown, thinkMs: 1900 }) },
    {
      name: 'no render time nor signature (never loaded the page)',
      reason: 'form_signature_invalid',
      post: ({ rendered_at: _r, signature: _s, ...rest }) => ({ fields: rest, thinkMs: 5000 }),
    },
    {
      name: 'a render time moved back',
      reason: 'form_signature_invalid',
      post: (shown) => ({ fields: { ...shown, rendered_at: String(Number(shown.rendered_at) - 60_000) }, thinkMs: 0 }),
    },
    {
      name: 'the signature of another form key',
      reason: 'form_signature_invalid',
      post: (shown) => ({ fields: { ...shown, form_key: '00000000-0000-4000-8000-000000000000' }, thinkMs: 5000 }),
    },
  ];

  test.each(refusals)(
    '$name → 400 « Merci de confirmer votre avis », choice kept, counted as $reason, nothing stored; sending again works',
    async ({ reason, post }) => {
      const { fields: shown } = formFields((await app.inject({ url: '/avis/demo?placement=email' })).body);
      const { fields, thinkMs } = post(shown);
      const before = await db.snapshot();
      const counted = await refusedCount(reason);
      thinking.advance(thinkMs);
      const refused = await postForm('/avis/demo', { ...fields, satisfaction: 'medium' });
      expect(refused.statusCode).toBe(400);
      expect(refused.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(refused.body).toContain('Merci de confirmer votre avis');
      expect(refused.body).toContain('name="satisfaction" value="medium" required checked');
      expect(await db.snapshot()).toEqual(before);
      await expect.poll(() => refusedCount(reason), { timeout: 3000 }).toBe(counted + 1);

      // The page sent back is a fresh, signed form: a person simply sends it again.
      const again = formFields(refused.body);
      expect(again.action).toBe('/avis/demo');
      expect(again.fields).toMatchObject({ placement: 'email', website: '', rendered_at: String(clock.getTime()) });
      thinking.advance(2500);
      const confirmed = await postForm('/avis/demo', { ...again.fields, satisfaction: 'medium' });
      expect(confirmed.statusCode).toBe(201);
      expect((await reviews()).at(-1)).toMatchObject({ placement_id: 'email', satisfaction: 'medium' });
    },
  );

  test('a page opened with its smiley chosen (the widget’s fallback link) is sent in one tap: no 2-second rule for that smiley', async () => {
    const before = (await reviews()).length;
    const reply = await postRatingForm(
      app,
      thinking,
      '/avis/demo?placement=site&lang=fr&satisfaction=good',
      { satisfaction: 'good' },
      {
        thinkMs: 0,
      },
    );
    expect(reply.statusCode).toBe(201);
    expect(await reviews()).toHaveLength(before + 1);
    expect((await reviews()).at(-1)).toMatchObject({ placement_id: 'site', satisfaction: 'good' });
  });

  const oneTapRefusals: { name: string; reason: string; url: string; fields: (shown: Record<string, string>) => FormFields }[] = [
    {
      name: 'another smiley than the one chosen, sent at once',
      reason: 'form_too_fast',
      url: '/avis/demo?placement=email&satisfaction=good',
      fields: (shown) => ({ ...shown, satisfaction: 'bad' }),
    },
    {
      name: 'a chosen smiley claimed by a page shown without one',
      reason: 'form_signature_invalid',
      url: '/avis/demo?placement=email',
      fields: (shown) => ({ ...shown, preset: 'good', satisfaction: 'good' }),
    },
    {
      name: 'the honeypot filled in on a page with its smiley chosen',
      reason: 'honeypot',
      url: '/avis/demo?placement=email&satisfaction=good',
      fields: (shown) => ({ ...shown, website: 'https://spam.example' }),
    },
  ];

  test.each(oneTapRefusals)(
    '$name → 400 « Merci de confirmer votre avis », counted as $reason, nothing stored',
    async ({ reason, url, fields }) => {
      const { fields: shown } = formFields((await app.inject({ url })).body);
      const before = await db.snapshot();
      const counted = await refusedCount(reason);
      const refused = await postForm('/avis/demo', fields(shown));
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain('Merci de confirmer votre avis');
      expect(await db.snapshot()).toEqual(before);
      await expect.poll(() => refusedCount(reason), { timeout: 3000 }).toBe(counted + 1);
    },
  );

  test('in English the page asks to confirm in English', async () => {
    const { fields } = formFields((await app.inject({ url: '/avis/demo?lang=en' })).body);
    const refused = await postForm('/avis/demo', { ...fields, satisfaction: 'good' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Please confirm your feedback');
    expect(refused.body).toContain('<html lang="en">');
  });
});
