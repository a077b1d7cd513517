import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../../server/app.ts';
import { testConfig } from '../../../server/config.ts';
import { ensureDemoProcedure } from '../../../server/demo-procedure.ts';
import { compactJson } from '../../../server/pages/api-docs-page.ts';
import type { Store } from '../../../server/store/store.ts';
import { testDatabase } from '../../helpers/test-database.ts';

// /api/docs prints each distinct schema once and the error shape once: the page stays complete
// (every schema and every error code of the document can be read on it) while staying small.

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
const pages: Record<string, string> = {};

beforeAll(async () => {
  const db = await testDatabase();
  store = await db.open();
  const config = testConfig({ ...db.options, rateLimitPerMinute: 0 });
  await ensureDemoProcedure(store, config);
  app = await buildApp({ config, store });
  doc = (await app.inject({ url: '/api/v1/openapi.json' })).json();
  for (const url of ['/api/docs', '/api/docs?lang=en']) pages[url] = (await app.inject({ url })).body;
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

describe('/api/docs prints every schema once', () => {
  test.each(['/api/docs', '/api/docs?lang=en'])('%s: each distinct schema in one <details>, each later use a link to it', (url) => {
    const body = pages[url]!;
    const printed: { id: string; schema: Schema }[] = [
      ...body.matchAll(/<details id="([^"]+)"><summary>[\s\S]*?<\/summary><pre><code>([\s\S]*?)<\/code><\/pre><\/details>/g),
    ].map(([, id, code]) => ({ id: id!, schema: JSON.parse(fromHtml(code!)) as Schema }));
    // The shared parts, each once under its name; the schemas' {"$ref": "#name"} link to them.
    const shared = new Map(
      [...body.matchAll(/<h3 id="(commun-[^"]+)"><code>[^<]*<\/code><\/h3><pre><code>([\s\S]*?)<\/code><\/pre>/g)].map(([, id, code]) => [
        id!,
        JSON.parse(fromHtml(code!)) as unknown,
      ]),
    );
    expect(shared.size).toBeGreaterThan(0);
    const refs = [...body.matchAll(/"\$ref": "<a href="#([^"]+)">#([^<]+)<\/a>"/g)];
    expect(refs.length).toBeGreaterThan(shared.size);
    for (const [, href, text] of refs) expect(shared.has(href!) && href === text).toBe(true);
    const resolve = (value: unknown): unknown => {
      if (value === null || typeof value !== 'object') return value;
      const ref = (value as { $ref?: string }).$ref;
      if (typeof ref === 'string' && Object.keys(value).length === 1) return resolve(shared.get(ref.slice(1)));
      return Array.isArray(value) ? value.map(resolve) : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    };
    for (const p of printed) p.schema = resolve(p.schema) as Schema;
    const { schemas } = documentSchemas();
    const withoutDescription = ({ description: _, ...rest }: Schema) => JSON.stringify(rest);
    const distinct = new Set(schemas.map(withoutDescription));
    expect(printed.length).toBe(distinct.size);
    expect(new Set(printed.map((p) => withoutDescription(p.schema)))).toEqual(distinct);
    // Every link to a schema printed elsewhere lands on one.
    const ids = new Set(printed.map((p) => p.id));
    const links = [...body.matchAll(/<a href="#(schema-[^"]+)">/g)].map(([, id]) => id!);
    expect(links.length).toBe(schemas.length - distinct.size);
    for (const id of links) expect(ids).toContain(id);
  });

  test.each(['/api/docs', '/api/docs?lang=en'])('%s: the error shape once, and every error code of the document', (url) => {
    const body = pages[url]!;
    const shape = /<section aria-labelledby="forme-des-erreurs">[\s\S]*?<pre><code>([\s\S]*?)<\/code><\/pre>/.exec(body)?.[1];
    expect(JSON.parse(fromHtml(shape!))).toMatchObject({
      type: 'object',
      required: ['error'],
      properties: { error: { required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } },
    });
    const { errorCodes } = documentSchemas();
    expect(errorCodes.size).toBeGreaterThan(10);
    for (const code of errorCodes) expect(body).toContain(`<code>${code}</code>`);
    expect(body.match(/"#forme-des-erreurs"/g)?.length).toBeGreaterThan(100);
    // The page is far smaller than with every reply's schema in full (over 1 MB).
    expect(body.length).toBeLessThan(500_000);
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
