// The agency's reviews as CSV or XLSX (SPEC §8), streamed: rows are written as the store hands
// over keyset batches, so a million reviews go out in bounded memory and the first byte leaves at once.
import { PassThrough, Readable, type Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { ADMIN_CHANNELS } from '../../shared/questionnaire.ts';
import { csvCell, formulaSafe } from '../feed-csv.ts';
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
  ];
  return cells.map((cell) => (typeof cell === 'string' ? formulaSafe(cell) : cell));
}

const csvLine = (cells: readonly Cell[]): string => `${cells.map(csvCell).join(',')}\r\n`;

/** CSV as the feed writes it (SPEC §6): UTF-8 with BOM, comma, CRLF, formula injection neutralised. */
export function csvExport(batches: AsyncIterable<ReviewRecord[]>): Readable {
  async function* lines(): AsyncGenerator<string> {
    yield `\uFEFF${csvLine(EXPORT_COLUMNS)}`;
    for await (const batch of batches) {
      let chunk = '';
      for (const review of batch) chunk += csvLine(exportRow(review));
      yield chunk;
    }
  }
  // Readable.from pulls the next batch only when the client has taken the previous one.
  return Readable.from(lines(), { objectMode: false });
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

/**
 * XLSX through exceljs's streaming writer: no shared strings, no styles, each row committed as written.
 * exceljs is loaded at the first XLSX export, not at start: it alone doubled the start-up time of
 * every `jdma` command.
 */
export async function xlsxExport(batches: AsyncIterable<ReviewRecord[]>): Promise<Readable> {
  const { default: Excel } = await import('exceljs');
  const out = new PassThrough();
  const workbook = new Excel.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const addSheet = (n: number) => {
    const sheet = workbook.addWorksheet(n === 1 ? 'Avis' : `Avis ${n}`);
    sheet.addRow([...EXPORT_COLUMNS]).commit();
    return sheet;
  };
  const write = async () => {
    let sheets = 1;
    let sheet = addSheet(sheets);
    let rows = 0;
    for await (const batch of batches) {
      for (const review of batch) {
        if (rows === SHEET_ROWS) {
          sheet.commit();
          sheet = addSheet(++sheets);
          rows = 0;
        }
        sheet.addRow(exportRow(review)).commit();
        rows++;
      }
      // exceljs's writer does not wait for its reader: its sheet buffer writes into the zip's entry
      // stream whatever that stream holds (measured: +309 MiB of server RSS for a million rows),
      // and the zip into `out` whatever the client has not read. Wait here for both to drain.
      for (const entry of sheetEntries(sheet)) {
        if (backlogOf(entry) > ENTRY_BACKLOG) await drained(entry);
      }
      if (out.writableNeedDrain) await drained(out);
      if (out.destroyed) return;
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => out.destroy(error as Error));
  return out;
}
