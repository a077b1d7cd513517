// How a page's texts are written: one table per page, a record per language, each language with
// exactly the keys of the French one (a missing or extra English string is a type error).
import type { Lang } from '../../../shared/questionnaire.ts';

/** The table as given, typed so that `en` must have `fr`'s shape. */
export const texts = <T>(table: { fr: T; en: NoInfer<T> }): Readonly<Record<Lang, T>> => table;

/** « {n} avis sur {total} » with its values: a placeholder without a value is left empty. */
export const fill = (text: string, values: Readonly<Record<string, string | number>>): string =>
  text.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ''));
