// The agency's long reads (SPEC §8): the reviews listing and its search, and the CSV/XLSX exports.
// Routes ask for them here, through one interface, without knowing where they run: in the thread
// that takes ratings (tests, `buildApp` alone), or in a read worker (`jdma serve`, worker-reads.ts),
// which keeps their SQLite queries and their formatting off the ratings' event loop altogether.
import type { Readable } from 'node:stream';
import type { ReviewCursor, ReviewFilters, Store } from '../store/store.ts';
import { excelCsvExport } from './labelled-export.ts';
import { csvExport, xlsxExport } from './review-export.ts';
import { listReviews, type ReviewListing } from './review-listing.ts';

/** `csv` for machines, `csv-excel` and `xlsx` for people (labelled-export.ts). */
export type ExportFormat = 'csv' | 'csv-excel' | 'xlsx';

export interface ListOptions {
  after: ReviewCursor | null;
  limit: number;
  storePages?: number;
}

export interface AgencyReads {
  /** Up to `limit` reviews after `after`, newest first (review-listing.ts). */
  list(procedureId: string, filters: ReviewFilters, options: ListOptions): Promise<ReviewListing>;
  /** Every review the filters keep, as a file's bytes, read and formatted as the client takes them. */
  exportBody(format: ExportFormat, procedureId: string, filters: ReviewFilters): Promise<Readable>;
  close(): Promise<void>;
}

/** The reads done by this thread, on this store: shared with ratings by event-loop-share.ts. */
export function inThreadReads(store: Store): AgencyReads {
  return {
    list: (procedureId, filters, options) => listReviews(store, procedureId, filters, options),
    exportBody: async (format, procedureId, filters) => {
      const batches = () => store.reviews.batches(procedureId, filters);
      if (format === 'xlsx') return xlsxExport(batches);
      return format === 'csv' ? csvExport(batches()) : excelCsvExport(batches());
    },
    close: async () => {},
  };
}
