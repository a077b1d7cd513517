// Comment triage on the comments page (SPEC §8): each review's marks as badges, one form per review
// for any member (status, tags, spam, a flagged duplicate's verdict), and the filters by status, tag
// and marks. Texts in French and English, DSFR markup, no JavaScript.
import type { Lang } from '../../shared/questionnaire.ts';
import type { TagSuggestion } from '../agency/tag-suggestions.ts';
import type { ReviewRecord, TriageStatus } from '../store/store.ts';
import { html, type SafeHtml } from './html.ts';
import { csrfField } from './kit/dsfr.ts';

export const TRIAGE_TEXT = {
  fr: {
    statuses: { new: 'Nouveau', seen: 'Lu', handled: 'Traité' } as Record<TriageStatus, string>,
    status: 'Statut',
    anyStatus: 'Tous les statuts',
    tag: 'Étiquette',
    anyTag: 'Toutes les étiquettes',
    tags: 'Étiquettes',
    noTags: 'Aucune étiquette\u00a0: un administrateur de l’entité en crée depuis l’API.',
    marked: 'Indésirables et doublons',
    markedHint: 'Toujours comptés dans les résultats.',
    markedChoices: { hide: 'Écartés de la liste', show: 'Montrés avec les autres', only: 'Seuls' },
    spam: 'Indésirable',
    spamBy: (by: string) => `Marqué indésirable par ${by}`,
    duplicateOf: (id: number) => `Doublon de l’avis n° ${id}`,
    duplicateStates: { flagged: 'à confirmer', confirmed: 'confirmé', cleared: 'écarté' },
    verdict: 'Doublon',
    verdicts: { '': 'Laisser tel quel', confirmed: 'Confirmer le doublon', cleared: 'Ce n’est pas un doublon' },
    legend: (at: string) => `Tri de l’avis du ${at}`,
    save: 'Enregistrer le tri',
    excel: 'Exporter pour Excel (CSV)',
    done: 'Le tri de l’avis est enregistré.',
    suggestion: (tag: string, precision: number) => `Suggestion\u00a0: ${tag} (précision ${precision}\u00a0%)`,
    suggestionHint:
      'Proposée d’après les avis que vos membres ont étiquetés\u00a0; la précision est la part de ses propositions justes sur des avis récents.',
    apply: 'Appliquer',
  },
  en: {
    statuses: { new: 'New', seen: 'Seen', handled: 'Handled' } as Record<TriageStatus, string>,
    status: 'Status',
    anyStatus: 'Any status',
    tag: 'Tag',
    anyTag: 'Any tag',
    tags: 'Tags',
    noTags: 'No tags: an admin of the entity creates them through the API.',
    marked: 'Spam and duplicates',
    markedHint: 'Always counted in the results.',
    markedChoices: { hide: 'Left out of the list', show: 'Shown with the others', only: 'Alone' },
    spam: 'Spam',
    spamBy: (by: string) => `Marked as spam by ${by}`,
    duplicateOf: (id: number) => `Duplicate of review no. ${id}`,
    duplicateStates: { flagged: 'to confirm', confirmed: 'confirmed', cleared: 'cleared' },
    verdict: 'Duplicate',
    verdicts: { '': 'Leave as is', confirmed: 'Confirm the duplicate', cleared: 'Not a duplicate' },
    legend: (at: string) => `Triage of the review of ${at}`,
    save: 'Save the triage',
    excel: 'Export for Excel (CSV)',
    done: 'The review’s triage is saved.',
    suggestion: (tag: string, precision: number) => `Suggestion: ${tag} (precision ${precision}%)`,
    suggestionHint:
      'Suggested from the reviews your members tagged; the precision is the share of its suggestions that were right on recent reviews.',
    apply: 'Apply',
  },
} as const;

const STATUS_BADGE: Record<TriageStatus, string> = { new: 'new', seen: 'info', handled: 'success' };

/** The review's marks, as badges beside its satisfaction. */
export function triageBadges(review: ReviewRecord, lang: Lang): SafeHtml {
  const t = TRIAGE_TEXT[lang];
  return html`<ul class="fr-badges-group fr-mb-1w">
    <li><p class="fr-badge fr-badge--sm fr-badge--${STATUS_BADGE[review.status]} fr-badge--no-icon">${t.statuses[review.status]}</p></li>
    ${review.tags.map((tag) => html`<li><p class="fr-badge fr-badge--sm fr-badge--purple-glycine">${tag.name}</p></li>`)}
    ${review.spam ? html`<li><p class="fr-badge fr-badge--sm fr-badge--error" title="${t.spamBy(review.spam.by)}">${t.spam}</p></li>` : ''}
    ${
      review.duplicate
        ? html`<li><p class="fr-badge fr-badge--sm fr-badge--warning"><a href="#avis-${review.duplicate.of}">${t.duplicateOf(review.duplicate.of)}</a> (${t.duplicateStates[review.duplicate.state]})</p></li>`
        : ''
    }
  </ul>`;
}

/** A suggested tag and its precision, with the one click that sets it (nothing sets it otherwise). */
export function suggestionForm(
  review: ReviewRecord,
  suggestion: TagSuggestion,
  view: { lang: Lang; procedure: { id: string }; csrfToken: string; links: { here: string } },
  at: string,
): SafeHtml {
  const t = TRIAGE_TEXT[view.lang];
  const action = `/espace/demarches/${encodeURIComponent(view.procedure.id)}/avis/${review.id}/suggestion${view.links.here}`;
  return html`<form method="post" action="${action}" class="fr-mb-2w">
  ${csrfField(view.csrfToken)}
  <input type="hidden" name="tag" value="${String(suggestion.tag.id)}">
  <p class="fr-text--sm fr-mb-1w" title="${t.suggestionHint}">${t.suggestion(suggestion.tag.name, Math.round(suggestion.precision * 100))}
    <button type="submit" class="fr-btn fr-btn--tertiary fr-btn--sm fr-ml-1w">${t.apply}<span class="fr-sr-only"> «\u00a0${suggestion.tag.name}\u00a0» (${at})</span></button></p>
</form>`;
}

/** One form per review, for any member: status, tags, spam, and a flagged duplicate's verdict. */
export function triageForm(
  review: ReviewRecord,
  view: {
    lang: Lang;
    procedure: { id: string };
    csrfToken: string;
    links: { here: string };
    tags?: readonly { id: number; name: string }[];
  },
  at: string,
): SafeHtml {
  const t = TRIAGE_TEXT[view.lang];
  const id = (name: string) => `tri-${review.id}-${name}`;
  const action = `/espace/demarches/${encodeURIComponent(view.procedure.id)}/avis/${review.id}/tri${view.links.here}`;
  const tags = view.tags ?? [];
  const has = new Set(review.tags.map((tag) => tag.id));
  return html`<form method="post" action="${action}" class="fr-mt-3w fr-mb-2w">
  ${csrfField(view.csrfToken)}
  <fieldset class="fr-fieldset">
    <legend class="fr-fieldset__legend fr-text--regular">${t.legend(at)}</legend>
    <div class="fr-fieldset__element">
      <div class="fr-select-group">
        <label class="fr-label" for="${id('statut')}">${t.status}</label>
        <select class="fr-select" id="${id('statut')}" name="status">
          ${(['new', 'seen', 'handled'] as const).map(
            (status) => html`<option value="${status}"${status === review.status ? html` selected` : ''}>${t.statuses[status]}</option>`,
          )}
        </select>
      </div>
    </div>
    <div class="fr-fieldset__element">
      <fieldset class="fr-fieldset" id="${id('etiquettes')}">
        <legend class="fr-fieldset__legend fr-text--regular">${t.tags}</legend>
        ${
          tags.length === 0
            ? html`<p class="fr-hint-text fr-fieldset__element">${t.noTags}</p>`
            : tags.map(
                (
                  tag,
                ) => html`<div class="fr-fieldset__element fr-fieldset__element--inline"><div class="fr-checkbox-group fr-checkbox-group--sm">
          <input type="checkbox" id="${id(`etiquette-${tag.id}`)}" name="tag" value="${String(tag.id)}"${has.has(tag.id) ? html` checked` : ''}>
          <label class="fr-label" for="${id(`etiquette-${tag.id}`)}">${tag.name}</label>
        </div></div>`,
              )
        }
      </fieldset>
    </div>
    <div class="fr-fieldset__element">
      <div class="fr-checkbox-group fr-checkbox-group--sm">
        <input type="checkbox" id="${id('indesirable')}" name="spam" value="on"${review.spam ? html` checked` : ''}>
        <label class="fr-label" for="${id('indesirable')}">${t.spam}</label>
      </div>
    </div>
    ${
      review.duplicate
        ? html`<div class="fr-fieldset__element"><div class="fr-select-group">
        <label class="fr-label" for="${id('doublon')}">${t.verdict}</label>
        <select class="fr-select" id="${id('doublon')}" name="duplicate">
          ${(['', 'confirmed', 'cleared'] as const).map((verdict) => html`<option value="${verdict}">${t.verdicts[verdict]}</option>`)}
        </select>
      </div></div>`
        : ''
    }
    <div class="fr-fieldset__element">
      <button type="submit" class="fr-btn fr-btn--secondary fr-btn--sm">${t.save}<span class="fr-sr-only"> (${at})</span></button>
    </div>
  </fieldset>
</form>`;
}

/** The filter form's fields for triage: status, tag, and what becomes of spam and duplicates. */
export function triageFilters(
  lang: Lang,
  form: { status: string; tag: string; marked: string },
  tags: readonly { id: number; name: string }[],
): SafeHtml {
  const t = TRIAGE_TEXT[lang];
  const option = (value: string, label: string, current: string) =>
    html`<option value="${value}"${value === current ? html` selected` : ''}>${label}</option>`;
  return html`<div class="fr-col-12 fr-col-sm-6 fr-col-lg-3"><div class="fr-select-group">
      <label class="fr-label" for="filtre-statut">${t.status}</label>
      <select class="fr-select" id="filtre-statut" name="status">
        ${option('', t.anyStatus, form.status)}
        ${(['new', 'seen', 'handled'] as const).map((status) => option(status, t.statuses[status], form.status))}
      </select>
    </div></div>
    <div class="fr-col-12 fr-col-sm-6 fr-col-lg-3"><div class="fr-select-group">
      <label class="fr-label" for="filtre-etiquette">${t.tag}</label>
      <select class="fr-select" id="filtre-etiquette" name="tag">
        ${option('', t.anyTag, form.tag)}
        ${tags.map((tag) => option(String(tag.id), tag.name, form.tag))}
      </select>
    </div></div>
    <div class="fr-col-12 fr-col-lg-6"><div class="fr-select-group">
      <label class="fr-label" for="filtre-marques">${t.marked}<span class="fr-hint-text">${t.markedHint}</span></label>
      <select class="fr-select" id="filtre-marques" name="marked">
        ${(['hide', 'show', 'only'] as const).map((marked) => option(marked === 'hide' ? '' : marked, t.markedChoices[marked], form.marked))}
      </select>
    </div></div>`;
}
