import type { ClaimedMail, MailKind, MailRecord, MailRepository, MailStatus } from '../store.ts';
import type { Db } from './open-sqlite.ts';

const RECORD = `id, recipient, kind, subject, status, attempts, created_at AS createdAt, next_attempt_at AS nextAttemptAt,
  sent_at AS sentAt, last_error AS lastError`;

export function sqliteMails(db: Db): MailRepository {
  const insert = db.prepare<[string, string, string, string, string, string, string, number, number, string | null, string | null]>(
    `INSERT INTO mails (recipient, kind, lang, subject, text_body, html_body, message_id, created_at, next_attempt_at,
       list_unsubscribe, dedupe_key)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  // One statement, so one write lock: another process on the same file (the CLI) cannot claim between the read and the write.
  const claim = db.prepare<[number, number, number], ClaimedMail>(
    `UPDATE mails SET next_attempt_at = ?, attempts = attempts + 1
     WHERE id IN (SELECT id FROM mails WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?)
     RETURNING id, recipient, kind, lang, subject, text_body AS text, html_body AS html, message_id AS messageId,
       created_at AS createdAt, attempts, list_unsubscribe AS listUnsubscribe`,
  );
  const sent = db.prepare<[number, number]>(
    "UPDATE mails SET status = 'sent', sent_at = ?, text_body = '', html_body = '', last_error = NULL WHERE id = ? AND status = 'queued'",
  );
  const retry = db.prepare<[number, string, number, number]>(
    "UPDATE mails SET next_attempt_at = ?, last_error = ? WHERE id = ? AND attempts = ? AND status = 'queued'",
  );
  const giveUp = db.prepare<[string, number, number]>(
    "UPDATE mails SET status = 'failed', text_body = '', html_body = '', last_error = ? WHERE id = ? AND attempts = ? AND status = 'queued'",
  );
  const listAll = db.prepare<[number], MailRecord>(`SELECT ${RECORD} FROM mails ORDER BY id DESC LIMIT ?`);
  const listOf = db.prepare<[string, number], MailRecord>(`SELECT ${RECORD} FROM mails WHERE status = ? ORDER BY id DESC LIMIT ?`);
  const purge = db.prepare<[number]>("DELETE FROM mails WHERE status <> 'queued' AND created_at < ?");
  const queued = db.prepare<[], number>("SELECT count(*) FROM mails WHERE status = 'queued'").pluck();
  const recent = db
    .prepare<[string, string, number], number>('SELECT count(*) FROM mails WHERE recipient = ? AND kind = ? AND created_at >= ?')
    .pluck();
  return {
    add: async (mail, at) => {
      const result = insert.run(
        mail.recipient.toLowerCase(),
        mail.kind,
        mail.lang,
        mail.subject,
        mail.text,
        mail.html,
        mail.messageId,
        at,
        at,
        mail.listUnsubscribe ?? null,
        mail.dedupeKey ?? null,
      );
      return result.changes === 0 ? 0 : Number(result.lastInsertRowid);
    },
    claim: async (at, leaseMs, limit) => claim.all(at + leaseMs, at, limit),
    markSent: async (id, at) => void sent.run(at, id),
    retryAt: async (id, attempts, at, error) => void retry.run(at, error, id, attempts),
    giveUp: async (id, attempts, error) => void giveUp.run(error, id, attempts),
    list: async ({ status, limit }: { status?: MailStatus | undefined; limit: number }) =>
      status ? listOf.all(status, limit) : listAll.all(limit),
    purge: async (before) => purge.run(before).changes,
    countQueued: async () => queued.get()!,
    countRecent: async (recipient: string, kind: MailKind, since: number) => recent.get(recipient.toLowerCase(), kind, since)!,
  };
}
