// An entity's audit log in the agency space (SPEC §8): who did what, when, on what, in words.
import type { Lang } from '../../../shared/questionnaire.ts';
import { withLang } from '../../../shared/languages.ts';
import { categoryWords } from '../../scrub/scrub.ts';
import type { AuditEntry, TriageStatus } from '../../store/store.ts';
import { html, type SafeHtml } from '../html.ts';
import { pagination, table } from '../kit/dsfr.ts';
import { formatTime } from '../kit/format.ts';
import { TRIAGE_TEXT } from '../review-triage-form.ts';
import { entityBase, entityNav, spaceBreadcrumb } from './admin-parts.ts';
import { E } from './entity-texts.ts';

const ACTIONS: Record<Lang, Record<string, string>> = {
  fr: {
    login: 'Connexion',
    logout: 'Déconnexion',
    login_link_created: 'Lien de connexion créé',
    entity_added: 'Entité créée',
    entity_logo_set: 'Logo enregistré',
    entity_logo_removed: 'Logo retiré',
    member_added: 'Membre ajouté',
    member_role_changed: 'Rôle changé',
    member_removed: 'Membre retiré',
    access_requested: 'Accès demandé',
    access_request_accepted: 'Demande d’accès acceptée',
    access_request_refused: 'Demande d’accès refusée',
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
    suspect_confirmed: 'Passage retenu masqué',
    suspect_released: 'Passage retenu publié',
    review_status: 'Statut d’un avis changé',
    review_spam: 'Avis marqué indésirable',
    review_not_spam: 'Avis rétabli (pas indésirable)',
    duplicate_confirmed: 'Doublon confirmé',
    duplicate_cleared: 'Doublon écarté',
    review_tagged: 'Étiquette posée',
    review_untagged: 'Étiquette retirée',
    tag_created: 'Étiquette créée',
    tag_renamed: 'Étiquette renommée',
    tag_deleted: 'Étiquette supprimée',
  },
  en: {
    login: 'Sign-in',
    logout: 'Sign-out',
    login_link_created: 'Sign-in link made',
    entity_added: 'Entity created',
    entity_logo_set: 'Logo saved',
    entity_logo_removed: 'Logo removed',
    member_added: 'Member added',
    member_role_changed: 'Role changed',
    member_removed: 'Member removed',
    access_requested: 'Access requested',
    access_request_accepted: 'Access request accepted',
    access_request_refused: 'Access request refused',
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
    suspect_confirmed: 'Held-back passage masked',
    suspect_released: 'Held-back passage published',
    review_status: 'Review status changed',
    review_spam: 'Review marked as spam',
    review_not_spam: 'Review no longer spam',
    duplicate_confirmed: 'Duplicate confirmed',
    duplicate_cleared: 'Duplicate cleared',
    review_tagged: 'Tag set',
    review_untagged: 'Tag unset',
    tag_created: 'Tag created',
    tag_renamed: 'Tag renamed',
    tag_deleted: 'Tag deleted',
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
    product_id: 'numéro JDMA',
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
    span: 'passage',
    category: 'catégorie',
    status: 'statut',
    tag: 'étiquette',
    of: 'doublon de l’avis',
    previous: 'ancien nom',
    marked: 'indésirables et doublons',
    reviews: 'avis',
  },
  en: {
    span: 'passage',
    has_comment: 'only with comment',
    q: 'search words',
    origins_added: 'origins added',
    origins_removed: 'origins removed',
    product_id: 'JDMA number',
    of: 'duplicate of review',
    previous: 'former name',
    marked: 'spam and duplicates',
  },
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
  if (key === 'category') return categoryWords(text, lang);
  // A triage status is shown as the comments page names it (« traité », not `handled`).
  if (key === 'status' && Object.hasOwn(TRIAGE_TEXT[lang].statuses, text))
    return TRIAGE_TEXT[lang].statuses[text as TriageStatus].toLowerCase();
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
  const pages = pagination(e.pages, {
    newest: view.before === undefined ? null : { label: e.newest, href: withLang(path, lang) },
    older: view.nextBefore === null ? null : { label: e.older, href: withLang(`${path}?avant=${view.nextBefore}`, lang) },
  });
  return {
    title: e.auditOf(entity.name),
    main: html`${spaceBreadcrumb(lang, [{ label: e.auditOf(entity.name), path: `${entityBase(entity.id)}/journal` }])}
<h1>${e.auditOf(entity.name)}</h1>
${entityNav(lang, entity.id, 'audit')}
<p>${e.auditIntro}</p>
${view.entries.length === 0 ? html`<p>${e.auditNone}</p>` : table(e.auditCaption(entity.name), [e.when, e.who, e.what, e.target, e.details], rows, { multiline: true, scrollHint: lang })}
${pages}`,
  };
}
