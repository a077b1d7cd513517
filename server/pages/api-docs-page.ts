// /api/docs: the API reference for people, rendered on the server from the OpenAPI document, so
// that it needs no script at all (PAGE_CSP) and reads without JavaScript. Operation texts come from
// the document (French); the page's own words follow `?lang=`.
import type { Lang } from '../../shared/questionnaire.ts';
import { LANGUAGES, otherLangs, withLang } from '../../shared/languages.ts';
import { html, page, type SafeHtml, type HtmlPage } from './html.ts';
import { colon } from './kit/format.ts';

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  description?: string;
}
interface Media {
  schema?: JsonSchema;
}
interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: JsonSchema }[];
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { description: string; headers?: Record<string, unknown>; content?: Record<string, Media> }>;
}
export interface OpenApiDocument {
  info: { title: string; version: string; description?: string };
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, { description?: string }> };
}

const TEXT = {
  fr: {
    title: 'API du collecteur',
    description:
      'Chaque route de l’API du collecteur Je donne mon avis\u00a0: paramètres, corps, réponses et codes d’erreur, d’après son document OpenAPI 3.1.',
    intro: html`<p>Le collecteur «&nbsp;Je donne mon avis&nbsp;» reçoit les avis des usagers, publie le flux de l’observatoire
et sert à chaque administration ses propres résultats. Cette page décrit chacune de ses routes&nbsp;: paramètres,
corps attendu, réponses possibles et codes d’erreur. Elle est produite à partir du document
<a href="/api/v1/openapi.json">OpenAPI 3.1</a>, lui-même généré depuis les schémas avec lesquels le collecteur valide les requêtes&nbsp;:
ils ne peuvent pas diverger.</p>
<p>Les routes publiques s’appellent sans authentification. Les routes des agences demandent une clé d’API
(<code>Authorization: Bearer jdma_…</code>) ou la session d’un agent connecté. Toute erreur a la même forme&nbsp;:
<code>{"error": {"code", "message", "details"?}}</code>.</p>`,
    contents: 'Sommaire',
    authentication: 'Authentification',
    none: 'aucune (route publique)',
    or: ' ou ',
    parameters: 'Paramètres',
    required: 'obligatoire',
    optional: 'facultatif',
    in: { path: 'chemin', query: 'requête', header: 'en-tête', cookie: 'cookie' } as Record<string, string>,
    body: 'Corps de la requête',
    responses: 'Réponses',
    noBody: 'sans corps',
    schema: 'Schéma JSON',
    sameSchema: 'même schéma que ',
    errorCodes: 'codes',
    shared: 'Les parties communes des schémas',
    sharedIntro:
      'Une partie que plusieurs schémas contiennent à l’identique y est écrite {"$ref": "#nom"} et détaillée ici une seule fois, sous son nom.',
    errorShape: 'La forme des erreurs',
    errorShapeIntro: 'Chaque réponse d’erreur (4xx, 5xx) a ce schéma\u00a0; chaque réponse ci-dessus nomme ses valeurs de ',
    errorShapeLink: 'Forme des erreurs',
  },
  en: {
    title: 'Collector API',
    description:
      'Every route of the Je donne mon avis collector’s API: parameters, bodies, replies and error codes, from its OpenAPI 3.1 document.',
    intro: html`<p>The “Je donne mon avis” collector receives users’ feedback, publishes the observatory feed and gives
each administration its own results. This page describes every route: parameters, expected body, possible replies
and error codes. It is rendered from the <a href="/api/v1/openapi.json">OpenAPI 3.1</a> document, itself generated
from the schemas the collector validates requests with, so the two cannot drift apart. Route descriptions are in French.</p>
<p>Public routes need no authentication. Agency routes need an API key (<code>Authorization: Bearer jdma_…</code>)
or a signed-in agent’s session. Every error has one shape: <code>{"error": {"code", "message", "details"?}}</code>.</p>`,
    contents: 'Contents',
    authentication: 'Authentication',
    none: 'none (public route)',
    or: ' or ',
    parameters: 'Parameters',
    required: 'required',
    optional: 'optional',
    in: { path: 'path', query: 'query', header: 'header', cookie: 'cookie' } as Record<string, string>,
    body: 'Request body',
    responses: 'Replies',
    noBody: 'no body',
    schema: 'JSON Schema',
    sameSchema: 'same schema as ',
    errorCodes: 'codes',
    shared: 'The schemas’ shared parts',
    sharedIntro:
      'A part that several schemas hold identically is written {"$ref": "#name"} in them and detailed here once, under its name.',
    errorShape: 'The shape of errors',
    errorShapeIntro: 'Every error reply (4xx, 5xx) has this schema; each reply above names its values of ',
    errorShapeLink: 'Error shape',
  },
} satisfies Record<Lang, unknown>;

/** A description's `code spans` (the only markdown the document's texts use), escaped. */
const inline = (text: string): SafeHtml => html`${text.split('`').map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part))}`;

/** One line on a schema: its type, its allowed values or its pattern. */
function schemaLine(schema: JsonSchema | undefined): string {
  if (!schema) return '';
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  const type = [schema.type ?? 'any'].flat().join(' | ');
  return schema.pattern ? `${type} /${schema.pattern}/` : schema.format ? `${type} (${schema.format})` : type;
}

/** A fragment identifier for an operation: `post-api-v1-reviews-id`. */
export const operationAnchor = (method: string, path: string): string =>
  `${method}-${path}`
    .replace(/[^a-zA-Z0-9]+/g, '-')
    .replace(/-+$/, '')
    .toLowerCase();

/**
 * JSON on as few lines as stays readable: an object or array whose one-line form fits in 72
 * characters stays on one line (`{"type": "string"}`), a longer one opens one line per member.
 */
export function compactJson(value: unknown, indent = '', shared?: ReadonlyMap<string, string>): string {
  if (indent && shared && value !== null && typeof value === 'object') {
    const id = shared.get(JSON.stringify(value));
    if (id) return `{"$ref": "#${id}"}`;
  }
  const flat = oneLine(value);
  if (value === null || typeof value !== 'object' || indent.length + flat.length <= 72) return flat;
  const inner = `${indent}  `;
  const members = Array.isArray(value)
    ? value.map((item) => inner + compactJson(item, inner, shared))
    : Object.entries(value).map(([key, item]) => `${inner}${JSON.stringify(key)}: ${compactJson(item, inner, shared)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return `${open}\n${members.join(',\n')}\n${indent}${close}`;
}

/** Printed JSON, its `{"$ref": "#id"}` made links to the shared part they stand for. */
function jsonHtml(text: string): SafeHtml {
  const parts = text.split(/"\$ref": "#([a-z0-9-]+)"/);
  return html`<pre><code>${parts.map((part, i) => (i % 2 === 1 ? html`"$ref": "<a href="#${part}">#${part}</a>"` : part))}</code></pre>`;
}

/** JSON Schema's own keys: a shared part is named after the property above them. */
const SCHEMA_KEYWORDS = new Set(['properties', 'items', 'anyOf', 'oneOf', 'allOf', 'additionalProperties']);

/** Objects of at least this many characters of JSON are printed once when the schemas hold them twice or more. */
const SHARED_MIN = 400;

/**
 * The parts the schemas share: each object of SHARED_MIN characters or more that appears twice or
 * more (counting the shared parts already chosen once each, and their own insides), largest first;
 * each named after the key it first appears under. Returns JSON text → anchor.
 */
function sharedParts(roots: readonly unknown[]): Map<string, string> {
  const shared = new Map<string, string>();
  const definitions: unknown[] = [];
  for (;;) {
    const counts = new Map<string, { n: number; key: string }>();
    const walk = (value: unknown, key: string, root: boolean) => {
      if (value === null || typeof value !== 'object') return;
      const json = JSON.stringify(value);
      if (!root && shared.has(json)) return;
      if (!root && json.length >= SHARED_MIN) {
        const seen = counts.get(json);
        counts.set(json, { n: (seen?.n ?? 0) + 1, key: seen?.key ?? key });
      }
      for (const [k, v] of Object.entries(value)) walk(v, Array.isArray(value) || SCHEMA_KEYWORDS.has(k) ? key : k, false);
    };
    for (const root of [...roots, ...definitions]) walk(root, 'schema', true);
    let best: [string, { n: number; key: string }] | undefined;
    for (const entry of counts) if (entry[1].n > 1 && (!best || entry[0].length > best[0].length)) best = entry;
    if (!best) return shared;
    const base = `commun-${operationAnchor('', best[1].key).replace(/^-/, '')}`;
    let id = base;
    for (let i = 2; [...shared.values()].includes(id); i++) id = `${base}-${i}`;
    shared.set(best[0], id);
    definitions.push(JSON.parse(best[0]));
  }
}

function oneLine(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(oneLine).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([key, item]) => `${JSON.stringify(key)}: ${oneLine(item)}`)
    .join(', ')}}`;
}

/** An error reply's schema (`{"error": {"code", "message", "details"?}}`): its codes, or undefined for any other schema. */
function errorCodes(schema: JsonSchema | undefined): string[] | undefined {
  const keys = Object.keys(schema?.properties ?? {});
  const code = schema?.properties?.error?.properties?.code;
  if (keys.length !== 1 || keys[0] !== 'error' || !code) return undefined;
  return code.enum?.map(String) ?? (code.const !== undefined ? [String(code.const)] : []);
}

/**
 * What one rendering of the page has printed so far: each distinct schema is printed once, at its
 * first use; a later use links to it. The error shape, shared by every error reply, is printed once
 * in a section of its own, with `code` as a plain string.
 */
interface Printed {
  schemas: Map<string, { id: string; label: string }>;
  shared: ReadonlyMap<string, string>;
  errorShape?: JsonSchema;
}

const ERROR_SHAPE_ANCHOR = 'forme-des-erreurs';

/** One media type of a body or a reply: its description, then its schema printed or linked to. */
function mediaHtml(
  type: string,
  media: Media,
  where: { id: string; label: string },
  lang: Lang,
  printed: Printed,
  describe: boolean,
): SafeHtml {
  const t = TEXT[lang];
  const schema = media.schema;
  const intro = html`<p><code>${type}</code>${describe && schema?.description ? html`${colon(lang)}${inline(schema.description)}` : ''}</p>`;
  if (!schema || Object.keys(schema).length === 0) return intro;
  const codes = errorCodes(schema);
  if (codes) {
    if (!printed.errorShape) {
      const { description: _, ...shape } = schema;
      const error = shape.properties?.error ?? {};
      const { code: __, ...rest } = error.properties ?? {};
      printed.errorShape = { ...shape, properties: { error: { ...error, properties: { code: { type: 'string' }, ...rest } } } };
    }
    return html`<br><a href="#${ERROR_SHAPE_ANCHOR}">${t.errorShapeLink}</a> (<code>${type}</code>), <code>code</code>${colon(lang)}${codes.map(
      (code, i) => html`${i > 0 ? ', ' : ''}<code>${code}</code>`,
    )}`;
  }
  const { description: _, ...body } = schema;
  const key = JSON.stringify(body);
  const first = printed.schemas.get(key);
  if (first) return html`${intro}<p>${t.schema}${colon(lang)}${t.sameSchema}<a href="#${first.id}">${first.label}</a></p>`;
  const id = `schema-${where.id}`;
  printed.schemas.set(key, { id, label: where.label });
  return html`${intro}<details id="${id}"><summary>${t.schema} (<code>${type}</code>)</summary>${jsonHtml(compactJson(schema, '', printed.shared))}</details>`;
}

function mediaList(
  content: Record<string, Media>,
  where: { id: string; label: string },
  lang: Lang,
  printed: Printed,
  describe: boolean,
): SafeHtml {
  const entries = Object.entries(content);
  return html`${entries.map(([type, media]) =>
    mediaHtml(
      type,
      media,
      entries.length > 1 ? { id: `${where.id}-${operationAnchor('', type).replace(/^-/, '')}`, label: `${where.label} (${type})` } : where,
      lang,
      printed,
      describe,
    ),
  )}`;
}

function operationHtml(method: string, path: string, op: Operation, doc: OpenApiDocument, lang: Lang, printed: Printed): SafeHtml {
  const t = TEXT[lang];
  const anchor = operationAnchor(method, path);
  const name = `${method.toUpperCase()} ${path}`;
  const security = op.security ?? [];
  const schemes = doc.components?.securitySchemes ?? {};
  return html`<article class="operation" id="${anchor}">
<h3><code>${method.toUpperCase()} ${path}</code></h3>
<p><strong>${op.summary ?? ''}</strong></p>
${op.description ? html`<p>${inline(op.description)}</p>` : ''}
<p>${t.authentication}${colon(lang)}${
    security.length === 0
      ? t.none
      : security.map((requirement, i) => html`${i > 0 ? t.or : ''}${Object.keys(requirement).map((name) => html`<code>${name}</code>`)}`)
  }${security.length > 0 && Object.keys(schemes).length > 0 ? html` (<a href="#authentification">${t.authentication.toLowerCase()}</a>)` : ''}</p>
${
  op.parameters?.length
    ? html`<h4>${t.parameters}</h4>
<ul>${op.parameters.map(
        (p) =>
          html`<li><code>${p.name}</code> (${t.in[p.in] ?? p.in}, ${p.required ? t.required : t.optional})${colon(lang)}<code>${schemaLine(p.schema)}</code>${p.description ? html`. ${inline(p.description)}` : ''}</li>`,
      )}</ul>`
    : ''
}
${op.requestBody ? html`<h4>${t.body}</h4>${mediaList(op.requestBody.content, { id: `${anchor}-body`, label: `${name}, ${t.body.toLowerCase()}` }, lang, printed, true)}` : ''}
<h4>${t.responses}</h4>
<ul class="responses">${Object.entries(op.responses).map(
    ([status, response]) =>
      html`<li><strong>${status}</strong>${colon(lang)}${inline(response.description)}${
        response.headers ? html` (${Object.keys(response.headers).map((name, i) => html`${i > 0 ? ', ' : ''}<code>${name}</code>`)})` : ''
      }${response.content && Object.keys(response.content).length > 0 ? mediaList(response.content, { id: `${anchor}-${status}`, label: `${name}, ${status}` }, lang, printed, false) : html` (${t.noBody})`}</li>`,
  )}</ul>
</article>`;
}

export function apiDocsPage(doc: OpenApiDocument, lang: Lang): HtmlPage {
  const t = TEXT[lang];
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ method, path, op, tag: op.tags?.[0] ?? '' })),
  );
  const tags = (doc.tags ?? []).filter((tag) => operations.some((o) => o.tag === tag.name));
  const tagAnchor = (name: string) => `tag-${operationAnchor('', name).replace(/^-/, '')}`;
  const roots = new Map<string, unknown>();
  for (const { op } of operations) {
    const media = [
      ...Object.values(op.requestBody?.content ?? {}),
      ...Object.values(op.responses).flatMap((r) => Object.values(r.content ?? {})),
    ];
    for (const { schema } of media) {
      if (!schema || errorCodes(schema)) continue;
      const { description: _, ...body } = schema;
      roots.set(JSON.stringify(body), body);
    }
  }
  const printed: Printed = { schemas: new Map(), shared: sharedParts([...roots.values()]) };
  return page({
    lang,
    title: `${t.title} – Je donne mon avis`,
    description: t.description,
    body: html`<header class="site"><p><a href="/">Je donne mon avis</a></p></header>
<main>
<p class="lang-switch">${otherLangs(lang).map((other) => html`<a href="${withLang('/api/docs', other)}" lang="${other}" hreflang="${other}">${LANGUAGES[other].name}</a>`)}</p>
<h1>${t.title}</h1>
${t.intro}
<nav aria-labelledby="sommaire"><h2 id="sommaire">${t.contents}</h2>
<ul>${tags.map(
      (tag) =>
        html`<li><a href="#${tagAnchor(tag.name)}">${tag.name}</a><ul>${operations
          .filter((o) => o.tag === tag.name)
          .map(
            (o) =>
              html`<li><a href="#${operationAnchor(o.method, o.path)}"><code>${o.method.toUpperCase()} ${o.path}</code></a> ${o.op.summary ?? ''}</li>`,
          )}</ul></li>`,
    )}${printed.shared.size > 0 ? html`<li><a href="#schemas-communs">${t.shared}</a></li>` : ''}<li><a href="#${ERROR_SHAPE_ANCHOR}">${t.errorShape}</a></li><li><a href="#authentification">${t.authentication}</a></li></ul>
</nav>
${tags.map(
  (tag) => html`<section aria-labelledby="${tagAnchor(tag.name)}">
<h2 id="${tagAnchor(tag.name)}">${tag.name}</h2>
${tag.description ? html`<p>${inline(tag.description)}</p>` : ''}
${operations.filter((o) => o.tag === tag.name).map((o) => operationHtml(o.method, o.path, o.op, doc, lang, printed))}
</section>`,
)}
${
  printed.shared.size > 0
    ? html`<section aria-labelledby="schemas-communs">
<h2 id="schemas-communs">${t.shared}</h2>
<p>${t.sharedIntro}</p>
${[...printed.shared].map(([json, id]) => html`<h3 id="${id}"><code>#${id}</code></h3>${jsonHtml(compactJson(JSON.parse(json), '', printed.shared))}`)}
</section>`
    : ''
}
<section aria-labelledby="${ERROR_SHAPE_ANCHOR}">
<h2 id="${ERROR_SHAPE_ANCHOR}">${t.errorShape}</h2>
<p>${t.errorShapeIntro}<code>code</code>.</p>
${printed.errorShape ? jsonHtml(compactJson(printed.errorShape)) : ''}
</section>
<section aria-labelledby="authentification">
<h2 id="authentification">${t.authentication}</h2>
<ul>${Object.entries(doc.components?.securitySchemes ?? {}).map(
      ([name, scheme]) => html`<li><code>${name}</code>${colon(lang)}${inline(scheme.description ?? '')}</li>`,
    )}</ul>
</section>
</main>`,
  });
}
