import type { LoginLinkRepository, Session, SessionRepository } from '../store.ts';
import type { Db } from './open-sqlite.ts';

export function sqliteSessions(db: Db): SessionRepository {
  const insert = db.prepare<[Buffer, string, number, number]>(
    'INSERT INTO sessions (id_hash, email, created_at, last_seen_at) VALUES (?, ?, ?, ?)',
  );
  const selectOne = db.prepare<[Buffer], Session>(
    'SELECT id_hash AS idHash, email, created_at AS createdAt, last_seen_at AS lastSeenAt FROM sessions WHERE id_hash = ?',
  );
  const touch = db.prepare<[number, Buffer]>('UPDATE sessions SET last_seen_at = max(last_seen_at, ?) WHERE id_hash = ?');
  const remove = db.prepare<[Buffer]>('DELETE FROM sessions WHERE id_hash = ?');
  const removeAllOf = db.prepare<[string]>('DELETE FROM sessions WHERE email = ?');
  const purge = db.prepare<[number, number]>('DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?');
  return {
    create: async (session) => void insert.run(session.idHash, session.email.toLowerCase(), session.createdAt, session.lastSeenAt),
    find: async (idHash) => selectOne.get(idHash),
    touch: async (idHash, at) => void touch.run(at, idHash),
    remove: async (idHash) => void remove.run(idHash),
    removeAllOf: async (email) => removeAllOf.run(email.toLowerCase()).changes,
    purge: async (idleBefore, startedBefore) => purge.run(idleBefore, startedBefore).changes,
  };
}

export function sqliteLoginLinks(db: Db): LoginLinkRepository {
  const insert = db.prepare<[Buffer, string, number]>('INSERT INTO login_links (token_hash, email, expires_at) VALUES (?, ?, ?)');
  const consume = db
    .prepare<[number, Buffer, number], string>(
      'UPDATE login_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING email',
    )
    .pluck();
  const purge = db.prepare<[number]>('DELETE FROM login_links WHERE used_at IS NOT NULL OR expires_at <= ?');
  return {
    create: async (link) => void insert.run(link.tokenHash, link.email.toLowerCase(), link.expiresAt),
    consume: async (tokenHash, at) => consume.get(at, tokenHash, at),
    purge: async (at) => purge.run(at).changes,
  };
}
