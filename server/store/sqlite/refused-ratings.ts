import type { RefusalCount, RefusedRatingRepository } from '../store.ts';
import type { Db } from './open-sqlite.ts';

export function sqliteRefusedRatings(db: Db): RefusedRatingRepository {
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
  const selectPerDay = db.prepare<[string, string], Omit<RefusalCount, 'procedureId'>>(
    `SELECT day, reason, origin, placement_id AS placementId, count FROM refused_ratings
      WHERE procedure_id = ? AND day >= ?
      ORDER BY day DESC, count DESC, reason, origin, placement_id`,
  );
  const add = db.transaction((counts: readonly RefusalCount[], keepFrom: string): void => {
    for (const c of counts) upsert.run(c.procedureId, c.day, c.reason, c.origin, c.placementId, c.count);
    prune.run(keepFrom);
  });

  return {
    add: async (counts, keepFrom) => add(counts, keepFrom),
    since: async (procedureId, day) => selectSince.all(procedureId, day),
    perDay: async (procedureId, day) => selectPerDay.all(procedureId, day),
  };
}
