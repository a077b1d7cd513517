// jdma serve [--demo]: the collector, listening until a signal stops it.
import { ensureDemoProcedure } from '../demo-procedure.ts';
import { startServer } from '../server.ts';
import type { Store } from '../store/store.ts';
import { type CommandGroup, PUBLIC_URL_NEEDED, publicUrlUnknown } from './command-kit.ts';

export const serveCommand: CommandGroup = async ({ values, config }) => {
  const seed = values.demo ? (store: Store) => ensureDemoProcedure(store, config) : undefined;
  if (publicUrlUnknown(config)) console.warn(`jdma : attention, ${PUBLIC_URL_NEEDED}`);
  // Built beside the CLI (esbuild.config.mjs): dist/read-worker.js next to dist/cli.js.
  await startServer(config, { handleSignals: true, seed, readWorker: new URL('./read-worker.js', import.meta.url) });
  console.log(`Collecteur prêt : ${config.publicUrl}`);
};
