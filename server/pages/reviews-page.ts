// The comments page of the agency space (/espace/demarches/:id/avis): the filter form, the reviews
// newest first with every answer in words and their free text with the search words marked, the
// pages after, exports of the same filters, and, for admins, a form to hide or restore a comment and
// one to check each held-back passage (SPEC §8).
// Server-rendered DSFR markup; nothing here needs JavaScript.
import {
  ADMIN_CHANNELS,
  type Lang,
  QUESTIONS,
  SATISFACTION_ANSWERS,
  type SatisfactionAnswer,
  type ScaleValue,
  type Text,
  type WidgetLang,
} from '../../shared/questionnaire.ts';
import { SMILEYS } from '../../shared/smileys.ts';
import type { ErrorDetail } from '../http-errors.ts';
import { categoryWords } from '../scrub-free-text.ts';
import { foldForSearch } from '../store/review-records.ts';
import type { ReviewRecord } from '../store/store.ts';
import { procedureNav } from './agency-layout.ts';
import { html, SafeHtml } from './html.ts';
import { alert } from './kit/dsfr.ts';
import { colon, formatDay, formatTime } from './kit/format.ts';

const TEXT = {
  fr: {
    title: 'Avis',
    heading: 'Avis et commentaires',
    home: 'Espace agence',
    breadcrumb: 'vous êtes ici :',
    showBreadcrumb: 'Voir le fil d’Ariane',
    intro: 'Les avis des usagers avec leurs réponses, les plus récents d’abord. Heures de Paris.',
    filtersHeading: 'Filtrer les avis',
    from: 'Du',
    to: 'Au',
    dateHint: 'Par défaut, les 12 derniers mois.',
    placement: 'Emplacement',
    anyPlacement: 'Tous les emplacements',
    satisfaction: 'Satisfaction',
    anySatisfaction: 'Toutes',
    q: 'Mots recherchés',
    qHint: 'Dans les commentaires, sans tenir compte des accents ni des majuscules.',
    onlyWithComment: 'Seulement avec commentaire',
    apply: 'Filtrer',
    reset: 'Effacer les filtres',
    problems: 'Ces filtres ne peuvent pas être appliqués',
    resultsNewest: 'Avis les plus récents',
    resultsOlder: 'Avis plus anciens',
    shown: (n: number) => (n === 0 ? 'Aucun avis sur cette page.' : n === 1 ? '1 avis sur cette page.' : `${n} avis sur cette page.`),
    period: (from: string, to: string) => `Période : du ${from} au ${to}.`,
    searched: 'Recherche :',
    none: 'Aucun avis ne correspond à ces filtres.',
    noneOlder: 'Aucun avis plus ancien ne correspond à ces filtres.',
    scanTitle: 'Recherche poursuivie…',
    scanText:
      'Pour répondre vite, cette page a examiné un nombre limité d’avis et n’en a pas trouvé assez pour se remplir. D’autres avis, plus anciens, peuvent encore correspondre.',
    export: 'Exporter',
    exportHint: 'Tous les avis qui correspondent aux filtres, pas seulement cette page.',
    csv: 'Exporter en CSV',
    xlsx: 'Exporter en XLSX',
    older: 'Avis plus anciens',
    newest: 'Revenir aux avis les plus récents',
    pagination: 'Pages d’avis',
    review: 'Avis du',
    placementLabel: 'Emplacement',
    langLabel: 'Langue',
    langs: { fr: 'français', en: 'anglais', es: 'espagnol', pt: 'portugais', de: 'allemand', it: 'italien', ar: 'arabe' } as Record<
      WidgetLang,
      string
    >,
    outOf: (n: number) => `${n} sur 5`,
    comment: 'Commentaire',
    otherHelp: 'précisé',
    hiddenBy: (at: string, by: string) => `Commentaire masqué le ${at} par ${by}`,
    hiddenForReader: (at: string) => `Commentaire masqué par un administrateur le ${at}.`,
    reason: 'Raison du masquage',
    reasonHint: 'Inscrite au journal. Le texte ne sera plus montré ni exporté ; les réponses comptent toujours.',
    hide: 'Masquer',
    restore: 'Rétablir le commentaire',
    ofReview: (at: string) => ` de l’avis du ${at}`,
    hideWhat: (at: string) => ` le commentaire de l’avis du ${at}`,
    forReview: (at: string) => ` (avis du ${at})`,
    doneHidden: 'Le commentaire est masqué.',
    doneRestored: 'Le commentaire est rétabli.',
    doneConfirmed: 'Le passage est masqué pour de bon.',
    doneReleased: 'Le passage est publié tel qu’écrit.',
    held: 'À vérifier',
    heldHint: 'Des passages qui ressemblent à des données personnelles sont masqués « [à vérifier] » jusqu’à leur vérification.',
    checkLegend: (at: string) => `Passages retenus de l’avis du ${at}`,
    checkPassage: (text: string, category: string) => `« ${text} » (${category})`,
    passage: (text: string) => ` « ${text} »`,
    confirm: 'Masquer pour de bon',
    release: 'Publier tel quel',
    goneFromSearch: 'Il n’apparaît plus dans cette recherche : un texte masqué n’est pas cherché.',
  },
  en: {
    title: 'Reviews',
    heading: 'Reviews and comments',
    home: 'Agency space',
    breadcrumb: 'you are here:',
    showBreadcrumb: 'See the breadcrumb',
    intro: 'Users’ reviews with their answers, newest first. Paris time.',
    filtersHeading: 'Filter the reviews',
    from: 'From',
    to: 'To',
    dateHint: 'By default, the last 12 months.',
    placement: 'Placement',
    anyPlacement: 'Every placement',
    satisfaction: 'Satisfaction',
    anySatisfaction: 'Any',
    q: 'Search words',
    qHint: 'In the comments, ignoring accents and capitals.',
    onlyWithComment: 'Only with a comment',
    apply: 'Filter',
    reset: 'Clear the filters',
    problems: 'These filters cannot be applied',
    resultsNewest: 'Newest reviews',
    resultsOlder: 'Older reviews',
    shown: (n: number) => (n === 0 ? 'No review on this page.' : n === 1 ? '1 review on this page.' : `${n} reviews on this page.`),
    period: (from: string, to: string) => `Period: ${from} to ${to}.`,
    searched: 'Search:',
    none: 'No review matches these filters.',
    noneOlder: 'No older review matches these filters.',
    scanTitle: 'Search continued…',
    scanText:
      'To answer quickly, this page looked through a limited number of reviews and did not find enough to fill itself. Other, older reviews may still match.',
    export: 'Export',
    exportHint: 'Every review matching the filters, not only this page.',
    csv: 'Export as CSV',
    xlsx: 'Export as XLSX',
    older: 'Older reviews',
    newest: 'Back to the newest reviews',
    pagination: 'Pages of reviews',
    review: 'Review of',
    placementLabel: 'Placement',
    langLabel: 'Language',
    langs: { fr: 'French', en: 'English', es: 'Spanish', pt: 'Portuguese', de: 'German', it: 'Italian', ar: 'Arabic' } as Record<
      WidgetLang,
      string
    >,
    outOf: (n: number) => `${n} out of 5`,
    comment: 'Comment',
    otherHelp: 'specified',
    hiddenBy: (at: string, by: string) => `Comment hidden on ${at} by ${by}`,
    hiddenForReader: (at: string) => `Comment hidden by an administrator on ${at}.`,
    reason: 'Reason for hiding',
    reasonHint: 'Written to the audit log. The text will no longer be shown or exported; the answers still count.',
    hide: 'Hide',
    restore: 'Restore the comment',
    ofReview: (at: string) => ` of the review of ${at}`,
    hideWhat: (at: string) => ` the comment of the review of ${at}`,
    forReview: (at: string) => ` (review of ${at})`,
    doneHidden: 'The comment is hidden.',
    doneRestored: 'The comment is restored.',
    doneConfirmed: 'The passage is masked for good.',
    doneReleased: 'The passage is published as written.',
    held: 'To check',
    heldHint: 'Passages that look like personal data are masked “[to check]” until they are checked.',
    checkLegend: (at: string) => `Held-back passages of the review of ${at}`,
    checkPassage: (text: string, category: string) => `“${text}” (${category})`,
    passage: (text: string) => ` “${text}”`,
    confirm: 'Mask for good',
    release: 'Publish as is',
    goneFromSearch: 'It no longer shows in this search: hidden text is not searched.',
  },
} as const;

/** What the filter form shows: what was asked, as typed, so that a refused value can be corrected. */
export interface ReviewsForm {
  from: string;
  to: string;
  placement: string;
  satisfaction: string;
  q: string;
  onlyWithComment: boolean;
}

export type DoneAction = 'hidden' | 'restored' | 'confirmed' | 'released';

export interface ReviewsPageView {
  lang: Lang;
  procedure: { id: string; title: string; placements: readonly string[] };
  isAdmin: boolean;
  csrfToken: string;
  form: ReviewsForm;
  /** The page's address with its filters (and language), without cursor: links and forms start from it. */
  links: {
    /** The newest page with these filters. */
    newest: string;
    /** The next page, when there is one. */
    older: string | null;
    /** The forms' action suffix (filters, cursor, language) so that a hide comes back to this page. */
    here: string;
    csv: string;
    xlsx: string;
  };
  /** The filters could not be applied: what was wrong, and no reviews. */
  problems?: readonly ErrorDetail[];
  listing?: {
    reviews: readonly ReviewRecord[];
    /** Shown after the first page (a cursor was followed). */
    older: boolean;
    /** The page stopped at its scanning bound before it was full: more may match further back. */
    scanStopped: boolean;
    window: { from: string; to: string };
    q: string | null;
  };
  /** The review whose comment was just hidden or restored. */
  done?: { action: DoneAction; reviewId: number };
}

const dateTime = (at: number, lang: Lang) => formatTime(lang, at, 'long');
const longDay = (day: string, lang: Lang) => formatDay(lang, day);

export function reviewsPage(view: ReviewsPageView): { title: string; main: SafeHtml } {
  const { lang, procedure } = view;
  const t = TEXT[lang];
  const base = `/espace/demarches/${encodeURIComponent(procedure.id)}`;
  const suffix = lang === 'fr' ? '' : '?lang=en';
  const main = html`<nav role="navigation" class="fr-breadcrumb fr-mt-2w fr-mb-2w" aria-label="${t.breadcrumb}">
  <button type="button" class="fr-breadcrumb__button" aria-expanded="false" aria-controls="fil-ariane">${t.showBreadcrumb}</button>
  <div class="fr-collapse" id="fil-ariane">
    <ol class="fr-breadcrumb__list">
      <li><a class="fr-breadcrumb__link" href="/espace${suffix}">${t.home}</a></li>
      <li><a class="fr-breadcrumb__link" href="${base}${suffix}">${procedure.title}</a></li>
      <li><a class="fr-breadcrumb__link" aria-current="page">${t.heading}</a></li>
    </ol>
  </div>
</nav>
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
          ${procedure.placements.map((placement) => option(placement, placement, form.placement))}
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
      : 'ce lien n’est plus valable : revenez aux avis les plus récents.',
  }[problem.field];
}

/** A refused filter in the page's words: which field, and what it needs. */
function problemText(problem: ErrorDetail, lang: Lang): string {
  const en = lang === 'en';
  if (['comments', 'filters', 'lang', 'hidden', 'restored', 'confirmed', 'released'].includes(problem.field)) {
    return en ? 'This link is not valid: go back to the newest reviews.' : 'Ce lien n’est pas valable : revenez aux avis les plus récents.';
  }
  const name = FIELD_NAMES[lang][problem.field];
  if (!name) return en ? `Unknown parameter “${problem.field}”.` : `Paramètre inconnu « ${problem.field} ».`;
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
    listing.q === null ? '' : html` ${t.searched} « ${listing.q} ».`
  } ${t.shown(listing.reviews.length)}</p>
<p class="fr-hint-text fr-mb-1w">${t.exportHint}</p>
<ul class="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm fr-mb-2w">
  <li><a class="fr-btn fr-btn--secondary" href="${links.csv}" download>${t.csv}</a></li>
  <li><a class="fr-btn fr-btn--secondary" href="${links.xlsx}" download>${t.xlsx}</a></li>
</ul>
${
  listing.reviews.length === 0
    ? links.older === null
      ? html`<p class="fr-mt-2w">${listing.older ? t.noneOlder : t.none}</p>`
      : ''
    : html`<ol class="fr-raw-list">${listing.reviews.map((review) => html`<li>${reviewArticle(review, view)}</li>`)}</ol>`
}
${listing.scanStopped ? alert('info', t.scanText, { title: t.scanTitle, titleLevel: 3, small: true, spacing: '2w' }) : ''}
${pagination(view)}
</section>`;
}

function pagination(view: ReviewsPageView): SafeHtml {
  const { lang, listing, links } = view;
  const t = TEXT[lang];
  if (!listing || (!listing.older && links.older === null)) return html``;
  return html`<nav aria-label="${t.pagination}" class="fr-mt-4w">
  <ul class="fr-btns-group fr-btns-group--inline-sm">
    ${links.older === null ? '' : html`<li><a class="fr-btn" href="${links.older}">${t.older}</a></li>`}
    ${listing.older ? html`<li><a class="fr-btn fr-btn--secondary" href="${links.newest}">${t.newest}</a></li>` : ''}
  </ul>
</nav>`;
}

function doneNotice(action: DoneAction, lang: Lang, elsewhere: boolean): SafeHtml {
  const t = TEXT[lang];
  const said = { hidden: t.doneHidden, restored: t.doneRestored, confirmed: t.doneConfirmed, released: t.doneReleased }[action];
  return html`<div class="fr-alert fr-alert--success fr-alert--sm fr-mb-2w" role="status">
  <p>${said}${elsewhere && action === 'hidden' ? html` ${t.goneFromSearch}` : ''}</p>
</div>`;
}

const SATISFACTION_BADGE: Record<SatisfactionAnswer, string> = { good: 'success', medium: 'warning', bad: 'error' };

function reviewArticle(review: ReviewRecord, view: ReviewsPageView): SafeHtml {
  const { lang } = view;
  const t = TEXT[lang];
  const at = dateTime(review.createdAt, lang);
  const q = view.listing?.q ?? null;
  const satisfaction = review.answers.satisfaction;
  const headingId = `avis-${review.id}-titre`;
  return html`<article id="avis-${review.id}" class="fr-pb-2w" aria-labelledby="${headingId}">
  <hr class="fr-hr fr-mt-2w">
  <h3 id="${headingId}" class="fr-h6 fr-mb-1w">${t.review} ${at}</h3>
  ${view.done?.reviewId === review.id ? doneNotice(view.done.action, lang, false) : ''}
  <p class="fr-badge fr-badge--${SATISFACTION_BADGE[satisfaction]} fr-badge--no-icon fr-mb-1w"><svg viewBox="0 0 40 40" width="16" height="16" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round" class="fr-mr-1v"><path d="${SMILEYS[satisfaction]}"/></svg>${QUESTIONS.satisfaction.answers[satisfaction][lang]}</p>
  ${review.piiSuspected ? html`<p class="fr-badge fr-badge--new fr-ml-1w fr-mb-1w" title="${t.heldHint}">${t.held}</p>` : ''}
  <p class="fr-text--sm fr-mb-2w">${t.placementLabel}${colon(lang)}${review.placementId} · ${t.langLabel}${colon(lang)}${t.langs[review.lang]}</p>
  <dl class="fr-mb-2w">
    ${answerRows(review, view, q)}
  </dl>
  ${suspectForms(review, view, at)}
  ${moderationForm(review, view, at)}
</article>`;
}

const scale = (value: ScaleValue, low: Text, high: Text, lang: Lang) => {
  const t = TEXT[lang];
  return value === 1 ? `${t.outOf(1)} (${low[lang]})` : value === 5 ? `${t.outOf(5)} (${high[lang]})` : t.outOf(value);
};

/** Every answer of SPEC §3 the review has, each under its question, as the user read it. */
function answerRows(review: ReviewRecord, view: ReviewsPageView, q: string | null): SafeHtml[] {
  const { lang } = view;
  const t = TEXT[lang];
  const { answers } = review;
  const row = (question: Text, answer: SafeHtml | string) =>
    html`<dt class="fr-text--bold">${question[lang]}</dt><dd class="fr-ml-0 fr-mb-1w">${answer}</dd>`;
  const rows = [row(QUESTIONS.satisfaction.question, QUESTIONS.satisfaction.answers[answers.satisfaction][lang])];
  if (answers.clarity !== null)
    rows.push(row(QUESTIONS.clarity.question, scale(answers.clarity, QUESTIONS.clarity.low, QUESTIONS.clarity.high, lang)));
  if (answers.help_sought !== null) {
    const channels = answers.help_sought.map((channel) =>
      channel === 'other' && review.helpOther !== null
        ? html`${QUESTIONS.help_sought.answers.other[lang]} (${t.otherHelp}${colon(lang)}« ${highlight(review.helpOther, q)} »)`
        : html`${QUESTIONS.help_sought.answers[channel][lang]}`,
    );
    rows.push(row(QUESTIONS.help_sought.question, html`${channels.map((channel, i) => html`${i === 0 ? '' : ', '}${channel}`)}`));
  }
  const perChannel = <V>(record: Partial<Record<string, V>> | null, word: (value: V) => string) =>
    ADMIN_CHANNELS.filter((channel) => record?.[channel] !== undefined)
      .map((channel) => `${QUESTIONS.help_sought.answers[channel][lang]}${colon(lang)}${word(record![channel] as V)}`)
      .join(lang === 'fr' ? ' ; ' : '; ');
  if (answers.help_reached !== null) {
    rows.push(
      row(
        QUESTIONS.help_reached.question,
        perChannel(answers.help_reached, (answer) => QUESTIONS.help_reached.answers[answer][lang]),
      ),
    );
  }
  if (answers.help_quality !== null) {
    rows.push(
      row(
        QUESTIONS.help_quality.question,
        perChannel(answers.help_quality, (value) => scale(value, QUESTIONS.help_quality.low, QUESTIONS.help_quality.high, lang)),
      ),
    );
  }
  if (review.hidden) {
    // The text is not shown, even to admins: who hid it, when and why is (SPEC §8).
    const when = dateTime(review.hidden.at, lang);
    rows.push(
      row(
        QUESTIONS.comment.question,
        view.isAdmin
          ? html`<em>${t.hiddenBy(when, review.hidden.by)}${colon(lang)}</em>${review.hidden.reason}`
          : html`<em>${t.hiddenForReader(when)}</em>`,
      ),
    );
  } else if (review.comment !== null) {
    rows.push(
      row(
        QUESTIONS.comment.question,
        html`<div class="fr-highlight fr-ml-0"><p class="fr-text--lg">${multiline(highlight(review.comment, q))}</p></div>`,
      ),
    );
  }
  return rows;
}

/** An admin's form to hide the review's free text, with a reason, or to restore it. */
function moderationForm(review: ReviewRecord, view: ReviewsPageView, at: string): SafeHtml {
  const { lang, isAdmin } = view;
  const t = TEXT[lang];
  const actionBase = `/espace/demarches/${encodeURIComponent(view.procedure.id)}/avis/${review.id}`;
  if (!isAdmin) return html``;
  if (review.hidden) {
    return html`<form method="post" action="${actionBase}/retablir${view.links.here}">
    <input type="hidden" name="_csrf" value="${view.csrfToken}">
    <button type="submit" class="fr-btn fr-btn--secondary fr-btn--sm">${t.restore}<span class="fr-sr-only">${t.ofReview(at)}</span></button>
  </form>`;
  }
  if (review.comment === null && review.helpOther === null) return html``;
  const field = `raison-${review.id}`;
  return html`<form method="post" action="${actionBase}/masquer${view.links.here}" class="fr-grid-row">
    <input type="hidden" name="_csrf" value="${view.csrfToken}">
    <div class="fr-input-group fr-col-12 fr-col-md-8">
      <label class="fr-label" for="${field}">${t.reason}<span class="fr-sr-only">${t.forReview(at)}</span><span class="fr-hint-text">${t.reasonHint}</span></label>
      <div class="fr-input-wrap fr-input-wrap--addon">
        <input class="fr-input" type="text" id="${field}" name="reason" required maxlength="500">
        <button type="submit" class="fr-btn fr-btn--secondary">${t.hide}<span class="fr-sr-only">${t.hideWhat(at)}</span></button>
      </div>
    </div>
  </form>`;
}

/**
 * An admin's form per held-back passage: its text as written, which only admins read here, and two
 * buttons, to mask it for good or publish it. Readers see the masked text and the badge only.
 */
function suspectForms(review: ReviewRecord, view: ReviewsPageView, at: string): SafeHtml {
  const { lang } = view;
  const t = TEXT[lang];
  if (!view.isAdmin || review.suspects.length === 0) return html``;
  const actionBase = `/espace/demarches/${encodeURIComponent(view.procedure.id)}/avis/${review.id}/passages`;
  return html`<fieldset class="fr-fieldset fr-mb-2w">
  <legend class="fr-fieldset__legend fr-text--regular">${t.checkLegend(at)}</legend>
  ${review.suspects.map(
    (suspect) => html`<form method="post" action="${actionBase}/${suspect.n}/masquer${view.links.here}" class="fr-fieldset__element">
    <input type="hidden" name="_csrf" value="${view.csrfToken}">
    <p class="fr-mb-1w">${t.checkPassage(suspect.text, categoryWords(suspect.category, lang))}</p>
    <ul class="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm">
      <li><button type="submit" class="fr-btn fr-btn--secondary">${t.confirm}<span class="fr-sr-only">${t.passage(suspect.text)}</span></button></li>
      <li><button type="submit" formaction="${actionBase}/${suspect.n}/publier${view.links.here}" class="fr-btn fr-btn--tertiary">${t.release}<span class="fr-sr-only">${t.passage(suspect.text)}</span></button></li>
    </ul>
  </form>`,
  )}
</fieldset>`;
}

/** Line breaks the user typed, kept (the text itself is already escaped). */
const multiline = (text: SafeHtml): SafeHtml => new SafeHtml(text.value.replace(/\r?\n/g, '<br>'));

/**
 * `text` escaped, with every occurrence of the search words in `<mark>`. Matching uses the store's own
 * fold (accents, case, ligatures: foldForSearch), so what is marked is what the search found; the
 * marks are placed on the original text, accents and all, through a map from each folded character
 * back to the character it came from.
 */
function highlight(text: string, q: string | null): SafeHtml {
  const needle = q === null ? '' : foldForSearch(q);
  if (needle === '') return html`${text}`;
  let folded = '';
  /** For each folded character: where its original character starts, and where it ends. */
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < text.length; ) {
    const char = String.fromCodePoint(text.codePointAt(i)!);
    const end = i + char.length;
    const piece = foldForSearch(char);
    if (piece === '' && ends.length > 0) {
      // A combining mark folds to nothing: it stays with the character before it.
      let j = ends.length - 1;
      while (j >= 0 && ends[j] === i) ends[j--] = end;
    }
    for (let k = 0; k < piece.length; k++) {
      starts.push(i);
      ends.push(end);
    }
    folded += piece;
    i = end;
  }
  const parts: SafeHtml[] = [];
  let shown = 0;
  for (let found = folded.indexOf(needle); found !== -1; found = folded.indexOf(needle, found + needle.length)) {
    const from = starts[found]!;
    const to = ends[found + needle.length - 1]!;
    if (from < shown) continue;
    parts.push(html`${text.slice(shown, from)}<mark>${text.slice(from, to)}</mark>`);
    shown = to;
  }
  parts.push(html`${text.slice(shown)}`);
  return html`${parts}`;
}
