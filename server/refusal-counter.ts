import { SLUG_PATTERN } from '../shared/questionnaire.ts';
import { OTHER_KEY, type RefusalCount, type Store } from './store/store.ts';

/** Refused attempts reach the database within this delay: counts, not acknowledged data. */
export const REFUSAL_FLUSH_MS = 1000;
/** The integration health looks back 30 days; 90 are kept, then forgotten. */
export const REFUSAL_RETENTION_DAYS = 90;
/**
 * Distinct origins, placements, and unknown procedure ids tried, that get a row of their own per
 * procedure (per origin for the ids) and UTC day; the others are counted together under « autres ».
 * Anonymous clients choose them: without a limit, a flood of invented origins grew the table by
 * 10,000 rows in 10 seconds and the settings page to 1.65 MB. 20 is more than the sites, staging
 * hosts and placements of one procedure, and keeps a day of its integration health a few KB.
 */
export const MAX_DISTINCT_KEYS_PER_DAY = 20;
/**
 * Distinct (procedure, reason, origin, placement) keys held between two flushes. Past this, origins
 * and placements are counted under « autres », and past twice this, procedure ids under '' too:
 * memory stays bounded, and the totals stay true.
 */
const MAX_PENDING_KEYS = 1000;

export interface Refusal {
  procedureId: unknown;
  reason: string;
  origin: string | undefined;
  placementId: unknown;
}

export type RefusalCounter = ReturnType<typeof refusalCounter>;

/**
 * Counts refused rating attempts in memory and writes them once a second, in one transaction: a
 * flood of refusals then costs the database one write a second, not one per request.
 */
export function refusalCounter(
  store: Store,
  now: () => Date,
  onError: (error: unknown) => void,
  /** Told each reason as it is counted (metrics). */
  onCount?: (reason: string) => void,
) {
  const pending = new Map<string, RefusalCount>();
  let timer: NodeJS.Timeout | undefined;

  const flush = async (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.size === 0) return;
    const counts = [...pending.values()];
    pending.clear();
    const keepFrom = new Date(now().getTime() - REFUSAL_RETENTION_DAYS * 86_400_000).toISOString().slice(0, 10);
    await store.refusedRatings.add(counts, keepFrom, MAX_DISTINCT_KEYS_PER_DAY).catch(onError);
  };

  return {
    count(refusal: Refusal): void {
      onCount?.(refusal.reason);
      const day = now().toISOString().slice(0, 10);
      let procedureId = typeof refusal.procedureId === 'string' && SLUG_PATTERN.test(refusal.procedureId) ? refusal.procedureId : '';
      let origin = originOf(refusal.origin);
      let placementId = placementOf(refusal.placementId);
      const keyOf = () => `${procedureId}\n${day}\n${refusal.reason}\n${origin}\n${placementId}`;
      let key = keyOf();
      if (!pending.has(key) && pending.size >= MAX_PENDING_KEYS) {
        origin = placementId = OTHER_KEY;
        key = keyOf();
        if (!pending.has(key) && pending.size >= 2 * MAX_PENDING_KEYS) {
          procedureId = '';
          key = keyOf();
        }
      }
      const entry = pending.get(key);
      if (entry) entry.count++;
      else pending.set(key, { procedureId, day, reason: refusal.reason, origin, placementId, count: 1 });
      timer ??= setTimeout(() => void flush(), REFUSAL_FLUSH_MS).unref();
    },
    /** Writes what is pending now (on close, and for tests that read the table at once). */
    flush,
  };
}

/** A placement id as sent, '' for none (a follow-up), OTHER_KEY for what cannot be one. */
const placementOf = (value: unknown): string =>
  value === '' ? '' : typeof value === 'string' && SLUG_PATTERN.test(value) ? value : OTHER_KEY;

/** A real origin as the page sent it, '' for none; anything else in the header is counted under OTHER_KEY. */
function originOf(header: string | undefined): string {
  if (header === undefined) return '';
  try {
    if (header.length <= 200 && new URL(header).origin === header) return header;
  } catch {}
  return OTHER_KEY;
}
