// French typography on the rendered pages: a non-breaking space (U+00A0) before « : ; ? ! » and
// inside « », so that no line of a French page starts with a lone colon, question mark or guillemet,
// and between a number's groups of thousands (« 1 000 »), so that no number is cut in two.
// The pages are read as a browser gets them, through the app, for a visitor and for an agent.
import { afterEach, describe, expect, test } from 'vitest';
import { ADMIN_A, type AgencyWorld, agencyWorld, ORIGIN_A } from '../../helpers/agency-world.ts';

let world: AgencyWorld;
afterEach(async () => world?.close());

/** What a reader sees or hears: the text between tags and the attributes read aloud or shown. */
function readable(body: string): string[] {
  const page = body.replace(/<(style|script)\b[^>]*>[\s\S]*?<\/\1>/g, '');
  const attributes = [...page.matchAll(/\s(?:title|aria-label|alt|placeholder|content)="([^"]*)"/g)].map((match) => match[1]!);
  const text = page.replace(/<[^>]*>/g, '');
  return [text, ...attributes];
}

/** Each place where an ordinary space or line break stands where French wants a non-breaking one. */
function breakableSpaces(body: string): string[] {
  return readable(body).flatMap((text) =>
    // The context is the word before (\S stops at any space, a non-breaking one included).
    // A number's groups of thousands too (« 1 000 ») keep together, as formatCount writes them.
    [...text.matchAll(/\S{0,30}(?:[ \t\r\n]+[:;?!»]|«[ \t\r\n]+|\d[ \t\r\n]+\d{3}(?!\d))/g)].map((match) =>
      match[0].replace(/\s+/g, ' ').trim(),
    ),
  );
}

const PUBLIC_PAGES = [
  '/',
  '/observatoire',
  '/avis/demarche-a',
  '/confidentialite',
  '/accessibilite',
  '/espace/connexion',
  '/api/docs',
  ...['avis', 'flux', 'compte', 'demarches', 'resultats', 'tri', 'administration', 'exploitation', 'documentation', 'schemas'].map(
    (group) => `/api/docs/${group}`,
  ),
];
const SPACE_PAGES = [
  '/espace',
  '/espace/demarches/demarche-a',
  '/espace/demarches/demarche-a/avis',
  '/espace/demarches/demarche-a/reglages',
  '/espace/entites/ministere-a/membres',
  '/espace/compte',
];

describe('French pages keep their punctuation on the line of the word before it', () => {
  test('the finder sees an ordinary space before a colon, a question mark and inside guillemets', () => {
    expect(breakableSpaces('<p>Note : <strong>bien</strong> ?</p><p title="« x»">«\u00a0y\u00a0»</p>')).toEqual(['Note :', 'bien ?', '«']);
    expect(breakableSpaces('<p>Note\u00a0: 10\u00a0h\u00a030, «\u00a0y\u00a0» https://a.fr/?x=1</p><style>a :hover {}</style>')).toEqual(
      [],
    );
    expect(breakableSpaces('<p>au plus 1 000 avis, 12 345 678 notes</p>')).toEqual(['1 000', '12 345']);
    expect(breakableSpaces('<p>1\u00a0000 avis, 12\u202f345 notes, de 1 à 5, le 7 déc. 2026, 5 2026</p>')).toEqual([]);
  });

  test('public pages and agency pages, in French, write a non-breaking space before « : ; ? ! » and inside « »', async () => {
    world = await agencyWorld({ rateLimitPerMinute: 0, ratingsPerClientPerDay: 0 });
    const rated = await world.inject({
      method: 'POST',
      url: '/api/v1/reviews',
      headers: { 'content-type': 'application/json', origin: ORIGIN_A },
      payload: { procedure: 'demarche-a', placement: 'site', satisfaction: 'good' },
    });
    expect(rated.statusCode, rated.body).toBe(201);
    const { cookie } = await world.session(ADMIN_A);
    const found: Record<string, string[]> = {};
    for (const url of [...PUBLIC_PAGES, ...SPACE_PAGES]) {
      const reply = await world.inject({ url, headers: SPACE_PAGES.includes(url) ? { cookie } : {} });
      expect(reply.statusCode, url).toBe(200);
      expect(reply.headers['content-type'], url).toContain('text/html');
      expect(reply.body, url).toContain('<html lang="fr"');
      const spaces = breakableSpaces(reply.body);
      if (spaces.length > 0) found[url] = spaces;
    }
    expect(found).toEqual({});
  });
});
