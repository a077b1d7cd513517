import type { EntityLogo, EntityRepository, Member, MemberRepository, MemberRole } from '../store.ts';
import type { Db } from './open-sqlite.ts';

export function sqliteEntities(db: Db): EntityRepository {
  const insert = db.prepare<[string, string, string]>(
    'INSERT INTO entities (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const selectOne = db.prepare<[string], { id: string; name: string }>('SELECT id, name FROM entities WHERE id = ?');
  const selectAll = db.prepare<[], { id: string; name: string }>('SELECT id, name FROM entities ORDER BY id');
  const selectLogo = db.prepare<[string], { content_type: EntityLogo['contentType']; bytes: Buffer; etag: string; updated_at: number }>(
    'SELECT content_type, bytes, etag, updated_at FROM entity_logos WHERE entity_id = ?',
  );
  const upsertLogo = db.prepare<[string, string, Buffer, string, number]>(
    `INSERT INTO entity_logos (entity_id, content_type, bytes, etag, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (entity_id) DO UPDATE SET content_type = excluded.content_type, bytes = excluded.bytes, etag = excluded.etag, updated_at = excluded.updated_at`,
  );
  const deleteLogo = db.prepare<[string]>('DELETE FROM entity_logos WHERE entity_id = ?');
  return {
    add: async (entity) => insert.run(entity.id, entity.name, new Date().toISOString()).changes > 0,
    find: async (id) => selectOne.get(id),
    list: async () => selectAll.all(),
    logo: async (entityId) => {
      const row = selectLogo.get(entityId);
      return row && { contentType: row.content_type, bytes: row.bytes, etag: row.etag, updatedAt: row.updated_at };
    },
    setLogo: async (entityId, logo) => void upsertLogo.run(entityId, logo.contentType, logo.bytes, logo.etag, logo.updatedAt),
    removeLogo: async (entityId) => deleteLogo.run(entityId).changes > 0,
  };
}

export function sqliteMembers(db: Db): MemberRepository {
  const upsert = db.prepare<[string, string, string, string]>(
    // Changes no row when the member already has this role, so that `changes` tells.
    `INSERT INTO members (entity_id, email, role, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (entity_id, email) DO UPDATE SET role = excluded.role WHERE role <> excluded.role`,
  );
  const removeMember = db.prepare<[string, string]>('DELETE FROM members WHERE entity_id = ? AND email = ?');
  // A member's mail choices go with them: re-added later, they start from the defaults again.
  const removePreferences = db.prepare<[string, string]>('DELETE FROM mail_preferences WHERE entity_id = ? AND email = ?');
  const remove = db.transaction((entityId: string, email: string) => {
    const removed = removeMember.run(entityId, email).changes > 0;
    if (removed) removePreferences.run(entityId, email);
    return removed;
  });
  const selectAll = db.prepare<[string], Member>(
    'SELECT entity_id AS entityId, email, role, created_at AS createdAt FROM members WHERE entity_id = ? ORDER BY email',
  );
  const selectRoles = db.prepare<[string], { entity_id: string; role: MemberRole }>(
    'SELECT entity_id, role FROM members WHERE email = ? ORDER BY entity_id',
  );
  // setLang writes all of an address's rows; a row added later (another entity) has none until then.
  const selectLang = db
    .prepare<[string], 'fr' | 'en' | null>('SELECT lang FROM members WHERE email = ? AND lang IS NOT NULL LIMIT 1')
    .pluck();
  const updateLang = db.prepare<[string, string]>('UPDATE members SET lang = ? WHERE email = ?');
  const selectLangs = db.prepare<[], { email: string; lang: 'fr' | 'en' }>(
    'SELECT DISTINCT email, lang FROM members WHERE lang IS NOT NULL',
  );
  return {
    langOf: async (email) => selectLang.get(email.toLowerCase()) ?? undefined,
    setLang: async (email, lang) => updateLang.run(lang, email.toLowerCase()).changes > 0,
    langs: async () => new Map(selectLangs.all().map((row) => [row.email, row.lang])),
    put: async ({ entityId, email, role }) => upsert.run(entityId, email.toLowerCase(), role, new Date().toISOString()).changes > 0,
    remove: async (entityId, email) => remove(entityId, email.toLowerCase()),
    list: async (entityId) => selectAll.all(entityId),
    rolesOf: async (email) => new Map(selectRoles.all(email.toLowerCase()).map((row) => [row.entity_id, row.role])),
  };
}
