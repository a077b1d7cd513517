import type { Db } from './open-store.ts';
import { DEFAULT_PLACEMENT } from '../../shared/questionnaire.ts';

export interface Procedure {
  id: string;
  title: string;
  entity: string;
  origins: string[];
  placements: string[];
  /** When it was archived (ISO time), or null: an archived procedure takes no rating and leaves the feed. */
  archivedAt: string | null;
}

export interface ProcedureSummary extends Procedure {
  reviews: number;
}

export interface NewProcedure {
  id: string;
  title: string;
  entity: string;
  origins: readonly string[];
  placements?: readonly string[];
}

interface ProcedureRow {
  id: string;
  title: string;
  entity: string;
  archived_at: string | null;
}

export function procedureQueries(db: Db) {
  const insertProcedure = db.prepare<[string, string, string, string]>(
    'INSERT INTO procedures (id, title, entity, created_at) VALUES (?, ?, ?, ?)',
  );
  const insertOrigin = db.prepare<[string, string]>(
    'INSERT OR IGNORE INTO procedure_origins (procedure_id, origin) VALUES (?, ?)',
  );
  const deleteOrigin = db.prepare<[string, string]>('DELETE FROM procedure_origins WHERE procedure_id = ? AND origin = ?');
  const insertPlacement = db.prepare<[string, string]>(
    'INSERT OR IGNORE INTO placements (procedure_id, id) VALUES (?, ?)',
  );
  const deletePlacement = db.prepare<[string, string]>('DELETE FROM placements WHERE procedure_id = ? AND id = ?');
  const updateTitle = db.prepare<[string, string, string]>('UPDATE procedures SET title = ?, entity = ? WHERE id = ?');
  const updateArchived = db.prepare<[{ at: string | null; id: string }]>(
    // Changes only a procedure not already in the wanted state, so that `changes` tells the CLI which it was.
    'UPDATE procedures SET archived_at = @at WHERE id = @id AND (archived_at IS NULL) = (@at IS NOT NULL)',
  );
  const selectOne = db.prepare<[string], ProcedureRow>('SELECT id, title, entity, archived_at FROM procedures WHERE id = ?');
  const selectReviewsSince = db.prepare<[string, string], number>(
    `SELECT coalesce(sum(count), 0) FROM daily_rollups WHERE procedure_id = ? AND day >= ? AND question = 'satisfaction'`,
  ).pluck();
  const selectAll = db.prepare<[], ProcedureRow & { reviews: number }>(
    // Counted from the monthly rollups (one row per month × placement × answer), not from the reviews:
    // a count(*) over reviews took seconds at 10 M reviews.
    `SELECT p.id, p.title, p.entity, p.archived_at,
            (SELECT coalesce(sum(m.count), 0) FROM monthly_rollups m
              WHERE m.procedure_id = p.id AND m.question = 'satisfaction') AS reviews
       FROM procedures p ORDER BY p.id`,
  );
  const selectOrigins = db.prepare<[string], { origin: string }>(
    'SELECT origin FROM procedure_origins WHERE procedure_id = ? ORDER BY origin',
  );
  const selectPlacements = db.prepare<[string], { id: string }>(
    'SELECT id FROM placements WHERE procedure_id = ? ORDER BY id',
  );
  const selectAllOrigins = db.prepare<[], { procedure_id: string; origin: string }>(
    'SELECT procedure_id, origin FROM procedure_origins',
  );
  const selectAllPlacements = db.prepare<[], { procedure_id: string; id: string }>('SELECT procedure_id, id FROM placements');
  const selectIds = db.prepare<[], { id: string; archived_at: string | null }>('SELECT id, archived_at FROM procedures');
  const selectDataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();

  // Every rating checks its procedure, placement and origin: they are answered from memory. The
  // snapshot is dropped when this connection changes them, and when PRAGMA data_version says that
  // another connection (the jdma command line) has committed since it was taken.
  interface Access {
    procedures: Map<string, { archived: boolean; origins: Set<string>; placements: Set<string> }>;
  }
  let access: Access | undefined;
  let accessVersion = -1;
  let checkedThisTurn = false; // data_version is asked once per event-loop turn, not per request
  const currentAccess = (): Access => {
    if (access && checkedThisTurn) return access;
    checkedThisTurn = true;
    setImmediate(() => (checkedThisTurn = false));
    const version = selectDataVersion.get()!;
    if (access && version === accessVersion) return access;
    const procedures = new Map(
      selectIds.all().map((p) => [p.id, { archived: p.archived_at !== null, origins: new Set<string>(), placements: new Set<string>() }]),
    );
    for (const row of selectAllOrigins.all()) procedures.get(row.procedure_id)?.origins.add(row.origin);
    for (const row of selectAllPlacements.all()) procedures.get(row.procedure_id)?.placements.add(row.id);
    accessVersion = version;
    return (access = { procedures });
  };
  /** Wraps a change: the snapshot is dropped, and the change says whether it changed anything. */
  const changed = <A extends unknown[]>(change: (...args: A) => { changes: number }) => (...args: A): boolean => {
    const { changes } = change(...args);
    access = undefined;
    return changes > 0;
  };

  const withDetails = ({ archived_at, ...row }: ProcedureRow): Procedure => ({
    ...row,
    origins: selectOrigins.all(row.id).map((r) => r.origin),
    placements: selectPlacements.all(row.id).map((r) => r.id),
    archivedAt: archived_at,
  });

  return {
    /** Registers a procedure with its origins; every procedure has the `default` placement (SPEC §2). */
    add: changed(
      db.transaction((procedure: NewProcedure) => {
        const inserted = insertProcedure.run(procedure.id, procedure.title, procedure.entity, new Date().toISOString());
        for (const origin of procedure.origins) insertOrigin.run(procedure.id, origin);
        for (const placement of [DEFAULT_PLACEMENT, ...(procedure.placements ?? [])]) {
          insertPlacement.run(procedure.id, placement);
        }
        return inserted;
      }),
    ),
    /** Each of these says whether it changed anything: false when the origin or placement was already (or not) there. */
    addOrigin: changed((procedureId: string, origin: string) => insertOrigin.run(procedureId, origin)),
    removeOrigin: changed((procedureId: string, origin: string) => deleteOrigin.run(procedureId, origin)),
    addPlacement: changed((procedureId: string, placement: string) => insertPlacement.run(procedureId, placement)),
    /** Past reviews keep the placement they were given: it is their history, not a reference. */
    removePlacement: changed((procedureId: string, placement: string) => deletePlacement.run(procedureId, placement)),
    rename: changed((procedureId: string, title: string, entity: string) => updateTitle.run(title, entity, procedureId)),
    /** Archives (or restores) a procedure; false when it already was (or was not) archived. */
    setArchived: changed((procedureId: string, archived: boolean) =>
      updateArchived.run({ at: archived ? new Date().toISOString() : null, id: procedureId }),
    ),
    find: (id: string): Procedure | undefined => {
      const row = selectOne.get(id);
      return row && withDetails(row);
    },
    exists: (id: string): boolean => currentAccess().procedures.has(id),
    isArchived: (id: string): boolean => currentAccess().procedures.get(id)?.archived ?? false,
    list: (): ProcedureSummary[] => selectAll.all().map(({ reviews, ...row }) => ({ ...withDetails(row), reviews })),
    /** Hot ratings since this UTC day (YYYY-MM-DD), from the daily rollups. */
    reviewsSince: (procedureId: string, day: string): number => selectReviewsSince.get(procedureId, day)!,
    isOriginAllowed: (procedureId: string, origin: string): boolean =>
      currentAccess().procedures.get(procedureId)?.origins.has(origin) ?? false,
    hasPlacement: (procedureId: string, placement: string): boolean =>
      currentAccess().procedures.get(procedureId)?.placements.has(placement) ?? false,
  };
}
