// What anonymous clients may write in the integration health (SPEC §7): refused attempts are always
// counted per procedure and reason, but the origin, placement and procedure id come from whoever
// sent the request, so each gets a row of its own only within a daily limit. Both engines call
// this inside the transaction that writes the counts, with what that day already holds.
import { SLUG_PATTERN } from '../../shared/questionnaire.ts';
import { OTHER_KEY, type RefusalCount } from './store.ts';

type RefusalKey = Omit<RefusalCount, 'count'>;

/** What the database holds that the limits depend on, read in the writing transaction. */
export interface RecordedRefusals {
  /** The ids among the counts' that are registered procedures (archived included). */
  procedures: ReadonlySet<string>;
  /** The origins among the counts' that some procedure lists. */
  origins: ReadonlySet<string>;
  /** The keys already stored for the counts' days: their procedures', and every `unknown_procedure` one. */
  recorded: readonly RefusalKey[];
}

/**
 * The counts as they may be stored: at most `maxKeys` distinct origins and placements per procedure
 * and day, and at most `maxKeys` distinct unknown ids tried per origin and day (the rest under
 * OTHER_KEY, or '' for ids); an unknown id only under its own reason, from an origin some
 * procedure lists (the entity that owns it is the one to tell). Totals never change.
 */
export function boundedRefusals(counts: readonly RefusalCount[], db: RecordedRefusals, maxKeys: number): RefusalCount[] {
  const seen = new Map<string, Set<string>>();
  const setOf = (key: string) => {
    let set = seen.get(key);
    if (!set) seen.set(key, (set = new Set()));
    return set;
  };
  const origins = (procedureId: string, day: string) => setOf(`o\n${procedureId}\n${day}`);
  const placements = (procedureId: string, day: string) => setOf(`p\n${procedureId}\n${day}`);
  const tried = (day: string, origin: string) => setOf(`t\n${day}\n${origin}`);
  for (const key of db.recorded) {
    origins(key.procedureId, key.day).add(key.origin);
    placements(key.procedureId, key.day).add(key.placementId);
    if (key.reason === 'unknown_procedure' && key.procedureId) tried(key.day, key.origin).add(key.procedureId);
  }
  /** The value itself if it is already counted, or fits under the limit (and is then counted); `other` past it. */
  const within = (set: Set<string>, value: string, other: string): string => {
    if (set.has(value)) return value;
    if ([...set].filter((v) => v !== '' && v !== OTHER_KEY).length >= maxKeys) return other;
    set.add(value);
    return value;
  };

  const merged = new Map<string, RefusalCount>();
  for (const count of counts) {
    let { procedureId, origin, placementId } = count;
    if (!db.procedures.has(procedureId)) {
      if (count.reason === 'unknown_procedure' && SLUG_PATTERN.test(procedureId)) {
        if (origin !== '' && !db.origins.has(origin)) origin = OTHER_KEY;
        procedureId = within(tried(count.day, origin), procedureId, '');
      } else procedureId = '';
    }
    if (origin !== '' && origin !== OTHER_KEY) origin = within(origins(procedureId, count.day), origin, OTHER_KEY);
    if (placementId !== '' && placementId !== OTHER_KEY) {
      placementId = SLUG_PATTERN.test(placementId) ? within(placements(procedureId, count.day), placementId, OTHER_KEY) : OTHER_KEY;
    }
    const key = [procedureId, count.day, count.reason, origin, placementId].join('\n');
    const entry = merged.get(key);
    if (entry) entry.count += count.count;
    else merged.set(key, { procedureId, day: count.day, reason: count.reason, origin, placementId, count: count.count });
  }
  return [...merged.values()];
}
