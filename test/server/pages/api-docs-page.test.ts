import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../../server/app.ts';
import { testConfig } from '../../../server/config.ts';
import { ensureDemoProcedure } from '../../../server/demo-procedure.ts';
import { compactJson } from '../../../server/pages/api-docs-json.ts';
import type { Store } from '../../../server/store/store.ts';
import { testDatabase } from '../../helpers/test-database.ts';

// /api/docs is an index and one page per group of operations; each group's page prints each
// distinct schema once, the shared parts and the error shape once on /api/docs/schemas: the pages
// stay complete (every operation, schema and error code of the document can be read on them) while
// each stays small.

interface Schema {
  description?: string;
  properties?: Record<string, Schema>;
  enum?: unknown[];
}
interface Doc {
  paths: Record<
    string,
    Record<
      string,
      {
        requestBody?: { content: Record<string, { schema?: Schema }> };
        responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
      }
    >
  >;
}

let app: FastifyInstance;
let store: Store;
let doc: Doc;
/** By language: the index, the shared-schemas page and each group's page, as the index links to them. */
const sites: Record<string, { index: string; schemas: string; groups: Map<string, string> }> = {};
const LANGS = [
  ['fr', ''],
  ['en', '?lang=en'],
] as const;

beforeAll(async () => {
  const db = await testDatabase();
  store = await db.open();
  const config = testConfig({ ...db.options, rateLimitPerMinute: 0 });
  await ensureDemoProcedure(store, config);
  app = await buildApp({ config, store });
  doc = (await app.inject({ url: '/api/v1/openapi.json' })).json();
  for (const [lang, query] of LANGS) {
    const index = (await app.inject({ url: `/api/docs${query}` })).body;
    const groups = new Map<string, string>();
    const hrefs = new Set([...index.matchAll(/href="(\/api\/docs\/[a-z]+)[^"#]*"/g)].map(([, href]) => href!));
    for (const href of hrefs) {
      const reply = await app.inject({ url: `${href}${query}` });
      expect(reply.statusCode).toBe(200);
      groups.set(href, reply.body);
    }
    const schemas = groups.get('/api/docs/schemas')!;
    groups.delete('/api/docs/schemas');
    sites[lang] = { index, schemas, groups };
  }
});
afterAll(async () => {
  await app?.close();
  await store?.close();
});

const fromHtml = (text: string) =>
  text
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** Every schema of a body or a reply in the document, error replies apart. */
function documentSchemas(): { schemas: Schema[]; errorCodes: Set<string> } {
  const schemas: Schema[] = [];
  const errorCodes = new Set<string>();
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item)) {
      const media = [
        ...Object.values(op.requestBody?.content ?? {}),
        ...Object.values(op.responses).flatMap((r) => Object.values(r.content ?? {})),
      ];
      for (const { schema } of media) {
        if (!schema || Object.keys(schema).length === 0) continue;
        const code = schema.properties?.error?.properties?.code;
        if (Object.keys(schema.properties ?? {}).join() === 'error' && code)
          for (const value of code.enum ?? []) errorCodes.add(String(value));
        else schemas.push(schema);
      }
    }
  }
  return { schemas, errorCodes };
}

describe('/api/docs: an index, a page per group, the shared schemas once', () => {
  test.each(LANGS)('%s: the index links to every operation, each on exactly one group page, each page small', (lang) => {
    const { index, schemas, groups } = sites[lang]!;
    const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
    const onPages = [...groups.values()].flatMap((body) =>
      [...body.matchAll(/<article class="operation" id="[^"]+">\n<h2><code>([^<]+)<\/code><\/h2>/g)].map(([, name]) => fromHtml(name!)),
    );
    expect(onPages.sort()).toEqual([...operations].sort());
    for (const name of operations) expect(fromHtml(index)).toContain(name);
    // The agency's triage has a group of its own, apart from what the public sends.
    expect(groups.get('/api/docs/tri')).toContain('POST /api/v1/procedures/{id}/reviews/{reviewId}/triage');
    expect(groups.get('/api/docs/avis')).not.toContain('/triage');
    expect(groups.get('/api/docs/avis')).not.toContain('/tags');
    // Small pages: the whole reference on one page weighed 284 kB.
    for (const body of [index, schemas, ...groups.values()]) expect(body.length).toBeLessThan(70_000);
  });

  test.each(LANGS)('%s: each group page prints each distinct schema once, each later use a link to it', (lang, query) => {
    const { schemas: schemasPage, groups } = sites[lang]!;
    // The shared parts, each once under its name on /api/docs/schemas; the schemas' {"$ref": "#name"} link there.
    const shared = new Map(
      [...schemasPage.matchAll(/<h2 id="([^"]+)">[^<]+<code>#\1<\/code><\/h2><p>[^<]+<\/p><pre[^>]*><code>([\s\S]*?)<\/code><\/pre>/g)].map(
        ([, id, code]) => [id!, JSON.parse(fromHtml(code!)) as unknown],
      ),
    );
    expect(shared.size).toBeGreaterThan(0);
    // Each part is named by what it holds, never by the key it happened to appear under first.
    expect([...shared.keys()].filter((id) => id.startsWith('commun-'))).toEqual([]);
    const resolve = (value: unknown): unknown => {
      if (value === null || typeof value !== 'object') return value;
      const ref = (value as { $ref?: string }).$ref;
      if (typeof ref === 'string' && Object.keys(value).length === 1) return resolve(shared.get(ref.slice(1)));
      return Array.isArray(value) ? value.map(resolve) : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    };
    const withoutDescription = ({ description: _, ...rest }: Schema) => JSON.stringify(rest);
    const { schemas } = documentSchemas();
    const distinct = new Set(schemas.map(withoutDescription));
    const seen = new Set<string>();
    let uses = 0;
    let refs = 0;
    for (const body of groups.values()) {
      const printed = [
        ...body.matchAll(/<details id="([^"]+)"><summary>[\s\S]*?<\/summary><pre[^>]*><code>([\s\S]*?)<\/code><\/pre><\/details>/g),
      ].map(([, id, code]) => ({ id: id!, schema: resolve(JSON.parse(fromHtml(code!))) as Schema }));
      const onPage = printed.map((p) => withoutDescription(p.schema));
      expect(new Set(onPage).size).toBe(onPage.length);
      for (const schema of onPage) seen.add(schema);
      for (const [, href, text] of body.matchAll(/"\$ref": "<a href="([^"]+)">#([^<]+)<\/a>"/g)) {
        expect(href).toBe(`/api/docs/schemas${query}#${text}`);
        expect(shared.has(text!)).toBe(true);
        refs++;
      }
      // Every link to a schema printed earlier on the page lands on one.
      const ids = new Set(printed.map((p) => p.id));
      const links = [...body.matchAll(/<a href="#(schema-[^"]+)">/g)].map(([, id]) => id!);
      for (const id of links) expect(ids).toContain(id);
      uses += printed.length + links.length;
    }
    expect(refs).toBeGreaterThan(shared.size);
    expect(seen).toEqual(distinct);
    expect(uses).toBe(schemas.length);
  });

  test.each(LANGS)('%s: the error shape once, and every error code of the document', (lang, query) => {
    const { schemas: schemasPage, groups } = sites[lang]!;
    const shape = /<section aria-labelledby="forme-des-erreurs">[\s\S]*?<pre[^>]*><code>([\s\S]*?)<\/code><\/pre>/.exec(schemasPage)?.[1];
    expect(JSON.parse(fromHtml(shape!))).toMatchObject({
      type: 'object',
      required: ['error'],
      properties: { error: { required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } },
    });
    const { errorCodes } = documentSchemas();
    expect(errorCodes.size).toBeGreaterThan(10);
    const all = [...groups.values()].join('\n');
    for (const code of errorCodes) expect(all).toContain(`<code>${code}</code>`);
    expect(all.split(`"/api/docs/schemas${query}#forme-des-erreurs"`).length - 1).toBeGreaterThan(100);
  });

  test('the shared parts are titled by what they hold, in the page’s language', () => {
    const titles = (lang: string) =>
      new Map(
        [...sites[lang]!.schemas.matchAll(/<h2 id="([^"]+)">([^<]+) <code>#\1<\/code><\/h2>/g)].map(([, id, title]) => [
          id!,
          fromHtml(title!),
        ]),
      );
    const [fr, en] = [titles(LANGS[0]![0]), titles(LANGS[1]![0])];
    expect([...fr.keys()]).toEqual([...en.keys()]);
    expect(fr.get('indicateur-sur-10')).toBe('Un indicateur noté sur 10 (note, intervalle, niveau)');
    expect(en.get('indicateur-sur-10')).toBe('An indicator scored out of 10 (score, interval, level)');
    expect(fr.get('reponses-par-note')).toBe('Le nombre de réponses à chaque note, de 1 à 5');
    // Under each title, a sentence says what the part holds.
    expect(fromHtml(sites.en!.schemas)).toContain('For a question scored from 1 to 5, how many answers gave each score.');
    expect(fromHtml(sites.fr!.schemas)).toContain('Pour une question notée de 1 à 5, combien de réponses ont donné chaque note.');
    for (const id of fr.keys()) expect(fr.get(id), id).not.toBe(en.get(id));
  });

  test('an unknown group is the not-found page', async () => {
    const reply = await app.inject({ url: '/api/docs/nulle-part' });
    expect(reply.statusCode).toBe(404);
    expect(reply.headers['content-type']).toContain('text/html');
    expect(reply.body).toContain('<h1>Page introuvable</h1>');
  });
});

describe('compactJson', () => {
  test('reads back as the same value; short members stay on one line, long ones break', () => {
    const value = {
      type: 'object',
      pattern: '^[ a-z]{2}$',
      properties: { a: { type: 'string' }, list: Array.from({ length: 30 }, (_, i) => `value-${i}`) },
    };
    const text = compactJson(value);
    expect(JSON.parse(text)).toEqual(value);
    expect(text).toContain('"a": {"type": "string"}');
    expect(text).toContain('"pattern": "^[ a-z]{2}$"');
    expect(text.split('\n').every((line) => line.length <= 80)).toBe(true);
  });
});
