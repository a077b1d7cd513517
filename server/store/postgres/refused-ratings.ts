import { boundedRefusals } from '../refusal-bounds.ts';
import type { RefusalCount, RefusedRatingRepository } from '../store.ts';
import type { Pg } from './open-postgres.ts';

/** Serialises the collectors' refusal writes, so that the daily limits of refusal-bounds.ts hold across them. */
const REFUSALS_LOCK = 4_242_002;

export function postgresRefusedRatings(db: Pg): RefusedRatingRepository {
  return {
    add: async (counts, keepFrom, maxKeys) => {
      await db.transaction(async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1)', [REFUSALS_LOCK]);
        const ids = [...new Set(counts.map((c) => c.procedureId))];
        // One after the other: a client runs one query at a time.
        const procedures = await client.query<{ id: string }>('SELECT id FROM procedures WHERE id = ANY($1::text[])', [ids]);
        const origins = await client.query<{ origin: string }>(
          'SELECT DISTINCT origin FROM procedure_origins WHERE origin = ANY($1::text[])',
          [[...new Set(counts.map((c) => c.origin))]],
        );
        const recorded = await client.query<Omit<RefusalCount, 'count'>>(
          `SELECT procedure_id AS "procedureId", day, reason, origin, placement_id AS "placementId" FROM refused_ratings
            WHERE day = ANY($1::text[]) AND (procedure_id = ANY($2::text[]) OR reason = 'unknown_procedure')`,
          [[...new Set(counts.map((c) => c.day))], ids],
        );
        const bounded = boundedRefusals(
          counts,
          {
            procedures: new Set(procedures.rows.map((row) => row.id)),
            origins: new Set(origins.rows.map((row) => row.origin)),
            recorded: recorded.rows,
          },
          maxKeys,
        );
        await client.query(
          `INSERT INTO refused_ratings AS r (procedure_id, day, reason, origin, placement_id, count)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::integer[]) ORDER BY 1, 2, 3, 4, 5
           ON CONFLICT (procedure_id, day, reason, origin, placement_id) DO UPDATE SET count = r.count + excluded.count`,
          [
            bounded.map((c) => c.procedureId),
            bounded.map((c) => c.day),
            bounded.map((c) => c.reason),
            bounded.map((c) => c.origin),
            bounded.map((c) => c.placementId),
            bounded.map((c) => c.count),
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
    triedFrom: async (origins, day) =>
      origins.length === 0
        ? []
        : (
            await db.query<{ procedureId: string; origin: string; count: number }>(
              `SELECT procedure_id AS "procedureId", origin, sum(count)::integer AS count FROM refused_ratings
                WHERE reason = 'unknown_procedure' AND day >= $1 AND origin = ANY($2::text[])
                GROUP BY procedure_id, origin ORDER BY count DESC, procedure_id, origin`,
              [day, origins],
            )
          ).rows,
  };
}
