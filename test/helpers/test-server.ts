import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { testConfig, type Config } from '../../server/config.ts';
import { ensureDemoProcedure } from '../../server/demo-procedure.ts';
import { startServer, type RunningServer } from '../../server/server.ts';

/** A fresh directory for one test file's SQLite databases; removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'jdma-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** The read worker as `jdma serve` starts it: built by `node esbuild.config.mjs`, which `npm test` runs first. */
export const READ_WORKER = new URL('../../dist/read-worker.js', import.meta.url);

export interface TestServer extends RunningServer {
  config: Config;
  databasePath: string;
  /** Runs SQL on the server's SQLite file through a connection of its own (resets between tests). */
  exec(sql: string): void;
}

/**
 * The real collector, listening on 127.0.0.1 with a real SQLite file, seeded with the `demo`
 * procedure (its allowed origin is the collector's own). Close it with `close()`.
 */
export async function startTestServer(databasePath: string, overrides: Partial<Config> = {}): Promise<TestServer> {
  const port = overrides.port ?? (await freePort());
  // testConfig() derives the collector's own origins from the default port: give this port's, so that
  // its own pages (the hosted form) may post for any procedure, as a started collector's may.
  const ownOrigins = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
  const config = testConfig({ port, publicUrl: ownOrigins[0], ownOrigins, databasePath, ...overrides });
  const server = await startServer(config, { seed: (store) => ensureDemoProcedure(store, config), readWorker: READ_WORKER });
  const exec = (sql: string) => {
    const db = new Database(databasePath);
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
  };
  return { ...server, config, databasePath, exec };
}

/** Reads the database file as a separate connection would: what was committed, nothing else. */
export function readRows<T = Record<string, unknown>>(databasePath: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
