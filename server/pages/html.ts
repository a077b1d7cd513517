// Server-rendered pages: every interpolated value is escaped unless it is already `SafeHtml`.
import { versionedClientFile } from './client-files.ts';

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

type Value = string | number | SafeHtml | null | undefined | false | readonly Value[];

const render = (value: Value): string => {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
};

/** Tagged template: `html\`<p>${userText}</p>\`` escapes `userText`. */
export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

declare const wholePage: unique symbol;

/**
 * A whole HTML document, made from escaped `SafeHtml` by htmlPage() alone (page() and the agency
 * frame call it): the only body sendPage (kit/send-page.ts) sends, so no reply can carry HTML
 * that went around the escaping template.
 */
export type HtmlPage = string & { readonly [wholePage]: true };

export const htmlPage = (document: SafeHtml): HtmlPage => document.value as HtmlPage;

/** Pages carry no inline script or style, so they can be served under a strict CSP. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** The shared stylesheet, at the address that names its content (read on first use: the build bundles this module without the files). */
export const pagesCss = (): string => versionedClientFile('/pages.css', 'pages.css');

/** The footer of every public page: the privacy notice, and the accessibility statement with the conformity it states. */
export const SITE_FOOTER_TEXT = {
  fr: { privacy: 'Confidentialité', accessibility: 'Accessibilité\u00a0: partiellement conforme' },
  en: { privacy: 'Privacy', accessibility: 'Accessibility: partially compliant' },
} as const;

function siteFooter(lang: string): SafeHtml {
  const fr = lang === 'fr';
  const t = SITE_FOOTER_TEXT[fr ? 'fr' : 'en'];
  const suffix = fr ? '' : `?lang=${encodeURIComponent(lang)}`;
  // The footer and the statement exist in French and English only: other languages get English ones.
  const statement = fr ? '/accessibilite' : '/accessibilite?lang=en';
  const english = fr || lang === 'en' ? '' : html` lang="en"`;
  return html`<footer class="site"><p><a href="/confidentialite${suffix}"${english}>${t.privacy}</a> · <a href="${statement}"${english}>${t.accessibility}</a></p></footer>`;
}

/**
 * A public page: `description` is its meta description (what a search engine shows under the
 * title), in the page's language; every page ends with the same footer.
 */
export function page(opts: {
  lang: string;
  dir?: 'ltr' | 'rtl';
  title: string;
  description: string;
  body: SafeHtml;
  stylesheets?: string[];
}): HtmlPage {
  return htmlPage(html`<!doctype html>
<html lang="${opts.lang}"${opts.dir === 'rtl' ? new SafeHtml(' dir="rtl"') : ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title}</title>
<meta name="description" content="${opts.description}">
${(opts.stylesheets ?? [pagesCss()]).map((href) => html`<link rel="stylesheet" href="${href}">`)}
</head>
<body>
${opts.body}
${siteFooter(opts.lang)}
</body>
</html>
`);
}

/** The operator's contact as a link: an e-mail address (mailto:) or an http(s) URL, as the configuration allows. */
export function contactLink(contact: string): SafeHtml {
  // zod has checked it is an e-mail address or an http(s) URL (server/config.ts).
  const href = /^https?:\/\//.test(contact) ? contact : `mailto:${contact}`;
  return html`<a href="${href}">${contact}</a>`;
}
