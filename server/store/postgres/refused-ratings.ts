import type { RefusalCount, RefusedRatingRepository } from '../store.ts';
import type { Pg } from './open-postgres.ts';

export function postgresRefusedRatings(db: Pg): RefusedRatingRepository {
  return {
    add: async (counts, keepFrom) => {
      await db.transaction(async (client) => {
        await client.query(
          `INSERT INTO refused_ratings AS r (procedure_id, day, reason, origin, placement_id, count)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::integer[]) ORDER BY 1, 2, 3, 4, 5
           ON CONFLICT (procedure_id, day, reason, origin, placement_id) DO UPDATE SET count = r.count + excluded.count`,
          [
            counts.map((c) => c.procedureId),
            counts.map((c) => c.day),
            counts.map((c) => c.reason),
            counts.map((c) => c.origin),
            counts.map((c) => c.placementId),
            counts.map((c) => c.count),
          ],
        );
        await client.query('DELETE FROM refused_ratings WHERE day < $1', [keepFrom]);
      });
    },
    since: async (procedureId, day) =>
      (
        await db.query<Omit<RefusalCount, 'procedureId' | 'day'>>(
          `SELECT reason, origin, placement_id AS "placementId", sum(count)::integer AS count FROM refused_ratings
            WHERE procedure_id = $1 AND day >= $2
            GROUP BY reason, origin, placement_id ORDER BY count DESC, reason, origin, placement_id`,
          [procedureId, day],
        )
      ).rows,
    perDay: async (procedureId, day) =>
      (
        await db.query<Omit<RefusalCount, 'procedureId'>>(
          `SELECT day, reason, origin, placement_id AS "placementId", count FROM refused_ratings
            WHERE procedure_id = $1 AND day >= $2
            ORDER BY day DESC, count DESC, reason, origin, placement_id`,
          [procedureId, day],
        )
      ).rows,
  };
}
