import type { FastifyInstance } from 'fastify';
import { loadXlsxWriter } from './agency/review-export.ts';
import { workerReads } from './agency/worker-reads.ts';
import { buildApp } from './app.ts';
import { gracefulClose } from './graceful-close.ts';
import type { Config } from './config.ts';
import { openStore } from './store/open-store.ts';
import { createMetrics } from './metrics.ts';
import type { Store } from './store/store.ts';

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  handleSignals?: boolean;
  /** Runs on the open store before the first request can arrive (the demo procedure). */
  seed?: (store: Store) => Promise<void>;
  /**
   * The read worker's script (dist/read-worker.js): the agency's listings and exports then run in a
   * thread of their own (agency/worker-reads.ts). Without it, in the thread that takes ratings.
   */
  readWorker?: URL | undefined;
}

/**
 * Opens the database, builds the app and listens. On SIGINT/SIGTERM (when `handleSignals`) it stops
 * taking connections, lets requests under way finish (their commits included), then closes the store.
 */
export async function startServer(config: Config, { handleSignals = false, seed, readWorker }: StartOptions = {}): Promise<RunningServer> {
  // Made before the store, so that /metrics also sees the store's group-commit batches.
  const metrics = config.metricsToken ? createMetrics() : undefined;
  const store = await openStore({ ...config, onBatch: metrics?.batchCommitted });
  await seed?.(store);
  // An in-memory database (tests) is the main thread's alone: no other connection can read it.
  const shared = config.databaseUrl !== undefined || config.databasePath !== ':memory:';
  const reads =
    readWorker && shared ? workerReads(readWorker, { databasePath: config.databasePath, databaseUrl: config.databaseUrl }) : undefined;
  const app = await buildApp({ config, store, metrics, reads });
  // Loading exceljs holds the event loop a third of a second or more: done here, before any rating
  // comes, rather than at the first XLSX export (review-export.ts).
  await loadXlsxWriter();
  // Counting connections from the first one: see graceful-close.ts.
  const closeApp = gracefulClose(app);
  const address = await app.listen({ port: config.port, host: config.host });
  const close = async (): Promise<void> => {
    try {
      await closeApp();
    } finally {
      await reads?.close();
      // Closed after the app, not in an onClose hook: Fastify runs those last-registered first, so a
      // hook added here would close the store before the app's own hooks save what they hold (the
      // refused attempts counted since the last write).
      await store.close();
    }
  };
  if (handleSignals) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => void close().then(() => process.exit(0)));
    }
  }
  return { app, store, url: address, close };
}
