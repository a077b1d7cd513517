// /api/docs: the API reference for people, rendered on the server from the OpenAPI document, so
// that it needs no script at all (PAGE_CSP) and reads without JavaScript. Operation texts come from
// the document (French); the page's own words follow `?lang=`.
import type { Lang } from '../../shared/questionnaire.ts';
import { LANGUAGES, otherLangs, withLang } from '../../shared/languages.ts';
import { html, page, type SafeHtml, type HtmlPage } from './html.ts';
import { compactJson, jsonHtml, operationAnchor, sharedParts } from './api-docs-json.ts';
import { colon } from './kit/format.ts';
import { fill } from './kit/texts.ts';

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
et sert à chaque administration ses propres résultats. Ces pages décrivent chacune de ses routes, groupe par groupe&nbsp;:
paramètres, corps attendu, réponses possibles et codes d’erreur. Elles sont produites à partir du document
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
    errorShapeIntro: 'Chaque réponse d’erreur (4xx, 5xx) a ce schéma\u00a0; chaque réponse des pages des groupes nomme ses valeurs de ',
    errorShapeLink: 'Forme des erreurs',
    backToIndex: 'Sommaire de l’API du collecteur',
    groups: 'Les groupes de routes',
    groupDescription:
      'Les routes «\u00a0{name}\u00a0» de l’API du collecteur Je donne mon avis\u00a0: paramètres, corps, réponses et codes d’erreur.',
    sharedDescription: 'Les parties communes des schémas de l’API du collecteur Je donne mon avis, et la forme de ses réponses d’erreur.',
  },
  en: {
    title: 'Collector API',
    description:
      'Every route of the Je donne mon avis collector’s API: parameters, bodies, replies and error codes, from its OpenAPI 3.1 document.',
    intro: html`<p>The “Je donne mon avis” collector receives users’ feedback, publishes the observatory feed and gives
each administration its own results. These pages describe every route, group by group: parameters, expected body,
possible replies and error codes. They are rendered from the <a href="/api/v1/openapi.json">OpenAPI 3.1</a> document, itself generated
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
    errorShapeIntro: 'Every error reply (4xx, 5xx) has this schema; each reply on the groups’ pages names its values of ',
    errorShapeLink: 'Error shape',
    backToIndex: 'Collector API contents',
    groups: 'The groups of routes',
    groupDescription: 'The “{name}” routes of the Je donne mon avis collector’s API: parameters, bodies, replies and error codes.',
    sharedDescription: 'The shared parts of the Je donne mon avis collector API’s schemas, and the shape of its error replies.',
  },
} satisfies Record<Lang, unknown>;

/** A description's `code spans` (the only markdown the document's texts use), escaped. */
const inline = (text: string): SafeHtml => html`${text.split('`').map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part))}`;

/** French writes no capital after a colon (« Avis : ce que… »); English keeps the sentence as it is. */
const afterColon = (lang: Lang, text: string): string => (lang === 'fr' ? text.charAt(0).toLocaleLowerCase('fr') + text.slice(1) : text);

/** One line on a schema: its type, its allowed values or its pattern. */
function schemaLine(schema: JsonSchema | undefined): string {
  if (!schema) return '';
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  const type = [schema.type ?? 'any'].flat().join(' | ');
  return schema.pattern ? `${type} /${schema.pattern}/` : schema.format ? `${type} (${schema.format})` : type;
}

/** An error reply's schema (`{"error": {"code", "message", "details"?}}`): its codes, or undefined for any other schema. */
function errorCodes(schema: JsonSchema | undefined): string[] | undefined {
  const keys = Object.keys(schema?.properties ?? {});
  const code = schema?.properties?.error?.properties?.code;
  if (keys.length !== 1 || keys[0] !== 'error' || !code) return undefined;
  return code.enum?.map(String) ?? (code.const !== undefined ? [String(code.const)] : []);
}

/**
 * What one group's page has printed so far: each distinct schema is printed once, at its first use
 * on the page; a later use links to it. The shared parts and the error shape live on the
 * shared-schemas page (`links.schemas`), the authentication schemes on the index (`links.index`).
 */
interface Printed {
  schemas: Map<string, { id: string; label: string }>;
  shared: ReadonlyMap<string, string>;
  links: { index: string; schemas: string };
}

const ERROR_SHAPE_ANCHOR = 'forme-des-erreurs';
/** The shared-schemas page's segment: /api/docs/schemas (no tag is spelt so). */
export const SCHEMAS_PAGE = 'schemas';

/** The error shape (`{"error": {"code", "message", "details"?}}`) of the document's first error reply, `code` as a plain string. */
function errorShape(schemas: readonly JsonSchema[]): JsonSchema | undefined {
  const schema = schemas.find((s) => errorCodes(s));
  if (!schema) return undefined;
  const { description: _, ...shape } = schema;
  const error = shape.properties?.error ?? {};
  const { code: __, ...rest } = error.properties ?? {};
  return { ...shape, properties: { error: { ...error, properties: { code: { type: 'string' }, ...rest } } } };
}

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
    return html`<br><a href="${printed.links.schemas}#${ERROR_SHAPE_ANCHOR}">${t.errorShapeLink}</a> (<code>${type}</code>), <code>code</code>${colon(lang)}${codes.map(
      (code, i) => html`${i > 0 ? ', ' : ''}<code>${code}</code>`,
    )}`;
  }
  const { description: _, ...body } = schema;
  const key = JSON.stringify(body);
  const first = printed.schemas.get(key);
  if (first) return html`${intro}<p>${t.schema}${colon(lang)}${t.sameSchema}<a href="#${first.id}">${first.label}</a></p>`;
  const id = `schema-${where.id}`;
  printed.schemas.set(key, { id, label: where.label });
  return html`${intro}<details id="${id}"><summary>${t.schema} (<code>${type}</code>)</summary>${jsonHtml(compactJson(schema, '', printed.shared), `${t.schema}${colon(lang)}${where.label}`, printed.links.schemas)}</details>`;
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
<h2><code>${method.toUpperCase()} ${path}</code></h2>
<p><strong>${inline(op.summary ?? '')}</strong></p>
${op.description ? html`<p>${inline(op.description)}</p>` : ''}
<p>${t.authentication}${colon(lang)}${
    security.length === 0
      ? t.none
      : security.map((requirement, i) => html`${i > 0 ? t.or : ''}${Object.keys(requirement).map((name) => html`<code>${name}</code>`)}`)
  }${security.length > 0 && Object.keys(schemes).length > 0 ? html` (<a href="${printed.links.index}#authentification">${t.authentication.toLowerCase()}</a>)` : ''}</p>
${
  op.parameters?.length
    ? html`<h3>${t.parameters}</h3>
<ul>${op.parameters.map(
        (p) =>
          html`<li><code>${p.name}</code> (${t.in[p.in] ?? p.in}, ${p.required ? t.required : t.optional})${colon(lang)}<code>${schemaLine(p.schema)}</code>${p.description ? html` — ${inline(p.description)}` : ''}</li>`,
      )}</ul>`
    : ''
}
${op.requestBody ? html`<h3>${t.body}</h3>${mediaList(op.requestBody.content, { id: `${anchor}-body`, label: `${name}, ${t.body.toLowerCase()}` }, lang, printed, true)}` : ''}
<h3>${t.responses}</h3>
<ul class="responses">${Object.entries(op.responses).map(
    ([status, response]) =>
      html`<li><strong>${status}</strong>${colon(lang)}${inline(response.description)}${
        response.headers ? html` (${Object.keys(response.headers).map((name, i) => html`${i > 0 ? ', ' : ''}<code>${name}</code>`)})` : ''
      }${response.content && Object.keys(response.content).length > 0 ? mediaList(response.content, { id: `${anchor}-${status}`, label: `${name}, ${status}` }, lang, printed, false) : html` (${t.noBody})`}</li>`,
  )}</ul>
</article>`;
}

/** The reference in pages: the index (`/api/docs`), one page per group of operations (`/api/docs/{group}`), and the shared schemas. */
export interface ApiDocsPages {
  index: HtmlPage;
  /** By the group's address segment (`avis`, `demarches`, …), SCHEMAS_PAGE included. */
  pages: ReadonlyMap<string, HtmlPage>;
}

/**
 * /api/docs as small pages, so that a phone reads the index first, then one group: the whole
 * reference on one page weighed 284 kB of HTML, and Lighthouse's simulated phone scored it under 95.
 */
/** The fields a schema part holds: its properties, those of its first alternative, or its own keys (a properties map). */
function fieldsOf(part: unknown): string[] {
  if (part === null || typeof part !== 'object') return [];
  const { properties, anyOf } = part as JsonSchema & { anyOf?: unknown[] };
  if (properties) return Object.keys(properties);
  if (Array.isArray(anyOf)) return fieldsOf(anyOf[0]);
  return Object.keys(part);
}

/**
 * The shared parts' names, by what they hold: each recognised by fields only it has, with its
 * anchor, and its title and a sentence saying what it holds in each language. A part none matches
 * is named after the key it first appears under (`commun-…`), which the tests refuse: a new shared
 * part gets a name here.
 */
const SHARED_PART_NAMES: readonly {
  fields: readonly string[];
  id: string;
  fr: { title: string; text: string };
  en: { title: string; text: string };
}[] = [
  {
    fields: ['satisfaction', 'help_reachable', 'autonomy'],
    id: 'indicateurs',
    fr: {
      title: 'Les cinq indicateurs d’une démarche',
      text: 'La satisfaction, la clarté des informations, l’administration joignable, la qualité de l’aide obtenue et l’autonomie, chacun avec ses chiffres sur la période.',
    },
    en: {
      title: 'A procedure’s five indicators',
      text: 'Satisfaction, clarity of information, administration reachable, quality of the help received and autonomy, each with its figures over the period.',
    },
  },
  {
    fields: ['created_at', 'placement', 'answers'],
    id: 'avis',
    fr: {
      title: 'Un avis, ses réponses et son tri',
      text: 'Un avis tel que le liste l’API des agences\u00a0: ses réponses, son commentaire, son statut de tri et ses étiquettes.',
    },
    en: {
      title: 'A review, its answers and its triage',
      text: 'A review as the agency API lists it: its answers, its comment, its triage status and its tags.',
    },
  },
  {
    fields: ['score', 'interval', 'level', 'counts'],
    id: 'indicateur-sur-10',
    fr: {
      title: 'Un indicateur noté sur 10 (note, intervalle, niveau)',
      text: 'Une note moyenne sur 10, son intervalle à 95\u00a0%, son niveau et le nombre de réponses à chaque note.',
    },
    en: {
      title: 'An indicator scored out of 10 (score, interval, level)',
      text: 'An average score out of 10, its 95% interval, its level and the number of answers at each score.',
    },
  },
  {
    fields: ['a', 'b', 'difference', 'beyond_intervals'],
    id: 'indicateur-compare',
    fr: {
      title: 'Un indicateur comparé entre deux périodes',
      text: 'L’indicateur sur la période a et sur la période b, leur écart (b − a), et si cet écart dépasse leurs intervalles.',
    },
    en: {
      title: 'An indicator compared between two periods',
      text: 'The indicator over period a and over period b, their difference (b − a), and whether it goes beyond their intervals.',
    },
  },
  {
    fields: ['term', 'key', 'log_odds'],
    id: 'terme-des-commentaires',
    fr: {
      title: 'Un terme des commentaires',
      text: 'Un terme relevé dans les commentaires\u00a0: sa forme la plus écrite, le nombre d’avis qui l’emploient, et combien il distingue les avis «\u00a0Pas bien\u00a0» des autres.',
    },
    en: {
      title: 'A term of the comments',
      text: 'A term found in the comments: its most written form, the number of reviews that use it, and how much it sets the “Pas bien” reviews apart.',
    },
  },
  {
    fields: ['value', 'interval', 'answers'],
    id: 'indicateur-sur-une-periode',
    fr: {
      title: 'Un indicateur sur une période',
      text: 'Sa valeur (une note sur 10, ou un taux de 0 à 1), son intervalle à 95\u00a0% et son nombre de réponses.',
    },
    en: {
      title: 'An indicator over one period',
      text: 'Its value (a score out of 10, or a rate from 0 to 1), its 95% interval and its number of answers.',
    },
  },
  {
    fields: ['procedure', 'window', 'reviews'],
    id: 'periode-comparee',
    fr: {
      title: 'Une période comparée (démarche, dates, avis)',
      text: 'L’une des deux périodes d’une comparaison\u00a0: la démarche, ses dates et son nombre d’avis.',
    },
    en: {
      title: 'A compared period (procedure, dates, reviews)',
      text: 'One of a comparison’s two periods: the procedure, its dates and its number of reviews.',
    },
  },
  {
    fields: ['1', '2', '3', '4', '5'],
    id: 'reponses-par-note',
    fr: {
      title: 'Le nombre de réponses à chaque note, de 1 à 5',
      text: 'Pour une question notée de 1 à 5, combien de réponses ont donné chaque note.',
    },
    en: {
      title: 'The number of answers at each score, 1 to 5',
      text: 'For a question scored from 1 to 5, how many answers gave each score.',
    },
  },
];

const sharedPartName = (part: unknown) => {
  const fields = fieldsOf(part);
  return SHARED_PART_NAMES.find((name) => name.fields.every((field) => fields.includes(field)));
};

export function apiDocsPages(doc: OpenApiDocument, lang: Lang): ApiDocsPages {
  const t = TEXT[lang];
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ method, path, op, tag: op.tags?.[0] ?? '' })),
  );
  const tags = (doc.tags ?? [])
    .filter((tag) => operations.some((o) => o.tag === tag.name))
    .map((tag) => ({ ...tag, slug: operationAnchor('', tag.name).replace(/^-/, '') }));
  const media = operations.flatMap(({ op }) => [
    ...Object.values(op.requestBody?.content ?? {}),
    ...Object.values(op.responses).flatMap((r) => Object.values(r.content ?? {})),
  ]);
  const roots = new Map<string, unknown>();
  for (const { schema } of media) {
    if (!schema || errorCodes(schema)) continue;
    const { description: _, ...body } = schema;
    roots.set(JSON.stringify(body), body);
  }
  const shared = sharedParts([...roots.values()], (part) => sharedPartName(part)?.id);
  const links = { index: withLang('/api/docs', lang), schemas: withLang(`/api/docs/${SCHEMAS_PAGE}`, lang) };
  const groupHref = (slug: string) => withLang(`/api/docs/${slug}`, lang);
  const frame = (path: string, title: string, description: string, body: SafeHtml): HtmlPage =>
    page({
      lang,
      title: `${title} – Je donne mon avis`,
      description,
      body: html`<header class="site"><p><a href="/">Je donne mon avis</a></p></header>
<main>
<p class="lang-switch">${otherLangs(lang).map((other) => html`<a href="${withLang(path, other)}" lang="${other}" hreflang="${other}">${LANGUAGES[other].name}</a>`)}</p>
${body}
</main>`,
    });
  const back = html`<p><a href="${links.index}">${t.backToIndex}</a></p>`;
  const groupsNav = (current: string) => html`<nav aria-labelledby="autres-groupes"><h2 id="autres-groupes">${t.groups}</h2>
<ul>${tags.map((tag) => html`<li><a href="${groupHref(tag.slug)}"${tag.slug === current ? html` aria-current="page"` : ''}>${tag.name}</a></li>`)}<li><a href="${links.schemas}"${current === SCHEMAS_PAGE ? html` aria-current="page"` : ''}>${t.shared}</a></li></ul>
</nav>`;

  const index = frame(
    '/api/docs',
    t.title,
    t.description,
    html`<h1>${t.title}</h1>
${t.intro}
<nav aria-labelledby="sommaire"><h2 id="sommaire">${t.contents}</h2>
<ul>${tags.map(
      (tag) =>
        html`<li><a href="${groupHref(tag.slug)}">${tag.name}</a>${tag.description ? html`${colon(lang)}${inline(afterColon(lang, tag.description))}` : ''}<ul>${operations
          .filter((o) => o.tag === tag.name)
          .map(
            (o) =>
              html`<li><a href="${groupHref(tag.slug)}#${operationAnchor(o.method, o.path)}"><code>${o.method.toUpperCase()} ${o.path}</code></a> ${inline(o.op.summary ?? '')}</li>`,
          )}</ul></li>`,
    )}<li><a href="${links.schemas}">${t.shared}</a> (${t.errorShape.toLowerCase()})</li><li><a href="#authentification">${t.authentication}</a></li></ul>
</nav>
<section aria-labelledby="authentification">
<h2 id="authentification">${t.authentication}</h2>
<ul>${Object.entries(doc.components?.securitySchemes ?? {}).map(
      ([name, scheme]) => html`<li><code>${name}</code>${colon(lang)}${inline(scheme.description ?? '')}</li>`,
    )}</ul>
</section>`,
  );

  const pages = new Map<string, HtmlPage>();
  for (const tag of tags) {
    const printed: Printed = { schemas: new Map(), shared, links };
    pages.set(
      tag.slug,
      frame(
        `/api/docs/${tag.slug}`,
        `${tag.name} – ${t.title}`,
        fill(t.groupDescription, { name: tag.name }),
        html`${back}
<h1>${tag.name}</h1>
${tag.description ? html`<p>${inline(tag.description)}</p>` : ''}
${operations.filter((o) => o.tag === tag.name).map((o) => operationHtml(o.method, o.path, o.op, doc, lang, printed))}
${groupsNav(tag.slug)}`,
      ),
    );
  }
  const shape = errorShape(media.flatMap(({ schema }) => (schema ? [schema] : [])));
  pages.set(
    SCHEMAS_PAGE,
    frame(
      `/api/docs/${SCHEMAS_PAGE}`,
      `${t.shared} – ${t.title}`,
      t.sharedDescription,
      html`${back}
<h1>${t.shared}</h1>
<p>${t.sharedIntro}</p>
${[...shared].map(([json, id]) => {
  const name = sharedPartName(JSON.parse(json))?.[lang];
  const title = name?.title ?? id;
  return html`<h2 id="${id}">${title} <code>#${id}</code></h2>${name ? html`<p>${name.text}</p>` : ''}${jsonHtml(compactJson(JSON.parse(json), '', shared), title)}`;
})}
<section aria-labelledby="${ERROR_SHAPE_ANCHOR}">
<h2 id="${ERROR_SHAPE_ANCHOR}">${t.errorShape}</h2>
<p>${t.errorShapeIntro}<code>code</code>.</p>
${shape ? jsonHtml(compactJson(shape), `${t.schema}${colon(lang)}${t.errorShape}`) : ''}
</section>
${groupsNav(SCHEMAS_PAGE)}`,
    ),
  );
  return { index, pages };
}
