import type { ClaimedMail, MailRecord, MailRepository } from '../store.ts';
import type { Pg } from './open-postgres.ts';

const RECORD = `id, recipient, kind, subject, status, attempts, created_at AS "createdAt", next_attempt_at AS "nextAttemptAt",
  sent_at AS "sentAt", last_error AS "lastError"`;

export function postgresMails(db: Pg): MailRepository {
  return {
    add: async (mail, at) =>
      Number(
        (
          await db.query<{ id: number }>(
            `INSERT INTO mails (recipient, kind, lang, subject, text_body, html_body, message_id, created_at, next_attempt_at,
               list_unsubscribe, dedupe_key)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING id`,
            [
              mail.recipient.toLowerCase(),
              mail.kind,
              mail.lang,
              mail.subject,
              mail.text,
              mail.html,
              mail.messageId,
              at,
              mail.listUnsubscribe ?? null,
              mail.dedupeKey ?? null,
            ],
          )
        ).rows[0]?.id ?? 0,
      ),
    // SKIP LOCKED: a second collector claiming at the same moment passes over the rows this one
    // holds, instead of waiting for them and then finding them already leased.
    claim: async (at, leaseMs, limit) =>
      (
        await db.query<ClaimedMail>(
          `UPDATE mails SET next_attempt_at = $2, attempts = attempts + 1
           WHERE id IN (SELECT id FROM mails WHERE status = 'queued' AND next_attempt_at <= $1
                        ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
           RETURNING id, recipient, kind, lang, subject, text_body AS text, html_body AS html, message_id AS "messageId",
             created_at AS "createdAt", attempts, list_unsubscribe AS "listUnsubscribe"`,
          [at, at + leaseMs, limit],
        )
      ).rows,
    markSent: async (id, at) =>
      void (await db.query(
        "UPDATE mails SET status = 'sent', sent_at = $2, text_body = '', html_body = '', last_error = NULL WHERE id = $1 AND status = 'queued'",
        [id, at],
      )),
    retryAt: async (id, attempts, at, error) =>
      void (await db.query("UPDATE mails SET next_attempt_at = $3, last_error = $4 WHERE id = $1 AND attempts = $2 AND status = 'queued'", [
        id,
        attempts,
        at,
        error,
      ])),
    giveUp: async (id, attempts, error) =>
      void (await db.query(
        "UPDATE mails SET status = 'failed', text_body = '', html_body = '', last_error = $3 WHERE id = $1 AND attempts = $2 AND status = 'queued'",
        [id, attempts, error],
      )),
    list: async ({ status, limit }) =>
      (
        await db.query<MailRecord>(`SELECT ${RECORD} FROM mails WHERE ($1::text IS NULL OR status = $1) ORDER BY id DESC LIMIT $2`, [
          status ?? null,
          limit,
        ])
      ).rows,
    purge: async (before) => (await db.query("DELETE FROM mails WHERE status <> 'queued' AND created_at < $1", [before])).rowCount ?? 0,
    countQueued: async () => (await db.query<{ n: number }>("SELECT count(*)::integer AS n FROM mails WHERE status = 'queued'")).rows[0]!.n,
    countRecent: async (recipient, kind, since) =>
      (
        await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM mails WHERE recipient = $1 AND kind = $2 AND created_at >= $3', [
          recipient.toLowerCase(),
          kind,
          since,
        ])
      ).rows[0]!.n,
  };
}
