import type { ProcedureAccess } from './store.ts';

/** The in-memory form of the procedures' access rules, from their rows (both engines build it here). */
export function accessSnapshot(
  procedureRows: readonly { id: string; archived_at: string | null }[],
  originRows: readonly { procedure_id: string; origin: string }[],
  placementRows: readonly { procedure_id: string; id: string }[],
): ProcedureAccess {
  const procedures = new Map(
    procedureRows.map((p) => [p.id, { archived: p.archived_at !== null, origins: new Set<string>(), placements: new Set<string>() }]),
  );
  for (const row of originRows) procedures.get(row.procedure_id)?.origins.add(row.origin);
  for (const row of placementRows) procedures.get(row.procedure_id)?.placements.add(row.id);
  return {
    exists: (id) => procedures.has(id),
    isArchived: (id) => procedures.get(id)?.archived ?? false,
    isOriginAllowed: (id, origin) => procedures.get(id)?.origins.has(origin) ?? false,
    hasPlacement: (id, placement) => procedures.get(id)?.placements.has(placement) ?? false,
  };
}
