import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from './test-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** An admin URL of the PostgreSQL cluster the tests create their databases on. */
    postgresUrl: string;
  }
}

export interface Cluster {
  /** Admin URL (user postgres, database postgres). */
  url: string;
  /** Stops the server (fast shutdown: clients see their connections dropped). */
  stop(): void;
  start(): void;
  /** Stops it and deletes its files. */
  remove(): void;
}

/**
 * A throwaway PostgreSQL cluster from Debian's `postgresql` package, on a free port of 127.0.0.1,
 * its files in a temporary folder. As root it runs as the `postgres` user: initdb refuses root.
 * Tests and benchmarks (bench/) both start theirs here.
 */
export async function startCluster({ durable = false } = {}): Promise<Cluster> {
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort() : [];
  const bin = versions.map((v) => `/usr/lib/postgresql/${v}/bin`).find((dir) => existsSync(`${dir}/initdb`));
  if (!bin) throw new Error('PostgreSQL is missing: install it (apt-get install -y postgresql) or set TEST_DATABASE_URL.');
  const dir = mkdtempSync(join(tmpdir(), 'jdma-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'])), Number(execFileSync('id', ['-g', 'postgres'])));
  const run = (command: string, args: string[]) =>
    void (asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe' })
      : execFileSync(command, args, { stdio: 'pipe' }));
  const data = join(dir, 'data');
  run(`${bin}/initdb`, ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  // fsync off for tests: they kill collectors, never this cluster's machine; it only makes them
  // faster. Benchmarks ask for PostgreSQL's defaults (`durable`): every commit flushed to disk.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=400${durable ? '' : ' -c fsync=off -c full_page_writes=off'}`;
  const start = () => run(`${bin}/pg_ctl`, ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
  const stop = (mode = 'fast') => run(`${bin}/pg_ctl`, ['-D', data, '-m', mode, '-w', 'stop']);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => stop(),
    start,
    remove: () => {
      try {
        stop('immediate');
      } catch {}
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Vitest global setup of the `postgres` project: TEST_DATABASE_URL when given, else a cluster for this run. */
export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  if (process.env.TEST_DATABASE_URL) {
    project.provide('postgresUrl', process.env.TEST_DATABASE_URL);
    return undefined;
  }
  const cluster = await startCluster();
  project.provide('postgresUrl', cluster.url);
  return () => cluster.remove();
}
