import pg from 'pg';
import { type Cluster, startCluster } from '../../test/helpers/postgres-cluster.ts';

/** A PostgreSQL database made afresh for one bench run, and how to be rid of it. */
export interface BenchPostgres {
  url: string;
  /** Drops the database (unless `keep`) and stops the throwaway cluster, if one was started. */
  drop(keep?: boolean): Promise<void>;
}

/**
 * Creates database `name` on BENCH_DATABASE_URL (an admin URL), or on a throwaway cluster when it is
 * not set, dropping any earlier one of that name first.
 */
export async function benchPostgres(name: string): Promise<BenchPostgres> {
  let cluster: Cluster | undefined;
  let adminUrl = process.env.BENCH_DATABASE_URL;
  if (!adminUrl) {
    cluster = await startCluster({ durable: true });
    adminUrl = cluster.url;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async (keep = false) => {
      if (!keep) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
      cluster?.remove();
    },
  };
}
