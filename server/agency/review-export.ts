// The agency's reviews as CSV or XLSX (SPEC §8), streamed: rows are written as the store hands
// over keyset batches, so a million reviews go out in bounded memory and the first byte leaves at once.
import { PassThrough, Readable, type Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { ADMIN_CHANNELS } from '../../shared/questionnaire.ts';
import { csvCell, formulaSafe } from '../feed-csv.ts';
import { shareEventLoop } from '../event-loop-share.ts';
import { HttpError } from '../http-errors.ts';
import { LABELLED_COLUMNS, labelledRow } from './labelled-export.ts';
import type { ReviewRecord } from '../store/store.ts';

type Cell = string | number | null;

/** One column per answer (help_reached and help_quality per administration channel); only ever appended. */
export const EXPORT_COLUMNS: readonly string[] = [
  'id',
  'created_at',
  'day',
  'placement',
  'lang',
  'satisfaction',
  'clarity',
  'help_sought',
  ...ADMIN_CHANNELS.map((channel) => `help_reached_${channel}`),
  ...ADMIN_CHANNELS.map((channel) => `help_quality_${channel}`),
  'help_other',
  'comment',
  'hidden_at',
  'hidden_reason',
  'hidden_by',
  'test',
  'status',
  'tags',
  'spam_at',
  'duplicate_of',
  'form_version',
];

/** A review as export cells; free text defused (formulaSafe) for XLSX as for CSV. */
export function exportRow(review: ReviewRecord): Cell[] {
  const { answers, hidden } = review;
  const cells: Cell[] = [
    review.id,
    new Date(review.createdAt).toISOString(),
    review.day,
    review.placementId,
    review.lang,
    answers.satisfaction,
    answers.clarity,
    answers.help_sought?.join(' ') ?? null,
    ...ADMIN_CHANNELS.map((channel) => answers.help_reached?.[channel] ?? null),
    ...ADMIN_CHANNELS.map((channel) => answers.help_quality?.[channel] ?? null),
    review.helpOther,
    review.comment,
    hidden && new Date(hidden.at).toISOString(),
    hidden?.reason ?? null,
    hidden?.by ?? null,
    // 1: given on a test placement, counted nowhere (SPEC §2).
    review.test ? 1 : 0,
    review.status,
    review.tags.map((tag) => tag.name).join(' | ') || null,
    review.spam && new Date(review.spam.at).toISOString(),
    review.duplicate && review.duplicate.state !== 'cleared' ? review.duplicate.of : null,
    // The published form version the user was given; empty: the default form (SPEC §3).
    review.formVersion,
  ];
  return cells.map((cell) => (typeof cell === 'string' ? formulaSafe(cell) : cell));
}

const csvLine = (cells: readonly Cell[]): string => `${cells.map(csvCell).join(',')}\r\n`;

/** Rows formatted between two shares of the event loop: about 0.1 ms of CSV, 0.5 ms of XLSX. */
const ROWS_PER_UNIT = 20;

/** CSV as the feed writes it (SPEC §6): UTF-8 with BOM, comma, CRLF, formula injection neutralised. */
export function csvExport(batches: AsyncIterable<ReviewRecord[]>): Readable {
  async function* lines(): AsyncGenerator<string> {
    yield `\uFEFF${csvLine(EXPORT_COLUMNS)}`;
    for await (const batch of batches) {
      let chunk = '';
      for (const [i, review] of batch.entries()) {
        if (i % ROWS_PER_UNIT === 0) await shareEventLoop();
        chunk += csvLine(exportRow(review));
      }
      yield chunk;
    }
  }
  // Readable.from pulls the next batch only when the client has taken the previous one.
  return Readable.from(lines(), { objectMode: false });
}

/** What a refused export is told to wait, in seconds: a large export takes some seconds to a minute. */
export const EXPORT_RETRY_AFTER_S = 30;

/**
 * Counts the exports under way per entity. An export reads the whole period and formats every row:
 * however well each shares the event loop, ten at once would still slow every reader, so an entity
 * gets `perEntity` at a time, and a further one is refused (429 export_busy) before anything is written.
 */
export function exportSlots(perEntity: number) {
  const running = new Map<string, number>();
  return {
    /** Takes a slot for the entity; throws export_busy when it has none left. Returns the slot's release (idempotent). */
    take(entityId: string): () => void {
      const taken = running.get(entityId) ?? 0;
      if (taken >= perEntity) {
        throw new HttpError(429, 'export_busy', `This entity already has ${perEntity} exports under way: try again when one has finished.`);
      }
      running.set(entityId, taken + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = running.get(entityId)! - 1;
        if (left === 0) running.delete(entityId);
        else running.set(entityId, left);
      };
    },
  };
}

/** Bytes of XML an XLSX sheet may hold ahead of its compression. */
const ENTRY_BACKLOG = 1 << 20;

/** Resolves when the stream drains, or ends, or fails (the failure itself reaches the reply elsewhere). */
const drained = (stream: Writable): Promise<void> =>
  new Promise((resolve) => {
    const events = ['drain', 'close', 'finish', 'error'] as const;
    const done = () => {
      for (const event of events) stream.off(event, done);
      resolve();
    };
    for (const event of events) stream.on(event, done);
  });

/** Bytes a writable holds; archiver's streams come from readable-stream 2, without `writableLength`. */
const backlogOf = (stream: Writable): number =>
  stream.writableLength ?? (stream as unknown as { _writableState?: { length: number } })._writableState?.length ?? 0;

/** Where exceljs's sheet buffer writes (its `stream.pipes`, not public API: none when that changes). */
function sheetEntries(sheet: ExcelJS.Worksheet): Writable[] {
  return (sheet as unknown as { stream?: { pipes?: Writable[] } }).stream?.pipes ?? [];
}

/** Rows per sheet: Excel's limit is 1,048,576, the header included. */
const SHEET_ROWS = 1_048_575;

let xlsxWriter: Promise<typeof ExcelJS> | undefined;
/**
 * exceljs, loaded once. Not at start of every `jdma` command (it alone doubled their start-up time),
 * but `serve` loads it before it listens: loading holds the event loop a third of a second or more,
 * and the first workbook written another 28 ms (its code compiled on first use), so one is written here.
 */
export const loadXlsxWriter = (): Promise<typeof ExcelJS> =>
  (xlsxWriter ??= (async () => {
    const { default: Excel } = await import('exceljs');
    const workbook = new Excel.stream.xlsx.WorkbookWriter({
      stream: new PassThrough().resume(),
      useSharedStrings: false,
      useStyles: false,
    });
    workbook
      .addWorksheet('Avis')
      .addRow([...EXPORT_COLUMNS])
      .commit();
    await workbook.commit();
    return Excel;
  })());

/**
 * XLSX through exceljs's streaming writer: no shared strings, no styles, each row committed as written.
 * Two sheets of the same reviews: « Avis », the machine columns and codes (what the README promises
 * scripts that read it), then « Avis (libellés) », the French headers and words of the Excel CSV
 * (labelled-export.ts). Each is its own read of the store: the zip writes one sheet after the other,
 * so a sheet written alongside would wait whole in memory.
 */
export async function xlsxExport(readBatches: () => AsyncIterable<ReviewRecord[]>): Promise<Readable> {
  const Excel = await loadXlsxWriter();
  const out = new PassThrough();
  const workbook = new Excel.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  /** Writes every review as a sheet (and more when Excel's row limit is reached); false when the client left. */
  const writeSheets = async (
    name: string,
    header: readonly string[],
    row: (review: ReviewRecord) => Cell[],
    keep: (id: number) => boolean,
  ) => {
    let sheets = 1;
    const addSheet = () => {
      const sheet = workbook.addWorksheet(sheets === 1 ? name : `${name} ${sheets}`);
      sheet.addRow([...header]).commit();
      return sheet;
    };
    let sheet = addSheet();
    let rows = 0;
    for await (const batch of readBatches()) {
      for (const [i, review] of batch.entries()) {
        if (i % ROWS_PER_UNIT === 0) await shareEventLoop();
        if (!keep(review.id)) continue;
        if (rows === SHEET_ROWS) {
          sheet.commit();
          sheets++;
          sheet = addSheet();
          rows = 0;
        }
        sheet.addRow(row(review)).commit();
        rows++;
      }
      // exceljs's writer does not wait for its reader: its sheet buffer writes into the zip's entry
      // stream whatever that stream holds (measured: +309 MiB of server RSS for a million rows),
      // and the zip into `out` whatever the client has not read. Wait here for both to drain.
      for (const entry of sheetEntries(sheet)) {
        if (backlogOf(entry) > ENTRY_BACKLOG) await drained(entry);
      }
      if (out.writableNeedDrain) await drained(out);
      if (out.destroyed) return false;
    }
    sheet.commit();
    return true;
  };
  const write = async () => {
    // Ids only grow: a review rated between the two reads is left out of the second, so that both sheets hold the same reviews.
    let newest = 0;
    const machine = (review: ReviewRecord) => {
      newest = Math.max(newest, review.id);
      return exportRow(review);
    };
    if (!(await writeSheets('Avis', EXPORT_COLUMNS, machine, () => true))) return;
    if (!(await writeSheets('Avis (libellés)', LABELLED_COLUMNS, labelledRow, (id) => id <= newest))) return;
    await workbook.commit();
  };
  write().catch((error: unknown) => out.destroy(error as Error));
  return out;
}
