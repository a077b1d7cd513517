import { entitySlugs } from '../../server/store/entity-slugs.ts';
import type { NewProcedure, Store } from '../../server/store/store.ts';

/** A procedure as tests describe it: by its entity's name, as the feed publishes it. */
export type TestProcedure = Omit<NewProcedure, 'entityId'> & { entity: string };

/**
 * Registers a procedure, and its entity first when the test has not: the entity's id is the slug
 * of its name, as the migration from free-text entities gives it.
 */
export async function addProcedure(store: Store, { entity, ...procedure }: TestProcedure): Promise<void> {
  const entityId = entitySlugs([entity]).get(entity)!;
  await store.entities.add({ id: entityId, name: entity });
  await store.procedures.add({ ...procedure, entityId });
}
