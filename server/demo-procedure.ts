import type { Config } from './config.ts';
import type { Store } from './store/store.ts';

const DEMO_ENTITY = { id: 'jdma', name: 'Équipe Je donne mon avis' };

export const DEMO_PROCEDURE = {
  id: 'demo',
  title: 'Démarche de démonstration',
  entityId: DEMO_ENTITY.id,
  placements: ['site', 'email'],
};

/** Registers the demo procedure on first start; the collector's own origin may always post. */
export async function ensureDemoProcedure(store: Store, config: Config): Promise<void> {
  if (await store.procedures.find(DEMO_PROCEDURE.id)) return;
  await store.entities.add(DEMO_ENTITY); // false when it is there already
  try {
    await store.procedures.add({ ...DEMO_PROCEDURE, origins: [new URL(config.publicUrl).origin] });
  } catch (error) {
    // Two collectors starting together on one database both try: one of them registers it.
    if (!(await store.procedures.find(DEMO_PROCEDURE.id))) throw error;
  }
}
