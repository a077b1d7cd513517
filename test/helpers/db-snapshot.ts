import type { Db } from '../../server/store/open-store.ts';

/** Every row of every table, in a stable order: two equal snapshots mean nothing was stored or changed. */
export function snapshot(db: Db): Record<string, string[]> {
  const tables = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all();
  const rows = (table: string) =>
    db.prepare(`SELECT * FROM "${table}"`).all().map((row) => JSON.stringify(row, (_k, v) => (Buffer.isBuffer(v) ? v.toString('hex') : v))).sort();
  return Object.fromEntries(tables.map(({ name }) => [name, rows(name)]));
}
