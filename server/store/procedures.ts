import type { Db } from './open-store.ts';
import { DEFAULT_PLACEMENT } from '../../shared/questionnaire.ts';

export interface Procedure {
  id: string;
  title: string;
  entity: string;
  origins: string[];
  placements: string[];
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

export function procedureQueries(db: Db) {
  const insertProcedure = db.prepare<[string, string, string, string]>(
    'INSERT INTO procedures (id, title, entity, created_at) VALUES (?, ?, ?, ?)',
  );
  const insertOrigin = db.prepare<[string, string]>(
    'INSERT OR IGNORE INTO procedure_origins (procedure_id, origin) VALUES (?, ?)',
  );
  const insertPlacement = db.prepare<[string, string]>(
    'INSERT OR IGNORE INTO placements (procedure_id, id) VALUES (?, ?)',
  );
  const selectOne = db.prepare<[string], { id: string; title: string; entity: string }>(
    'SELECT id, title, entity FROM procedures WHERE id = ?',
  );
  const selectAll = db.prepare<[], { id: string; title: string; entity: string; reviews: number }>(
    // Counted from the monthly rollups (one row per month × placement × answer), not from the reviews:
    // a count(*) over reviews took seconds at 10 M reviews.
    `SELECT p.id, p.title, p.entity,
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
  const selectIds = db.prepare<[], string>('SELECT id FROM procedures').pluck();
  const selectDataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();

  // Every rating checks its procedure, placement and origin: they are answered from memory. The
  // snapshot is dropped when this connection changes them, and when PRAGMA data_version says that
  // another connection (the jdma command line) has committed since it was taken.
  interface Access {
    procedures: Map<string, { origins: Set<string>; placements: Set<string> }>;
    origins: Set<string>;
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
    const procedures = new Map(selectIds.all().map((id) => [id, { origins: new Set<string>(), placements: new Set<string>() }]));
    for (const row of selectAllOrigins.all()) procedures.get(row.procedure_id)?.origins.add(row.origin);
    for (const row of selectAllPlacements.all()) procedures.get(row.procedure_id)?.placements.add(row.id);
    accessVersion = version;
    const origins = new Set([...procedures.values()].flatMap((p) => [...p.origins]));
    return (access = { procedures, origins });
  };
  const changed = <A extends unknown[]>(change: (...args: A) => void) => (...args: A): void => {
    change(...args);
    access = undefined;
  };

  const withDetails = (row: { id: string; title: string; entity: string }): Procedure => ({
    ...row,
    origins: selectOrigins.all(row.id).map((r) => r.origin),
    placements: selectPlacements.all(row.id).map((r) => r.id),
  });

  return {
    /** Registers a procedure with its origins; every procedure has the `default` placement (SPEC §2). */
    add: changed(
      db.transaction((procedure: NewProcedure): void => {
        insertProcedure.run(procedure.id, procedure.title, procedure.entity, new Date().toISOString());
        for (const origin of procedure.origins) insertOrigin.run(procedure.id, origin);
        for (const placement of [DEFAULT_PLACEMENT, ...(procedure.placements ?? [])]) {
          insertPlacement.run(procedure.id, placement);
        }
      }),
    ),
    addOrigin: changed((procedureId: string, origin: string) => void insertOrigin.run(procedureId, origin)),
    addPlacement: changed((procedureId: string, placement: string) => void insertPlacement.run(procedureId, placement)),
    find: (id: string): Procedure | undefined => {
      const row = selectOne.get(id);
      return row && withDetails(row);
    },
    exists: (id: string): boolean => currentAccess().procedures.has(id),
    list: (): ProcedureSummary[] => selectAll.all().map((row) => ({ ...withDetails(row), reviews: row.reviews })),
    isOriginAllowed: (procedureId: string, origin: string): boolean =>
      currentAccess().procedures.get(procedureId)?.origins.has(origin) ?? false,
    /** Whether any procedure allows this origin: enough to answer a CORS preflight, which carries no body. */
    isOriginKnown: (origin: string): boolean => currentAccess().origins.has(origin),
    hasPlacement: (procedureId: string, placement: string): boolean =>
      currentAccess().procedures.get(procedureId)?.placements.has(placement) ?? false,
  };
}
