import type { MailPreference, NewReviews, NotificationRepository, PreferenceKind } from '../store.ts';
import type { Db } from './open-sqlite.ts';

type PreferenceRow = { entityId: string; email: string; kind: PreferenceKind; procedureId: string; value: string };

const PREFERENCE = 'entity_id AS entityId, email, kind, procedure_id AS procedureId, value';

export function sqliteNotifications(db: Db): NotificationRepository {
  const selectOf = db.prepare<[string, string], PreferenceRow>(
    `SELECT ${PREFERENCE} FROM mail_preferences WHERE entity_id = ? AND email = ? ORDER BY kind, procedure_id`,
  );
  const selectAll = db.prepare<[], PreferenceRow>(
    `SELECT ${PREFERENCE} FROM mail_preferences ORDER BY entity_id, email, kind, procedure_id`,
  );
  const upsert = db.prepare<[string, string, string, string, string]>(
    `INSERT INTO mail_preferences (entity_id, email, kind, procedure_id, value) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET value = excluded.value WHERE value <> excluded.value`,
  );
  const set = db.transaction((rows: readonly MailPreference[]) => {
    let changed = 0;
    for (const row of rows) changed += upsert.run(row.entityId, row.email.toLowerCase(), row.kind, row.procedureId, row.value).changes;
    return changed;
  });
  const selectKey = db.prepare<[], Buffer>("SELECT secret FROM collector_secrets WHERE name = 'unsubscribe'").pluck();
  const ensureJob = db.prepare<[string]>('INSERT INTO mail_jobs (name) VALUES (?) ON CONFLICT DO NOTHING');
  // One statement, so one write lock: of two processes on the file, one takes the lease.
  const claim = db
    .prepare<[number, string, number], string>('UPDATE mail_jobs SET lease_until = ? WHERE name = ? AND lease_until <= ? RETURNING state')
    .pluck();
  const release = db.prepare<[string, string]>('UPDATE mail_jobs SET state = ?, lease_until = 0 WHERE name = ?');
  const lastId = db.prepare<[], number>('SELECT coalesce(max(id), 0) FROM reviews').pluck();
  const fresh = db.prepare<[number], NewReviews>(
    `SELECT procedure_id AS procedureId, count(*) AS count, min(id) AS firstId, max(id) AS lastId,
            min(created_at) AS firstAt, max(created_at) AS lastAt
       FROM reviews WHERE id > ? AND NOT is_test GROUP BY procedure_id ORDER BY procedure_id`,
  );
  const counts = db.prepare<[string, number, number], { reviews: number; comments: number }>(
    `SELECT count(*) AS reviews, count(comment) + count(CASE WHEN comment IS NULL AND hidden_at IS NOT NULL THEN 1 END) AS comments
       FROM reviews WHERE procedure_id = ? AND id BETWEEN ? AND ? AND NOT is_test`,
  );
  const refusals = db.prepare<[string], { procedureId: string; reason: string; origin: string; placementId: string; count: number }>(
    `SELECT procedure_id AS procedureId, reason, origin, placement_id AS placementId, count FROM refused_ratings
      WHERE day = ? AND procedure_id <> '' ORDER BY procedure_id, count DESC, reason, origin`,
  );
  return {
    preferencesOf: async (entityId, email) => selectOf.all(entityId, email.toLowerCase()),
    allPreferences: async () => selectAll.all(),
    setPreferences: async (rows) => set.immediate(rows),
    signingKey: async () => selectKey.get()!,
    claimJob: async (name, at, leaseMs) => {
      ensureJob.run(name);
      return claim.get(at + leaseMs, name, at);
    },
    releaseJob: async (name, state) => void release.run(state, name),
    lastReviewId: async () => lastId.get()!,
    newReviews: async (afterId) => fresh.all(afterId),
    reviewCounts: async (procedureId, fromId, toId) => counts.get(procedureId, fromId, toId)!,
    refusalsOn: async (day) => refusals.all(day),
  };
}
