import { SLUG_PATTERN } from '../shared/questionnaire.ts';
import type { Store } from './store/store.ts';
import type { RefusalCount } from './store/store.ts';

/** Refused attempts reach the database within this delay: counts, not acknowledged data. */
export const REFUSAL_FLUSH_MS = 1000;
/** The integration health looks back 30 days; 90 are kept, then forgotten. */
export const REFUSAL_RETENTION_DAYS = 90;
/**
 * Distinct (procedure, reason, origin, placement) keys held between two flushes. Ids and origins
 * come from whoever sends the request, so past this they are counted together under empty keys:
 * a flood of invented ids costs one row, and the total stays true.
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
export function refusalCounter(store: Store, now: () => Date, onError: (error: unknown) => void) {
  const pending = new Map<string, RefusalCount>();
  let timer: NodeJS.Timeout | undefined;

  const flush = async (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.size === 0) return;
    const counts = [...pending.values()];
    pending.clear();
    const keepFrom = new Date(now().getTime() - REFUSAL_RETENTION_DAYS * 86_400_000).toISOString().slice(0, 10);
    await store.refusedRatings.add(counts, keepFrom).catch(onError);
  };

  return {
    count(refusal: Refusal): void {
      const day = now().toISOString().slice(0, 10);
      let procedureId = slugOrEmpty(refusal.procedureId);
      let origin = originOf(refusal.origin);
      let placementId = slugOrEmpty(refusal.placementId);
      let key = `${procedureId}\n${day}\n${refusal.reason}\n${origin}\n${placementId}`;
      if (!pending.has(key) && pending.size >= MAX_PENDING_KEYS) {
        procedureId = origin = placementId = '';
        key = `\n${day}\n${refusal.reason}\n\n`;
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

const slugOrEmpty = (value: unknown): string => (typeof value === 'string' && SLUG_PATTERN.test(value) ? value : '');

/** A real origin as the page sent it; anything else in the header is counted as "invalid". */
function originOf(header: string | undefined): string {
  if (header === undefined) return '';
  try {
    if (header.length <= 200 && new URL(header).origin === header) return header;
  } catch {}
  return 'invalid';
}
