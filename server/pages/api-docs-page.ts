// /api/docs: the API reference for people, rendered on the server from the OpenAPI document, so
// that it needs no script at all (PAGE_CSP) and reads without JavaScript. Operation texts come from
// the document (French); the page's own words follow `?lang=`.
import type { Lang } from '../../shared/questionnaire.ts';
import { LANGUAGES, otherLangs, withLang } from '../../shared/languages.ts';
import { html, page, type SafeHtml, type HtmlPage } from './html.ts';
import { colon } from './kit/format.ts';

interface JsonSchema {
  type?: string | string[];
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

function mediaList(content: Record<string, Media>, t: (typeof TEXT)[Lang], lang: Lang, describe: boolean): SafeHtml {
  return html`${Object.entries(content).map(
    ([
      type,
      media,
    ]) => html`<p><code>${type}</code>${describe && media.schema?.description ? html`${colon(lang)}${inline(media.schema.description)}` : ''}</p>
${
  media.schema && Object.keys(media.schema).length > 0
    ? html`<details><summary>${t.schema} (<code>${type}</code>)</summary><pre><code>${JSON.stringify(media.schema, null, 2)}</code></pre></details>`
    : ''
}`,
  )}`;
}

function operationHtml(method: string, path: string, op: Operation, doc: OpenApiDocument, lang: Lang): SafeHtml {
  const t = TEXT[lang];
  const security = op.security ?? [];
  const schemes = doc.components?.securitySchemes ?? {};
  return html`<article class="operation" id="${operationAnchor(method, path)}">
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
${op.requestBody ? html`<h4>${t.body}</h4>${mediaList(op.requestBody.content, t, lang, true)}` : ''}
<h4>${t.responses}</h4>
<ul class="responses">${Object.entries(op.responses).map(
    ([status, response]) =>
      html`<li><strong>${status}</strong>${colon(lang)}${inline(response.description)}${
        response.headers ? html` (${Object.keys(response.headers).map((name, i) => html`${i > 0 ? ', ' : ''}<code>${name}</code>`)})` : ''
      }${response.content && Object.keys(response.content).length > 0 ? mediaList(response.content, t, lang, false) : html` (${t.noBody})`}</li>`,
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
    )}<li><a href="#authentification">${t.authentication}</a></li></ul>
</nav>
${tags.map(
  (tag) => html`<section aria-labelledby="${tagAnchor(tag.name)}">
<h2 id="${tagAnchor(tag.name)}">${tag.name}</h2>
${tag.description ? html`<p>${inline(tag.description)}</p>` : ''}
${operations.filter((o) => o.tag === tag.name).map((o) => operationHtml(o.method, o.path, o.op, doc, lang))}
</section>`,
)}
<section aria-labelledby="authentification">
<h2 id="authentification">${t.authentication}</h2>
<ul>${Object.entries(doc.components?.securitySchemes ?? {}).map(
      ([name, scheme]) => html`<li><code>${name}</code>${colon(lang)}${inline(scheme.description ?? '')}</li>`,
    )}</ul>
</section>
</main>`,
  });
}
