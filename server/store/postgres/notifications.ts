import type { MailPreference, NewReviews, NotificationRepository } from '../store.ts';
import type { Pg } from './open-postgres.ts';

const PREFERENCE = 'entity_id AS "entityId", email, kind, procedure_id AS "procedureId", value';

export function postgresNotifications(db: Pg): NotificationRepository {
  return {
    preferencesOf: async (entityId, email) =>
      (
        await db.query<MailPreference>(
          `SELECT ${PREFERENCE} FROM mail_preferences WHERE entity_id = $1 AND email = $2 ORDER BY kind, procedure_id`,
          [entityId, email.toLowerCase()],
        )
      ).rows,
    allPreferences: async () =>
      (await db.query<MailPreference>(`SELECT ${PREFERENCE} FROM mail_preferences ORDER BY entity_id, email, kind, procedure_id`)).rows,
    setPreferences: async (rows) =>
      rows.length === 0
        ? 0
        : ((
            await db.query(
              `INSERT INTO mail_preferences (entity_id, email, kind, procedure_id, value)
               SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
               ON CONFLICT (entity_id, email, kind, procedure_id) DO UPDATE SET value = excluded.value
               WHERE mail_preferences.value <> excluded.value`,
              [
                rows.map((row) => row.entityId),
                rows.map((row) => row.email.toLowerCase()),
                rows.map((row) => row.kind),
                rows.map((row) => row.procedureId),
                rows.map((row) => row.value),
              ],
            )
          ).rowCount ?? 0),
    signingKey: async () =>
      (await db.query<{ secret: Buffer }>("SELECT secret FROM collector_secrets WHERE name = 'unsubscribe'")).rows[0]!.secret,
    // One conditional UPDATE: of two collectors claiming at once, PostgreSQL's row lock lets one
    // through, and the other finds the lease taken when it re-reads the row.
    claimJob: async (name, at, leaseMs) => {
      await db.query('INSERT INTO mail_jobs (name) VALUES ($1) ON CONFLICT DO NOTHING', [name]);
      const { rows } = await db.query<{ state: string }>(
        'UPDATE mail_jobs SET lease_until = $1 WHERE name = $2 AND lease_until <= $3 RETURNING state',
        [at + leaseMs, name, at],
      );
      return rows[0]?.state;
    },
    releaseJob: async (name, state) =>
      void (await db.query('UPDATE mail_jobs SET state = $1, lease_until = 0 WHERE name = $2', [state, name])),
    lastReviewId: async () => Number((await db.query<{ id: string }>('SELECT coalesce(max(id), 0) AS id FROM reviews')).rows[0]!.id),
    newReviews: async (afterId) =>
      (
        await db.query<Record<keyof NewReviews, string>>(
          `SELECT procedure_id AS "procedureId", count(*) AS count, min(id) AS "firstId", max(id) AS "lastId",
                  min(created_at) AS "firstAt", max(created_at) AS "lastAt"
             FROM reviews WHERE id > $1 AND NOT is_test GROUP BY procedure_id ORDER BY procedure_id`,
          [afterId],
        )
      ).rows.map((row) => ({
        procedureId: row.procedureId,
        count: Number(row.count),
        firstId: Number(row.firstId),
        lastId: Number(row.lastId),
        firstAt: Number(row.firstAt),
        lastAt: Number(row.lastAt),
      })),
    reviewCounts: async (procedureId, fromId, toId) => {
      const { rows } = await db.query<{ reviews: number; comments: number }>(
        `SELECT count(*)::integer AS reviews,
                count(*) FILTER (WHERE comment IS NOT NULL OR hidden_at IS NOT NULL)::integer AS comments
           FROM reviews WHERE procedure_id = $1 AND id BETWEEN $2 AND $3 AND NOT is_test`,
        [procedureId, fromId, toId],
      );
      return rows[0]!;
    },
    refusalsOn: async (day) =>
      (
        await db.query<{ procedureId: string; reason: string; origin: string; placementId: string; count: number }>(
          `SELECT procedure_id AS "procedureId", reason, origin, placement_id AS "placementId", count::integer AS count
             FROM refused_ratings WHERE day = $1 AND procedure_id <> '' ORDER BY procedure_id, count DESC, reason, origin`,
          [day],
        )
      ).rows,
  };
}
