import type { Config } from './config.ts';
import type { Store } from './store/store.ts';

export const DEMO_PROCEDURE = {
  id: 'demo',
  title: 'Démarche de démonstration',
  entity: 'Équipe Je donne mon avis',
  placements: ['site', 'email'],
};

/** Registers the demo procedure on first start; the collector's own origin may always post. */
export async function ensureDemoProcedure(store: Store, config: Config): Promise<void> {
  if (await store.procedures.find(DEMO_PROCEDURE.id)) return;
  try {
    await store.procedures.add({ ...DEMO_PROCEDURE, origins: [new URL(config.publicUrl).origin] });
  } catch (error) {
    // Two collectors starting together on one database both try: one of them registers it.
    if (!(await store.procedures.find(DEMO_PROCEDURE.id))) throw error;
  }
}
