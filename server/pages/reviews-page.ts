// The comments page of the agency space (/espace/demarches/:id/avis): the filter form, the reviews
// newest first with every answer in words and their free text with the search words marked, the
// pages after, exports of the same filters, and, for admins, a form to hide or restore a comment and
// one to check each held-back passage (SPEC §8).
// Server-rendered DSFR markup; nothing here needs JavaScript.
import { type Lang, QUESTIONS, SATISFACTION_ANSWERS } from '../../shared/questionnaire.ts';
import type { ErrorDetail } from '../http-errors.ts';
import { procedureNav } from './agency-layout.ts';
import { html, type SafeHtml } from './html.ts';
import { alert, breadcrumb, pagination } from './kit/dsfr.ts';
import { colon, formatDay } from './kit/format.ts';
import { TEXT } from './reviews-texts.ts';
import { doneNotice, reviewArticle } from './review-article.ts';
import { TRIAGE_TEXT, triageFilters } from './review-triage-form.ts';
import type { ReviewsPageView } from './reviews-texts.ts';
import { placementName } from './kit/texts.ts';

export type { ReviewsForm, ReviewsPageView } from './reviews-texts.ts';

const longDay = (day: string, lang: Lang) => formatDay(lang, day);

export function reviewsPage(view: ReviewsPageView): { title: string; main: SafeHtml } {
  const { lang, procedure } = view;
  const t = TEXT[lang];
  const base = `/espace/demarches/${encodeURIComponent(procedure.id)}`;
  const suffix = lang === 'fr' ? '' : '?lang=en';
  const main = html`${breadcrumb(t.breadcrumb, t.showBreadcrumb, [
    { label: t.home, href: `/espace${suffix}` },
    { label: procedure.title, href: `${base}${suffix}` },
    { label: t.heading, href: `${base}/avis${suffix}` },
  ])}
<h1 class="fr-mb-1w">${t.heading}</h1>
<p class="fr-text--lead fr-mb-3w">${procedure.title}</p>
${procedureNav(lang, procedure.id, 'reviews', view.isAdmin)}
<p>${t.intro}</p>
${view.problems && problemsAlert(view)}
${filterForm(view)}
${view.problems ? '' : results(view)}`;
  return { title: `${t.title} – ${procedure.title}`, main };
}

function filterForm(view: ReviewsPageView): SafeHtml {
  const { lang, form, procedure } = view;
  const t = TEXT[lang];
  const action = `/espace/demarches/${encodeURIComponent(procedure.id)}/avis`;
  const option = (value: string, label: string, current: string) =>
    html`<option value="${value}"${value === current ? html` selected` : ''}>${label}</option>`;
  /** A field as the DSFR documents it, in its error state when the query refused its value. */
  const field = (kind: 'input' | 'select', name: keyof typeof FIELD_IDS, label: SafeHtml, control: (describedBy: SafeHtml) => SafeHtml) => {
    const id = FIELD_IDS[name];
    const problem = view.problems?.find((p) => p.field === name);
    const need = problem && problemNeed(problem, lang);
    return html`<div class="fr-${kind}-group${need ? ` fr-${kind}-group--error` : ''}">
        <label class="fr-label" for="${id}">${label}</label>
        ${control(need ? html` aria-describedby="${id}-messages"` : html``)}
        ${need && html`<div class="fr-messages-group" id="${id}-messages" aria-live="polite"><p class="fr-message fr-message--error">${need}</p></div>`}
      </div>`;
  };
  const hinted = (label: string, hint: string) => html`${label}<span class="fr-hint-text">${hint}</span>`;
  return html`<section aria-labelledby="filtres-titre" class="fr-mb-4w">
<h2 id="filtres-titre" class="fr-h4">${t.filtersHeading}</h2>
<form method="get" action="${action}">
  ${lang === 'fr' ? '' : html`<input type="hidden" name="lang" value="${lang}">`}
  <input type="hidden" name="filters" value="1">
  <div class="fr-grid-row fr-grid-row--gutters">
    <div class="fr-col-12 fr-col-sm-6 fr-col-lg-3">
      ${field('input', 'from', hinted(t.from, t.dateHint), (d) => html`<input class="fr-input" type="date" id="${FIELD_IDS.from}" name="from" value="${form.from}"${d}>`)}
    </div>
    <div class="fr-col-12 fr-col-sm-6 fr-col-lg-3">
      ${field('input', 'to', hinted(t.to, t.dateHint), (d) => html`<input class="fr-input" type="date" id="${FIELD_IDS.to}" name="to" value="${form.to}"${d}>`)}
    </div>
    <div class="fr-col-12 fr-col-sm-6 fr-col-lg-3">
      ${field(
        'select',
        'placement',
        html`${t.placement}`,
        (d) => html`<select class="fr-select" id="${FIELD_IDS.placement}" name="placement"${d}>
          ${option('', t.anyPlacement, form.placement)}
          ${procedure.placements.map((placement) => option(placement, placementName(lang, placement), form.placement))}
        </select>`,
      )}
    </div>
    <div class="fr-col-12 fr-col-sm-6 fr-col-lg-3">
      ${field(
        'select',
        'satisfaction',
        html`${t.satisfaction}`,
        (d) => html`<select class="fr-select" id="${FIELD_IDS.satisfaction}" name="satisfaction"${d}>
          ${option('', t.anySatisfaction, form.satisfaction)}
          ${[...SATISFACTION_ANSWERS].reverse().map((answer) => option(answer, QUESTIONS.satisfaction.answers[answer][lang], form.satisfaction))}
        </select>`,
      )}
    </div>
    <div class="fr-col-12 fr-col-lg-6">
      ${field('input', 'q', hinted(t.q, t.qHint), (d) => html`<input class="fr-input" type="search" id="${FIELD_IDS.q}" name="q" maxlength="200" value="${form.q}"${d}>`)}
    </div>
    ${triageFilters(lang, form, view.tags ?? [])}
    <div class="fr-col-12">
      <div class="fr-checkbox-group">
        <input type="checkbox" id="filtre-commentaire" name="comments" value="only"${form.onlyWithComment ? html` checked` : ''}>
        <label class="fr-label" for="filtre-commentaire">${t.onlyWithComment}</label>
      </div>
    </div>
  </div>
  <ul class="fr-btns-group fr-btns-group--inline-sm fr-mt-3w">
    <li><button type="submit" class="fr-btn">${t.apply}</button></li>
    <li><a class="fr-btn fr-btn--tertiary" href="${lang === 'fr' ? action : `${action}?lang=${lang}`}">${t.reset}</a></li>
  </ul>
</form>
</section>`;
}

const FIELD_IDS = {
  from: 'filtre-du',
  to: 'filtre-au',
  placement: 'filtre-emplacement',
  satisfaction: 'filtre-satisfaction',
  q: 'filtre-mots',
};

const FIELD_NAMES: Record<Lang, Record<string, string>> = {
  fr: { from: 'Du', to: 'Au', placement: 'Emplacement', satisfaction: 'Satisfaction', q: 'Mots recherchés', cursor: 'Page' },
  en: { from: 'From', to: 'To', placement: 'Placement', satisfaction: 'Satisfaction', q: 'Search words', cursor: 'Page' },
};

/** What a refused filter needs, in the page's words; undefined for what is not one of the form's fields. */
function problemNeed(problem: ErrorDetail, lang: Lang): string | undefined {
  const en = lang === 'en';
  if (problem.message.startsWith('must not be after'))
    return en ? 'the start must not be after the end.' : 'le début ne doit pas être après la fin.';
  if (problem.message.startsWith('the window must not exceed'))
    return en ? 'the period must not exceed 5 years.' : 'la période ne doit pas dépasser 5 ans.';
  return {
    from: en ? 'a date, as YYYY-MM-DD.' : 'une date, sous la forme AAAA-MM-JJ.',
    to: en ? 'a date, as YYYY-MM-DD.' : 'une date, sous la forme AAAA-MM-JJ.',
    placement: en ? 'one of the listed placements.' : 'un des emplacements de la liste.',
    satisfaction: en ? 'Very good, Average or Not good.' : 'Très bien, Moyen ou Pas bien.',
    q: en ? 'at most 200 characters.' : '200 caractères au plus.',
    cursor: en
      ? 'this link is out of date: go back to the newest reviews.'
      : 'ce lien n’est plus valable\u00a0: revenez aux avis les plus récents.',
  }[problem.field];
}

/** A refused filter in the page's words: which field, and what it needs. */
function problemText(problem: ErrorDetail, lang: Lang): string {
  const en = lang === 'en';
  if (
    ['comments', 'filters', 'lang', 'hidden', 'restored', 'confirmed', 'released', 'triaged', 'status', 'tag', 'marked'].includes(
      problem.field,
    )
  ) {
    return en
      ? 'This link is not valid: go back to the newest reviews.'
      : 'Ce lien n’est pas valable\u00a0: revenez aux avis les plus récents.';
  }
  const name = FIELD_NAMES[lang][problem.field];
  if (!name) return en ? `Unknown parameter “${problem.field}”.` : `Paramètre inconnu «\u00a0${problem.field}\u00a0».`;
  return `${name}${colon(lang)}${problemNeed(problem, lang) ?? ''}`;
}

function problemsAlert(view: ReviewsPageView): SafeHtml {
  const t = TEXT[view.lang];
  const seen = new Set<string>();
  const texts = (view.problems ?? []).map((problem) => problemText(problem, view.lang)).filter((text) => !seen.has(text) && seen.add(text));
  return html`<div class="fr-alert fr-alert--error fr-mb-4w" role="alert">
  <h2 class="fr-alert__title">${t.problems}</h2>
  <ul>${texts.map((text) => html`<li>${text}</li>`)}</ul>
</div>`;
}

function results(view: ReviewsPageView): SafeHtml {
  const { lang, listing, links } = view;
  const t = TEXT[lang];
  if (!listing) return html``;
  const doneElsewhere = view.done && !listing.reviews.some((review) => review.id === view.done?.reviewId);
  return html`<section aria-labelledby="avis-titre">
<h2 id="avis-titre" class="fr-h4">${listing.older ? t.resultsOlder : t.resultsNewest}</h2>
${doneElsewhere && view.done ? doneNotice(view.done.action, lang, true) : ''}
<p class="fr-mb-1w">${t.period(longDay(listing.window.from, lang), longDay(listing.window.to, lang))}${
    listing.q === null ? '' : html` ${t.searched} «\u00a0${listing.q}\u00a0».`
  } ${t.shown(listing.reviews.length)}</p>
<p class="fr-hint-text fr-mb-1w">${t.exportHint}</p>
<ul class="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm fr-mb-2w">
  <li><a class="fr-btn fr-btn--secondary" href="${links.csv}" download>${t.csv}</a></li>
  <li><a class="fr-btn fr-btn--secondary" href="${links.xlsx}" download>${t.xlsx}</a></li>
  <li><a class="fr-btn fr-btn--secondary" href="${links.excel}" download>${TRIAGE_TEXT[lang].excel}</a></li>
</ul>
${
  listing.reviews.length === 0
    ? links.older === null
      ? html`<p class="fr-mt-2w">${listing.older ? t.noneOlder : t.none}</p>`
      : ''
    : html`<ol class="fr-raw-list">${listing.reviews.map((review) => html`<li>${reviewArticle(review, view)}</li>`)}</ol>`
}
${listing.scanStopped ? alert('info', t.scanText, { title: t.scanTitle, titleLevel: 3, small: true, spacing: '2w' }) : ''}
${reviewsPagination(view)}
</section>`;
}

function reviewsPagination(view: ReviewsPageView): SafeHtml {
  const { lang, listing, links } = view;
  const t = TEXT[lang];
  if (!listing) return html``;
  return pagination(t.pagination, {
    newest: listing.older ? { label: t.newest, href: links.newest } : null,
    older: links.older === null ? null : { label: t.older, href: links.older },
  });
}
