// What the space's admin pages share: the notices after a change or a refusal, a field of code to
// copy, and the ids of the fields a refusal points to.
import type { Lang } from '../../../shared/questionnaire.ts';
import { html, type SafeHtml } from '../html.ts';
import { alert, breadcrumb } from '../kit/dsfr.ts';
import { withLang } from '../../../shared/languages.ts';
import { T } from './admin-texts.ts';
import { E } from './entity-texts.ts';

/** Where the space's one script and stylesheet are served (files of server/pages/client/). */
export const ADMIN_JS_PATH = '/espace/admin.js';
export const ADMIN_CSS_PATH = '/espace/admin.css';

const CRUMBS = {
  fr: { label: 'vous êtes ici\u00a0:', button: 'Voir le fil d’Ariane', space: 'Espace agence' },
  en: { label: 'you are here:', button: 'See the breadcrumb', space: 'Agency space' },
} as const;

/** The breadcrumb the space's pages open with: the space, then `trail` (paths without the language), this page last. */
export function spaceBreadcrumb(lang: Lang, trail: readonly { label: string; path: string }[]): SafeHtml {
  const c = CRUMBS[lang];
  return breadcrumb(c.label, c.button, [
    { label: c.space, href: withLang('/espace', lang) },
    ...trail.map((item) => ({ label: item.label, href: withLang(item.path, lang) })),
  ]);
}

/** A success notice after a change (`?fait=…`), announced as the page loads. */
export function doneNotice(lang: Lang, done: string | undefined): SafeHtml | '' {
  const text = done === undefined ? undefined : T[lang].done[done];
  return text ? alert('success', text, { role: 'status' }) : '';
}

/** An error that belongs to no one field (the last admin, an unknown member…). */
export function errorNotice(lang: Lang, message: string | undefined): SafeHtml | '' {
  return message ? alert('error', message, { title: T[lang].errorTitle, role: 'alert' }) : '';
}

/** A field holding code to copy, named by its heading: selectable without script, its « Copier » button shown by ADMIN_JS. */
export function copyField(lang: Lang, o: { id: string; labelledBy: string; what: string; code: string; rows: number }): SafeHtml {
  const t = T[lang];
  return html`<div class="fr-input-group">
  <textarea class="fr-input jdma-code" id="${o.id}" rows="${o.rows}" readonly spellcheck="false" aria-labelledby="${o.labelledBy}">${o.code}</textarea>
</div>
<p class="fr-mb-4w"><button type="button" class="fr-btn fr-btn--secondary fr-btn--sm" data-copy="${o.id}" data-copied="${t.copied}" data-failed="${t.copyFailed}" hidden>${t.copy}<span class="fr-sr-only"> ${o.what}</span></button>
<span id="${o.id}-statut" class="fr-ml-2w" aria-live="polite"></span></p>`;
}

/** The id of the field a refusal names, so that its message links to it. */
export const fieldId = (field: string) =>
  ({
    title: 'champ-titre',
    origin: 'origines-nouvelle',
    placement: 'emplacements-nouvelle',
    email: 'membre-adresse',
    name: 'cle-nom',
    product_id: 'champ-numero-jdma',
  })[field] ?? field;

/** An entity's pages, and the links between them. */
export const entityBase = (entityId: string) => `/espace/entites/${encodeURIComponent(entityId)}`;

export function entityNav(lang: Lang, entityId: string, current: 'members' | 'audit'): SafeHtml {
  const e = E[lang];
  const link = (tab: 'members' | 'audit', path: string) =>
    html`<li><a class="fr-btn ${tab === current ? '' : 'fr-btn--secondary'}" href="${withLang(`${entityBase(entityId)}${path}`, lang)}"${
      tab === current ? html` aria-current="page"` : ''
    }>${e[tab]}</a></li>`;
  return html`<nav class="fr-mb-4w" aria-label="${e.nav}">
  <ul class="fr-btns-group fr-btns-group--inline-sm">${link('members', '/membres')}${link('audit', '/journal')}</ul>
</nav>`;
}
