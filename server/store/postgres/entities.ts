import type { Entity, EntityLogo, EntityRepository, Member, MemberRepository, MemberRole } from '../store.ts';
import type { Pg } from './open-postgres.ts';

export function postgresEntities(db: Pg): EntityRepository {
  return {
    add: async (entity) =>
      ((
        await db.query('INSERT INTO entities (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
          entity.id,
          entity.name,
          new Date().toISOString(),
        ])
      ).rowCount ?? 0) > 0,
    find: async (id) => (await db.query<Entity>('SELECT id, name FROM entities WHERE id = $1', [id])).rows[0],
    list: async () => (await db.query<Entity>('SELECT id, name FROM entities ORDER BY id')).rows,
    logo: async (entityId) => {
      const row = (
        await db.query<{ content_type: EntityLogo['contentType']; bytes: Buffer; etag: string; updated_at: string }>(
          'SELECT content_type, bytes, etag, updated_at FROM entity_logos WHERE entity_id = $1',
          [entityId],
        )
      ).rows[0];
      return row && { contentType: row.content_type, bytes: row.bytes, etag: row.etag, updatedAt: Number(row.updated_at) };
    },
    setLogo: async (entityId, logo) =>
      void (await db.query(
        `INSERT INTO entity_logos (entity_id, content_type, bytes, etag, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (entity_id) DO UPDATE SET content_type = excluded.content_type, bytes = excluded.bytes, etag = excluded.etag, updated_at = excluded.updated_at`,
        [entityId, logo.contentType, logo.bytes, logo.etag, logo.updatedAt],
      )),
    removeLogo: async (entityId) => ((await db.query('DELETE FROM entity_logos WHERE entity_id = $1', [entityId])).rowCount ?? 0) > 0,
  };
}

export function postgresMembers(db: Pg): MemberRepository {
  return {
    // setLang writes all of an address's rows; a row added later (another entity) has none until then.
    langOf: async (email) =>
      (
        await db.query<{ lang: 'fr' | 'en' | null }>('SELECT lang FROM members WHERE email = $1 AND lang IS NOT NULL LIMIT 1', [
          email.toLowerCase(),
        ])
      ).rows[0]?.lang ?? undefined,
    setLang: async (email, lang) =>
      ((await db.query('UPDATE members SET lang = $1 WHERE email = $2', [lang, email.toLowerCase()])).rowCount ?? 0) > 0,
    langs: async () => {
      const { rows } = await db.query<{ email: string; lang: 'fr' | 'en' }>(
        'SELECT DISTINCT email, lang FROM members WHERE lang IS NOT NULL',
      );
      return new Map(rows.map((row) => [row.email, row.lang]));
    },
    put: async ({ entityId, email, role }) =>
      ((
        await db.query(
          // Changes no row when the member already has this role, so that the row count tells.
          `INSERT INTO members AS m (entity_id, email, role, created_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (entity_id, email) DO UPDATE SET role = excluded.role WHERE m.role <> excluded.role`,
          [entityId, email.toLowerCase(), role, new Date().toISOString()],
        )
      ).rowCount ?? 0) > 0,
    // A member's mail choices go with them, in the same statement: re-added later, they start from the defaults again.
    remove: async (entityId, email) => {
      const { rows } = await db.query<{ removed: number }>(
        `WITH gone AS (DELETE FROM members WHERE entity_id = $1 AND email = $2 RETURNING entity_id, email),
              preferences AS (DELETE FROM mail_preferences p USING gone WHERE p.entity_id = gone.entity_id AND p.email = gone.email)
         SELECT count(*)::int AS removed FROM gone`,
        [entityId, email.toLowerCase()],
      );
      return rows[0]!.removed > 0;
    },
    list: async (entityId) =>
      (
        await db.query<Member>(
          `SELECT entity_id AS "entityId", email, role, created_at AS "createdAt" FROM members WHERE entity_id = $1 ORDER BY email`,
          [entityId],
        )
      ).rows,
    rolesOf: async (email) => {
      const { rows } = await db.query<{ entity_id: string; role: MemberRole }>(
        { name: 'member-roles', text: 'SELECT entity_id, role FROM members WHERE email = $1 ORDER BY entity_id' },
        [email.toLowerCase()],
      );
      return new Map(rows.map((row) => [row.entity_id, row.role]));
    },
  };
}
