// Dates, numbers and punctuation as every page writes them, per language (shared/languages.ts):
// one place, so that a date reads the same on the observatory, the space's home and its settings.
import { LANGUAGES } from '../../../shared/languages.ts';
import type { Lang } from '../../../shared/questionnaire.ts';

const locale = (lang: Lang) => LANGUAGES[lang].locale;
const NBSP = '\u00a0';

/**
 * French writes the first day of a month as an ordinal, « 1er décembre », « 1er déc. », « 1er–7 déc. »,
 * which Intl does not. A « 1 » counts only as a whole number before a month's name or a range's dash.
 */
export const firstOfMonth = (lang: Lang, date: string): string =>
  lang === 'fr' ? date.replace(/(^|[\s\u00a0–])1(?=[\s\u00a0]\p{L}|–)/gu, '$11er') : date;

/**
 * A UTC day (YYYY-MM-DD) or an ISO instant's UTC day in words: « 1er décembre 2026 », "1 December 2026".
 * The day and its month are kept on one line (« au 7 / décembre » broke a sentence at 320 px).
 */
export const formatDay = (lang: Lang, day: string): string =>
  firstOfMonth(
    lang,
    new Intl.DateTimeFormat(locale(lang), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
      .format(new Date(day.length === 10 ? `${day}T00:00:00Z` : day))
      .replace(/^(\S+) /, `$1${NBSP}`),
  );

/** A month (YYYY-MM) in words: « décembre 2026 ». */
export const formatMonth = (lang: Lang, month: string): string =>
  new Intl.DateTimeFormat(locale(lang), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));

/**
 * An instant, Paris time, day and time: the collector's users are in France, whatever the server's
 * zone. The day's words are kept on one line, so that a narrow column breaks only before the time.
 */
export const formatTime = (lang: Lang, at: number | string | Date, dateStyle: 'medium' | 'long' = 'medium'): string =>
  firstOfMonth(
    lang,
    new Intl.DateTimeFormat(locale(lang), { dateStyle, timeStyle: 'short', timeZone: 'Europe/Paris' })
      .format(new Date(at))
      .replace(/ (?!\d{2}:\d{2}$)/g, NBSP),
  );

/** A day or a range of days, short: « 5–11 janv. 2026 », « 1er–7 déc. 2026 » (a window's first and last weeks may be shorter). */
export function formatDayRange(lang: Lang, from: string, to: string): string {
  const format = new Intl.DateTimeFormat(locale(lang), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const day = (value: string) => new Date(`${value}T00:00:00Z`);
  return firstOfMonth(lang, from === to ? format.format(day(from)) : format.formatRange(day(from), day(to)));
}

/** Between a label and what it introduces: French puts a non-breaking space before the colon, so it never starts a line. */
export const colon = (lang: Lang): string => LANGUAGES[lang].colon;
