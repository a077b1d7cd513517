import { editionSummary, type SummaryRow, sha256Hex } from '../edition-records.ts';
import type { Edition, EditionRepository } from '../store.ts';
import type { Db } from './open-sqlite.ts';

export function sqliteEditions(db: Db): EditionRepository {
  const insert = db.prepare(
    `INSERT INTO editions (quarter, window_from, window_to, method_version, min_reviews, published_at, json, csv, impact_csv,
                           json_sha256, csv_sha256, impact_sha256)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (quarter) DO NOTHING`,
  );
  const list = db.prepare<[], SummaryRow>(
    `SELECT quarter, window_from, window_to, method_version, min_reviews, published_at, json_sha256, csv_sha256, impact_sha256,
            length(json) AS json_bytes, length(csv) AS csv_bytes, length(impact_csv) AS impact_bytes
     FROM editions ORDER BY quarter`,
  );
  const find = db.prepare<
    [string],
    { quarter: string; window_from: string; window_to: string; method_version: number; min_reviews: number; published_at: number } & {
      json: Buffer;
      csv: Buffer;
      impact_csv: Buffer;
    }
  >(
    'SELECT quarter, window_from, window_to, method_version, min_reviews, published_at, json, csv, impact_csv FROM editions WHERE quarter = ?',
  );
  return {
    add: async (e: Edition) =>
      insert.run(
        e.quarter,
        e.windowFrom,
        e.windowTo,
        e.methodVersion,
        e.minReviews,
        e.publishedAt,
        e.json,
        e.csv,
        e.impactCsv,
        sha256Hex(e.json),
        sha256Hex(e.csv),
        sha256Hex(e.impactCsv),
      ).changes === 1,
    list: async () => list.all().map(editionSummary),
    find: async (quarter) => {
      const row = find.get(quarter);
      return (
        row && {
          quarter: row.quarter,
          windowFrom: row.window_from,
          windowTo: row.window_to,
          methodVersion: row.method_version,
          minReviews: row.min_reviews,
          publishedAt: row.published_at,
          json: row.json,
          csv: row.csv,
          impactCsv: row.impact_csv,
        }
      );
    },
  };
}
