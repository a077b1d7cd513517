// The agency space's admin pages (SPEC §8): a procedure's settings (title, origins, placements,
// archive, the snippet with a preview of its button, the integration health with its one-click
// fixes), an entity's members and API keys, and its audit log. Server-rendered in the DSFR, forms
// that work without JavaScript; the « Copier » buttons are the only script (ADMIN_JS), shown by it.
import type { Lang } from '../../shared/questionnaire.ts';
import { DEFAULT_PLACEMENT } from '../../shared/questionnaire.ts';
import { withLang } from '../../shared/languages.ts';
import {
  type HealthFix,
  type HealthRow,
  type HealthTotals,
  isOtherOrigin,
  pendingFixes,
  summedRows,
  topFixes,
  type TriedId,
} from '../agency/integration-health.ts';
import { BUTTON_SIZE } from '../button-svg.ts';
import type { SnippetBlock } from '../snippet.ts';
import type { ApiKey, AuditEntry, Member, Procedure } from '../store/store.ts';
import { procedureNav } from './agency-layout.ts';
import { html, type SafeHtml } from './html.ts';

export const ADMIN_JS_PATH = '/espace/admin.js';
export const ADMIN_CSS_PATH = '/espace/admin.css';

/**
 * The « Copier » buttons: hidden in the markup, shown only where the Clipboard API exists, so that
 * without it nobody meets a button that does nothing (the code stays selectable in its field).
 */
export const ADMIN_JS = `for (const button of document.querySelectorAll('button[data-copy]')) {
  const field = document.getElementById(button.dataset.copy);
  const status = document.getElementById(button.dataset.copy + '-statut');
  if (!field || !status || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener('click', () => {
    status.textContent = '';
    navigator.clipboard.writeText(field.value).then(
      () => { status.textContent = button.dataset.copied; },
      () => { field.select(); status.textContent = button.dataset.failed; },
    );
  });
}
`;

// The button's preview needs its own backdrop in each theme, whatever the page's scheme; DSFR has
// no background utility classes in the files the collector serves.
export const ADMIN_CSS = `.jdma-preview{display:inline-block;padding:1rem;margin:0 1rem 1rem 0;border:1px solid #929292}
.jdma-preview--light{background:#fff;color:#161616}
.jdma-preview--dark{background:#161616;color:#fff}
.jdma-preview img{display:block;max-width:100%;height:auto}
.jdma-code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.875rem;field-sizing:content}
`;

const T = {
  fr: {
    settings: 'Réglages',
    settingsOf: (title: string) => `Réglages de « ${title} »`,
    entityLabel: 'Entité',
    health: 'Santé de l’intégration',
    healthIntro:
      'Les notes que le collecteur a refusées ces 30 derniers jours. Les problèmes d’intégration viennent de vos pages et se corrigent ici ; les limites anti-abus protègent le service et ne sont pas une erreur de vos pages.',
    healthNone: 'Aucune note refusée ces 30 derniers jours : l’intégration fonctionne.',
    healthNoFix:
      'Aucune correction en attente : les problèmes ci-dessous sont déjà corrigés, ou n’ont pas de correction ici (requêtes mal formées d’un script).',
    faults: 'Problèmes d’intégration',
    limits: 'Limites anti-abus',
    totalFaults: (n: string) => `Problèmes d’intégration : ${n}.`,
    totalLimits: (n: string) => `Limites anti-abus : ${n}, pas une erreur de vos pages (trop d’envois, robots, suites hors délai).`,
    totalStored: (n: string) => `${n} malgré tout, sous l’emplacement « default » (avertissement).`,
    stored: (n: number) => (n === 1 ? '1 note enregistrée' : `${n.toLocaleString('fr-FR')} notes enregistrées`),
    moreFixes: (n: number) =>
      n === 1 ? 'Une autre correction est possible : voir le tableau.' : `${n} autres corrections sont possibles : voir le tableau.`,
    faultsTable: 'Problèmes d’intégration sur 30 jours',
    limitsTable: 'Limites anti-abus sur 30 jours',
    lastDay: 'Dernier jour',
    moreRows: (rows: number, n: string) =>
      `Et ${rows.toLocaleString('fr-FR')} autres lignes (${n}) : la liste complète, jour par jour, est donnée par l’API (GET /api/v1/procedures/…/health).`,
    otherOrigins: 'autres origines',
    otherPlacements: 'autres emplacements',
    tried: (n: string, id: string) =>
      `${n} depuis les origines de cette démarche à une démarche inconnue : l’attribut data-procedure de ces pages est sans doute mal recopié ; il doit valoir « ${id} ».`,
    triedTable: 'Identifiants de démarche inconnus envoyés depuis vos origines',
    triedId: 'Identifiant envoyé',
    otherIds: 'autres identifiants',
    archivedNotice: (day: string) => `Démarche archivée le ${day} : ses nouvelles notes sont refusées et elle n’est plus publiée.`,
    archivedLink: 'Réactiver la démarche',
    healthTable: 'Notes refusées, jour par jour',
    day: 'Jour',
    reason: 'Motif',
    origin: 'Origine',
    placement: 'Emplacement',
    refusedCount: 'Notes refusées',
    noOrigin: 'aucune (formulaire hébergé, script)',
    ratings: (n: number) => (n === 1 ? '1 note refusée' : `${n.toLocaleString('fr-FR')} notes refusées`),
    fromOrigin: (n: string, origin: string) => `${n} depuis ${origin} : cette origine n’est pas autorisée.`,
    forPlacement: (n: string, placement: string) => `${n} pour l’emplacement « ${placement} », que la démarche ne connaît pas.`,
    whileArchived: (n: string) => `${n} : la démarche est archivée.`,
    fixOrigin: 'Ajouter cette origine',
    fixPlacement: 'Ajouter cet emplacement',
    fixRestore: 'Réactiver la démarche',
    snippet: 'Code à intégrer',
    snippetIntro: 'Trois façons de proposer le questionnaire : copiez le bloc qui convient et collez-le tel quel.',
    snippetPlacement: 'Emplacement du code',
    snippetPlacementHint: 'Chaque emplacement compte ses avis à part (page de fin, e-mail…).',
    noPlacement: 'default (sans emplacement)',
    show: 'Afficher ce code',
    blockTitles: [
      'Site web : balise à coller à la fin de la démarche en ligne',
      'E-mail : bouton-lien à coller dans le HTML du message',
      'Lien seul : pour un courrier, un SMS ou un e-mail en texte brut',
    ],
    copy: 'Copier',
    blockNames: ['la balise', 'le bouton-lien', 'le lien'],
    copied: 'Copié',
    copyFailed: 'Copie impossible : le code est sélectionné, copiez-le avec Ctrl+C.',
    preview: 'Aperçu du bouton',
    previewIntro: 'Le bouton tel que les usagers le voient, sur une page claire et sur une page sombre.',
    previewAlt: (theme: string) => `Je donne mon avis (bouton, thème ${theme})`,
    light: 'clair',
    dark: 'sombre',
    title: 'Titre',
    titleLabel: 'Titre de la démarche',
    titleHint: 'Tel que le publient l’observatoire et le flux ouvert.',
    saveTitle: 'Enregistrer le titre',
    origins: 'Origines autorisées',
    originsIntro: 'Seules les pages de ces origines peuvent envoyer des notes à cette démarche.',
    originsNone: 'Aucune origine : seuls le formulaire hébergé et les liens des e-mails recueillent des avis.',
    remove: 'Retirer',
    removeWhat: (what: string) => `Retirer ${what}`,
    addOrigin: 'Origine à ajouter',
    addOriginHint: 'https://nom-de-domaine, avec le port s’il y en a un, sans chemin. Exemple : https://www.example.gouv.fr',
    add: 'Ajouter',
    placements: 'Emplacements',
    placementsIntro: 'Les endroits où le bouton est proposé ; les avis de chacun sont comptés à part.',
    placementDefault: 'toujours présent : les notes sans emplacement y vont',
    addPlacement: 'Emplacement à ajouter',
    addPlacementHint: 'De 2 à 64 caractères : lettres minuscules, chiffres et tirets. Exemple : page-de-fin',
    archive: 'Archivage',
    archivedOn: (day: string) => `Démarche archivée le ${day}.`,
    active: 'Démarche active : elle recueille des avis.',
    archiveExplained:
      'Archiver une démarche terminée : ses nouvelles notes sont refusées, elle quitte le flux ouvert et l’observatoire ; ses avis sont gardés, et vous pouvez la réactiver à tout moment.',
    restoreExplained: 'La réactiver : elle recueille de nouveau des notes et revient dans le flux ouvert.',
    archiveButton: 'Archiver la démarche',
    restoreButton: 'Réactiver la démarche',
    done: {
      titre: 'Titre enregistré.',
      'origine-ajoutee': 'Origine ajoutée : ses pages peuvent maintenant envoyer des notes.',
      'origine-retiree': 'Origine retirée.',
      'emplacement-ajoute': 'Emplacement ajouté.',
      'emplacement-retire': 'Emplacement retiré.',
      archivee: 'Démarche archivée.',
      reactivee: 'Démarche réactivée : elle recueille de nouveau des notes.',
      inchange: 'Rien n’a changé : c’était déjà ainsi.',
      'membre-invite': 'Membre ajouté : une invitation lui a été envoyée par courriel, avec un lien de connexion valable 7 jours.',
      'role-change': 'Rôle changé.',
      'membre-retire': 'Membre retiré : il n’a plus accès.',
      'cle-revoquee': 'Clé révoquée : elle est refusée dès maintenant.',
    } as Record<string, string>,
    errorTitle: 'Cette demande n’a pas pu aboutir',
  },
  en: {
    settings: 'Settings',
    settingsOf: (title: string) => `Settings of “${title}”`,
    entityLabel: 'Entity',
    health: 'Integration health',
    healthIntro:
      'The ratings the collector refused over the last 30 days. Integration problems come from your pages and are fixed here; the anti-abuse limits protect the service and are not a fault of your pages.',
    healthNone: 'No rating refused over the last 30 days: the integration works.',
    healthNoFix: 'No fix waiting: the problems below are already fixed, or have no fix here (malformed requests from a script).',
    faults: 'Integration problems',
    limits: 'Anti-abuse limits',
    totalFaults: (n: string) => `Integration problems: ${n}.`,
    totalLimits: (n: string) => `Anti-abuse limits: ${n}, not a fault of your pages (too many ratings, robots, late follow-ups).`,
    totalStored: (n: string) => `${n} all the same, under the “default” placement (warning).`,
    stored: (n: number) => (n === 1 ? '1 rating stored' : `${n.toLocaleString('en-GB')} ratings stored`),
    moreFixes: (n: number) => (n === 1 ? 'One more fix is possible: see the table.' : `${n} more fixes are possible: see the table.`),
    faultsTable: 'Integration problems over 30 days',
    limitsTable: 'Anti-abuse limits over 30 days',
    lastDay: 'Last day',
    moreRows: (rows: number, n: string) =>
      `And ${rows.toLocaleString('en-GB')} more rows (${n}): the API gives the whole list, day by day (GET /api/v1/procedures/…/health).`,
    otherOrigins: 'other origins',
    otherPlacements: 'other placements',
    tried: (n: string, id: string) =>
      `${n} from this procedure’s origins to an unknown procedure: the data-procedure attribute of these pages is probably mistyped; it must be “${id}”.`,
    triedTable: 'Unknown procedure ids sent from your origins',
    triedId: 'Id sent',
    otherIds: 'other ids',
    archivedNotice: (day: string) => `Procedure archived on ${day}: its new ratings are refused and it is no longer published.`,
    archivedLink: 'Restore the procedure',
    healthTable: 'Refused ratings, day by day',
    day: 'Day',
    reason: 'Reason',
    origin: 'Origin',
    placement: 'Placement',
    refusedCount: 'Refused ratings',
    noOrigin: 'none (hosted form, script)',
    ratings: (n: number) => (n === 1 ? '1 rating refused' : `${n.toLocaleString('en-GB')} ratings refused`),
    fromOrigin: (n: string, origin: string) => `${n} from ${origin}: this origin is not allowed.`,
    forPlacement: (n: string, placement: string) => `${n} for the placement “${placement}”, which the procedure does not know.`,
    whileArchived: (n: string) => `${n}: the procedure is archived.`,
    fixOrigin: 'Add this origin',
    fixPlacement: 'Add this placement',
    fixRestore: 'Restore the procedure',
    snippet: 'Code to paste',
    snippetIntro: 'Three ways to offer the questionnaire: copy the block that fits and paste it as it is.',
    snippetPlacement: 'Placement of the code',
    snippetPlacementHint: 'Each placement counts its reviews apart (end page, e-mail…).',
    noPlacement: 'default (no placement)',
    show: 'Show this code',
    blockTitles: [
      'Website: tag to paste at the end of the online procedure',
      'E-mail: button-link to paste in the message’s HTML',
      'Bare link: for a letter, a text message or a plain-text e-mail',
    ],
    copy: 'Copy',
    blockNames: ['the tag', 'the button-link', 'the link'],
    copied: 'Copied',
    copyFailed: 'Copying failed: the code is selected, copy it with Ctrl+C.',
    preview: 'Button preview',
    previewIntro: 'The button as users see it, on a light page and on a dark page.',
    previewAlt: (theme: string) => `Je donne mon avis (button, ${theme} theme)`,
    light: 'light',
    dark: 'dark',
    title: 'Title',
    titleLabel: 'Title of the procedure',
    titleHint: 'As the observatory and the open feed publish it.',
    saveTitle: 'Save the title',
    origins: 'Allowed origins',
    originsIntro: 'Only pages of these origins may send ratings to this procedure.',
    originsNone: 'No origin: only the hosted form and e-mail links collect reviews.',
    remove: 'Remove',
    removeWhat: (what: string) => `Remove ${what}`,
    addOrigin: 'Origin to add',
    addOriginHint: 'https://domain-name, with its port if it has one, no path. Example: https://www.example.gouv.fr',
    add: 'Add',
    placements: 'Placements',
    placementsIntro: 'Where the button is offered; each one’s reviews are counted apart.',
    placementDefault: 'always there: ratings without a placement go there',
    addPlacement: 'Placement to add',
    addPlacementHint: '2 to 64 characters: lowercase letters, digits and dashes. Example: end-page',
    archive: 'Archiving',
    archivedOn: (day: string) => `Procedure archived on ${day}.`,
    active: 'Active procedure: it collects reviews.',
    archiveExplained:
      'Archive a procedure that has ended: its new ratings are refused, it leaves the open feed and the observatory; its reviews are kept, and you can restore it at any time.',
    restoreExplained: 'Restore it: it collects ratings again and comes back in the open feed.',
    archiveButton: 'Archive the procedure',
    restoreButton: 'Restore the procedure',
    done: {
      titre: 'Title saved.',
      'origine-ajoutee': 'Origin added: its pages may now send ratings.',
      'origine-retiree': 'Origin removed.',
      'emplacement-ajoute': 'Placement added.',
      'emplacement-retire': 'Placement removed.',
      archivee: 'Procedure archived.',
      reactivee: 'Procedure restored: it collects ratings again.',
      inchange: 'Nothing changed: it already was so.',
      'membre-invite': 'Member added: an invitation was mailed to them, with a sign-in link valid 7 days.',
      'role-change': 'Role changed.',
      'membre-retire': 'Member removed: they no longer have access.',
      'cle-revoquee': 'Key revoked: it is refused from now on.',
    } as Record<string, string>,
    errorTitle: 'This request could not be done',
  },
} as const;

const REASONS: Record<Lang, Record<string, string>> = {
  fr: {
    origin_not_allowed: 'origine non autorisée',
    unknown_placement: 'emplacement inconnu',
    placement_defaulted: 'emplacement inconnu (note enregistrée sous « default »)',
    procedure_archived: 'démarche archivée',
    rate_limited: 'trop d’envois depuis une même connexion',
    too_many_ratings: 'trop de notes du même client dans la journée',
    honeypot: 'formulaire hébergé rempli par un robot',
    form_too_fast: 'formulaire hébergé renvoyé en moins de 2 secondes',
    form_signature_invalid: 'formulaire hébergé non signé ou périmé',
    invalid_body: 'requête invalide',
    invalid_json: 'requête invalide',
    body_too_large: 'requête trop grande',
    unsupported_media_type: 'format de requête refusé',
    unknown_procedure: 'démarche inconnue',
    invalid_token: 'suite avec un jeton invalide',
    unknown_review: 'suite d’un avis inconnu',
    follow_up_expired: 'suite envoyée après le délai d’une heure',
  },
  en: {
    origin_not_allowed: 'origin not allowed',
    unknown_placement: 'unknown placement',
    placement_defaulted: 'unknown placement (rating stored under “default”)',
    procedure_archived: 'procedure archived',
    rate_limited: 'too many ratings from one connection',
    too_many_ratings: 'too many ratings from one client in a day',
    honeypot: 'hosted form filled in by a robot',
    form_too_fast: 'hosted form sent back in under 2 seconds',
    form_signature_invalid: 'hosted form unsigned or expired',
    invalid_body: 'invalid request',
    invalid_json: 'invalid request',
    body_too_large: 'request too large',
    unsupported_media_type: 'request format refused',
    unknown_procedure: 'unknown procedure',
    invalid_token: 'follow-up with an invalid token',
    unknown_review: 'follow-up of an unknown review',
    follow_up_expired: 'follow-up sent after its one hour',
  },
};

/** A form field's error, shown at the field (DSFR error state) with what was typed. */
export interface FieldError {
  field: string;
  value: string;
  message: string;
}

const csrfField = (token: string) => html`<input type="hidden" name="_csrf" value="${token}">`;

/** A success notice after a change (`?fait=…`), announced as the page loads. */
function doneNotice(lang: Lang, done: string | undefined): SafeHtml | '' {
  const text = done === undefined ? undefined : T[lang].done[done];
  return text ? html`<div class="fr-alert fr-alert--success fr-alert--sm fr-mb-4w" role="status"><p>${text}</p></div>` : '';
}

/** An error that belongs to no one field (the last admin, an unknown member…). */
function errorNotice(lang: Lang, message: string | undefined): SafeHtml | '' {
  return message
    ? html`<div class="fr-alert fr-alert--error fr-mb-4w" role="alert"><h2 class="fr-alert__title">${T[lang].errorTitle}</h2><p>${message}</p></div>`
    : '';
}

/** A labelled text field in the DSFR's input group, in its error state when `error` names it. */
function inputGroup(options: {
  id: string;
  name: string;
  label: string;
  hint?: string;
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

/**
 * A table in the DSFR's markup: it scrolls sideways on a narrow screen, not the page, and takes the
 * focus to be scrolled by keyboard. `hiddenCaption`: the heading just above says the same, so the
 * caption is for screen readers only; `multiline`: long cells wrap rather than widen the table.
 */
function table(
  caption: string,
  head: readonly string[],
  rows: readonly SafeHtml[],
  { hiddenCaption = false, multiline = false } = {},
): SafeHtml {
  const classes = [
    'fr-table',
    'fr-mb-4w',
    hiddenCaption ? 'fr-table--no-caption' : 'fr-table--no-caption-bottom',
    multiline && 'fr-table--multiline',
  ]
    .filter(Boolean)
    .join(' ');
  return html`<div class="${classes}"><div class="fr-table__wrapper"><div class="fr-table__container" tabindex="0" role="region" aria-label="${caption}"><div class="fr-table__content">
<table>
  <caption>${caption}</caption>
  <thead><tr>${head.map((cell) => html`<th scope="col">${cell}</th>`)}</tr></thead>
  <tbody>${rows}</tbody>
</table>
</div></div></div></div>`;
}

/** A form in a column of readable width on a wide screen, the whole width on a narrow one. */
const column = (content: SafeHtml) => html`<div class="fr-grid-row"><div class="fr-col-12 fr-col-md-8">${content}</div></div>`;

/** A field holding code to copy, named by its heading: selectable without script, its « Copier » button shown by ADMIN_JS. */
function copyField(lang: Lang, o: { id: string; labelledBy: string; what: string; code: string; rows: number }): SafeHtml {
  const t = T[lang];
  return html`<div class="fr-input-group">
  <textarea class="fr-input jdma-code" id="${o.id}" rows="${o.rows}" readonly spellcheck="false" aria-labelledby="${o.labelledBy}">${o.code}</textarea>
</div>
<p class="fr-mb-4w"><button type="button" class="fr-btn fr-btn--secondary fr-btn--sm" data-copy="${o.id}" data-copied="${t.copied}" data-failed="${t.copyFailed}" hidden>${t.copy}<span class="fr-sr-only"> ${o.what}</span></button>
<span id="${o.id}-statut" class="fr-ml-2w" aria-live="polite"></span></p>`;
}

const formatDay = (lang: Lang, iso: string) =>
  new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));
/** Day and time, Paris time; the day's words kept on one line, so a narrow column breaks only before the time. */
const formatTime = (lang: Lang, at: number | string) =>
  new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Paris' })
    .format(new Date(at))
    .replace(/ (?!\d{2}:\d{2}$)/g, '\u00a0');

// ---- Settings

export interface SettingsView {
  lang: Lang;
  csrfToken: string;
  procedure: Procedure;
  health: { rows: readonly HealthRow[]; totals: HealthTotals; tried: readonly TriedId[] };
  /** The placement the snippet is shown for (undefined: none). */
  placement: string | undefined;
  blocks: readonly SnippetBlock[];
  done?: string | undefined;
  error?: FieldError | undefined;
}

/**
 * Rows a health table shows; the rest are summed in a sentence. The limits of refusal-bounds.ts keep
 * a day small, but 30 days of a flood still hold hundreds of origins: the page stays a few KB.
 */
const HEALTH_ROWS_SHOWN = 20;

/** A health table's first rows, and what the others add up to. */
function shownRows<T extends { count: number }>(rows: readonly T[]): { shown: readonly T[]; more: number; moreCount: number } {
  const rest = rows.slice(HEALTH_ROWS_SHOWN);
  return { shown: rows.slice(0, HEALTH_ROWS_SHOWN), more: rest.length, moreCount: rest.reduce((sum, row) => sum + row.count, 0) };
}

export function settingsPage(view: SettingsView): { title: string; main: SafeHtml } {
  const { lang, procedure, csrfToken } = view;
  const t = T[lang];
  const base = `/espace/demarches/${encodeURIComponent(procedure.id)}/reglages`;
  const action = (path: string) => withLang(`${base}${path}`, lang);
  const error = view.error;

  const { rows, totals, tried } = view.health;
  const fixes = topFixes(procedure, rows);
  const moreFixes = pendingFixes(procedure, rows).length - fixes.length;
  const fixForm = (fix: HealthFix, index: number) => {
    const [path, field, label] =
      fix.kind === 'add_origin'
        ? ['/origines', html`<input type="hidden" name="origin" value="${fix.origin}">`, t.fixOrigin]
        : fix.kind === 'add_placement'
          ? ['/emplacements', html`<input type="hidden" name="placement" value="${fix.placement}">`, t.fixPlacement]
          : ['/reactiver', '', t.fixRestore];
    return html`<form method="post" action="${action(path)}">${csrfField(csrfToken)}${field}<button type="submit" class="fr-btn fr-btn--sm" aria-describedby="correction-${index}">${label}</button></form>`;
  };
  const sentence = (fix: HealthFix, count: number) => {
    const n = t.ratings(count);
    return fix.kind === 'add_origin'
      ? t.fromOrigin(n, fix.origin)
      : fix.kind === 'add_placement'
        ? t.forPlacement(n, fix.placement)
        : t.whileArchived(n);
  };
  const originCell = (origin: string) => (isOtherOrigin(origin) ? t.otherOrigins : origin || t.noOrigin);
  const placementCell = (placement: string) => (placement === '*' ? t.otherPlacements : placement || '—');
  const moreRows = (more: number, moreCount: number) =>
    more > 0 && html`<p class="fr-text--sm">${t.moreRows(more, t.ratings(moreCount))}</p>`;
  const faults = shownRows(summedRows(rows, ['fault', 'stored']));
  const limitsByReason = new Map<string, number>();
  for (const row of summedRows(rows, ['limit'])) limitsByReason.set(row.reason, (limitsByReason.get(row.reason) ?? 0) + row.count);
  const triedShown = shownRows(tried);
  const triedTotal = tried.reduce((sum, row) => sum + row.count, 0);
  const health = html`<section class="fr-mb-6w" aria-labelledby="sante">
<h2 id="sante">${t.health}</h2>
<p>${t.healthIntro}</p>
${
  rows.length === 0 && tried.length === 0
    ? html`<p>${t.healthNone}</p>`
    : html`<ul>
${totals.faults > 0 && html`<li>${t.totalFaults(t.ratings(totals.faults))}</li>`}
${totals.stored > 0 && html`<li>${t.totalStored(t.stored(totals.stored))}</li>`}
${totals.limits > 0 && html`<li>${t.totalLimits(t.ratings(totals.limits))}</li>`}
</ul>`
}
${fixes.map(
  ({ fix, count }, index) => html`<div class="fr-alert fr-alert--warning fr-mb-2w">
  <p id="correction-${index}">${sentence(fix, count)}</p>
  ${fixForm(fix, index)}
</div>`,
)}
${moreFixes > 0 && html`<p>${t.moreFixes(moreFixes)}</p>`}
${totals.faults + totals.stored > 0 && fixes.length === 0 && html`<p>${t.healthNoFix}</p>`}
${
  tried.length > 0 &&
  html`<div class="fr-alert fr-alert--warning fr-mb-2w"><p>${t.tried(t.ratings(triedTotal), procedure.id)}</p></div>
<h3 class="fr-h6">${t.triedTable}</h3>
${table(
  t.triedTable,
  [t.triedId, t.origin, t.refusedCount],
  triedShown.shown.map(
    (row) => html`<tr><td>${row.procedureId || t.otherIds}</td><td>${originCell(row.origin)}</td><td>${row.count}</td></tr>`,
  ),
  { multiline: true, hiddenCaption: true },
)}${moreRows(triedShown.more, triedShown.moreCount)}`
}
${
  faults.shown.length > 0 &&
  html`<h3 class="fr-h6">${t.faults}</h3>
${table(
  t.faultsTable,
  [t.reason, t.origin, t.placement, t.refusedCount, t.lastDay],
  faults.shown.map(
    (row) =>
      html`<tr><td>${REASONS[lang][row.reason] ?? row.reason}</td><td>${originCell(row.origin)}</td><td>${placementCell(row.placementId)}</td><td>${row.count}</td><td>${formatDay(lang, row.lastDay)}</td></tr>`,
  ),
  { multiline: true, hiddenCaption: true },
)}${moreRows(faults.more, faults.moreCount)}`
}
${
  limitsByReason.size > 0 &&
  html`<h3 class="fr-h6">${t.limits}</h3>
${table(
  t.limitsTable,
  [t.reason, t.refusedCount],
  [...limitsByReason].map(([reason, count]) => html`<tr><td>${REASONS[lang][reason] ?? reason}</td><td>${count}</td></tr>`),
  { hiddenCaption: true },
)}`
}
</section>`;

  const placements = procedure.placements;
  const snippet = html`<section class="fr-mb-6w" aria-labelledby="code">
<h2 id="code">${t.snippet}</h2>
<p>${t.snippetIntro}</p>
${
  placements.length > 1 &&
  column(html`<form method="get" action="${base}#code" class="fr-mb-4w">
  ${lang === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
  <div class="fr-select-group">
    <label class="fr-label" for="emplacement">${t.snippetPlacement}<span class="fr-hint-text">${t.snippetPlacementHint}</span></label>
    <select class="fr-select" id="emplacement" name="emplacement">
      ${placements.map(
        (p) =>
          html`<option value="${p === DEFAULT_PLACEMENT ? '' : p}"${(view.placement ?? DEFAULT_PLACEMENT) === p ? html` selected` : ''}>${p === DEFAULT_PLACEMENT ? t.noPlacement : p}</option>`,
      )}
    </select>
  </div>
  <button type="submit" class="fr-btn fr-btn--secondary fr-btn--sm">${t.show}</button>
</form>`)
}
${view.blocks.map(
  (block, i) =>
    html`<h3 class="fr-h6" id="bloc-${i + 1}-titre">${i + 1}. ${t.blockTitles[i]}</h3>${copyField(lang, {
      id: `bloc-${i + 1}`,
      labelledBy: `bloc-${i + 1}-titre`,
      what: t.blockNames[i]!,
      code: block.code,
      rows: i === 1 ? 4 : 2,
    })}`,
)}
<h3 class="fr-h6">${t.preview}</h3>
<p>${t.previewIntro}</p>
<p>${(['light', 'dark'] as const).map(
    (theme) =>
      html`<span class="jdma-preview jdma-preview--${theme}"><img src="/button.svg?theme=${theme}&amp;lang=fr" width="${BUTTON_SIZE.width}" height="${BUTTON_SIZE.height}" alt="${t.previewAlt(t[theme])}"></span>`,
  )}</p>
</section>`;

  const title = html`<section class="fr-mb-6w" aria-labelledby="titre">
<h2 id="titre">${t.title}</h2>
${column(html`<form method="post" action="${action('/titre')}">
  ${csrfField(csrfToken)}
  ${inputGroup({ id: 'champ-titre', name: 'title', label: t.titleLabel, hint: t.titleHint, value: procedure.title, error, attrs: html` required maxlength="200"` })}
  <button type="submit" class="fr-btn">${t.saveTitle}</button>
</form>`)}
</section>`;

  const listSection = (o: {
    id: string;
    heading: string;
    intro: string;
    items: readonly string[];
    empty: string;
    fixed?: (item: string) => string | undefined;
    path: string;
    name: string;
    label: string;
    hint: string;
    type: string;
  }) => html`<section class="fr-mb-6w" aria-labelledby="${o.id}">
<h2 id="${o.id}">${o.heading}</h2>
<p>${o.intro}</p>
${
  o.items.length === 0
    ? html`<p>${o.empty}</p>`
    : html`<ul class="fr-mb-3w">${o.items.map((item) => {
        const fixed = o.fixed?.(item);
        return html`<li class="fr-mb-1w"><span class="fr-mr-2w">${item}</span>${
          fixed
            ? html`<span class="fr-hint-text">${fixed}</span>`
            : html`<form method="post" action="${action(`${o.path}/retirer`)}" class="fr-mt-1v">${csrfField(csrfToken)}<input type="hidden" name="${o.name}" value="${item}"><button type="submit" class="fr-btn fr-btn--tertiary fr-btn--sm" aria-label="${t.removeWhat(item)}">${t.remove}</button></form>`
        }</li>`;
      })}</ul>`
}
${column(html`<form method="post" action="${action(o.path)}">
  ${csrfField(csrfToken)}
  ${inputGroup({ id: `${o.id}-nouvelle`, name: o.name, label: o.label, hint: o.hint, type: o.type, error, attrs: html` required spellcheck="false" autocapitalize="none"` })}
  <button type="submit" class="fr-btn fr-btn--secondary">${t.add}</button>
</form>`)}
</section>`;

  const origins = listSection({
    id: 'origines',
    heading: t.origins,
    intro: t.originsIntro,
    items: procedure.origins,
    empty: t.originsNone,
    path: '/origines',
    name: 'origin',
    label: t.addOrigin,
    hint: t.addOriginHint,
    type: 'url',
  });
  const placementList = listSection({
    id: 'emplacements',
    heading: t.placements,
    intro: t.placementsIntro,
    items: placements,
    empty: '',
    fixed: (p) => (p === DEFAULT_PLACEMENT ? t.placementDefault : undefined),
    path: '/emplacements',
    name: 'placement',
    label: t.addPlacement,
    hint: t.addPlacementHint,
    type: 'text',
  });

  const archived = procedure.archivedAt !== null;
  const archive = html`<section class="fr-mb-6w" aria-labelledby="archivage">
<h2 id="archivage">${t.archive}</h2>
<p><strong>${archived ? t.archivedOn(formatDay(lang, procedure.archivedAt!)) : t.active}</strong></p>
<p>${archived ? t.restoreExplained : t.archiveExplained}</p>
<form method="post" action="${action(archived ? '/reactiver' : '/archiver')}">
  ${csrfField(csrfToken)}
  <button type="submit" class="fr-btn ${archived ? '' : 'fr-btn--secondary'}">${archived ? t.restoreButton : t.archiveButton}</button>
</form>
</section>`;

  return {
    title: `${t.settings} – ${procedure.title}`,
    main: html`<link rel="stylesheet" href="${ADMIN_CSS_PATH}">
<p class="fr-mt-4w fr-mb-1w">${t.entityLabel}${lang === 'fr' ? '\u00a0: ' : ': '}${procedure.entity}</p>
<h1>${t.settingsOf(procedure.title)}</h1>
${procedureNav(lang, procedure.id, 'settings', true)}
${doneNotice(lang, view.done)}
${error && html`<div class="fr-alert fr-alert--error fr-alert--sm fr-mb-4w" role="alert"><p><a href="#${fieldId(error.field)}">${error.message}</a></p></div>`}
${archived && html`<div class="fr-alert fr-alert--info fr-alert--sm fr-mb-4w"><p>${t.archivedNotice(formatDay(lang, procedure.archivedAt!))} <a href="#archivage">${t.archivedLink}</a></p></div>`}
${health}
${snippet}
${title}
${origins}
${placementList}
${archive}
<script src="${ADMIN_JS_PATH}" defer></script>`,
  };
}

const fieldId = (field: string) =>
  ({ title: 'champ-titre', origin: 'origines-nouvelle', placement: 'emplacements-nouvelle', email: 'membre-adresse', name: 'cle-nom' })[
    field
  ] ?? field;

// ---- An entity's members, keys and audit log

const E = {
  fr: {
    nav: 'Pages d’administration de l’entité',
    members: 'Membres et clés d’API',
    audit: 'Journal des actions',
    membersOf: (entity: string) => `Membres et clés d’API – ${entity}`,
    auditOf: (entity: string) => `Journal des actions – ${entity}`,
    membersHeading: 'Membres',
    membersCaption: (entity: string) => `Membres de ${entity}`,
    address: 'Adresse e-mail',
    role: 'Rôle',
    since: 'Membre depuis',
    changeRole: 'Changer le rôle',
    removal: 'Retrait',
    roles: { admin: 'Administrateur', reader: 'Lecteur' },
    roleOf: (email: string) => `Rôle de ${email}`,
    change: 'Changer',
    changeFor: (email: string) => `Changer le rôle de ${email}`,
    you: '(vous)',
    removeMember: 'Retirer',
    removeFor: (email: string) => `Retirer ${email}`,
    invite: 'Ajouter un membre',
    inviteHint: 'La personne se connecte avec ProConnect ou avec un lien de connexion fourni par l’opérateur du service.',
    emailLabel: 'Adresse e-mail',
    emailHint: 'Son adresse professionnelle, par exemple prenom.nom@example.gouv.fr',
    roleLabel: 'Rôle',
    roleHint:
      'Un lecteur voit les résultats, les avis et les exports ; un administrateur gère aussi les réglages, les membres et les clés.',
    inviteButton: 'Ajouter ce membre',
    keys: 'Clés d’API',
    keysIntro:
      'Une clé permet à un tableau de bord ou à un script de lire les résultats et les avis (jamais de les modifier), dans l’en-tête « Authorization: Bearer <clé> ».',
    keysCaption: (entity: string) => `Clés d’API de ${entity}`,
    keysNone: 'Aucune clé d’API.',
    keyName: 'Nom',
    scope: 'Portée',
    created: 'Créée le',
    lastUsed: 'Dernier usage',
    state: 'État',
    never: 'jamais',
    wholeEntity: 'toute l’entité',
    live: 'active',
    revoked: 'révoquée',
    revokedOn: (at: string) => `le ${at}`,
    revoke: 'Révoquer',
    revokeFor: (name: string) => `Révoquer la clé ${name}`,
    newKey: 'Créer une clé',
    keyNameLabel: 'Nom de la clé',
    keyNameHint: 'Pour la reconnaître : à quoi elle sert, par exemple « tableau de bord DINUM ».',
    keyProcedures: 'Démarches que la clé peut lire',
    keyProceduresHint: 'Aucune case cochée : toutes les démarches de l’entité, y compris les futures.',
    createKey: 'Créer la clé',
    keyCreated: 'Clé d’API créée',
    keyCreatedWarning: 'Copiez cette clé maintenant : elle ne sera plus jamais affichée. Seule son empreinte est gardée.',
    keyField: (name: string) => `Clé d’API « ${name} »`,
    keyUse: 'Envoyez-la dans l’en-tête de chaque requête :',
    apiDocs: 'Documentation de l’API',
    back: 'Retour aux membres et clés d’API',
    confirmRemoval: 'Retirer ce membre ?',
    confirmText: (email: string, entity: string) =>
      `${email} n’aura plus accès à ${entity} dès sa prochaine action, ni à ses démarches. Vous pourrez l’ajouter de nouveau.`,
    confirmButton: 'Retirer ce membre',
    cancel: 'Annuler',
    auditIntro:
      'Connexions, réglages, membres, clés, exports et modération : qui a fait quoi, et quand. Gardé un an. Une action répétée à l’identique dans la minute est inscrite une fois, avec son nombre (×12).',
    times: (count: number) => `${count} fois`,
    auditCaption: (entity: string) => `Actions sur ${entity}, des plus récentes aux plus anciennes`,
    auditNone: 'Aucune action enregistrée.',
    when: 'Quand',
    who: 'Qui',
    what: 'Action',
    target: 'Cible',
    details: 'Détails',
    older: 'Plus anciens',
    newest: 'Plus récents',
    pages: 'Pages du journal',
    operator: 'l’opérateur (ligne de commande)',
    keyActor: (name: string) => `clé d’API ${name}`,
  },
  en: {
    nav: 'Administration pages of the entity',
    members: 'Members and API keys',
    audit: 'Audit log',
    membersOf: (entity: string) => `Members and API keys – ${entity}`,
    auditOf: (entity: string) => `Audit log – ${entity}`,
    membersHeading: 'Members',
    membersCaption: (entity: string) => `Members of ${entity}`,
    address: 'E-mail address',
    role: 'Role',
    since: 'Member since',
    changeRole: 'Change the role',
    removal: 'Removal',
    roles: { admin: 'Admin', reader: 'Reader' },
    roleOf: (email: string) => `Role of ${email}`,
    change: 'Change',
    changeFor: (email: string) => `Change the role of ${email}`,
    you: '(you)',
    removeMember: 'Remove',
    removeFor: (email: string) => `Remove ${email}`,
    invite: 'Add a member',
    inviteHint: 'They sign in with ProConnect or with a sign-in link given by the service’s operator.',
    emailLabel: 'E-mail address',
    emailHint: 'Their work address, for example firstname.lastname@example.gouv.fr',
    roleLabel: 'Role',
    roleHint: 'A reader sees results, reviews and exports; an admin also manages settings, members and keys.',
    inviteButton: 'Add this member',
    keys: 'API keys',
    keysIntro:
      'A key lets a dashboard or a script read results and reviews (never change them), in the “Authorization: Bearer <key>” header.',
    keysCaption: (entity: string) => `API keys of ${entity}`,
    keysNone: 'No API key.',
    keyName: 'Name',
    scope: 'Scope',
    created: 'Created',
    lastUsed: 'Last used',
    state: 'State',
    never: 'never',
    wholeEntity: 'the whole entity',
    live: 'live',
    revoked: 'revoked',
    revokedOn: (at: string) => `on ${at}`,
    revoke: 'Revoke',
    revokeFor: (name: string) => `Revoke the key ${name}`,
    newKey: 'Create a key',
    keyNameLabel: 'Name of the key',
    keyNameHint: 'To recognise it: what it is for, for example “DINUM dashboard”.',
    keyProcedures: 'Procedures the key may read',
    keyProceduresHint: 'No box ticked: every procedure of the entity, future ones included.',
    createKey: 'Create the key',
    keyCreated: 'API key created',
    keyCreatedWarning: 'Copy this key now: it will never be shown again. Only its fingerprint is kept.',
    keyField: (name: string) => `API key “${name}”`,
    keyUse: 'Send it in the header of each request:',
    apiDocs: 'API documentation',
    back: 'Back to members and API keys',
    confirmRemoval: 'Remove this member?',
    confirmText: (email: string, entity: string) =>
      `${email} will lose access to ${entity} and its procedures from their next action. You may add them again.`,
    confirmButton: 'Remove this member',
    cancel: 'Cancel',
    auditIntro:
      'Sign-ins, settings, members, keys, exports and moderation: who did what, and when. Kept one year. An action repeated identically within a minute is written once, with its number (×12).',
    times: (count: number) => `${count} times`,
    auditCaption: (entity: string) => `Actions on ${entity}, newest first`,
    auditNone: 'No action recorded.',
    when: 'When',
    who: 'Who',
    what: 'Action',
    target: 'Target',
    details: 'Details',
    older: 'Older',
    newest: 'Newest',
    pages: 'Pages of the log',
    operator: 'the operator (command line)',
    keyActor: (name: string) => `API key ${name}`,
  },
} as const;

const entityBase = (entityId: string) => `/espace/entites/${encodeURIComponent(entityId)}`;

function entityNav(lang: Lang, entityId: string, current: 'members' | 'audit'): SafeHtml {
  const e = E[lang];
  const link = (tab: 'members' | 'audit', path: string) =>
    html`<li><a class="fr-btn ${tab === current ? '' : 'fr-btn--secondary'}" href="${withLang(`${entityBase(entityId)}${path}`, lang)}"${
      tab === current ? html` aria-current="page"` : ''
    }>${e[tab]}</a></li>`;
  return html`<nav class="fr-mb-4w" aria-label="${e.nav}">
  <ul class="fr-btns-group fr-btns-group--inline-sm">${link('members', '/membres')}${link('audit', '/journal')}</ul>
</nav>`;
}

export interface MembersView {
  lang: Lang;
  csrfToken: string;
  /** The signed-in member, marked « (vous) » in the table. */
  email: string;
  entity: { id: string; name: string };
  members: readonly Member[];
  keys: readonly ApiKey[];
  procedures: readonly Pick<Procedure, 'id' | 'title'>[];
  done?: string | undefined;
  /** A refusal that belongs to no field (the last admin), shown at the top. */
  failure?: string | undefined;
  error?: FieldError | undefined;
  /** What the forms held when they were refused. */
  form?: { role?: string; procedures?: readonly string[] } | undefined;
}

export function membersPage(view: MembersView): { title: string; main: SafeHtml } {
  const { lang, csrfToken, entity } = view;
  const e = E[lang];
  const action = (path: string) => withLang(`${entityBase(entity.id)}${path}`, lang);
  const error = view.error;
  const roleOptions = (selected: string) =>
    (['reader', 'admin'] as const).map(
      (role) => html`<option value="${role}"${role === selected ? html` selected` : ''}>${e.roles[role]}</option>`,
    );

  // Named by aria-label, not a visually hidden <label>: absolutely placed, that would escape the
  // table's scrolling box and widen the page at 320 px.
  const memberRows = view.members.map(
    (m, i) => html`<tr>
  <td>${m.email}${m.email === view.email ? html` <span class="fr-hint-text">${e.you}</span>` : ''}</td>
  <td>${e.roles[m.role]}</td>
  <td>${formatDay(lang, m.createdAt)}</td>
  <td><form method="post" action="${action('/membres/role')}">${csrfField(csrfToken)}<input type="hidden" name="email" value="${m.email}">
    <select class="fr-select fr-mb-1w" id="role-${i}" name="role" aria-label="${e.roleOf(m.email)}">${roleOptions(m.role)}</select>
    <button type="submit" class="fr-btn fr-btn--secondary fr-btn--sm" aria-label="${e.changeFor(m.email)}">${e.change}</button></form></td>
  <td><form method="post" action="${action('/membres/retirer')}">${csrfField(csrfToken)}<input type="hidden" name="email" value="${m.email}">
    <button type="submit" class="fr-btn fr-btn--tertiary fr-btn--sm" aria-label="${e.removeFor(m.email)}">${e.removeMember}</button></form></td>
</tr>`,
  );
  const chosen = new Set(view.form?.procedures ?? []);
  const titles = new Map(view.procedures.map((p) => [p.id, p.title]));
  const keyRows = view.keys.map(
    (k) => html`<tr>
  <td>${k.name}</td>
  <td>${k.procedureIds === null ? e.wholeEntity : k.procedureIds.map((id) => titles.get(id) ?? id).join(', ')}</td>
  <td>${formatTime(lang, k.createdAt)}</td>
  <td>${k.lastUsedAt ? formatTime(lang, k.lastUsedAt) : e.never}</td>
  <td>${
    k.revokedAt
      ? html`<p class="fr-badge fr-badge--sm fr-badge--no-icon">${e.revoked}</p> ${e.revokedOn(formatTime(lang, k.revokedAt))}`
      : html`<p class="fr-badge fr-badge--sm fr-badge--no-icon fr-badge--success">${e.live}</p>`
  }</td>
  <td>${
    k.revokedAt
      ? ''
      : html`<form method="post" action="${action('/cles/revoquer')}">${csrfField(csrfToken)}<input type="hidden" name="name" value="${k.name}">
    <button type="submit" class="fr-btn fr-btn--tertiary fr-btn--sm" aria-label="${e.revokeFor(k.name)}">${e.revoke}</button></form>`
  }</td>
</tr>`,
  );
  const roleError = error?.field === 'role' ? error : undefined;
  const proceduresError = error?.field === 'procedures' ? error : undefined;
  return {
    title: e.membersOf(entity.name),
    main: html`<h1 class="fr-mt-4w">${e.membersOf(entity.name)}</h1>
${entityNav(lang, entity.id, 'members')}
${doneNotice(lang, view.done)}
${errorNotice(lang, view.failure)}
${error && html`<div class="fr-alert fr-alert--error fr-alert--sm fr-mb-4w" role="alert"><p><a href="#${fieldId(error.field)}">${error.message}</a></p></div>`}
<section class="fr-mb-6w" aria-labelledby="membres">
<h2 id="membres">${e.membersHeading}</h2>
${table(e.membersCaption(entity.name), [e.address, e.role, e.since, e.changeRole, e.removal], memberRows, { hiddenCaption: true })}
<h3 id="inviter">${e.invite}</h3>
<p>${e.inviteHint}</p>
${column(html`<form method="post" action="${action('/membres')}">
  ${csrfField(csrfToken)}
  ${inputGroup({ id: 'membre-adresse', name: 'email', label: e.emailLabel, hint: e.emailHint, type: 'email', error, attrs: html` required autocomplete="off" spellcheck="false"` })}
  <div class="fr-select-group${roleError ? ' fr-select-group--error' : ''}">
    <label class="fr-label" for="membre-role">${e.roleLabel}<span class="fr-hint-text">${e.roleHint}</span></label>
    <select class="fr-select" id="membre-role" name="role" aria-describedby="membre-role-messages">${roleOptions(view.form?.role ?? 'reader')}</select>
    <div class="fr-messages-group" id="membre-role-messages" aria-live="polite">${roleError ? html`<p class="fr-message fr-message--error">${roleError.message}</p>` : ''}</div>
  </div>
  <button type="submit" class="fr-btn">${e.inviteButton}</button>
</form>`)}
</section>
<section class="fr-mb-6w" aria-labelledby="cles">
<h2 id="cles">${e.keys}</h2>
<p>${e.keysIntro}</p>
${view.keys.length === 0 ? html`<p>${e.keysNone}</p>` : table(e.keysCaption(entity.name), [e.keyName, e.scope, e.created, e.lastUsed, e.state, e.revoke], keyRows, { hiddenCaption: true })}
<h3 id="nouvelle-cle">${e.newKey}</h3>
${column(html`<form method="post" action="${action('/cles')}">
  ${csrfField(csrfToken)}
  ${inputGroup({ id: 'cle-nom', name: 'name', label: e.keyNameLabel, hint: e.keyNameHint, error, attrs: html` required maxlength="100" autocomplete="off"` })}
  ${
    view.procedures.length > 0 &&
    html`<fieldset class="fr-fieldset${proceduresError ? ' fr-fieldset--error' : ''}" id="cle-demarches" aria-labelledby="cle-demarches-legend cle-demarches-messages">
    <legend class="fr-fieldset__legend--regular fr-fieldset__legend" id="cle-demarches-legend">${e.keyProcedures}<span class="fr-hint-text">${e.keyProceduresHint}</span></legend>
    ${view.procedures.map(
      (p, i) => html`<div class="fr-fieldset__element"><div class="fr-checkbox-group">
      <input type="checkbox" id="cle-demarche-${i}" name="procedures" value="${p.id}"${chosen.has(p.id) ? html` checked` : ''}>
      <label class="fr-label" for="cle-demarche-${i}">${p.title}<span class="fr-hint-text">${p.id}</span></label>
    </div></div>`,
    )}
    <div class="fr-messages-group" id="cle-demarches-messages" aria-live="polite">${proceduresError ? html`<p class="fr-message fr-message--error">${proceduresError.message}</p>` : ''}</div>
  </fieldset>`
  }
  <button type="submit" class="fr-btn">${e.createKey}</button>
</form>`)}
</section>`,
  };
}

/** The reply to creating a key: the key itself, this once (the reply is no-store, the key is in no address). */
export function keyCreatedPage(
  lang: Lang,
  o: { entity: { id: string; name: string }; name: string; key: string; publicUrl: string },
): {
  title: string;
  main: SafeHtml;
} {
  const e = E[lang];
  const t = T[lang];
  return {
    title: `${e.keyCreated} – ${o.entity.name}`,
    main: html`<link rel="stylesheet" href="${ADMIN_CSS_PATH}">
<h1 class="fr-mt-4w">${e.keyCreated}</h1>
<div class="fr-alert fr-alert--warning fr-mb-4w"><p>${e.keyCreatedWarning}</p></div>
<div class="fr-input-group">
  <label class="fr-label" for="cle">${e.keyField(o.name)}</label>
  <textarea class="fr-input jdma-code" id="cle" rows="2" readonly spellcheck="false">${o.key}</textarea>
</div>
<p class="fr-mb-4w"><button type="button" class="fr-btn fr-btn--sm" data-copy="cle" data-copied="${t.copied}" data-failed="${t.copyFailed}" hidden>${t.copy}<span class="fr-sr-only"> ${e.keyField(o.name)}</span></button>
<span id="cle-statut" class="fr-ml-2w" aria-live="polite"></span></p>
<p>${e.keyUse}</p>
<p><code>curl -H "Authorization: Bearer …" ${o.publicUrl}/api/v1/procedures</code></p>
<ul>
  <li><a class="fr-link" href="/api/docs">${e.apiDocs}</a></li>
  <li><a class="fr-link" href="${withLang(`${entityBase(o.entity.id)}/membres`, lang)}">${e.back}</a></li>
</ul>
<script src="${ADMIN_JS_PATH}" defer></script>`,
  };
}

/** Removing a member is asked twice: this page says what it does, and its button does it. */
export function removalPage(
  lang: Lang,
  o: { csrfToken: string; entity: { id: string; name: string }; email: string },
): {
  title: string;
  main: SafeHtml;
} {
  const e = E[lang];
  const back = withLang(`${entityBase(o.entity.id)}/membres`, lang);
  return {
    title: `${e.confirmRemoval} – ${o.entity.name}`,
    main: html`<h1 class="fr-mt-4w">${e.confirmRemoval}</h1>
<p>${e.confirmText(o.email, o.entity.name)}</p>
<form method="post" action="${withLang(`${entityBase(o.entity.id)}/membres/retirer`, lang)}">
  ${csrfField(o.csrfToken)}
  <input type="hidden" name="email" value="${o.email}">
  <input type="hidden" name="confirm" value="oui">
  <ul class="fr-btns-group fr-btns-group--inline-sm">
    <li><button type="submit" class="fr-btn">${e.confirmButton}</button></li>
    <li><a class="fr-btn fr-btn--secondary" href="${back}">${e.cancel}</a></li>
  </ul>
</form>`,
  };
}

const ACTIONS: Record<Lang, Record<string, string>> = {
  fr: {
    login: 'Connexion',
    logout: 'Déconnexion',
    login_link_created: 'Lien de connexion créé',
    entity_added: 'Entité créée',
    member_added: 'Membre ajouté',
    member_role_changed: 'Rôle changé',
    member_removed: 'Membre retiré',
    key_created: 'Clé d’API créée',
    key_revoked: 'Clé d’API révoquée',
    procedure_created: 'Démarche créée',
    procedure_added: 'Démarche créée',
    procedure_updated: 'Démarche modifiée',
    procedure_renamed: 'Démarche renommée',
    procedure_archived: 'Démarche archivée',
    procedure_restored: 'Démarche réactivée',
    procedure_origin_added: 'Origine ajoutée',
    procedure_origin_removed: 'Origine retirée',
    procedure_placement_added: 'Emplacement ajouté',
    procedure_placement_removed: 'Emplacement retiré',
    export: 'Export',
    review_hidden: 'Commentaire masqué',
    review_restored: 'Commentaire rétabli',
  },
  en: {
    login: 'Sign-in',
    logout: 'Sign-out',
    login_link_created: 'Sign-in link made',
    entity_added: 'Entity created',
    member_added: 'Member added',
    member_role_changed: 'Role changed',
    member_removed: 'Member removed',
    key_created: 'API key created',
    key_revoked: 'API key revoked',
    procedure_created: 'Procedure created',
    procedure_added: 'Procedure created',
    procedure_updated: 'Procedure changed',
    procedure_renamed: 'Procedure renamed',
    procedure_archived: 'Procedure archived',
    procedure_restored: 'Procedure restored',
    procedure_origin_added: 'Origin added',
    procedure_origin_removed: 'Origin removed',
    procedure_placement_added: 'Placement added',
    procedure_placement_removed: 'Placement removed',
    export: 'Export',
    review_hidden: 'Comment hidden',
    review_restored: 'Comment restored',
  },
};

const DETAIL_NAMES: Record<Lang, Record<string, string>> = {
  fr: {
    role: 'rôle',
    // Top-level `from` and `to` are an export's period; a change's before and after are nested (detailValue).
    from: 'du',
    to: 'au',
    has_comment: 'seulement avec commentaire',
    q: 'mots recherchés',
    satisfaction: 'satisfaction',
    title: 'titre',
    origins: 'origines',
    placements: 'emplacements',
    origins_added: 'origines ajoutées',
    origins_removed: 'origines retirées',
    placements_added: 'emplacements ajoutés',
    placements_removed: 'emplacements retirés',
    procedures: 'démarches',
    procedure: 'démarche',
    reason: 'motif',
    format: 'format',
    via: 'par',
    entity: 'entité',
    origin: 'origine',
    placement: 'emplacement',
    name: 'nom',
  },
  en: { has_comment: 'only with comment', q: 'search words', origins_added: 'origins added', origins_removed: 'origins removed' },
};

const ROLE_WORDS: Record<Lang, Record<string, string>> = {
  fr: { admin: 'administrateur', reader: 'lecteur' },
  en: { admin: 'admin', reader: 'reader' },
};

const VIA: Record<Lang, Record<string, string>> = {
  fr: { login_link: 'lien de connexion', oidc: 'ProConnect' },
  en: { login_link: 'sign-in link', oidc: 'ProConnect' },
};

/** A detail's value in words: lists joined, a change as « avant → après », no procedure list as « toutes ». */
function detailValue(lang: Lang, key: string, value: unknown): string {
  if (value === null) return key === 'procedures' ? (lang === 'en' ? 'all' : 'toutes') : '–';
  if (Array.isArray(value)) return value.map((item) => detailValue(lang, key, item)).join(', ');
  if (typeof value === 'object') {
    const { from, to } = value as { from?: unknown; to?: unknown };
    if (from !== undefined || to !== undefined) return `${detailValue(lang, key, from ?? null)} → ${detailValue(lang, key, to ?? null)}`;
    return JSON.stringify(value);
  }
  if (typeof value === 'boolean') return value ? (lang === 'en' ? 'yes' : 'oui') : lang === 'en' ? 'no' : 'non';
  const text = String(value);
  if (key === 'via') return VIA[lang][text] ?? text;
  return key === 'role' || key === 'from' || key === 'to' ? (ROLE_WORDS[lang][text] ?? text) : text;
}

export interface AuditView {
  lang: Lang;
  entity: { id: string; name: string };
  entries: readonly AuditEntry[];
  /** This page's `before` (undefined: the newest page), and the next (older) page's, or null. */
  before: number | undefined;
  nextBefore: number | null;
}

export function auditPage(view: AuditView): { title: string; main: SafeHtml } {
  const { lang, entity } = view;
  const e = E[lang];
  const path = `${entityBase(entity.id)}/journal`;
  const actor = (who: string) => (who === 'operator' ? e.operator : who.startsWith('key:') ? e.keyActor(who.slice(4)) : who);
  // A count is an <abbr>, not a visually hidden span: positioned outside the table's scroll box,
  // such a span widened the page at 320 px.
  const rows = view.entries.map((entry) => {
    const details = Object.entries(entry.details);
    return html`<tr>
  <td>${formatTime(lang, entry.at)}</td>
  <td>${actor(entry.actor)}</td>
  <td>${ACTIONS[lang][entry.action] ?? entry.action}${entry.count > 1 && html` <abbr title="${e.times(entry.count)}">×${entry.count}</abbr>`}</td>
  <td>${entry.target}</td>
  <td>${
    details.length === 0
      ? ''
      : html`<ul class="fr-mb-0">${details.map(([key, value]) => html`<li>${DETAIL_NAMES[lang][key] ?? key.replaceAll('_', ' ')}${lang === 'fr' ? '\u00a0: ' : ': '}${detailValue(lang, key, value)}</li>`)}</ul>`
  }</td>
</tr>`;
  });
  const links = [
    view.before !== undefined && html`<li><a class="fr-btn fr-btn--secondary" href="${withLang(path, lang)}">${e.newest}</a></li>`,
    view.nextBefore !== null &&
      html`<li><a class="fr-btn fr-btn--secondary" href="${withLang(`${path}?avant=${view.nextBefore}`, lang)}">${e.older}</a></li>`,
  ].filter((link) => link !== false);
  return {
    title: e.auditOf(entity.name),
    main: html`<h1 class="fr-mt-4w">${e.auditOf(entity.name)}</h1>
${entityNav(lang, entity.id, 'audit')}
<p>${e.auditIntro}</p>
${view.entries.length === 0 ? html`<p>${e.auditNone}</p>` : table(e.auditCaption(entity.name), [e.when, e.who, e.what, e.target, e.details], rows, { multiline: true })}
${links.length > 0 && html`<nav aria-label="${e.pages}"><ul class="fr-btns-group fr-btns-group--inline-sm">${links}</ul></nav>`}`,
  };
}
