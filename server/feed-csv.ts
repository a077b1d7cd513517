import type { Feed, FeedProcedure } from '../shared/feed.ts';
import { SCALE_KEYS } from '../shared/indicators.ts';
import { SATISFACTION_ANSWERS } from '../shared/questionnaire.ts';

// GET /api/v1/feed.csv (SPEC §6): one row per procedure, the JSON feed's fields flattened to
// stable columns (the monthly trend stays JSON-only: it is not one row per procedure).
// RFC 4180 (comma, double quotes, CRLF) in UTF-8 with a byte-order mark, so that spreadsheets
// open « Ministère » correctly; numbers with a dot; an empty cell where the JSON has null.

const INDICATOR_COLUMNS = [
  { indicator: 'satisfaction', value: 'score', counts: [...SATISFACTION_ANSWERS].reverse() },
  { indicator: 'clarity', value: 'score', counts: SCALE_KEYS },
  { indicator: 'help_reachable', value: 'rate', counts: ['yes', 'no'] },
  { indicator: 'help_quality', value: 'score', counts: SCALE_KEYS },
  { indicator: 'autonomy', value: 'rate', counts: ['none', 'sought'] },
] as const;

type Cell = string | number | null;

/** The columns, in order; adding one at the end is the only change a version 1 consumer may see. */
export const FEED_CSV_COLUMNS: readonly string[] = [
  'id',
  'title',
  'entity',
  'window_from',
  'window_to',
  'reviews',
  ...INDICATOR_COLUMNS.flatMap(({ indicator, value, counts }) => [
    `${indicator}_${value}`,
    `${indicator}_level`,
    `${indicator}_answers`,
    ...counts.map((key) => `${indicator}_${key}`),
  ]),
  // The 95 % intervals came after version 1's first columns: they go last, so that no column moves.
  ...INDICATOR_COLUMNS.flatMap(({ indicator, value }) => [`${indicator}_${value}_low`, `${indicator}_${value}_high`]),
];

function row(feed: Feed, procedure: FeedProcedure): Cell[] {
  const cells: Cell[] = [procedure.id, procedure.title, procedure.entity, feed.window.from, feed.window.to, procedure.reviews];
  for (const { indicator, value, counts } of INDICATOR_COLUMNS) {
    const figures = procedure.indicators[indicator] as unknown as Record<string, unknown> & { counts: Record<string, number> | null };
    cells.push(figures[value] as number | null, figures.level as string | null, figures.answers as number | null);
    for (const key of counts) cells.push(figures.counts?.[key] ?? null);
  }
  for (const { indicator } of INDICATOR_COLUMNS) {
    const { interval } = procedure.indicators[indicator];
    cells.push(interval?.low ?? null, interval?.high ?? null);
  }
  return cells;
}

/**
 * What a spreadsheet may run as a formula (CSV injection, OWASP): text starting with = + - @, or
 * with their fullwidth forms (＝ ＋ － ＠), which Excel and LibreOffice read as the same in some
 * locales, or with a tab or a line break, which hide what follows; also after leading spaces,
 * which spreadsheets skip before looking for a formula.
 */
const FORMULA_START = /^\s*[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/u;

/** Text as both exports (CSV, XLSX) write it: prefixed with an apostrophe when a spreadsheet could run it. */
export const formulaSafe = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);

/** A cell as RFC 4180 text, formulas defused (formulaSafe). */
export function csvCell(cell: Cell): string {
  if (cell === null) return '';
  const text = typeof cell === 'string' ? formulaSafe(cell) : String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function feedCsv(feed: Feed): string {
  const lines = [FEED_CSV_COLUMNS, ...feed.procedures.map((procedure) => row(feed, procedure))];
  return `\uFEFF${lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
