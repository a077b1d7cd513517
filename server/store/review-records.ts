// What both engines share to list reviews: the search form of free text, the listing cursor's
// bounds, and a stored row turned into a ReviewRecord. Pure: no driver, no SQL.
import {
  HELP_CHANNELS,
  type AdminChannel,
  type HelpChannel,
  type WidgetLang,
  type ReachedAnswer,
  type SatisfactionAnswer,
  type ScaleValue,
} from '../../shared/questionnaire.ts';
import type {
  HeldText,
  PendingTerms,
  ReviewAnswers,
  ReviewCursor,
  ReviewFilters,
  ReviewRecord,
  SuspectSpan,
  TriageStatus,
} from './store.ts';

/** Reviews examined at most per filtered page: measured to keep a page under 50 ms (README "Performance"). */
export const PAGE_SCAN = 5000;
export const EXPORT_BATCH = 1000;

/**
 * Text folded for search: decomposed, accents dropped, lower-cased, « œ » and « æ » spelt out. The
 * same fold is applied to the query, so « demarche » finds « Démarche ». PostgreSQL's migration
 * backfills older rows with normalize(NFKD) and the same steps.
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae');
}

/**
 * The stored search column of a review's free text; null when it has none (nothing to find). Held-back
 * spans are folded masked: a search must not find, nor confirm, what nobody has checked yet.
 */
export function searchTextOf(
  comment: string | null | undefined,
  helpOther: string | null | undefined,
  suspects: readonly SuspectSpan[] = [],
  lang: WidgetLang = 'fr',
): string | null {
  const parts = [maskSuspects(comment, 'comment', suspects, lang), maskSuspects(helpOther, 'help_other', suspects, lang)].filter(
    (part): part is string => typeof part === 'string' && part !== '',
  );
  return parts.length === 0 ? null : foldForSearch(parts.join('\n'));
}

/** What an agency reads in place of a held-back span until an admin checks it. */
export const SUSPECT_MASK: Readonly<Record<WidgetLang, string>> = {
  fr: '[à vérifier]',
  en: '[to check]',
  es: '[por verificar]',
  pt: '[a verificar]',
  de: '[zu prüfen]',
  it: '[da verificare]',
  ar: '[قيد التحقق]',
};

/** `text` with the held-back spans of `field` masked (spans are stored in text order, never overlapping). */
export function maskSuspects<T extends string | null | undefined>(
  text: T,
  field: SuspectSpan['field'],
  suspects: readonly SuspectSpan[],
  lang: WidgetLang,
): T {
  if (typeof text !== 'string' || suspects.length === 0) return text;
  let out = '';
  let at = 0;
  for (const span of suspects) {
    if (span.field !== field) continue;
    out += text.slice(at, span.start) + SUSPECT_MASK[lang];
    at = span.end;
  }
  return (out + text.slice(at)) as T;
}

/** The stored column of held-back spans: null when none, so that a clear review stores nothing. */
export const suspectsColumn = (suspects: readonly SuspectSpan[]): string | null =>
  suspects.length === 0 ? null : JSON.stringify(suspects);

export const suspectsOf = (column: string | null): SuspectSpan[] => (column === null ? [] : (JSON.parse(column) as SuspectSpan[]));

/**
 * The text once span `n` is settled: `replacement` takes its place (a confirmed item), or, null, it
 * stays as written (released); either way it is held no more, and the later spans of its field move
 * by the difference. undefined when the review holds no span `n`.
 */
export function settleSpan(held: HeldText, n: number, replacement: string | null): HeldText | undefined {
  const span = held.suspects.find((suspect) => suspect.n === n);
  if (!span) return undefined;
  const suspects = held.suspects.filter((suspect) => suspect !== span);
  if (replacement === null) return { ...held, suspects };
  const key = span.field === 'comment' ? 'comment' : 'helpOther';
  const text = held[key] ?? '';
  const shift = replacement.length - (span.end - span.start);
  return {
    ...held,
    [key]: text.slice(0, span.start) + replacement + text.slice(span.end),
    suspects: suspects.map((suspect) =>
      suspect.field === span.field && suspect.start >= span.end
        ? { ...suspect, start: suspect.start + shift, end: suspect.end + shift }
        : suspect,
    ),
  };
}

/** A cursor before every review of the window: the listing starts there. */
export const startOf = (filters: ReviewFilters): ReviewCursor => ({ day: filters.to, id: Number.MAX_SAFE_INTEGER });

/** The filters as query parameters (both engines bind the same values). */
export function filterParams(filters: ReviewFilters) {
  return {
    placement: filters.placementId,
    satisfaction: filters.satisfaction,
    hasComment: filters.hasComment === null ? null : filters.hasComment ? 1 : 0,
    q: filters.q === null ? null : foldForSearch(filters.q),
    status: filters.status ?? null,
    tag: filters.tagId ?? null,
    marked: filters.marked ?? 'hide',
  };
}

/**
 * Whether a page must bound its scan. Hiding marked reviews (the default) is not counted: spam and
 * duplicates are few among a procedure's reviews, so a page finds its reviews close by all the same.
 */
export const hasFilters = (filters: ReviewFilters): boolean =>
  filters.placementId !== null ||
  filters.satisfaction !== null ||
  filters.hasComment !== null ||
  filters.q !== null ||
  (filters.status ?? null) !== null ||
  (filters.tagId ?? null) !== null ||
  filters.marked === 'only';

/** The triage columns and a review's tags, as both engines select them (`tags` is `id:name` items joined by U+001F). */
export const TRIAGE_COLUMNS = 'triage_status, spam_at, spam_by, duplicate_of, duplicate_state';
export const TAG_SEPARATOR = '\u001f';

/** Whether a review is marked (spam, or a duplicate not cleared): SQL both engines read alike. */
export const MARKED_SQL = "(spam_at IS NOT NULL OR coalesce(duplicate_state, 'cleared') <> 'cleared')";

/** A review as both engines select it: `answers` is `question,channel,answer` items joined by ';'. */
export interface ReviewRow {
  id: number;
  day: string;
  created_at: number;
  placement_id: string;
  /** 0 or 1 from SQLite, a boolean from PostgreSQL. */
  is_test: number | boolean;
  lang: WidgetLang;
  satisfaction: SatisfactionAnswer;
  form_version: number | null;
  comment: string | null;
  help_other: string | null;
  hidden_at: number | null;
  hidden_reason: string | null;
  hidden_by: string | null;
  pii_suspects: string | null;
  answers: string | null;
  triage_status: TriageStatus;
  spam_at: number | string | null;
  spam_by: string | null;
  duplicate_of: number | string | null;
  duplicate_state: 'flagged' | 'confirmed' | 'cleared' | null;
  tags: string | null;
}

/** A review's tags from its packed column, by name. */
function tagsOf(packed: string | null): { id: number; name: string }[] {
  if (!packed) return [];
  return packed
    .split(TAG_SEPARATOR)
    .map((item) => {
      const colon = item.indexOf(':');
      return { id: Number(item.slice(0, colon)), name: item.slice(colon + 1) };
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}

/** The per-answer rows of `review_answers` (see migrations.ts) back in the wire's shape. */
export function answersOf(satisfaction: SatisfactionAnswer, packed: string | null): ReviewAnswers {
  const answers: ReviewAnswers = { satisfaction, clarity: null, help_sought: null, help_reached: null, help_quality: null };
  if (!packed) return answers;
  for (const item of packed.split(';')) {
    const [question, channel, answer] = item.split(',') as [string, string, string];
    if (question === 'clarity') answers.clarity = Number(answer) as ScaleValue;
    else if (question === 'help_sought') (answers.help_sought ??= []).push(answer as HelpChannel);
    else if (question === 'help_reached') (answers.help_reached ??= {})[channel as AdminChannel] = answer as ReachedAnswer;
    else if (question === 'help_quality') (answers.help_quality ??= {})[channel as AdminChannel] = Number(answer) as ScaleValue;
  }
  // The questionnaire's order, whatever order the rows came in.
  answers.help_sought?.sort((a, b) => HELP_CHANNELS.indexOf(a) - HELP_CHANNELS.indexOf(b));
  return answers;
}

export function recordOf(row: ReviewRow): ReviewRecord {
  const hidden = row.hidden_at === null ? null : { reason: row.hidden_reason ?? '', at: Number(row.hidden_at), by: row.hidden_by ?? '' };
  const spans = hidden ? [] : suspectsOf(row.pii_suspects);
  return {
    id: Number(row.id),
    createdAt: Number(row.created_at),
    day: row.day,
    placementId: row.placement_id,
    test: Boolean(row.is_test),
    lang: row.lang,
    answers: answersOf(row.satisfaction, row.answers),
    formVersion: row.form_version === null ? null : Number(row.form_version),
    // Hidden text never leaves the store (SPEC §8): lists and exports get null.
    // Held-back spans leave masked (SPEC §8); only their own text goes along, for an admin to check.
    comment: hidden ? null : maskSuspects(row.comment, 'comment', spans, row.lang),
    helpOther: hidden ? null : maskSuspects(row.help_other, 'help_other', spans, row.lang),
    hidden,
    piiSuspected: row.pii_suspects !== null,
    suspects: spans.map(({ n, field, category, start, end }) => ({
      n,
      field,
      category,
      text: (field === 'comment' ? row.comment : row.help_other)?.slice(start, end) ?? '',
    })),
    status: row.triage_status,
    tags: tagsOf(row.tags),
    spam: row.spam_at === null ? null : { at: Number(row.spam_at), by: row.spam_by ?? '' },
    duplicate:
      row.duplicate_of === null || row.duplicate_state === null ? null : { of: Number(row.duplicate_of), state: row.duplicate_state },
  };
}

/**
 * Where the next page starts, from what one page query returned: the last review shown when more
 * followed, the scan's bound when the scan stopped there, or null at the end.
 */
export function nextCursor(rows: readonly ReviewRow[], limit: number, bound: ReviewCursor | null): ReviewCursor | null {
  if (rows.length > limit) {
    const last = rows[limit - 1]!;
    return { day: last.day, id: Number(last.id) };
  }
  return bound;
}

export interface PendingTermsRow {
  id: number;
  version: number;
  procedure_id: string;
  placement_id: string;
  day: string;
  satisfaction: PendingTerms['satisfaction'];
  lang: PendingTerms['lang'];
  created_at: number;
  comment: string | null;
  pii_suspects: string | null;
}

/** A review queued for term counting, as both engines read it (store.ts TermRepository.pending). */
export const pendingOf = (row: PendingTermsRow): PendingTerms => ({
  reviewId: row.id,
  queueVersion: row.version,
  procedureId: row.procedure_id,
  placementId: row.placement_id,
  day: row.day,
  satisfaction: row.satisfaction,
  lang: row.lang,
  createdAt: row.created_at,
  comment: row.comment,
  suspects: suspectsOf(row.pii_suspects),
});
