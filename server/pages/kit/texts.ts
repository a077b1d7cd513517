// How a page's texts are written: one table per page, a record per language, each language with
// exactly the keys of the French one (a missing or extra English string is a type error).
import { DEFAULT_PLACEMENT, type Lang } from '../../../shared/questionnaire.ts';

/** The table as given, typed so that `en` must have `fr`'s shape. */
export const texts = <T>(table: { fr: T; en: NoInfer<T> }): Readonly<Record<Lang, T>> => table;

/** « {n} avis sur {total} » with its values: a placeholder without a value is left empty. */
export const fill = (text: string, values: Readonly<Record<string, string | number>>): string =>
  text.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ''));

/**
 * A placement as agents read it: the one every procedure has by its French name with its id, which the
 * API, the exports and the snippet use (« Par défaut (default) »); in English its id is its name.
 */
export const placementName = (lang: Lang, placement: string): string =>
  placement === DEFAULT_PLACEMENT && lang === 'fr' ? `Par défaut (${DEFAULT_PLACEMENT})` : placement;
