// The French state's design system (DSFR) components the pages share, written once: alerts and
// notices, tables with their caption, form fields with their error state, badges. Every argument is
// text (escaped by html``) or SafeHtml that a page built the same way.
import type { Lang } from '../../../shared/questionnaire.ts';
import { html, type SafeHtml } from '../html.ts';

type Content = SafeHtml | string;

export interface AlertOptions {
  /** A title of its own (a heading of this level): a small alert has none. */
  title?: Content;
  titleLevel?: 2 | 3;
  /** The small variant: one line, no title. */
  small?: boolean;
  /** `alert` for an error the page answers with, `status` for a change just made: read out as the page loads. */
  role?: 'alert' | 'status';
  /** Space below, in DSFR spacing units (2w, 4w). */
  spacing?: '2w' | '4w' | '';
}

/** A DSFR alert: `error`, `warning`, `info` or `success`. */
export function alert(
  kind: 'error' | 'warning' | 'info' | 'success',
  body: Content,
  { title, titleLevel = 2, small = title === undefined, role, spacing = '4w' }: AlertOptions = {},
): SafeHtml {
  const classes = ['fr-alert', `fr-alert--${kind}`, small && 'fr-alert--sm', spacing && `fr-mb-${spacing}`].filter(Boolean).join(' ');
  const heading =
    title === undefined
      ? ''
      : titleLevel === 2
        ? html`<h2 class="fr-alert__title">${title}</h2>`
        : html`<h3 class="fr-alert__title">${title}</h3>`;
  return html`<div class="${classes}"${role ? html` role="${role}"` : ''}>${heading}<p>${body}</p></div>`;
}

export interface TableOptions {
  /** The heading just above says the same: the caption is for screen readers only. */
  hiddenCaption?: boolean;
  /** Long cells wrap rather than widen the table. */
  multiline?: boolean;
  /** DSFR's small table: tighter cells. */
  small?: boolean;
  /** The caption's id, unique in the page (by default, one made from the caption). */
  captionId?: string;
  /**
   * A table too wide for a phone: under DSFR's md breakpoint a line above it, in this language,
   * says it scrolls sideways (its frame alone does not show that more columns are hidden).
   */
  scrollHint?: Lang;
}

const SCROLL_HINT: Record<Lang, string> = {
  fr: '↔ Faites défiler le tableau sur le côté pour voir toutes ses colonnes.',
  en: '↔ Scroll the table sideways to see all its columns.',
};

/**
 * A table in the DSFR's markup, with its caption: it scrolls sideways on a narrow screen, not the
 * page. Its scrolling frame is a region named by the caption, and takes the focus, so that a
 * keyboard can scroll it and a screen reader announces what it holds.
 */
export function table(caption: string, head: readonly Content[], rows: readonly SafeHtml[], options: TableOptions = {}): SafeHtml {
  const { hiddenCaption = false, multiline = false, small = false, scrollHint } = options;
  const captionId = options.captionId ?? `tableau-${slug(caption)}`;
  const classes = [
    'fr-table',
    'fr-mb-4w',
    hiddenCaption ? 'fr-table--no-caption' : 'fr-table--no-caption-bottom',
    multiline && 'fr-table--multiline',
    small && 'fr-table--sm',
  ]
    .filter(Boolean)
    .join(' ');
  return html`${scrollHint ? html`<p class="fr-text--xs fr-mb-1v fr-hidden-md table-scroll-hint">${SCROLL_HINT[scrollHint]}</p>` : ''}<div class="${classes}"><div class="fr-table__wrapper"><div class="fr-table__container" tabindex="0" role="region" aria-labelledby="${captionId}"><div class="fr-table__content">
<table>
  <caption id="${captionId}">${caption}</caption>
  <thead><tr>${head.map((cell) => html`<th scope="col">${cell}</th>`)}</tr></thead>
  <tbody>${rows}</tbody>
</table>
</div></div></div></div>`;
}

/** « Membres de l’entité DINUM » → `membres-de-l-entite-dinum`: an id from a text. */
const slug = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);

/** A form field's error, shown at the field (DSFR error state) with what was typed. */
export interface FieldError {
  field: string;
  value: string;
  message: string;
}

/** A labelled text field in the DSFR's input group, in its error state when `error` names it. */
export function inputGroup(options: {
  id: string;
  name: string;
  label: Content;
  hint?: Content;
  value?: string;
  type?: string;
  error?: FieldError | undefined;
  attrs?: SafeHtml;
}): SafeHtml {
  const { id, name, label, hint, type = 'text' } = options;
  const error = options.error?.field === name ? options.error : undefined;
  const value = error ? error.value : (options.value ?? '');
  return html`<div class="fr-input-group${error ? ' fr-input-group--error' : ''}">
  <label class="fr-label" for="${id}">${label}${hint ? html`<span class="fr-hint-text">${hint}</span>` : ''}</label>
  <input class="fr-input${error ? ' fr-input--error' : ''}" type="${type}" id="${id}" name="${name}" value="${value}" aria-describedby="${id}-messages"${error ? html` aria-invalid="true"` : ''}${options.attrs ?? ''}>
  <div class="fr-messages-group" id="${id}-messages" aria-live="polite">${error ? html`<p class="fr-message fr-message--error" id="${id}-error">${error.message}</p>` : ''}</div>
</div>`;
}

/** The session's CSRF token, in every form that changes something. */
export const csrfField = (token: string): SafeHtml => html`<input type="hidden" name="_csrf" value="${token}">`;

/** Content in a column of readable width on a wide screen, the whole width on a narrow one. */
export const column = (content: SafeHtml): SafeHtml =>
  html`<div class="fr-grid-row"><div class="fr-col-12 fr-col-md-8">${content}</div></div>`;

/** A group of checkboxes or radio buttons under its legend (DSFR fieldset). */
export function fieldset(legend: Content, elements: readonly SafeHtml[], hint?: Content): SafeHtml {
  return html`<fieldset class="fr-fieldset">
  <legend class="fr-fieldset__legend">${legend}${hint ? html`<span class="fr-hint-text">${hint}</span>` : ''}</legend>
  ${elements.map((element) => html`<div class="fr-fieldset__element">${element}</div>`)}
</fieldset>`;
}

/** One checkbox or radio button with its label, for a fieldset. */
export function choice(o: {
  type: 'checkbox' | 'radio';
  id: string;
  name: string;
  value: string;
  label: Content;
  checked: boolean;
}): SafeHtml {
  return html`<div class="fr-${o.type}-group">
  <input type="${o.type}" id="${o.id}" name="${o.name}" value="${o.value}"${o.checked ? html` checked` : ''}>
  <label class="fr-label" for="${o.id}">${o.label}</label>
</div>`;
}

/**
 * The DSFR breadcrumb: every item a link, the current page's too (with aria-current="page"), so
 * that it can be copied and reloaded; collapsed behind a button on small screens.
 */
export function breadcrumb(label: string, buttonLabel: string, items: readonly { label: Content; href: string }[]): SafeHtml {
  const last = items.length - 1;
  return html`<nav role="navigation" class="fr-breadcrumb" aria-label="${label}">
<button type="button" class="fr-breadcrumb__button" aria-expanded="false" aria-controls="fil-ariane">${buttonLabel}</button>
<div class="fr-collapse" id="fil-ariane">
<ol class="fr-breadcrumb__list">
${items.map(
  (item, i) =>
    html`<li><a class="fr-breadcrumb__link" href="${item.href}"${i === last ? html` aria-current="page"` : ''}>${item.label}</a></li>`,
)}
</ol>
</div>
</nav>`;
}

/**
 * The DSFR pagination of a list read newest first by cursor: the newest page, and the next (older)
 * one when there is one (null: no such link on this page).
 */
export function pagination(
  label: string,
  links: { newest: { label: string; href: string } | null; older: { label: string; href: string } | null },
): SafeHtml {
  if (!links.newest && !links.older) return html``;
  return html`<nav role="navigation" class="fr-pagination fr-mt-3w" aria-label="${label}">
<ul class="fr-pagination__list">
${links.newest ? html`<li><a class="fr-pagination__link fr-pagination__link--first fr-pagination__link--lg-label" href="${links.newest.href}">${links.newest.label}</a></li>` : ''}
${links.older ? html`<li><a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" href="${links.older.href}">${links.older.label}</a></li>` : ''}
</ul>
</nav>`;
}
