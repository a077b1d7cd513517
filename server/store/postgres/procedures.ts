import type pg from 'pg';
import { DEFAULT_PLACEMENT } from '../../../shared/questionnaire.ts';
import { accessSnapshot } from '../procedure-access.ts';
import {
  EntityFullError,
  type Procedure,
  type ProcedureAccess,
  type ProcedureRepository,
  ProductIdTakenError,
  UnknownEntityError,
} from '../store.ts';
import type { Pg } from './open-postgres.ts';

interface ProcedureRow {
  id: string;
  title: string;
  entityId: string;
  entity: string;
  archived_at: string | null;
  productId: string;
  origins: string[];
  placements: string[];
  testPlacements: string[];
}

const SELECT_PROCEDURES = `
SELECT p.id, p.title, p.entity_id AS "entityId", e.name AS entity, p.archived_at, p.product_id AS "productId",
       coalesce((SELECT array_agg(origin ORDER BY origin) FROM procedure_origins WHERE procedure_id = p.id), '{}') AS origins,
       coalesce((SELECT array_agg(id ORDER BY id) FROM placements WHERE procedure_id = p.id), '{}') AS placements,
       coalesce((SELECT array_agg(id ORDER BY id) FROM placements WHERE procedure_id = p.id AND is_test), '{}') AS "testPlacements"`;

// Entities are never deleted: one read in the transaction is enough to tell an unknown id.
async function requireEntity(client: pg.PoolClient, entityId: string): Promise<void> {
  const { rowCount } = await client.query('SELECT 1 FROM entities WHERE id = $1', [entityId]);
  if (!rowCount) throw new UnknownEntityError(entityId);
}

const toProcedure = ({ archived_at, productId, ...row }: ProcedureRow): Procedure => ({
  ...row,
  archivedAt: archived_at,
  productId: Number(productId),
});

export function postgresProcedures(db: Pg): ProcedureRepository & { forget(): void } {
  // The access rules every rating checks, in memory. Dropped when this process changes them, and
  // when the poll sees that another collector or the command line did (open-postgres.ts).
  let access: Promise<ProcedureAccess> | undefined;
  const load = async (): Promise<ProcedureAccess> => {
    const [procedures, origins, placements] = await Promise.all([
      db.query<{ id: string; archived_at: string | null }>('SELECT id, archived_at FROM procedures'),
      db.query<{ procedure_id: string; origin: string }>('SELECT procedure_id, origin FROM procedure_origins'),
      db.query<{ procedure_id: string; id: string }>('SELECT procedure_id, id FROM placements'),
    ]);
    return accessSnapshot(procedures.rows, origins.rows, placements.rows);
  };

  /** Runs one change and, when it changed something, bumps the catalog version in the same transaction. */
  const change = async (sql: string, values: unknown[], entityId?: string): Promise<boolean> => {
    const changed = await db.transaction(async (client) => {
      if (entityId !== undefined) await requireEntity(client, entityId);
      const { rowCount } = await client.query(sql, values);
      if (rowCount) await client.query('UPDATE catalog_version SET version = version + 1');
      return (rowCount ?? 0) > 0;
    });
    if (changed) db.changed('catalog');
    return changed;
  };

  return {
    forget: () => void (access = undefined),
    add: async (procedure) => {
      await db.transaction(async (client) => {
        await requireEntity(client, procedure.entityId);
        // First, so that its row lock orders concurrent additions: each then reads the number the
        // previous one took, and counts the procedures the previous one added (READ COMMITTED takes a
        // new snapshot per statement).
        await client.query('UPDATE catalog_version SET version = version + 1');
        const max = procedure.maxInEntity;
        if (max !== undefined) {
          const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM procedures WHERE entity_id = $1', [
            procedure.entityId,
          ]);
          if (rows[0]!.n >= max) throw new EntityFullError(procedure.entityId, max);
        }
        await client.query(
          `INSERT INTO procedures (id, title, entity_id, created_at, product_id)
           VALUES ($1, $2, $3, $4, (SELECT coalesce(max(product_id), 999999) + 1 FROM procedures WHERE product_id >= 1000000))`,
          [procedure.id, procedure.title, procedure.entityId, new Date().toISOString()],
        );
        await client.query('INSERT INTO procedure_origins (procedure_id, origin) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [
          procedure.id,
          procedure.origins,
        ]);
        await client.query('INSERT INTO placements (procedure_id, id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [
          procedure.id,
          [DEFAULT_PLACEMENT, ...(procedure.placements ?? [])],
        ]);
      });
      db.changed('catalog');
    },
    addOrigin: (id, origin) =>
      change('INSERT INTO procedure_origins (procedure_id, origin) VALUES ($1, $2) ON CONFLICT DO NOTHING', [id, origin]),
    removeOrigin: (id, origin) => change('DELETE FROM procedure_origins WHERE procedure_id = $1 AND origin = $2', [id, origin]),
    addPlacement: (id, placement) =>
      change('INSERT INTO placements (procedure_id, id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [id, placement]),
    removePlacement: (id, placement) => change('DELETE FROM placements WHERE procedure_id = $1 AND id = $2', [id, placement]),
    setPlacementTest: (id, placement, test) =>
      change('UPDATE placements SET is_test = $3 WHERE procedure_id = $1 AND id = $2 AND is_test <> $3', [id, placement, test]),
    rename: (id, title, entityId) =>
      change('UPDATE procedures SET title = $2, entity_id = $3 WHERE id = $1', [id, title, entityId], entityId),
    setArchived: (id, archived) =>
      // Changes only a procedure not already in the wanted state, so that the row count tells which it was.
      change('UPDATE procedures SET archived_at = $2 WHERE id = $1 AND (archived_at IS NULL) = ($2::text IS NOT NULL)', [
        id,
        archived ? new Date().toISOString() : null,
      ]),
    find: async (id) => {
      const { rows } = await db.query<ProcedureRow>(
        `${SELECT_PROCEDURES} FROM procedures p JOIN entities e ON e.id = p.entity_id WHERE p.id = $1`,
        [id],
      );
      return rows[0] && toProcedure(rows[0]);
    },
    list: async () => {
      // Counted from the monthly rollups, not from the reviews: a count over reviews grows with them.
      const { rows } = await db.query<ProcedureRow & { reviews: number }>(
        `${SELECT_PROCEDURES},
                (SELECT coalesce(sum(m.count), 0)::integer FROM monthly_rollups m
                  WHERE m.procedure_id = p.id AND m.question = 'satisfaction') AS reviews
           FROM procedures p JOIN entities e ON e.id = p.entity_id ORDER BY p.id`,
      );
      return rows.map(({ reviews, ...row }) => ({ ...toProcedure(row), reviews }));
    },
    countOf: async (entityId) =>
      (await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM procedures WHERE entity_id = $1', [entityId])).rows[0]!.n,
    reviewsSince: async (id, day) =>
      (
        await db.query<{ n: number }>(
          `SELECT coalesce(sum(count), 0)::integer AS n FROM daily_rollups WHERE procedure_id = $1 AND day >= $2 AND question = 'satisfaction'`,
          [id, day],
        )
      ).rows[0]!.n,
    productIdOf: async (id) => {
      const { rows } = await db.query<{ product_id: string }>('SELECT product_id FROM procedures WHERE id = $1', [id]);
      return rows[0] && Number(rows[0].product_id);
    },
    byProductId: async (productId) =>
      (await db.query<{ id: string }>('SELECT id FROM procedures WHERE product_id = $1', [productId])).rows[0]?.id,
    setProductId: async (id, productId) =>
      db.transaction(async (client) => {
        const { rows } = await client.query<{ id: string }>('SELECT id FROM procedures WHERE product_id = $1', [productId]);
        if (rows[0] && rows[0].id !== id) throw new ProductIdTakenError(productId);
        const { rowCount } = await client.query('UPDATE procedures SET product_id = $2 WHERE id = $1 AND product_id IS DISTINCT FROM $2', [
          id,
          productId,
        ]);
        return (rowCount ?? 0) > 0;
      }),
    access: () => {
      // A failed load is not kept: the next rating asks again (the database may be back).
      access ??= load().catch((error: unknown) => {
        access = undefined;
        throw error;
      });
      return access;
    },
  };
}
