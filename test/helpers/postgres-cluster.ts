import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from './test-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** An admin URL of the PostgreSQL cluster the tests create their databases on; '' when there is none. */
    postgresUrl: string;
    /** How to stop and start that cluster (JSON of PostgresControl); '' when the tests did not start it. */
    postgresControl: string;
  }
}

export interface PostgresControl {
  bin: string;
  data: string;
  options: string;
  log: string;
  asRoot: boolean;
}

/** Stops (fast, as a crash would look to clients) or starts the tests' cluster. */
export function pgCtl(control: PostgresControl, action: 'stop' | 'start'): void {
  const args = action === 'stop' ? ['-D', control.data, '-m', 'fast', '-w', 'stop'] : ['-D', control.data, '-o', control.options, '-l', control.log, '-w', 'start'];
  if (control.asRoot) execFileSync('runuser', ['-u', 'postgres', '--', `${control.bin}/pg_ctl`, ...args], { stdio: 'pipe' });
  else execFileSync(`${control.bin}/pg_ctl`, args, { stdio: 'pipe' });
}

/**
 * Vitest global setup of the `postgres` project: a throwaway PostgreSQL cluster from Debian's
 * `postgresql` package, started for this run and removed after it (or TEST_DATABASE_URL when
 * given). Without PostgreSQL the project's tests skip with a loud warning, and fail under CI=true.
 */
export default async function setup(project: TestProject): Promise<(() => void) | void> {
  project.provide('postgresControl', '');
  if (process.env.TEST_DATABASE_URL) return project.provide('postgresUrl', process.env.TEST_DATABASE_URL);
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort() : [];
  const bin = versions.map((v) => `/usr/lib/postgresql/${v}/bin`).find((dir) => existsSync(`${dir}/initdb`));
  if (!bin) {
    if (process.env.CI === 'true') throw new Error('PostgreSQL is missing: CI must install it (apt-get install -y postgresql).');
    console.warn('\n*** SKIPPED the PostgreSQL engine tests: no PostgreSQL (apt-get install -y postgresql, or set TEST_DATABASE_URL) ***\n');
    return project.provide('postgresUrl', '');
  }

  const dir = mkdtempSync(join(tmpdir(), 'jdma-pg-'));
  // initdb refuses to run as root: the cluster then belongs to the `postgres` user the package creates.
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]) =>
    asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe' }) : execFileSync(command, args, { stdio: 'pipe' });
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
  const data = join(dir, 'data');
  run(`${bin}/initdb`, ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  // fsync off: the tests kill collectors, never this cluster's machine; it only makes them faster.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400`;
  run(`${bin}/pg_ctl`, ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
  project.provide('postgresUrl', `postgres://postgres@127.0.0.1:${port}/postgres`);
  project.provide('postgresControl', JSON.stringify({ bin, data, options, log: join(dir, 'log'), asRoot } satisfies PostgresControl));
  return () => {
    const stop = asRoot ? ['runuser', ['-u', 'postgres', '--', `${bin}/pg_ctl`, '-D', data, '-m', 'immediate', 'stop']] : [`${bin}/pg_ctl`, ['-D', data, '-m', 'immediate', 'stop']];
    spawnSync(stop[0] as string, stop[1] as string[], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
}
