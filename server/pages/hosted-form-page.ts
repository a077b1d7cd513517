// The hosted form (SPEC §5): the widget's questions on a page of the collector, for links in
// e-mails and letters. Plain HTML forms, no script: it works with JavaScript off, and under PAGE_CSP.
// Same two steps as the widget: the hot rating is stored first (SPEC §3), then the optional follow-ups.
// Follow-up questions about a channel sit under its checkbox; CSS :has() hides them until it is ticked.
import {
  ADMIN_CHANNELS,
  OTHER_CHANNELS,
  NO_HELP,
  QUESTIONS,
  REACHED_ANSWERS,
  SATISFACTION_ANSWERS,
  SCALE_VALUES,
  LIMITS,
  type HelpChannel,
  dirOf,
  type SatisfactionAnswer,
  type WidgetLang,
  type WidgetText,
} from '../../shared/questionnaire.ts';
import { MESSAGES } from '../../shared/messages.ts';
import { SMILEYS } from '../../shared/smileys.ts';
import type { FollowUpDraft } from '../../shared/follow-up-draft.ts';
import { labelOverrides, type FormConfig, type OptionalStep } from '../../shared/form-config.ts';
import type { Procedure } from '../store/store.ts';
import { HONEYPOT_FIELD, type SignedRender } from '../hosted-form-guard.ts';
import { type HtmlPage, html, page, pagesCss, SafeHtml } from './html.ts';
import { versionedClientFile } from './client-files.ts';
import { LANGUAGES, otherWidgetLangs } from '../../shared/languages.ts';
import { PAGE_TEXTS } from './hosted-form-texts.ts';

export type PageText = keyof typeof PAGE_TEXTS;
/** A field the visitor must correct, with the text that says how. */
export type FieldErrors = Partial<Record<'satisfaction' | 'clarity' | 'help_sought' | 'help_other' | 'comment', PageText>>;

const stylesheets = () => [pagesCss(), versionedClientFile('/hosted-form.css', 'hosted-form.css')];
const checked = (on: boolean) => (on ? new SafeHtml(' checked') : '');

/** The form's meta description, in each widget language; `{title}` is the procedure's. */
const DESCRIPTION: Record<WidgetLang, string> = {
  fr: 'Donnez votre avis sur la démarche «\u00a0{title}\u00a0»\u00a0: quelques questions, anonymes, en une minute.',
  en: 'Give your feedback on “{title}”: a few anonymous questions, in a minute.',
  es: 'Dé su opinión sobre « {title} »: unas preguntas anónimas, en un minuto.',
  pt: 'Dê a sua opinião sobre « {title} »: algumas perguntas anónimas, num minuto.',
  de: 'Geben Sie Ihre Meinung zu „{title}“ ab: ein paar anonyme Fragen, in einer Minute.',
  it: 'Dia il suo parere su « {title} »: qualche domanda anonima, in un minuto.',
  ar: 'أبدوا رأيكم في «{title}»: بضعة أسئلة مجهولة الهوية، في دقيقة واحدة.',
};
const fillDescription = (template: string, title: string) => template.replace('{title}', title);

/** A procedure as its hosted pages show it: with the path of its entity's logo, when the entity has one. */
export type FormProcedure = Procedure & { logo?: string | undefined };

/**
 * The header of a procedure's hosted pages: the entity's logo, then its name and the procedure's
 * title as text. The logo's alt is empty: the name beside it says everything it would.
 */
export const procedureHeader = (procedure: Pick<FormProcedure, 'title' | 'entity' | 'logo'>): SafeHtml =>
  html`<header class="site">${procedure.logo ? html`<img src="${procedure.logo}" alt="" class="entity-logo">` : ''}<p>${procedure.entity}</p><p class="procedure">${procedure.title}</p></header>`;

/** The page's frame; with the procedure, its entity's name and its title in the header, so that the person knows whom they answer. */
function shell(lang: WidgetLang, title: string, body: SafeHtml, procedure?: Pick<FormProcedure, 'title' | 'entity' | 'logo'>): HtmlPage {
  return page({
    lang,
    dir: dirOf(lang),
    title: `${title} – ${MESSAGES.button[lang]}`,
    description: fillDescription(DESCRIPTION[lang], title),
    stylesheets: stylesheets(),
    body: html`${procedure ? procedureHeader(procedure) : html`<header class="site"><p>${MESSAGES.button[lang]}</p></header>`}
<main>
${body}
<p class="hint"><a href="/confidentialite?lang=${lang}" target="_blank">${MESSAGES.anonymous[lang]}</a></p>
</main>`,
  });
}

function errorSummary(lang: WidgetLang, errors: FieldErrors): SafeHtml | '' {
  const fields = Object.entries(errors);
  if (fields.length === 0) return '';
  return html`<div class="errors" role="alert" aria-labelledby="error-summary">
<h2 id="error-summary">${PAGE_TEXTS.errorSummary[lang]}</h2>
<ul>${fields.map(([field, text]) => html`<li><a href="#${field}">${PAGE_TEXTS[text!][lang]}</a></li>`)}</ul>
</div>`;
}

function fieldError(lang: WidgetLang, errors: FieldErrors, field: keyof FieldErrors): SafeHtml | '' {
  const text = errors[field];
  return text ? html`<p class="error" id="${field}-error">${PAGE_TEXTS[text][lang]}</p>` : '';
}

/**
 * Step 1: the three smileys (SPEC §3). The form carries its signed render time, and a honeypot: a
 * text field inside an element that is `hidden` (not displayed, so out of the accessibility tree
 * and the tab order) and `aria-hidden`, with tabindex=-1 and autocomplete=off so that neither a
 * keyboard, a screen reader nor the browser's autofill ever reaches it; only scripts that fill
 * every field they find do.
 */
export function ratingPage(opts: {
  procedure: FormProcedure;
  placement: string;
  lang: WidgetLang;
  formKey: string;
  signed: SignedRender;
  errors?: FieldErrors;
  /** This page's address in another language. */
  langHref: (other: WidgetLang) => string;
  /** The smiley already chosen: in a form sent again, or by a widget that could not send it and links here. */
  chosen?: SatisfactionAnswer | undefined;
  /** Said above the form, as when a post is to be confirmed. */
  notice?: PageText;
}): HtmlPage {
  const { procedure, placement, lang, errors = {}, chosen } = opts;
  const q = QUESTIONS.satisfaction;
  const body = html`<h1>${PAGE_TEXTS.title[lang]}</h1>
<p class="procedure">${PAGE_TEXTS.procedure[lang]}${LANGUAGES[lang].colon}<strong>${procedure.title}</strong> (${procedure.entity})</p>
<p class="lang-switch">${otherWidgetLangs(lang).map((other) => html`<a href="${opts.langHref(other)}" hreflang="${other}" lang="${other}">${LANGUAGES[other].name}</a>`)}</p>
${opts.notice ? html`<p class="notice" id="notice">${PAGE_TEXTS[opts.notice][lang]}</p>` : ''}
${errorSummary(lang, errors)}
<form method="post" action="/avis/${procedure.id}">
<input type="hidden" name="placement" value="${placement}">
<input type="hidden" name="lang" value="${lang}">
<input type="hidden" name="form_key" value="${opts.formKey}">
<input type="hidden" name="rendered_at" value="${opts.signed.renderedAt}">
<input type="hidden" name="signature" value="${opts.signed.signature}">
${
  chosen
    ? html`<input type="hidden" name="preset" value="${chosen}">
`
    : ''
}<div hidden aria-hidden="true"><label>${PAGE_TEXTS.honeypot[lang]} <input type="text" name="${HONEYPOT_FIELD}" value="" tabindex="-1" autocomplete="off"></label></div>
<fieldset id="satisfaction"${errors.satisfaction ? new SafeHtml(' aria-describedby="satisfaction-error"') : ''}>
<legend>${q.question[lang]}</legend>
${fieldError(lang, errors, 'satisfaction')}
<div class="tiles">
${SATISFACTION_ANSWERS.map(
  (answer) => html`<label class="tile"><input type="radio" name="satisfaction" value="${answer}" required${checked(chosen === answer)}>
<svg viewBox="0 0 40 40" width="40" height="40" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><path d="${SMILEYS[answer]}"/></svg>
<span>${q.answers[answer][lang]}</span></label>
`,
)}</div>
</fieldset>
<button type="submit" class="primary">${MESSAGES.sendRating[lang]}</button>
</form>`;
  return shell(lang, PAGE_TEXTS.title[lang], body, procedure);
}

function scale(
  name: string,
  legend: string,
  low: WidgetText,
  high: WidgetText,
  t: (text: WidgetText) => string,
  value: number | undefined,
  id = name,
): SafeHtml {
  // Five equal tiles on one row, whatever the width; the ends' names sit under the row, each tied
  // to its end's radio (aria-describedby) so that a screen reader says « 1, Pas clair du tout ».
  const ends = { 1: `${id}-low`, 5: `${id}-high` } as Record<number, string>;
  return html`<fieldset id="${id}" class="scale">
<legend>${legend}</legend>
<div class="tiles five">
${SCALE_VALUES.map(
  (n) =>
    html`<label class="tile"><input type="radio" name="${name}" value="${n}"${ends[n] ? new SafeHtml(` aria-describedby="${ends[n]}"`) : ''}${checked(value === n)}> ${n}</label>
`,
)}</div>
<p class="ends"><small id="${ends[1]}">${t(low)}</small><small id="${ends[5]}">${t(high)}</small></p>
</fieldset>`;
}

/** Step 2: the optional follow-ups, for the review just created; its token travels in the form. */
export function followUpPage(opts: {
  procedure: FormProcedure;
  reviewId: number;
  token: string;
  lang: WidgetLang;
  draft: FollowUpDraft;
  errors?: FieldErrors;
  /** The procedure's published form: the steps it hides, the labels it changes (SPEC §3 "Customisation"). */
  form: FormConfig;
}): HtmlPage {
  const { procedure, lang, draft, errors = {}, form } = opts;
  const overrides = labelOverrides(form.labels);
  const t = (text: WidgetText) => overrides.get(text) || text[lang];
  const shown = (step: OptionalStep) => !form.hidden.includes(step);
  const sought = QUESTIONS.help_sought;
  const { colon } = LANGUAGES[lang];
  const check = (channel: HelpChannel, follow: SafeHtml | '' = '') => html`<div class="channel">
<label class="check"><input type="checkbox" name="help_sought" value="${channel}"${checked(draft.help_sought.includes(channel))}> ${t(sought.answers[channel])}</label>
${follow ? html`<div class="follow">${follow}</div>` : ''}
</div>
`;
  const adminFollow = (channel: (typeof ADMIN_CHANNELS)[number]) => html`<fieldset class="reached">
<legend>${t(sought.answers[channel])}${colon}${t(QUESTIONS.help_reached.question)}</legend>
<div class="tiles">${REACHED_ANSWERS.map((answer) => html`<label class="tile"><input type="radio" name="reached_${channel}" value="${answer}"${checked(draft.help_reached[channel] === answer)}> ${t(QUESTIONS.help_reached.answers[answer])}</label>`)}</div>
</fieldset>
${scale(`quality_${channel}`, `${t(sought.answers[channel])}${colon}${t(QUESTIONS.help_quality.question)}`, QUESTIONS.help_quality.low, QUESTIONS.help_quality.high, t, draft.help_quality[channel])}`;
  const otherFollow = html`<div class="field"><label for="help_other">${t(QUESTIONS.help_other.question)}</label>
${fieldError(lang, errors, 'help_other')}
<input type="text" id="help_other" name="help_other" maxlength="${LIMITS.helpOther}" value="${draft.help_other}"></div>`;

  const body = html`<h1 tabindex="-1">${MESSAGES.sent[lang]}</h1>
<p class="procedure">${PAGE_TEXTS.procedure[lang]}${LANGUAGES[lang].colon}<strong>${procedure.title}</strong> (${procedure.entity})</p>
${errorSummary(lang, errors)}
<form method="post" action="/avis/${procedure.id}/${opts.reviewId}">
<h2>${MESSAGES.more[lang]}</h2>
<input type="hidden" name="token" value="${opts.token}">
<input type="hidden" name="lang" value="${lang}">
${shown('clarity') ? scale('clarity', t(QUESTIONS.clarity.question), QUESTIONS.clarity.low, QUESTIONS.clarity.high, t, draft.clarity) : ''}
${
  shown('help')
    ? html`<fieldset id="help_sought"${errors.help_sought ? new SafeHtml(' aria-describedby="help_sought-error"') : ''}>
<legend>${t(sought.question)}</legend>
<p class="hint">${t(sought.hint)}</p>
${fieldError(lang, errors, 'help_sought')}
<fieldset class="group"><legend>${t(sought.adminGroup)}</legend>
${ADMIN_CHANNELS.map((channel) => check(channel, adminFollow(channel)))}</fieldset>
<fieldset class="group"><legend>${t(sought.otherGroup)}</legend>
${OTHER_CHANNELS.map((channel) => check(channel, channel === 'other' ? otherFollow : ''))}</fieldset>
${check(NO_HELP)}</fieldset>`
    : ''
}
${
  shown('comment')
    ? html`<div class="field"><label for="comment">${t(QUESTIONS.comment.question)}</label>
<p class="hint" id="comment-hint">${t(QUESTIONS.comment.hint)}</p>
${fieldError(lang, errors, 'comment')}
<textarea id="comment" name="comment" rows="5" maxlength="${LIMITS.comment}" aria-describedby="comment-hint">${draft.comment}</textarea></div>`
    : ''
}
<div class="actions">
<button type="submit" name="action" value="send" class="primary">${MESSAGES.sendAnswers[lang]}</button>
<button type="submit" name="action" value="skip" class="secondary">${MESSAGES.skip[lang]}</button>
</div>
</form>`;
  return shell(lang, MESSAGES.more[lang], body, procedure);
}

export function thanksPage(lang: WidgetLang, note?: PageText): HtmlPage {
  return shell(
    lang,
    MESSAGES.thanks[lang],
    html`<h1>${MESSAGES.thanks[lang]}</h1>
${note ? html`<p>${PAGE_TEXTS[note][lang]}</p>` : ''}
<p>${PAGE_TEXTS.closePage[lang]}</p>`,
  );
}

export type Problem = 'notFound' | 'archived' | 'forbidden' | 'rateLimited' | 'tooManyRatings';

export function problemPage(lang: WidgetLang, kind: Problem): HtmlPage {
  const title = PAGE_TEXTS[`${kind}Title`][lang];
  return shell(
    lang,
    title,
    html`<h1>${title}</h1>
<p>${PAGE_TEXTS[kind][lang]}</p>`,
  );
}
