// The « Formulaire » section of a procedure's settings page (SPEC §3 "Customisation"): the draft's
// hidden steps and labels in one widget language at a time, its live preview (the real form chunk,
// mounted by admin.js with the draft and a transport that stores nothing), publish and archive.
import { defaultLabel, INDICATOR_STEPS, LABEL_MAX, LABEL_PATHS, OPTIONAL_STEPS, type OptionalStep } from '../../../shared/form-config.ts';
import { withLang } from '../../../shared/languages.ts';
import { dirOf, type Lang, WIDGET_LANGS, type WidgetLang } from '../../../shared/questionnaire.ts';
import type { FormDraft, FormVersion } from '../../store/store.ts';
import { html, type SafeHtml } from '../html.ts';
import { column, csrfField } from '../kit/dsfr.ts';
import { formatDay } from '../kit/format.ts';

export interface FormSectionView {
  draft: FormDraft | undefined;
  published: FormVersion | undefined;
  inObservatory: boolean;
  /** The widget language whose labels are edited and previewed. */
  formLang: WidgetLang;
  /** The built form chunk of that language; undefined before a build (no preview then). */
  chunk: string | undefined;
}

const F = {
  fr: {
    heading: 'Formulaire',
    intro:
      'Adaptez le formulaire à la démarche\u00a0: masquez une étape facultative, renommez une question ou une réponse (150 caractères au plus), langue par langue. La question de satisfaction et ses trois réponses ne changent jamais. Le brouillon ne change rien pour les usagers avant sa publication\u00a0; chaque avis garde le numéro de la version qu’il a reçue.',
    published: (n: number, day: string) => `Version ${n} publiée le ${day}.`,
    none: 'Aucune version publiée\u00a0: les usagers voient le formulaire par défaut.',
    draftSaved: (day: string, by: string) => `Brouillon enregistré le ${day} par ${by}.`,
    noDraft: 'Pas encore de brouillon.',
    observatory:
      'Cette démarche est publiée dans l’observatoire\u00a0: les étapes «\u00a0clarté\u00a0» et «\u00a0aide\u00a0», qui servent à ses indicateurs, ne peuvent pas être masquées.',
    steps: 'Étapes facultatives à masquer',
    stepNames: { clarity: 'Clarté des informations', help: 'Aide cherchée et obtenue', comment: 'Commentaire' } as Record<
      OptionalStep,
      string
    >,
    lang: 'Langue des libellés',
    langs: { fr: 'français', en: 'anglais', es: 'espagnol', pt: 'portugais', de: 'allemand', it: 'italien', ar: 'arabe' } as Record<
      WidgetLang,
      string
    >,
    /** Where a label sits, under its field: the question it belongs to, then its part. */
    questionNames: {
      clarity: 'Clarté des informations',
      help_sought: 'Aide cherchée',
      help_other: 'Aide cherchée, autre moyen',
      help_reached: 'Administration jointe',
      help_quality: 'Qualité de l’aide',
      comment: 'Commentaire',
    } as Record<string, string>,
    parts: {
      question: 'la question',
      low: 'le bas de l’échelle',
      high: 'le haut de l’échelle',
      hint: 'l’indication sous la question',
      adminGroup: 'un titre de groupe de réponses',
      otherGroup: 'un titre de groupe de réponses',
      answers: 'une réponse',
    } as Record<string, string>,
    show: 'Afficher',
    labels: (lang: string) => `Libellés en ${lang}`,
    labelsHint: 'Laissez vide pour garder le libellé par défaut, affiché dans le champ.',
    save: 'Enregistrer le brouillon',
    preview: 'Aperçu du brouillon',
    previewIntro: 'Le vrai formulaire, tel que les usagers le verront une fois le brouillon publié. Rien n’est enregistré.',
    previewOpen: 'Ouvrir l’aperçu',
    publish: 'Publier le brouillon',
    archive: 'Archiver la version publiée',
  },
  en: {
    heading: 'Form',
    intro:
      'Fit the form to the procedure: hide an optional step, rename a question or an answer (150 characters at most), language by language. The satisfaction question and its three answers never change. The draft changes nothing for users until it is published; every review keeps the number of the version it was given.',
    published: (n: number, day: string) => `Version ${n} published on ${day}.`,
    none: 'No published version: users see the default form.',
    draftSaved: (day: string, by: string) => `Draft saved on ${day} by ${by}.`,
    noDraft: 'No draft yet.',
    observatory:
      'This procedure is published in the observatory: the “clarity” and “help” steps, which its indicators are computed from, cannot be hidden.',
    steps: 'Optional steps to hide',
    stepNames: { clarity: 'Clarity of the information', help: 'Help sought and reached', comment: 'Comment' } as Record<
      OptionalStep,
      string
    >,
    lang: 'Language of the labels',
    langs: { fr: 'French', en: 'English', es: 'Spanish', pt: 'Portuguese', de: 'German', it: 'Italian', ar: 'Arabic' } as Record<
      WidgetLang,
      string
    >,
    questionNames: {
      clarity: 'Clarity of the information',
      help_sought: 'Help sought',
      help_other: 'Help sought, other way',
      help_reached: 'Administration reached',
      help_quality: 'Quality of the help',
      comment: 'Comment',
    } as Record<string, string>,
    parts: {
      question: 'the question',
      low: 'the low end of the scale',
      high: 'the high end of the scale',
      hint: 'the hint under the question',
      adminGroup: 'a heading of a group of answers',
      otherGroup: 'a heading of a group of answers',
      answers: 'an answer',
    } as Record<string, string>,
    show: 'Show',
    labels: (lang: string) => `Labels in ${lang}`,
    labelsHint: 'Leave empty to keep the default label, shown in the field.',
    save: 'Save the draft',
    preview: 'Preview of the draft',
    previewIntro: 'The real form, as users will see it once the draft is published. Nothing is stored.',
    previewOpen: 'Open the preview',
    publish: 'Publish the draft',
    archive: 'Archive the published version',
  },
};

/**
 * A label's place in the form, in words, under its field: « Clarté des informations · la question ».
 * The path itself (`clarity.question`) is the API's key and means nothing to the person who edits the
 * words; a path this table does not know yet is shown as it is rather than hidden.
 */
function labelPlace(path: string, t: (typeof F)['fr']): string {
  const [question = '', part = ''] = path.split('.');
  const name = t.questionNames[question];
  const role = t.parts[part];
  return name && role ? `${name} · ${role}` : path;
}

export function formSection(lang: Lang, csrfToken: string, action: (path: string) => string, view: FormSectionView): SafeHtml {
  const t = F[lang];
  const { draft, published, formLang } = view;
  const changes = draft?.changes ?? { hidden: [], labels: {} };
  const labels = changes.labels[formLang] ?? {};
  const day = (ms: number) => formatDay(lang, new Date(ms).toISOString().slice(0, 10));
  const withFormLang = (path: string) => `${action(path)}${action(path).includes('?') ? '&' : '?'}langue-formulaire=${formLang}`;
  return html`<section class="fr-mb-6w" aria-labelledby="formulaire">
<h2 id="formulaire">${t.heading}</h2>
<p>${t.intro}</p>
<p><strong>${published ? t.published(published.version, day(published.publishedAt)) : t.none}</strong> ${draft ? t.draftSaved(day(draft.updatedAt), draft.updatedBy) : t.noDraft}</p>
${view.inObservatory && html`<p class="fr-text--sm">${t.observatory}</p>`}
${column(html`<form method="get" action="${action('')}" class="fr-mb-3w">
  <div class="fr-select-group">
    <label class="fr-label" for="langue-formulaire">${t.lang}</label>
    <select class="fr-select" id="langue-formulaire" name="langue-formulaire">
      ${WIDGET_LANGS.map((l) => html`<option value="${l}"${l === formLang ? html` selected` : ''}>${t.langs[l]}</option>`)}
    </select>
  </div>
  <button type="submit" class="fr-btn fr-btn--secondary fr-btn--sm">${t.show}</button>
</form>`)}
${column(html`<form method="post" action="${withFormLang('/formulaire')}">
  ${csrfField(csrfToken)}
  <input type="hidden" name="lang" value="${formLang}">
  <fieldset class="fr-fieldset" aria-labelledby="etapes-legende">
    <legend class="fr-fieldset__legend--regular fr-fieldset__legend" id="etapes-legende">${t.steps}</legend>
    ${OPTIONAL_STEPS.map(
      (step) => html`<div class="fr-fieldset__element"><div class="fr-checkbox-group">
      <input type="checkbox" id="masquer-${step}" name="hidden" value="${step}"${changes.hidden.includes(step) ? html` checked` : ''}${
        view.inObservatory && INDICATOR_STEPS.includes(step) && !changes.hidden.includes(step) ? html` disabled` : ''
      }>
      <label class="fr-label" for="masquer-${step}">${t.stepNames[step]}</label>
    </div></div>`,
    )}
  </fieldset>
  <fieldset class="fr-fieldset" aria-labelledby="libelles-legende">
    <legend class="fr-fieldset__legend--regular fr-fieldset__legend" id="libelles-legende">${t.labels(t.langs[formLang])}<span class="fr-hint-text">${t.labelsHint}</span></legend>
    ${LABEL_PATHS.map(
      (path, i) => html`<div class="fr-fieldset__element"><div class="fr-input-group">
      <label class="fr-label" for="libelle-${i}">${defaultLabel(path, lang) ?? path}<span class="fr-hint-text">${labelPlace(path, t)}</span></label>
      <input class="fr-input" id="libelle-${i}" name="label:${path}" value="${labels[path] ?? ''}" placeholder="${defaultLabel(path, formLang) ?? ''}" maxlength="${LABEL_MAX}" lang="${formLang}" dir="${dirOf(formLang)}">
    </div></div>`,
    )}
  </fieldset>
  <button type="submit" class="fr-btn">${t.save}</button>
</form>`)}
<h3 class="fr-h6 fr-mt-4w">${t.preview}</h3>
<p>${t.previewIntro}</p>
${
  view.chunk &&
  html`<div id="apercu-formulaire" data-chunk="${view.chunk}" data-lang="${formLang}" data-form="${JSON.stringify({ version: null, hidden: changes.hidden, labels })}">
  <button type="button" class="fr-btn fr-btn--secondary" hidden>${t.previewOpen}</button>
  <div class="jdma-apercu"></div>
</div>`
}
<div class="fr-btns-group fr-btns-group--inline-md fr-mt-3w">
  <form method="post" action="${withFormLang('/formulaire/publier')}">${csrfField(csrfToken)}<button type="submit" class="fr-btn"${draft ? '' : html` disabled`}>${t.publish}</button></form>
  ${published && html`<form method="post" action="${withFormLang('/formulaire/archiver')}">${csrfField(csrfToken)}<button type="submit" class="fr-btn fr-btn--tertiary">${t.archive}</button></form>`}
</div>
</section>`;
}

/** The labels a settings form posted for one language: `label:<path>` fields, the empty ones dropped. */
export function postedLabels(fields: Record<string, unknown>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (name.startsWith('label:') && typeof value === 'string' && value.trim() !== '') labels[name.slice(6)] = value;
  }
  return labels;
}

export const formLangOf = (value: unknown): WidgetLang =>
  (WIDGET_LANGS as readonly unknown[]).includes(value) ? (value as WidgetLang) : 'fr';

export const formSettingsPath = (procedureId: string, lang: Lang, formLang: WidgetLang) =>
  `${withLang(`/espace/demarches/${encodeURIComponent(procedureId)}/reglages`, lang)}${lang === 'fr' ? '?' : '&'}langue-formulaire=${formLang}#formulaire`;
