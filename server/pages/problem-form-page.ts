// The hosted problem form (SPEC §3 "Signaler un problème"): the widget's problem form on a page of
// the collector, for links in e-mails and pages without JavaScript. One plain HTML form, no script:
// the text box is hidden by CSS :has() once « ma situation personnelle » is chosen (the server drops
// any text sent with it), and the procedure's contact page is shown right under that choice.
import { PROBLEM_KINDS, PROBLEM_TEXTS, PROBLEM_TEXT_MAX, type ProblemKind } from '../../shared/problem-report.ts';
import { MESSAGES } from '../../shared/messages.ts';
import { LANGUAGES, otherWidgetLangs } from '../../shared/languages.ts';
import { dirOf, type WidgetLang } from '../../shared/questionnaire.ts';
import { HONEYPOT_FIELD, type SignedRender } from '../hosted-form-guard.ts';
import { type HtmlPage, html, page, pagesCss, SafeHtml } from './html.ts';
import { versionedClientFile } from './client-files.ts';
import { PAGE_TEXTS } from './hosted-form-texts.ts';
import { type FormProcedure, procedureHeader } from './hosted-form-page.ts';

const stylesheets = () => [pagesCss(), versionedClientFile('/hosted-form.css', 'hosted-form.css')];

/** The page's meta description, in each widget language; `{title}` is the procedure's. */
const DESCRIPTION: Record<WidgetLang, string> = {
  fr: 'Signalez un problème rencontré avec la démarche «\u00a0{title}\u00a0»\u00a0: un problème technique ou une suggestion, anonymement.',
  en: 'Report a problem with “{title}”: a technical problem or a suggestion, anonymously.',
  es: 'Informe de un problema con « {title} »: un problema técnico o una sugerencia, de forma anónima.',
  pt: 'Comunique um problema com « {title} »: um problema técnico ou uma sugestão, de forma anónima.',
  de: 'Melden Sie ein Problem mit „{title}“: ein technisches Problem oder einen Vorschlag, anonym.',
  it: 'Segnali un problema con « {title} »: un problema tecnico o un suggerimento, in forma anonima.',
  ar: 'أبلغوا عن مشكلة في «{title}»: مشكلة تقنية أو اقتراح، دون الكشف عن الهوية.',
};

/** The page's frame: the procedure's entity and title in the header, so that the person knows whom they write to. */
function shell(lang: WidgetLang, procedure: Pick<FormProcedure, 'title' | 'entity' | 'logo'>, title: string, body: SafeHtml): HtmlPage {
  return page({
    lang,
    dir: dirOf(lang),
    title: `${title} – ${procedure.title}`,
    description: DESCRIPTION[lang].replace('{title}', procedure.title),
    stylesheets: stylesheets(),
    body: html`${procedureHeader(procedure)}
<main>
${body}
<p class="hint"><a href="/confidentialite?lang=${lang}" target="_blank">${MESSAGES.anonymous[lang]}</a></p>
</main>`,
  });
}

export type ProblemFieldError = 'kind' | 'text';

const contactLine = (lang: WidgetLang, contactUrl: string | null): SafeHtml =>
  contactUrl
    ? html`${PROBLEM_TEXTS.contact[lang]} <a href="${contactUrl}">${PROBLEM_TEXTS.contactLink[lang]}</a>`
    : html`${PROBLEM_TEXTS.noContact[lang]}`;

export function problemFormPage(opts: {
  procedure: FormProcedure;
  placement: string;
  lang: WidgetLang;
  formKey: string;
  signed: SignedRender;
  contactUrl: string | null;
  /** This page's address in another language. */
  langHref: (other: WidgetLang) => string;
  kind?: ProblemKind | undefined;
  text?: string;
  error?: ProblemFieldError;
  /** Said above the form, as when a post is to be confirmed. */
  notice?: 'confirm';
}): HtmlPage {
  const { procedure, placement, lang, kind, error } = opts;
  const p = PROBLEM_TEXTS;
  const errorText = error === 'kind' ? p.chooseKind[lang] : error === 'text' ? p.writeText[lang] : '';
  const describedBy = (field: ProblemFieldError) => (error === field ? new SafeHtml(` aria-describedby="${field}-error"`) : '');
  const body = html`<h1>${p.button[lang]}</h1>
<p class="lang-switch">${otherWidgetLangs(lang).map((other) => html`<a href="${opts.langHref(other)}" hreflang="${other}" lang="${other}">${LANGUAGES[other].name}</a>`)}</p>
${opts.notice ? html`<p class="notice" id="notice">${PAGE_TEXTS[opts.notice][lang]}</p>` : ''}
${
  error
    ? html`<div class="errors" role="alert" aria-labelledby="error-summary">
<h2 id="error-summary">${PAGE_TEXTS.errorSummary[lang]}</h2>
<ul><li><a href="#${error}">${errorText}</a></li></ul>
</div>`
    : ''
}
<form method="post" action="/probleme/${procedure.id}">
<input type="hidden" name="placement" value="${placement}">
<input type="hidden" name="lang" value="${lang}">
<input type="hidden" name="form_key" value="${opts.formKey}">
<input type="hidden" name="rendered_at" value="${opts.signed.renderedAt}">
<input type="hidden" name="signature" value="${opts.signed.signature}">
<div hidden aria-hidden="true"><label>${PAGE_TEXTS.honeypot[lang]} <input type="text" name="${HONEYPOT_FIELD}" value="" tabindex="-1" autocomplete="off"></label></div>
<fieldset id="kind"${describedBy('kind')}>
<legend>${p.question[lang]}</legend>
${error === 'kind' ? html`<p class="error" id="kind-error">${errorText}</p>` : ''}
${PROBLEM_KINDS.map(
  (
    each,
  ) => html`<label class="check"><input type="radio" name="kind" value="${each}" required${kind === each ? new SafeHtml(' checked') : ''}> ${p.kinds[each][lang]}</label>
${each === 'own_situation' ? html`<p class="hint situation">${contactLine(lang, opts.contactUrl)}</p>\n` : ''}`,
)}</fieldset>
<div class="field problem-text">
<label for="text">${p.text[lang]}</label>
${error === 'text' ? html`<p class="error" id="text-error">${errorText}</p>` : ''}
<textarea id="text" name="text" rows="5" maxlength="${PROBLEM_TEXT_MAX}"${describedBy('text')}>${opts.text ?? ''}</textarea>
</div>
<button type="submit" class="primary">${p.send[lang]}</button>
</form>`;
  return shell(lang, procedure, p.button[lang], body);
}

export function problemThanksPage(lang: WidgetLang, procedure: FormProcedure, kind: ProblemKind, contactUrl: string | null): HtmlPage {
  return shell(
    lang,
    procedure,
    PROBLEM_TEXTS.thanks[lang],
    html`<h1>${PROBLEM_TEXTS.thanks[lang]}</h1>
${kind === 'own_situation' ? html`<p>${contactLine(lang, contactUrl)}</p>` : ''}
<p>${PAGE_TEXTS.closePage[lang]}</p>`,
  );
}
