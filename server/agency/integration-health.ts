// The integration health (SPEC §8): a procedure's refused rating attempts per day, reason, origin
// and placement, and the change that repairs each when there is one. The API's health route and
// the space's settings page both read it here.
import { DEFAULT_PLACEMENT } from '../../shared/questionnaire.ts';
import type { Procedure, RefusalCount, Store } from '../store/store.ts';

const DAY_MS = 86_400_000;

/** What repairs a refusal: allow its origin, add its placement, or restore the procedure. */
export type HealthFix = { kind: 'add_origin'; origin: string } | { kind: 'add_placement'; placement: string } | { kind: 'restore' };

export type HealthRow = Omit<RefusalCount, 'procedureId'> & { fix: HealthFix | null };

/** The fix of one refusal, or null when none is the agency's to make (a rate limit, a robot…). */
export function healthFix(row: Pick<RefusalCount, 'reason' | 'origin' | 'placementId'>): HealthFix | null {
  if (row.reason === 'origin_not_allowed' && row.origin && row.origin !== 'invalid') return { kind: 'add_origin', origin: row.origin };
  if (
    (row.reason === 'unknown_placement' || row.reason === 'placement_defaulted') &&
    row.placementId &&
    row.placementId !== DEFAULT_PLACEMENT
  ) {
    return { kind: 'add_placement', placement: row.placementId };
  }
  if (row.reason === 'procedure_archived') return { kind: 'restore' };
  return null;
}

/** Whether the procedure, as it is now, still needs this fix: refusals are counted for 90 days after it is made. */
export function fixPending(procedure: Procedure, fix: HealthFix): boolean {
  if (fix.kind === 'add_origin') return !procedure.origins.includes(fix.origin);
  if (fix.kind === 'add_placement') return !procedure.placements.includes(fix.placement);
  return procedure.archivedAt !== null;
}

/** The last `days` UTC days, today included: the first day, and one row per day, reason, origin and placement, newest first. */
export async function integrationHealth(
  store: Store,
  now: Date,
  procedureId: string,
  days: number,
): Promise<{ from: string; rows: HealthRow[] }> {
  const from = new Date(now.getTime() - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  const rows = await store.refusedRatings.perDay(procedureId, from);
  return { from, rows: rows.map((row) => ({ ...row, fix: healthFix(row) })) };
}
