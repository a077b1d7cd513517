import { DEFAULT_PLACEMENT } from '../../../shared/questionnaire.ts';
import { accessSnapshot } from '../procedure-access.ts';
import {
  EntityFullError,
  type NewProcedure,
  type Procedure,
  type ProcedureAccess,
  type ProcedureRepository,
  ProductIdTakenError,
  UnknownEntityError,
} from '../store.ts';
import type { Db } from './open-sqlite.ts';

interface ProcedureRow {
  id: string;
  title: string;
  entityId: string;
  entity: string;
  archived_at: string | null;
  productId: number;
}

const SELECT_PROCEDURES = `SELECT p.id, p.title, p.entity_id AS entityId, e.name AS entity, p.archived_at, p.product_id AS productId
  FROM procedures p JOIN entities e ON e.id = p.entity_id`;

export function sqliteProcedures(db: Db): ProcedureRepository {
  const insertProcedure = db.prepare<[string, string, string, string]>(
    `INSERT INTO procedures (id, title, entity_id, created_at, product_id)
     VALUES (?, ?, ?, ?, (SELECT coalesce(max(product_id), 999999) + 1 FROM procedures WHERE product_id >= 1000000))`,
  );
  const selectProductId = db.prepare<[string], number>('SELECT product_id FROM procedures WHERE id = ?').pluck();
  const selectByProductId = db.prepare<[number], string>('SELECT id FROM procedures WHERE product_id = ?').pluck();
  const updateProductId = db.prepare<[number, string, number]>('UPDATE procedures SET product_id = ? WHERE id = ? AND product_id IS NOT ?');
  const insertOrigin = db.prepare<[string, string]>('INSERT OR IGNORE INTO procedure_origins (procedure_id, origin) VALUES (?, ?)');
  const deleteOrigin = db.prepare<[string, string]>('DELETE FROM procedure_origins WHERE procedure_id = ? AND origin = ?');
  const insertPlacement = db.prepare<[string, string]>('INSERT OR IGNORE INTO placements (procedure_id, id) VALUES (?, ?)');
  const deletePlacement = db.prepare<[string, string]>('DELETE FROM placements WHERE procedure_id = ? AND id = ?');
  const updateTitle = db.prepare<[string, string, string]>('UPDATE procedures SET title = ?, entity_id = ? WHERE id = ?');
  const selectEntity = db.prepare<[string], number>('SELECT 1 FROM entities WHERE id = ?').pluck();
  const requireEntity = (entityId: string): void => {
    if (selectEntity.get(entityId) === undefined) throw new UnknownEntityError(entityId);
  };
  const updateArchived = db.prepare<[{ at: string | null; id: string }]>(
    // Changes only a procedure not already in the wanted state, so that `changes` tells which it was.
    'UPDATE procedures SET archived_at = @at WHERE id = @id AND (archived_at IS NULL) = (@at IS NOT NULL)',
  );
  const selectOne = db.prepare<[string], ProcedureRow>(`${SELECT_PROCEDURES} WHERE p.id = ?`);
  const selectReviewsSince = db
    .prepare<[string, string], number>(
      `SELECT coalesce(sum(count), 0) FROM daily_rollups WHERE procedure_id = ? AND day >= ? AND question = 'satisfaction'`,
    )
    .pluck();
  const selectAll = db.prepare<[], ProcedureRow & { reviews: number }>(
    // Counted from the monthly rollups (one row per month × placement × answer), not from the reviews:
    // a count(*) over reviews took seconds at 10 M reviews.
    `SELECT p.id, p.title, p.entity_id AS entityId, e.name AS entity, p.archived_at, p.product_id AS productId,
            (SELECT coalesce(sum(m.count), 0) FROM monthly_rollups m
              WHERE m.procedure_id = p.id AND m.question = 'satisfaction') AS reviews
       FROM procedures p JOIN entities e ON e.id = p.entity_id ORDER BY p.id`,
  );
  const selectCount = db.prepare<[string], number>('SELECT count(*) FROM procedures WHERE entity_id = ?').pluck();
  const selectOrigins = db.prepare<[string], { origin: string }>(
    'SELECT origin FROM procedure_origins WHERE procedure_id = ? ORDER BY origin',
  );
  const selectPlacements = db.prepare<[string], { id: string; is_test: number }>(
    'SELECT id, is_test FROM placements WHERE procedure_id = ? ORDER BY id',
  );
  const updatePlacementTest = db.prepare<[number, string, string, number]>(
    'UPDATE placements SET is_test = ? WHERE procedure_id = ? AND id = ? AND is_test <> ?',
  );
  const selectAllOrigins = db.prepare<[], { procedure_id: string; origin: string }>('SELECT procedure_id, origin FROM procedure_origins');
  const selectAllPlacements = db.prepare<[], { procedure_id: string; id: string }>('SELECT procedure_id, id FROM placements');
  const selectIds = db.prepare<[], { id: string; archived_at: string | null }>('SELECT id, archived_at FROM procedures');
  const selectDataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();

  // Every rating checks its procedure, placement and origin: they are answered from memory. The
  // snapshot is dropped when this connection changes them, and when PRAGMA data_version says that
  // another connection (the jdma command line) has committed since it was taken.
  let access: ProcedureAccess | undefined;
  let accessVersion = -1;
  let checkedThisTurn = false; // data_version is asked once per event-loop turn, not per request
  const currentAccess = (): ProcedureAccess => {
    if (access && checkedThisTurn) return access;
    checkedThisTurn = true;
    setImmediate(() => (checkedThisTurn = false));
    const version = selectDataVersion.get()!;
    if (access && version === accessVersion) return access;
    accessVersion = version;
    return (access = accessSnapshot(selectIds.all(), selectAllOrigins.all(), selectAllPlacements.all()));
  };
  /** Wraps a change: the snapshot is dropped, and the change says whether it changed anything. */
  const changed =
    <A extends unknown[]>(change: (...args: A) => { changes: number }) =>
    async (...args: A): Promise<boolean> => {
      const { changes } = change(...args);
      access = undefined;
      return changes > 0;
    };

  const withDetails = ({ archived_at, ...row }: ProcedureRow): Procedure => {
    const placements = selectPlacements.all(row.id);
    return {
      ...row,
      origins: selectOrigins.all(row.id).map((r) => r.origin),
      placements: placements.map((r) => r.id),
      testPlacements: placements.filter((r) => r.is_test).map((r) => r.id),
      archivedAt: archived_at,
    };
  };

  const add = db.transaction((procedure: NewProcedure) => {
    requireEntity(procedure.entityId);
    const max = procedure.maxInEntity;
    if (max !== undefined && selectCount.get(procedure.entityId)! >= max) throw new EntityFullError(procedure.entityId, max);
    const inserted = insertProcedure.run(procedure.id, procedure.title, procedure.entityId, new Date().toISOString());
    for (const origin of procedure.origins) insertOrigin.run(procedure.id, origin);
    for (const placement of [DEFAULT_PLACEMENT, ...(procedure.placements ?? [])]) insertPlacement.run(procedure.id, placement);
    return inserted;
  });

  const setProductId = db.transaction((procedureId: string, productId: number): boolean => {
    const holder = selectByProductId.get(productId);
    if (holder !== undefined && holder !== procedureId) throw new ProductIdTakenError(productId);
    return updateProductId.run(productId, procedureId, productId).changes > 0;
  });

  return {
    add: async (procedure) => void (await changed(add)(procedure)),
    addOrigin: changed((procedureId: string, origin: string) => insertOrigin.run(procedureId, origin)),
    removeOrigin: changed((procedureId: string, origin: string) => deleteOrigin.run(procedureId, origin)),
    addPlacement: changed((procedureId: string, placement: string) => insertPlacement.run(procedureId, placement)),
    removePlacement: changed((procedureId: string, placement: string) => deletePlacement.run(procedureId, placement)),
    setPlacementTest: changed((procedureId: string, placement: string, test: boolean) =>
      updatePlacementTest.run(Number(test), procedureId, placement, Number(test)),
    ),
    rename: changed(
      db.transaction((procedureId: string, title: string, entityId: string) => {
        requireEntity(entityId);
        return updateTitle.run(title, entityId, procedureId);
      }),
    ),
    setArchived: changed((procedureId: string, archived: boolean) =>
      updateArchived.run({ at: archived ? new Date().toISOString() : null, id: procedureId }),
    ),
    find: async (id) => {
      const row = selectOne.get(id);
      return row && withDetails(row);
    },
    list: async () => selectAll.all().map(({ reviews, ...row }) => ({ ...withDetails(row), reviews })),
    countOf: async (entityId) => selectCount.get(entityId)!,
    reviewsSince: async (procedureId, day) => selectReviewsSince.get(procedureId, day)!,
    access: async () => currentAccess(),
    productIdOf: async (procedureId) => selectProductId.get(procedureId) ?? undefined,
    byProductId: async (productId) => selectByProductId.get(productId),
    setProductId: async (procedureId, productId) => setProductId(procedureId, productId),
  };
}
