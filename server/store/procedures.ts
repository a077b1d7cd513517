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
    `SELECT p.id, p.title, p.entity, (SELECT count(*) FROM reviews r WHERE r.procedure_id = p.id) AS reviews
       FROM procedures p ORDER BY p.id`,
  );
  const selectOrigins = db.prepare<[string], { origin: string }>(
    'SELECT origin FROM procedure_origins WHERE procedure_id = ? ORDER BY origin',
  );
  const selectPlacements = db.prepare<[string], { id: string }>(
    'SELECT id FROM placements WHERE procedure_id = ? ORDER BY id',
  );
  const selectOriginAllowed = db.prepare<[string, string], { ok: number }>(
    'SELECT 1 AS ok FROM procedure_origins WHERE procedure_id = ? AND origin = ?',
  );
  const selectOriginKnown = db.prepare<[string], { ok: number }>(
    'SELECT 1 AS ok FROM procedure_origins WHERE origin = ? LIMIT 1',
  );
  const selectPlacementExists = db.prepare<[string, string], { ok: number }>(
    'SELECT 1 AS ok FROM placements WHERE procedure_id = ? AND id = ?',
  );

  const withDetails = (row: { id: string; title: string; entity: string }): Procedure => ({
    ...row,
    origins: selectOrigins.all(row.id).map((r) => r.origin),
    placements: selectPlacements.all(row.id).map((r) => r.id),
  });

  return {
    /** Registers a procedure with its origins; every procedure has the `default` placement (SPEC §2). */
    add: db.transaction((procedure: NewProcedure): void => {
      insertProcedure.run(procedure.id, procedure.title, procedure.entity, new Date().toISOString());
      for (const origin of procedure.origins) insertOrigin.run(procedure.id, origin);
      for (const placement of [DEFAULT_PLACEMENT, ...(procedure.placements ?? [])]) {
        insertPlacement.run(procedure.id, placement);
      }
    }),
    addOrigin: (procedureId: string, origin: string): void => void insertOrigin.run(procedureId, origin),
    addPlacement: (procedureId: string, placement: string): void => void insertPlacement.run(procedureId, placement),
    find: (id: string): Procedure | undefined => {
      const row = selectOne.get(id);
      return row && withDetails(row);
    },
    exists: (id: string): boolean => selectOne.get(id) !== undefined,
    list: (): ProcedureSummary[] => selectAll.all().map((row) => ({ ...withDetails(row), reviews: row.reviews })),
    isOriginAllowed: (procedureId: string, origin: string): boolean =>
      selectOriginAllowed.get(procedureId, origin) !== undefined,
    /** Whether any procedure allows this origin: enough to answer a CORS preflight, which carries no body. */
    isOriginKnown: (origin: string): boolean => selectOriginKnown.get(origin) !== undefined,
    hasPlacement: (procedureId: string, placement: string): boolean =>
      selectPlacementExists.get(procedureId, placement) !== undefined,
  };
}
