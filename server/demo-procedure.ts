import type { Config } from './config.ts';
import type { Store } from './store/open-store.ts';

export const DEMO_PROCEDURE = {
  id: 'demo',
  title: 'Démarche de démonstration',
  entity: 'Équipe Je donne mon avis',
  placements: ['site', 'email'],
};

/** Registers the demo procedure on first start; the collector's own origin may always post. */
export function ensureDemoProcedure(store: Store, config: Config): void {
  if (store.procedures.exists(DEMO_PROCEDURE.id)) return;
  store.procedures.add({ ...DEMO_PROCEDURE, origins: [new URL(config.publicUrl).origin] });
}

