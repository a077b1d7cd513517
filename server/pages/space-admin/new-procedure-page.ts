// The form an entity's admin creates a procedure with (SPEC §8): its identifier, title, origins and
// placements, as the API's POST /api/v1/procedures takes them; on success the settings page shows
// its snippet. Refused values come back in their fields, the entity's cap as a notice.
import { withLang } from '../../../shared/languages.ts';
import type { Lang } from '../../../shared/questionnaire.ts';
import { html, type SafeHtml } from '../html.ts';
import { alert, column, csrfField, type FieldError } from '../kit/dsfr.ts';
import { texts } from '../kit/texts.ts';
import { entityBase, errorNotice } from './admin-parts.ts';

export const N = texts({
  fr: {
    title: (entity: string) => `Créer une démarche – ${entity}`,
    intro:
      'La démarche recueille les avis dès sa création\u00a0: vous obtenez aussitôt le code à coller dans vos pages. Ses réglages permettent ensuite de changer son titre, ses origines et ses emplacements.',
    id: 'Identifiant',
    idHint:
      'Permanent, dans le code à coller et dans le flux public\u00a0: 2 à 64 caractères, lettres minuscules, chiffres et tirets (par exemple demande-de-passeport).',
    titleLabel: 'Titre',
    titleHint: 'Le nom de la démarche, tel que les usagers le connaissent (200 caractères au plus).',
    origins: 'Origines',
    originsHint:
      'Les sites dont les pages enverront des notes, un par ligne\u00a0: https://nom-de-domaine, sans chemin (par exemple https://www.example.gouv.fr).',
    placements: 'Emplacements (facultatif)',
    placementsHint:
      'Les endroits du parcours où le bouton est posé, un par ligne\u00a0: lettres minuscules, chiffres et tirets (par exemple fin-de-demarche). L’emplacement par défaut (default) existe toujours.',
    create: 'Créer la démarche',
    cancel: 'Annuler',
    errors: {
      id: 'Saisissez un identifiant de 2 à 64 caractères\u00a0: lettres minuscules, chiffres et tirets.',
      title: 'Saisissez un titre de 1 à 200 caractères.',
      origins: 'Saisissez au moins une origine, une par ligne\u00a0: https://nom-de-domaine, sans chemin.',
      placements: 'Saisissez des emplacements de 2 à 64 caractères, un par ligne\u00a0: lettres minuscules, chiffres et tirets.',
      procedure_exists: 'Une démarche porte déjà cet identifiant (ils sont uniques sur tout le service)\u00a0: choisissez-en un autre.',
      procedure_limit_reached: (max: number) =>
        `Votre entité a déjà ${max} démarches, archivées comprises\u00a0: c’est le maximum qu’un administrateur peut créer. Demandez-en davantage à l’exploitant du service.`,
    },
  },
  en: {
    title: (entity: string) => `Create a procedure – ${entity}`,
    intro:
      'The procedure collects reviews as soon as it is created: you get the code to paste into your pages at once. Its settings then change its title, origins and placements.',
    id: 'Identifier',
    idHint:
      'Permanent, in the code to paste and in the public feed: 2 to 64 characters, lowercase letters, digits and dashes (for example passport-application).',
    titleLabel: 'Title',
    titleHint: 'The procedure’s name, as its users know it (200 characters at most).',
    origins: 'Origins',
    originsHint:
      'The sites whose pages will send ratings, one per line: https://domain-name, without a path (for example https://www.example.gouv.fr).',
    placements: 'Placements (optional)',
    placementsHint:
      'Where the button sits in the journey, one per line: lowercase letters, digits and dashes (for example end-of-procedure). The default placement always exists.',
    create: 'Create the procedure',
    cancel: 'Cancel',
    errors: {
      id: 'Type an identifier of 2 to 64 characters: lowercase letters, digits and dashes.',
      title: 'Type a title of 1 to 200 characters.',
      origins: 'Type at least one origin, one per line: https://domain-name, without a path.',
      placements: 'Type placements of 2 to 64 characters, one per line: lowercase letters, digits and dashes.',
      procedure_exists: 'A procedure already has this identifier (they are unique across the service): choose another one.',
      procedure_limit_reached: (max: number) =>
        `Your entity already has ${max} procedures, archived ones included: the most an admin may create. Ask the service’s operator for more.`,
    },
  },
});

export interface NewProcedureView {
  lang: Lang;
  csrfToken: string;
  entity: { id: string; name: string };
  /** What the form held when it was refused. */
  form?: { id: string; title: string; origins: string; placements: string };
  error?: FieldError | undefined;
  /** A refusal of no one field (the entity's cap). */
  failure?: string | undefined;
}

const FIELD_IDS: Record<string, string> = {
  id: 'demarche-id',
  title: 'demarche-titre',
  origins: 'demarche-origines',
  placements: 'demarche-emplacements',
};

export function newProcedurePage(view: NewProcedureView): { title: string; main: SafeHtml } {
  const { lang, entity, error } = view;
  const n = N[lang];
  const form = view.form ?? { id: '', title: '', origins: '', placements: '' };
  const group = (
    name: keyof typeof FIELD_IDS & keyof typeof form,
    label: string,
    hint: string,
    input: (described: string, invalid: SafeHtml | '') => SafeHtml,
  ) => {
    const wrong = error?.field === name ? error : undefined;
    const id = FIELD_IDS[name]!;
    return html`<div class="fr-input-group${wrong ? ' fr-input-group--error' : ''}">
  <label class="fr-label" for="${id}">${label}<span class="fr-hint-text">${hint}</span></label>
  ${input(`${id}-messages`, wrong ? html` aria-invalid="true"` : '')}
  <div class="fr-messages-group" id="${id}-messages" aria-live="polite">${wrong ? html`<p class="fr-message fr-message--error">${wrong.message}</p>` : ''}</div>
</div>`;
  };
  const inputClass = (name: string) => (error?.field === name ? 'fr-input fr-input--error' : 'fr-input');
  return {
    title: n.title(entity.name),
    main: html`<h1 class="fr-mt-4w">${n.title(entity.name)}</h1>
${errorNotice(lang, view.failure)}
${error && alert('error', html`<a href="#${FIELD_IDS[error.field] ?? error.field}">${error.message}</a>`, { role: 'alert' })}
<p>${n.intro}</p>
${column(html`<form method="post" action="${withLang(`${entityBase(entity.id)}/demarches`, lang)}">
  ${csrfField(view.csrfToken)}
  ${group('id', n.id, n.idHint, (d, invalid) => html`<input class="${inputClass('id')}" type="text" id="demarche-id" name="id" value="${form.id}" required maxlength="64" autocomplete="off" spellcheck="false" aria-describedby="${d}"${invalid}>`)}
  ${group('title', n.titleLabel, n.titleHint, (d, invalid) => html`<input class="${inputClass('title')}" type="text" id="demarche-titre" name="title" value="${form.title}" required maxlength="200" aria-describedby="${d}"${invalid}>`)}
  ${group('origins', n.origins, n.originsHint, (d, invalid) => html`<textarea class="${inputClass('origins')}" id="demarche-origines" name="origins" rows="3" required spellcheck="false" aria-describedby="${d}"${invalid}>${form.origins}</textarea>`)}
  ${group('placements', n.placements, n.placementsHint, (d, invalid) => html`<textarea class="${inputClass('placements')}" id="demarche-emplacements" name="placements" rows="3" spellcheck="false" aria-describedby="${d}"${invalid}>${form.placements}</textarea>`)}
  <ul class="fr-btns-group fr-btns-group--inline-sm">
    <li><button type="submit" class="fr-btn">${n.create}</button></li>
    <li><a class="fr-btn fr-btn--secondary" href="${withLang('/espace', lang)}">${n.cancel}</a></li>
  </ul>
</form>`)}`,
  };
}
