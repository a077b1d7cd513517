// One review on the comments page: its answers in words, its free text with the search words marked,
// and, for admins, the forms that hide or restore it and check each held-back passage.
import { ADMIN_CHANNELS, type Lang, QUESTIONS, type SatisfactionAnswer, type ScaleValue, type Text } from '../../shared/questionnaire.ts';
import { SMILEYS } from '../../shared/smileys.ts';
import { categoryWords } from '../scrub/scrub.ts';
import { foldForSearch } from '../store/review-records.ts';
import type { ReviewRecord } from '../store/store.ts';
import { html, SafeHtml } from './html.ts';
import { colon, formatTime } from './kit/format.ts';
import { TEXT } from './reviews-texts.ts';
import { suggestionForm, TRIAGE_TEXT, triageBadges, triageForm } from './review-triage-form.ts';
import type { DoneAction, ReviewsPageView } from './reviews-texts.ts';
import { placementName } from './kit/texts.ts';

const dateTime = (at: number, lang: Lang) => formatTime(lang, at, 'long');

const SATISFACTION_BADGE: Record<SatisfactionAnswer, string> = { good: 'success', medium: 'warning', bad: 'error' };

export function reviewArticle(review: ReviewRecord, view: ReviewsPageView): SafeHtml {
  const { lang } = view;
  const t = TEXT[lang];
  const at = dateTime(review.createdAt, lang);
  const q = view.listing?.q ?? null;
  const satisfaction = review.answers.satisfaction;
  const headingId = `avis-${review.id}-titre`;
  const suggestion = view.listing?.suggestions?.get(review.id);
  return html`<article id="avis-${review.id}" class="fr-pb-2w" aria-labelledby="${headingId}">
  <hr class="fr-hr fr-mt-2w">
  <h3 id="${headingId}" class="fr-h6 fr-mb-1w">${t.review} ${at}</h3>
  ${view.done?.reviewId === review.id ? doneNotice(view.done.action, lang, false) : ''}
  <p class="fr-badge fr-badge--${SATISFACTION_BADGE[satisfaction]} fr-badge--no-icon fr-mb-1w"><svg viewBox="0 0 40 40" width="16" height="16" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round" class="fr-mr-1v"><path d="${SMILEYS[satisfaction]}"/></svg>${QUESTIONS.satisfaction.answers[satisfaction][lang]}</p>
  ${review.piiSuspected ? html`<p class="fr-badge fr-badge--new fr-ml-1w fr-mb-1w" title="${t.heldHint}">${t.held}</p>` : ''}
  ${review.test ? html`<p class="fr-badge fr-badge--warning fr-ml-1w fr-mb-1w" title="${t.testHint}">${t.test}</p>` : ''}
  ${triageBadges(review, lang)}
  <p class="fr-text--sm fr-mb-2w">${t.placementLabel}${colon(lang)}${placementName(lang, review.placementId)} · ${t.langLabel}${colon(lang)}${t.langs[review.lang]}</p>
  <dl class="fr-mb-2w">
    ${answerRows(review, view, q)}
  </dl>
  ${suspectForms(review, view, at)}
  ${moderationForm(review, view, at)}
  ${suggestion ? suggestionForm(review, suggestion, view, at) : ''}
  ${triageForm(review, view, at)}
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
        ? html`${QUESTIONS.help_sought.answers.other[lang]} (${t.otherHelp}${colon(lang)}«\u00a0${highlight(review.helpOther, q)}\u00a0»)`
        : html`${QUESTIONS.help_sought.answers[channel][lang]}`,
    );
    rows.push(row(QUESTIONS.help_sought.question, html`${channels.map((channel, i) => html`${i === 0 ? '' : ', '}${channel}`)}`));
  }
  const perChannel = <V>(record: Partial<Record<string, V>> | null, word: (value: V) => string) =>
    ADMIN_CHANNELS.filter((channel) => record?.[channel] !== undefined)
      .map((channel) => `${QUESTIONS.help_sought.answers[channel][lang]}${colon(lang)}${word(record![channel] as V)}`)
      .join(lang === 'fr' ? '\u00a0; ' : '; ');
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

export function doneNotice(action: DoneAction, lang: Lang, elsewhere: boolean): SafeHtml {
  const t = TEXT[lang];
  const said = {
    hidden: t.doneHidden,
    restored: t.doneRestored,
    confirmed: t.doneConfirmed,
    released: t.doneReleased,
    triaged: TRIAGE_TEXT[lang].done,
  }[action];
  return html`<div class="fr-alert fr-alert--success fr-alert--sm fr-mb-2w" role="status">
  <p>${said}${elsewhere && action === 'hidden' ? html` ${t.goneFromSearch}` : ''}</p>
</div>`;
}
