// What both engines do alike with an edition's row: its summary (without the files' bytes) and
// the checksums stored beside the files.
import { createHash } from 'node:crypto';
import type { EditionSummary } from './store.ts';

export interface SummaryRow {
  quarter: string;
  window_from: string;
  window_to: string;
  method_version: number;
  min_reviews: number;
  published_at: number;
  json_sha256: string;
  csv_sha256: string;
  impact_sha256: string;
  json_bytes: number;
  csv_bytes: number;
  impact_bytes: number;
}

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

export function editionSummary(row: SummaryRow): EditionSummary {
  return {
    quarter: row.quarter,
    windowFrom: row.window_from,
    windowTo: row.window_to,
    methodVersion: Number(row.method_version),
    minReviews: Number(row.min_reviews),
    publishedAt: Number(row.published_at),
    files: {
      json: { sha256: row.json_sha256, bytes: Number(row.json_bytes) },
      csv: { sha256: row.csv_sha256, bytes: Number(row.csv_bytes) },
      impactCsv: { sha256: row.impact_sha256, bytes: Number(row.impact_bytes) },
    },
  };
}
