import { editionSummary, type SummaryRow, sha256Hex } from '../edition-records.ts';
import type { EditionRepository } from '../store.ts';
import type { Pg } from './open-postgres.ts';

export function postgresEditions(db: Pg): EditionRepository {
  return {
    // One statement: of two collectors publishing the same quarter, PostgreSQL lets one INSERT through.
    add: async (e) =>
      (
        await db.query(
          `INSERT INTO editions (quarter, window_from, window_to, method_version, min_reviews, published_at, json, csv, impact_csv,
                                 json_sha256, csv_sha256, impact_sha256)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (quarter) DO NOTHING`,
          [
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
          ],
        )
      ).rowCount === 1,
    list: async () =>
      (
        await db.query<SummaryRow>(
          `SELECT quarter, window_from, window_to, method_version, min_reviews, published_at, json_sha256, csv_sha256, impact_sha256,
                  octet_length(json) AS json_bytes, octet_length(csv) AS csv_bytes, octet_length(impact_csv) AS impact_bytes
           FROM editions ORDER BY quarter`,
        )
      ).rows.map(editionSummary),
    find: async (quarter) => {
      const { rows } = await db.query<{
        quarter: string;
        window_from: string;
        window_to: string;
        method_version: number;
        min_reviews: number;
        published_at: string;
        json: Buffer;
        csv: Buffer;
        impact_csv: Buffer;
      }>(
        'SELECT quarter, window_from, window_to, method_version, min_reviews, published_at, json, csv, impact_csv FROM editions WHERE quarter = $1',
        [quarter],
      );
      const row = rows[0];
      return (
        row && {
          quarter: row.quarter,
          windowFrom: row.window_from,
          windowTo: row.window_to,
          methodVersion: row.method_version,
          minReviews: row.min_reviews,
          publishedAt: Number(row.published_at),
          json: row.json,
          csv: row.csv,
          impactCsv: row.impact_csv,
        }
      );
    },
  };
}
