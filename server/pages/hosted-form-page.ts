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
import type { Procedure } from '../store/store.ts';
import { HONEYPOT_FIELD, type SignedRender } from '../hosted-form-guard.ts';
import { html, page, SafeHtml } from './html.ts';
import { LANGUAGES, otherWidgetLangs } from '../../shared/languages.ts';

/** Texts only these pages show (the questions and the widget's texts come from shared/). */
const PAGE_TEXTS = {
  title: {
    fr: 'Donnez votre avis',
    en: 'Give your feedback',
    es: 'Dé su opinión',
    pt: 'Dê a sua opinião',
    de: 'Geben Sie Ihre Meinung ab',
    it: 'Dia il suo parere',
    ar: 'أبدوا رأيكم',
  },
  procedure: { fr: 'Démarche', en: 'Procedure', es: 'Trámite', pt: 'Procedimento', de: 'Verfahren', it: 'Procedura', ar: 'الإجراء' },
  errorSummary: {
    fr: 'Le formulaire contient une erreur',
    en: 'There is a problem',
    es: 'El formulario contiene un error',
    pt: 'O formulário contém um erro',
    de: 'Das Formular enthält einen Fehler',
    it: 'Il modulo contiene un errore',
    ar: 'يحتوي النموذج على خطأ',
  },
  noneAlone: {
    fr: '« Je n’ai pas eu besoin d’aide » ne peut pas être coché avec un autre moyen.',
    en: '“I did not need any help” cannot be ticked with another way.',
    es: '«No necesité ayuda» no puede marcarse junto con otro medio.',
    pt: '«Não precisei de ajuda» não pode ser assinalado com outro meio.',
    de: '„Ich brauchte keine Hilfe“ kann nicht zusammen mit einem anderen Weg angekreuzt werden.',
    it: '«Non ho avuto bisogno di aiuto» non può essere selezionato insieme a un altro modo.',
    ar: 'لا يمكن اختيار «لم أحتج إلى مساعدة» مع وسيلة أخرى.',
  },
  chooseOne: {
    fr: 'Choisissez une réponse.',
    en: 'Choose an answer.',
    es: 'Elija una respuesta.',
    pt: 'Escolha uma resposta.',
    de: 'Wählen Sie eine Antwort.',
    it: 'Scelga una risposta.',
    ar: 'اختاروا إجابة.',
  },
  tooLong: {
    fr: 'Ce texte est trop long.',
    en: 'This text is too long.',
    es: 'Este texto es demasiado largo.',
    pt: 'Este texto é demasiado longo.',
    de: 'Dieser Text ist zu lang.',
    it: 'Questo testo è troppo lungo.',
    ar: 'هذا النص طويل جدًا.',
  },
  invalid: {
    fr: 'Cette réponse n’est pas valable.',
    en: 'This answer is not valid.',
    es: 'Esta respuesta no es válida.',
    pt: 'Esta resposta não é válida.',
    de: 'Diese Antwort ist ungültig.',
    it: 'Questa risposta non è valida.',
    ar: 'هذه الإجابة غير صالحة.',
  },
  closePage: {
    fr: 'Vous pouvez fermer cette page.',
    en: 'You may close this page.',
    es: 'Puede cerrar esta página.',
    pt: 'Pode fechar esta página.',
    de: 'Sie können diese Seite schließen.',
    it: 'Può chiudere questa pagina.',
    ar: 'يمكنكم إغلاق هذه الصفحة.',
  },
  expired: {
    fr: 'Le délai d’une heure pour compléter votre avis est dépassé : ces réponses n’ont pas été enregistrées, votre avis l’a été.',
    en: 'The one-hour window to complete your feedback has passed: these answers were not recorded, your feedback was.',
    es: 'Ha pasado el plazo de una hora para completar su opinión: estas respuestas no se han registrado; su opinión, sí.',
    pt: 'O prazo de uma hora para completar a sua opinião terminou: estas respostas não foram registadas, a sua opinião foi.',
    de: 'Die Frist von einer Stunde zum Ergänzen Ihrer Meinung ist abgelaufen: Diese Antworten wurden nicht gespeichert, Ihre Meinung schon.',
    it: 'Il termine di un’ora per completare il suo parere è scaduto: queste risposte non sono state registrate, il suo parere sì.',
    ar: 'انقضت مهلة الساعة لإكمال رأيكم: لم تُسجَّل هذه الإجابات، أما رأيكم فقد سُجِّل.',
  },
  notFoundTitle: {
    fr: 'Démarche introuvable',
    en: 'Procedure not found',
    es: 'Trámite no encontrado',
    pt: 'Procedimento não encontrado',
    de: 'Verfahren nicht gefunden',
    it: 'Procedura non trovata',
    ar: 'الإجراء غير موجود',
  },
  notFound: {
    fr: 'Ce lien ne correspond à aucune démarche. Vérifiez l’adresse reçue.',
    en: 'This link does not match any procedure. Check the address you received.',
    es: 'Este enlace no corresponde a ningún trámite. Compruebe la dirección que recibió.',
    pt: 'Esta ligação não corresponde a nenhum procedimento. Verifique o endereço que recebeu.',
    de: 'Dieser Link gehört zu keinem Verfahren. Bitte prüfen Sie die erhaltene Adresse.',
    it: 'Questo link non corrisponde a nessuna procedura. Verifichi l’indirizzo ricevuto.',
    ar: 'لا يطابق هذا الرابط أي إجراء. يرجى التحقق من العنوان الذي تلقيتموه.',
  },
  alreadyRecorded: {
    fr: 'Votre avis a déjà été enregistré : il ne compte qu’une fois.',
    en: 'Your feedback was already recorded: it counts only once.',
    es: 'Su opinión ya ha sido registrada: solo cuenta una vez.',
    pt: 'A sua opinião já foi registada: só conta uma vez.',
    de: 'Ihre Meinung wurde bereits gespeichert: Sie zählt nur einmal.',
    it: 'Il suo parere è già stato registrato: conta una sola volta.',
    ar: 'سبق تسجيل رأيكم: ولا يُحتسب إلا مرة واحدة.',
  },
  rateLimitedTitle: {
    fr: 'Trop d’envois',
    en: 'Too many submissions',
    es: 'Demasiados envíos',
    pt: 'Demasiados envios',
    de: 'Zu viele Sendungen',
    it: 'Troppi invii',
    ar: 'عدد كبير جدًا من الإرسالات',
  },
  rateLimited: {
    fr: 'Trop d’avis ont été envoyés depuis votre connexion : réessayez dans une minute.',
    en: 'Too much feedback was sent from your connection: try again in a minute.',
    es: 'Se han enviado demasiadas opiniones desde su conexión: vuelva a intentarlo dentro de un minuto.',
    pt: 'Foram enviadas demasiadas opiniões a partir da sua ligação: tente novamente dentro de um minuto.',
    de: 'Von Ihrer Verbindung wurden zu viele Meinungen gesendet: Bitte versuchen Sie es in einer Minute erneut.',
    it: 'Dalla sua connessione sono stati inviati troppi pareri: riprovi tra un minuto.',
    ar: 'أُرسلت آراء كثيرة جدًا من اتصالكم: يرجى المحاولة مجددًا بعد دقيقة.',
  },
  confirm: {
    fr: 'Merci de confirmer votre avis : vérifiez votre réponse, puis cliquez de nouveau sur « Envoyer mon avis ».',
    en: 'Please confirm your feedback: check your answer, then click “Send my feedback” again.',
    es: 'Confirme su opinión: compruebe su respuesta y vuelva a pulsar «Enviar mi opinión».',
    pt: 'Confirme a sua opinião: verifique a sua resposta e clique novamente em «Enviar a minha opinião».',
    de: 'Bitte bestätigen Sie Ihre Meinung: Prüfen Sie Ihre Antwort und klicken Sie dann erneut auf „Meine Meinung senden“.',
    it: 'Confermi il suo parere: verifichi la risposta, poi clicchi di nuovo su «Invia il mio parere».',
    ar: 'يرجى تأكيد رأيكم: تحققوا من إجابتكم، ثم انقروا مجددًا على «إرسال رأيي».',
  },
  honeypot: {
    fr: 'Laissez ce champ vide',
    en: 'Leave this field empty',
    es: 'Deje este campo vacío',
    pt: 'Deixe este campo vazio',
    de: 'Lassen Sie dieses Feld leer',
    it: 'Lasci vuoto questo campo',
    ar: 'اتركوا هذا الحقل فارغًا',
  },
  tooManyRatingsTitle: {
    fr: 'Avis déjà donnés aujourd’hui',
    en: 'Feedback already given today',
    es: 'Opiniones ya dadas hoy',
    pt: 'Opiniões já dadas hoje',
    de: 'Heute bereits abgegebene Meinungen',
    it: 'Pareri già dati oggi',
    ar: 'آراء أُبديت اليوم بالفعل',
  },
  tooManyRatings: MESSAGES.tooManyRatings,
  archivedTitle: {
    fr: 'Démarche fermée aux avis',
    en: 'Procedure closed to feedback',
    es: 'Trámite cerrado a las opiniones',
    pt: 'Procedimento fechado a opiniões',
    de: 'Verfahren nimmt keine Meinungen mehr an',
    it: 'Procedura chiusa ai pareri',
    ar: 'الإجراء مغلق أمام الآراء',
  },
  archived: {
    fr: 'Cette démarche ne recueille plus d’avis. Merci d’avoir voulu donner le vôtre.',
    en: 'This procedure no longer collects feedback. Thank you for wanting to give yours.',
    es: 'Este trámite ya no recoge opiniones. Gracias por querer dar la suya.',
    pt: 'Este procedimento já não recolhe opiniões. Obrigado por ter querido dar a sua.',
    de: 'Für dieses Verfahren werden keine Meinungen mehr gesammelt. Vielen Dank, dass Sie Ihre geben wollten.',
    it: 'Questa procedura non raccoglie più pareri. Grazie per aver voluto dare il suo.',
    ar: 'لم يعد هذا الإجراء يجمع الآراء. شكرًا لرغبتكم في إبداء رأيكم.',
  },
  forbiddenTitle: {
    fr: 'Envoi refusé',
    en: 'Sending refused',
    es: 'Envío rechazado',
    pt: 'Envio recusado',
    de: 'Senden abgelehnt',
    it: 'Invio rifiutato',
    ar: 'رُفض الإرسال',
  },
  forbidden: {
    fr: 'Ce formulaire ne peut pas être envoyé depuis ce site, ou ce lien n’est plus valable.',
    en: 'This form cannot be sent from this site, or this link is no longer valid.',
    es: 'Este formulario no puede enviarse desde este sitio, o este enlace ya no es válido.',
    pt: 'Este formulário não pode ser enviado a partir deste sítio, ou esta ligação já não é válida.',
    de: 'Dieses Formular kann nicht von dieser Website gesendet werden, oder dieser Link ist nicht mehr gültig.',
    it: 'Questo modulo non può essere inviato da questo sito, oppure questo link non è più valido.',
    ar: 'لا يمكن إرسال هذا النموذج من هذا الموقع، أو أن هذا الرابط لم يعد صالحًا.',
  },
} satisfies Record<string, WidgetText>;

export type PageText = keyof typeof PAGE_TEXTS;
/** A field the visitor must correct, with the text that says how. */
export type FieldErrors = Partial<Record<'satisfaction' | 'clarity' | 'help_sought' | 'help_other' | 'comment', PageText>>;

const STYLESHEETS = ['/pages.css', '/hosted-form.css'];
const checked = (on: boolean) => (on ? new SafeHtml(' checked') : '');

function shell(lang: WidgetLang, title: string, body: SafeHtml): string {
  return page({
    lang,
    dir: dirOf(lang),
    title: `${title} – ${MESSAGES.button[lang]}`,
    stylesheets: STYLESHEETS,
    body: html`<header class="site"><p>${MESSAGES.button[lang]}</p></header>
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
  procedure: Procedure;
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
}): string {
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
  return shell(lang, PAGE_TEXTS.title[lang], body);
}

function scale(
  name: string,
  legend: string,
  low: WidgetText,
  high: WidgetText,
  lang: WidgetLang,
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
<p class="ends"><small id="${ends[1]}">${low[lang]}</small><small id="${ends[5]}">${high[lang]}</small></p>
</fieldset>`;
}

/** Step 2: the optional follow-ups, for the review just created; its token travels in the form. */
export function followUpPage(opts: {
  procedure: Procedure;
  reviewId: number;
  token: string;
  lang: WidgetLang;
  draft: FollowUpDraft;
  errors?: FieldErrors;
}): string {
  const { procedure, lang, draft, errors = {} } = opts;
  const t = (text: WidgetText) => text[lang];
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
${scale(`quality_${channel}`, `${t(sought.answers[channel])}${colon}${t(QUESTIONS.help_quality.question)}`, QUESTIONS.help_quality.low, QUESTIONS.help_quality.high, lang, draft.help_quality[channel])}`;
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
${scale('clarity', t(QUESTIONS.clarity.question), QUESTIONS.clarity.low, QUESTIONS.clarity.high, lang, draft.clarity)}
<fieldset id="help_sought"${errors.help_sought ? new SafeHtml(' aria-describedby="help_sought-error"') : ''}>
<legend>${t(sought.question)}</legend>
<p class="hint">${t(sought.hint)}</p>
${fieldError(lang, errors, 'help_sought')}
<fieldset class="group"><legend>${t(sought.adminGroup)}</legend>
${ADMIN_CHANNELS.map((channel) => check(channel, adminFollow(channel)))}</fieldset>
<fieldset class="group"><legend>${t(sought.otherGroup)}</legend>
${OTHER_CHANNELS.map((channel) => check(channel, channel === 'other' ? otherFollow : ''))}</fieldset>
${check(NO_HELP)}</fieldset>
<div class="field"><label for="comment">${t(QUESTIONS.comment.question)}</label>
<p class="hint" id="comment-hint">${t(QUESTIONS.comment.hint)}</p>
${fieldError(lang, errors, 'comment')}
<textarea id="comment" name="comment" rows="5" maxlength="${LIMITS.comment}" aria-describedby="comment-hint">${draft.comment}</textarea></div>
<div class="actions">
<button type="submit" name="action" value="send" class="primary">${MESSAGES.sendAnswers[lang]}</button>
<button type="submit" name="action" value="skip" class="secondary">${MESSAGES.skip[lang]}</button>
</div>
</form>`;
  return shell(lang, MESSAGES.more[lang], body);
}

export function thanksPage(lang: WidgetLang, note?: PageText): string {
  return shell(
    lang,
    MESSAGES.thanks[lang],
    html`<h1>${MESSAGES.thanks[lang]}</h1>
${note ? html`<p>${PAGE_TEXTS[note][lang]}</p>` : ''}
<p>${PAGE_TEXTS.closePage[lang]}</p>`,
  );
}

export type Problem = 'notFound' | 'archived' | 'forbidden' | 'rateLimited' | 'tooManyRatings';

export function problemPage(lang: WidgetLang, kind: Problem): string {
  const title = PAGE_TEXTS[`${kind}Title`][lang];
  return shell(
    lang,
    title,
    html`<h1>${title}</h1>
<p>${PAGE_TEXTS[kind][lang]}</p>`,
  );
}
