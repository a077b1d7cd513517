import { boundedRefusals } from '../refusal-bounds.ts';
import type { RefusalCount, RefusedRatingRepository } from '../store.ts';
import type { Db } from './open-sqlite.ts';

type RefusalKey = Omit<RefusalCount, 'count'>;

export function sqliteRefusedRatings(db: Db): RefusedRatingRepository {
  const upsert = db.prepare<[string, string, string, string, string, number]>(
    `INSERT INTO refused_ratings (procedure_id, day, reason, origin, placement_id, count) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET count = count + excluded.count`,
  );
  const prune = db.prepare<[string]>('DELETE FROM refused_ratings WHERE day < ?');
  const selectProcedures = db.prepare<[string], { id: string }>('SELECT id FROM procedures WHERE id IN (SELECT value FROM json_each(?))');
  const selectOrigins = db.prepare<[string], { origin: string }>(
    'SELECT DISTINCT origin FROM procedure_origins WHERE origin IN (SELECT value FROM json_each(?))',
  );
  const selectRecorded = db.prepare<[string, string], RefusalKey>(
    `SELECT procedure_id AS procedureId, day, reason, origin, placement_id AS placementId FROM refused_ratings
      WHERE day IN (SELECT value FROM json_each(?))
        AND (procedure_id IN (SELECT value FROM json_each(?)) OR reason = 'unknown_procedure')`,
  );
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
  const selectTried = db.prepare<[string, string], { procedureId: string; origin: string; count: number }>(
    `SELECT procedure_id AS procedureId, origin, sum(count) AS count FROM refused_ratings
      WHERE reason = 'unknown_procedure' AND day >= ? AND origin IN (SELECT value FROM json_each(?))
      GROUP BY procedure_id, origin ORDER BY count DESC, procedure_id, origin`,
  );
  const add = db.transaction((counts: readonly RefusalCount[], keepFrom: string, maxKeys: number): void => {
    const ids = JSON.stringify([...new Set(counts.map((c) => c.procedureId))]);
    const bounded = boundedRefusals(
      counts,
      {
        procedures: new Set(selectProcedures.all(ids).map((row) => row.id)),
        origins: new Set(selectOrigins.all(JSON.stringify([...new Set(counts.map((c) => c.origin))])).map((row) => row.origin)),
        recorded: selectRecorded.all(JSON.stringify([...new Set(counts.map((c) => c.day))]), ids),
      },
      maxKeys,
    );
    for (const c of bounded) upsert.run(c.procedureId, c.day, c.reason, c.origin, c.placementId, c.count);
    prune.run(keepFrom);
  });

  return {
    // IMMEDIATE: the limits are read and written under one write lock, whichever process flushes.
    add: async (counts, keepFrom, maxKeys) => add.immediate(counts, keepFrom, maxKeys),
    since: async (procedureId, day) => selectSince.all(procedureId, day),
    perDay: async (procedureId, day) => selectPerDay.all(procedureId, day),
    triedFrom: async (origins, day) => (origins.length === 0 ? [] : selectTried.all(day, JSON.stringify(origins))),
  };
}
