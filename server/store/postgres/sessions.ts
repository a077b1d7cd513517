import type { LoginLinkRepository, Session, SessionRepository } from '../store.ts';
import type { Pg } from './open-postgres.ts';

export function postgresSessions(db: Pg): SessionRepository {
  return {
    create: async (session) =>
      void (await db.query('INSERT INTO sessions (id_hash, email, created_at, last_seen_at) VALUES ($1, $2, $3, $4)', [
        session.idHash,
        session.email.toLowerCase(),
        session.createdAt,
        session.lastSeenAt,
      ])),
    find: async (idHash) =>
      (
        await db.query<Session>(
          {
            name: 'session-find',
            text: 'SELECT id_hash AS "idHash", email, created_at AS "createdAt", last_seen_at AS "lastSeenAt" FROM sessions WHERE id_hash = $1',
          },
          [idHash],
        )
      ).rows[0],
    touch: async (idHash, at) =>
      void (await db.query('UPDATE sessions SET last_seen_at = greatest(last_seen_at, $2) WHERE id_hash = $1', [idHash, at])),
    remove: async (idHash) => void (await db.query('DELETE FROM sessions WHERE id_hash = $1', [idHash])),
    removeAllOf: async (email) => (await db.query('DELETE FROM sessions WHERE email = $1', [email.toLowerCase()])).rowCount ?? 0,
    purge: async (idleBefore, startedBefore) =>
      (await db.query('DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2', [idleBefore, startedBefore])).rowCount ?? 0,
  };
}

export function postgresLoginLinks(db: Pg): LoginLinkRepository {
  return {
    create: async (link) =>
      void (await db.query('INSERT INTO login_links (token_hash, email, expires_at) VALUES ($1, $2, $3)', [
        link.tokenHash,
        link.email.toLowerCase(),
        link.expiresAt,
      ])),
    // One statement: of two collectors racing for the same link, PostgreSQL lets one UPDATE match.
    consume: async (tokenHash, at) =>
      (
        await db.query<{ email: string }>(
          'UPDATE login_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING email',
          [tokenHash, at],
        )
      ).rows[0]?.email,
    purge: async (at) => (await db.query('DELETE FROM login_links WHERE used_at IS NOT NULL OR expires_at <= $1', [at])).rowCount ?? 0,
  };
}
