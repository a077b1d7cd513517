// The comments page's texts (French and English): what an agent reads there, apart from the markup.
import type { TagSuggestion } from '../agency/tag-suggestions.ts';
import type { Lang, WidgetLang } from '../../shared/questionnaire.ts';
import type { ErrorDetail } from '../http-errors.ts';
import type { ReviewRecord } from '../store/store.ts';

export const TEXT = {
  fr: {
    title: 'Avis',
    heading: 'Avis et commentaires',
    home: 'Espace agence',
    breadcrumb: 'vous êtes ici\u00a0:',
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
    period: (from: string, to: string) => `Période\u00a0: du ${from} au ${to}.`,
    searched: 'Recherche\u00a0:',
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
    test: 'test',
    testHint: 'Donné sur un emplacement de test\u00a0: compté nulle part',
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
    reasonHint: 'Inscrite au journal. Le texte ne sera plus montré ni exporté\u00a0; les réponses comptent toujours.',
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
    heldHint: 'Des passages qui ressemblent à des données personnelles sont masqués «\u00a0[à vérifier]\u00a0» jusqu’à leur vérification.',
    checkLegend: (at: string) => `Passages retenus de l’avis du ${at}`,
    checkPassage: (text: string, category: string) => `«\u00a0${text}\u00a0» (${category})`,
    passage: (text: string) => ` «\u00a0${text}\u00a0»`,
    confirm: 'Masquer pour de bon',
    release: 'Publier tel quel',
    goneFromSearch: 'Il n’apparaît plus dans cette recherche\u00a0: un texte masqué n’est pas cherché.',
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
    test: 'test',
    testHint: 'Given on a test placement: counted nowhere',
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
  status: string;
  tag: string;
  marked: string;
}

export type DoneAction = 'hidden' | 'restored' | 'confirmed' | 'released' | 'triaged';

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
    /** The CSV French Excel opens (review-export.ts excelCsvExport). */
    excel: string;
  };
  /** The entity's tags, for the filters and the triage forms. */
  tags?: readonly { id: number; name: string }[];
  /** The filters could not be applied: what was wrong, and no reviews. */
  problems?: readonly ErrorDetail[];
  listing?: {
    reviews: readonly ReviewRecord[];
    /** The suggested tag of a review without one, by review id (tag-suggestions.ts). */
    suggestions?: ReadonlyMap<number, TagSuggestion>;
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
