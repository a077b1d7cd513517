// What an admin does to a procedure (SPEC §8): creates it, changes its title, origins and
// placements (test ones included), records its JDMA product id, archives or restores it; the operator also moves one to another entity. The API's
// routes, the space's settings page and the command line all call these, so a change is made, checked and audited one way only.
import type { z } from 'zod';
import { HttpError } from '../http-errors.ts';
import type { NewProcedureSchema, ProcedureChangeSchema } from '../schemas/agency-schemas.ts';
import { EntityFullError, type Procedure, ProductIdTakenError, type Store } from '../store/store.ts';
import type { Actor } from './access.ts';
import type { AuditTrail } from './audit-trail.ts';

export type ProcedureChange = z.infer<typeof ProcedureChangeSchema>;

/**
 * Creates a procedure in an entity the caller administers: 409 `procedure_exists` for a taken id
 * (ids are global: they are in every page's tag and in the public feed), 409
 * `procedure_limit_reached` once the entity has `maxPerEntity` procedures. Every procedure costs
 * memory in each collector (the rating checks' snapshot) and a place in the feed's caches: without
 * a cap, one admin's script made 16,000 in 10 s and the process grew from 250 MB to 1.2 GB.
 * Archived procedures count too, or archiving would free places without end. Only the operator's
 * command line may exceed the cap.
 */
export async function createProcedure(
  store: Store,
  audit: AuditTrail,
  caller: Actor,
  procedure: z.infer<typeof NewProcedureSchema>,
  maxPerEntity: number,
): Promise<Procedure> {
  const { id, title, entity, origins, placements = [] } = procedure;
  if (await store.procedures.find(id)) throw new HttpError(409, 'procedure_exists', `A procedure "${id}" already exists.`);
  try {
    await store.procedures.add({ id, title, entityId: entity, origins, placements, maxInEntity: maxPerEntity });
  } catch (error) {
    if (!(error instanceof EntityFullError)) throw error;
    throw new HttpError(
      409,
      'procedure_limit_reached',
      `This entity already has ${maxPerEntity} procedures (archived ones included), the most its admins may create: ask the collector's operator for more (jdma procedure add).`,
    );
  }
  await audit(caller, entity, 'procedure_created', id, { title, origins, placements });
  return (await store.procedures.find(id))!;
}

/**
 * Applies a validated change to a procedure the caller administers; only what actually changed is
 * audited (one `procedure_updated` entry), and nothing when nothing did. Returns the procedure now.
 */
export async function changeProcedure(
  store: Store,
  audit: AuditTrail,
  caller: Actor,
  procedure: Procedure,
  change: ProcedureChange,
): Promise<{ procedure: Procedure; changed: boolean }> {
  const id = procedure.id;
  // Checked before any write, so that a refused change changes nothing: a placement marked test (or
  // not) must be the procedure's once this change's own additions and removals are made.
  const placements = new Set([...procedure.placements, ...(change.placements?.add ?? [])]);
  for (const placement of change.placements?.remove ?? []) placements.delete(placement);
  const unknown = [...(change.test_placements?.add ?? []), ...(change.test_placements?.remove ?? [])].find((p) => !placements.has(p));
  if (unknown !== undefined) throw new HttpError(404, 'unknown_placement', `The procedure has no placement "${unknown}".`);
  const done: Record<string, unknown> = {};
  // First of the writes: a number another procedure holds refuses the whole change, before anything is written.
  if (change.product_id !== undefined && change.product_id !== procedure.productId) {
    try {
      await store.procedures.setProductId(id, change.product_id);
    } catch (error) {
      if (!(error instanceof ProductIdTakenError)) throw error;
      throw new HttpError(409, 'product_id_taken', `The JDMA product id ${change.product_id} is already another procedure's.`);
    }
    done.product_id = { from: procedure.productId, to: change.product_id };
  }
  if (change.title !== undefined && change.title !== procedure.title) {
    await store.procedures.rename(id, change.title, procedure.entityId);
    done.title = change.title;
  }
  const apply = async (name: string, items: readonly string[] | undefined, write: (item: string) => Promise<boolean>) => {
    const changed: string[] = [];
    for (const item of items ?? []) if (await write(item)) changed.push(item);
    if (changed.length > 0) done[name] = changed;
  };
  await apply('origins_added', change.origins?.add, (origin) => store.procedures.addOrigin(id, origin));
  await apply('origins_removed', change.origins?.remove, (origin) => store.procedures.removeOrigin(id, origin));
  await apply('placements_added', change.placements?.add, (placement) => store.procedures.addPlacement(id, placement));
  await apply('placements_removed', change.placements?.remove, (placement) => store.procedures.removePlacement(id, placement));
  await apply('test_placements_added', change.test_placements?.add, (placement) => store.procedures.setPlacementTest(id, placement, true));
  await apply('test_placements_removed', change.test_placements?.remove, (placement) =>
    store.procedures.setPlacementTest(id, placement, false),
  );
  if (change.contact_url !== undefined && (await store.problemReports.setContactUrl(id, change.contact_url))) {
    done.contact_url = change.contact_url;
  }
  const changed = Object.keys(done).length > 0;
  if (changed) await audit(caller, procedure.entityId, 'procedure_updated', id, done);
  return { procedure: (await store.procedures.find(id))!, changed };
}

/** Archives (ratings refused, out of the feed, data kept) or restores a procedure; audited when its state changed. */
export async function setProcedureArchived(
  store: Store,
  audit: AuditTrail,
  caller: Actor,
  procedure: Procedure,
  archived: boolean,
): Promise<Procedure> {
  if (await store.procedures.setArchived(procedure.id, archived)) {
    await audit(caller, procedure.entityId, archived ? 'procedure_archived' : 'procedure_restored', procedure.id);
  }
  return (await store.procedures.find(procedure.id))!;
}

/**
 * Moves a procedure to another entity (the operator's command line only: an admin administers one
 * entity at a time). A procedure that changes hands is in the audit log of both entities.
 */
export async function moveProcedure(
  store: Store,
  audit: AuditTrail,
  caller: Actor,
  procedure: Procedure,
  entityId: string,
): Promise<Procedure> {
  if (entityId !== procedure.entityId) {
    await store.procedures.rename(procedure.id, procedure.title, entityId);
    const details = { entity: { from: procedure.entityId, to: entityId } };
    for (const entity of [procedure.entityId, entityId]) await audit(caller, entity, 'procedure_updated', procedure.id, details);
  }
  return (await store.procedures.find(procedure.id))!;
}
