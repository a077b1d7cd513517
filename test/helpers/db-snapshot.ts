import type { Db } from '../../server/store/open-store.ts';

/**
 * Every row of every table, in a stable order: two equal snapshots mean nothing was stored or changed.
 * Leaves out `refused_ratings`, where a refusal is meant to leave its count (the integration health),
 * written a second later; the tests of refusals assert those counts on their own.
 */
export function snapshot(db: Db): Record<string, string[]> {
  const tables = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'refused_ratings' ORDER BY name")
    .all();
  const rows = (table: string) =>
    db.prepare(`SELECT * FROM "${table}"`).all().map((row) => JSON.stringify(row, (_k, v) => (Buffer.isBuffer(v) ? v.toString('hex') : v))).sort();
  return Object.fromEntries(tables.map(({ name }) => [name, rows(name)]));
}
