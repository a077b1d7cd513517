// The JSON of the API reference pages: schemas printed compactly, and the parts several schemas
// hold identically printed once, on the shared-schemas page, and linked to from everywhere else.
import { html, type SafeHtml } from './html.ts';

/** A fragment identifier or an address segment: `post-api-v1-reviews-id`, `demarches` for « Démarches ». */
export const operationAnchor = (method: string, path: string): string =>
  `${method}-${path}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
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

/**
 * Printed JSON, its `{"$ref": "#id"}` made links to the shared part they stand for, on the page at
 * `sharedHref` ('' for this one). Its lines never wrap, which would break the indentation: on a
 * narrow screen the block scrolls sideways, in a region named `label` (unique on its page) that
 * takes the focus so that a keyboard can scroll it (the kit's pattern for wide tables).
 */
export function jsonHtml(text: string, label: string, sharedHref = ''): SafeHtml {
  const parts = text.split(/"\$ref": "#([a-z0-9-]+)"/);
  return html`<pre class="json" tabindex="0" role="region" aria-label="${label}"><code>${parts.map((part, i) => (i % 2 === 1 ? html`"$ref": "<a href="${sharedHref}#${part}">#${part}</a>"` : part))}</code></pre>`;
}

/** JSON Schema's own keys: a shared part is named after the property above them. */
const SCHEMA_KEYWORDS = new Set(['properties', 'items', 'anyOf', 'oneOf', 'allOf', 'additionalProperties']);

/** Objects of at least this many characters of JSON are printed once when the schemas hold them twice or more. */
const SHARED_MIN = 400;

/**
 * The parts the schemas share: each object of SHARED_MIN characters or more that appears twice or
 * more (counting the shared parts already chosen once each, and their own insides), largest first;
 * each named by `nameOf`, or else after the key it first appears under. Returns JSON text → anchor.
 */
export function sharedParts(
  roots: readonly unknown[],
  nameOf: (part: unknown) => string | undefined = () => undefined,
): Map<string, string> {
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
    const base = nameOf(JSON.parse(best[0])) ?? `commun-${operationAnchor('', best[1].key).replace(/^-/, '')}`;
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
