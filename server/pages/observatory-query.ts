// /observatoire's query (search, level, order), read from the URL: the list page is a view of public
// figures, so what it does not understand is ignored and named on the page rather than refused.

/** What /observatoire lists: a search, a level, an order; `ignored` names parameters that were not understood. */
export interface ObservatoryQuery {
  q: string;
  level: ListedLevel | undefined;
  sort: ObservatorySort;
  ignored: { name: string; value: string }[];
}

export const OBSERVATORY_SORTS = ['nom', 'note', 'avis'] as const;
export type ObservatorySort = (typeof OBSERVATORY_SORTS)[number];
/** The levels a procedure's satisfaction can have in the list (no_answers cannot: a listed procedure has reviews). */
export const LISTED_LEVELS = ['good', 'average', 'poor', 'not_enough_data'] as const;
type ListedLevel = (typeof LISTED_LEVELS)[number];

/**
 * Reads /observatoire's query. A page is for people: a value it does not understand (a level or an
 * order that does not exist, typed or left by an old link) is ignored and the page says so, rather
 * than answering an error page for what is only a view of public figures.
 */
export function observatoryQuery(query: Record<string, unknown> | undefined): ObservatoryQuery {
  const one = (name: string) => {
    const value = query?.[name];
    return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '';
  };
  const ignored: { name: string; value: string }[] = [];
  const level = one('niveau');
  const sort = one('tri');
  const known = <T extends string>(list: readonly T[], value: string, name: string): T | undefined => {
    if (value === '') return undefined;
    if ((list as readonly string[]).includes(value)) return value as T;
    ignored.push({ name, value });
    return undefined;
  };
  return {
    q: one('q').trim().slice(0, 100),
    level: known(LISTED_LEVELS, level, 'niveau'),
    sort: known(OBSERVATORY_SORTS, sort, 'tri') ?? 'nom',
    ignored,
  };
}
