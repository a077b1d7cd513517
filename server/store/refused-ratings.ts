import type { Db } from './open-store.ts';

/** How many rating attempts one (procedure, day, reason, origin, placement) had refused. */
export interface RefusalCount {
  procedureId: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** The error code the page was told (origin_not_allowed, unknown_placement…). */
  reason: string;
  /** The page's origin; '' when the request carried none (the hosted form, scripts). */
  origin: string;
  placementId: string;
  count: number;
}

export function refusedRatingQueries(db: Db) {
  const upsert = db.prepare<[string, string, string, string, string, number]>(
    `INSERT INTO refused_ratings (procedure_id, day, reason, origin, placement_id, count) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET count = count + excluded.count`,
  );
  const prune = db.prepare<[string]>('DELETE FROM refused_ratings WHERE day < ?');
  const selectSince = db.prepare<[string, string], Omit<RefusalCount, 'procedureId' | 'day'>>(
    `SELECT reason, origin, placement_id AS placementId, sum(count) AS count FROM refused_ratings
      WHERE procedure_id = ? AND day >= ?
      GROUP BY reason, origin, placement_id ORDER BY count DESC, reason, origin, placement_id`,
  );

  return {
    /** Adds counts and forgets the days before `keepFrom`, in one transaction. */
    add: db.transaction((counts: readonly RefusalCount[], keepFrom: string): void => {
      for (const c of counts) upsert.run(c.procedureId, c.day, c.reason, c.origin, c.placementId, c.count);
      prune.run(keepFrom);
    }),
    /** A procedure's refused attempts since a UTC day, summed per reason, origin and placement, most first. */
    since: (procedureId: string, day: string) => selectSince.all(procedureId, day),
  };
}
