// The reviews as people open them (SPEC §8): French column headers, answers in words, times in
// Paris. The CSV variant is what French Excel opens by double-click: UTF-8 with a BOM (else Excel
// reads Windows-1252), `;` between cells (a French Excel splits on the list separator, which is
// `;` where the decimal mark is a comma), CRLF, and times written dd/mm/yyyy hh:mm:ss, which it
// reads as dates. The XLSX export's second sheet takes the same headers and words.
import { Readable } from 'node:stream';
import { ADMIN_CHANNELS, QUESTIONS } from '../../shared/questionnaire.ts';
import { shareEventLoop } from '../event-loop-share.ts';
import { formulaSafe } from '../feed-csv.ts';
import type { ReviewRecord, TriageStatus } from '../store/store.ts';

type Cell = string | number | null;

const CHANNEL = (channel: (typeof ADMIN_CHANNELS)[number]) => QUESTIONS.help_sought.answers[channel].fr;

/** One column per answer, as EXPORT_COLUMNS (review-export.ts), in the same order, named in French. */
export const LABELLED_COLUMNS: readonly string[] = [
  'N° de l’avis',
  'Date et heure (Paris)',
  'Jour (UTC)',
  'Emplacement',
  'Langue',
  'Satisfaction',
  'Clarté des informations (1 à 5)',
  'Aide cherchée',
  ...ADMIN_CHANNELS.map((channel) => `Administration jointe : ${CHANNEL(channel).toLowerCase()}`),
  ...ADMIN_CHANNELS.map((channel) => `Qualité de l’aide (1 à 5) : ${CHANNEL(channel).toLowerCase()}`),
  'Autre aide (précisée)',
  'Commentaire',
  'Masqué le (Paris)',
  'Motif du masquage',
  'Masqué par',
  'Statut',
  'Étiquettes',
  'Indésirable depuis (Paris)',
  'Doublon de l’avis n°',
  'Version du formulaire',
];

const STATUS: Record<TriageStatus, string> = { new: 'Nouveau', seen: 'Lu', handled: 'Traité' };
const LANG: Record<ReviewRecord['lang'], string> = {
  fr: 'français',
  en: 'anglais',
  es: 'espagnol',
  pt: 'portugais',
  de: 'allemand',
  it: 'italien',
  ar: 'arabe',
};

const PARIS = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
/** A time in Paris, dd/mm/yyyy hh:mm:ss: summer and winter time alike. */
export const parisTime = (at: number): string => PARIS.format(at).replace(',', '');

/** A review as labelled cells; free text defused (formulaSafe), as in the machine export. */
export function labelledRow(review: ReviewRecord): Cell[] {
  const { answers, hidden } = review;
  const cells: Cell[] = [
    review.id,
    parisTime(review.createdAt),
    review.day,
    review.placementId,
    LANG[review.lang],
    QUESTIONS.satisfaction.answers[answers.satisfaction].fr,
    answers.clarity,
    answers.help_sought?.map((channel) => QUESTIONS.help_sought.answers[channel].fr).join(', ') ?? null,
    ...ADMIN_CHANNELS.map((channel) => {
      const reached = answers.help_reached?.[channel];
      return reached === undefined ? null : QUESTIONS.help_reached.answers[reached].fr;
    }),
    ...ADMIN_CHANNELS.map((channel) => answers.help_quality?.[channel] ?? null),
    review.helpOther,
    review.comment,
    hidden && parisTime(hidden.at),
    hidden?.reason ?? null,
    hidden?.by ?? null,
    STATUS[review.status],
    review.tags.map((tag) => tag.name).join(', ') || null,
    review.spam && parisTime(review.spam.at),
    review.duplicate && review.duplicate.state !== 'cleared' ? review.duplicate.of : null,
    review.formVersion,
  ];
  return cells.map((cell) => (typeof cell === 'string' ? formulaSafe(cell) : cell));
}

function excelCell(cell: Cell): string {
  if (cell === null) return '';
  const text = String(cell);
  return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
const excelLine = (cells: readonly Cell[]): string => `${cells.map(excelCell).join(';')}\r\n`;

/** Rows formatted between two shares of the event loop, as the machine CSV. */
const ROWS_PER_UNIT = 20;

/** The CSV French Excel opens by double-click: BOM, `;`, CRLF, French headers and words, Paris times. */
export function excelCsvExport(batches: AsyncIterable<ReviewRecord[]>): Readable {
  async function* lines(): AsyncGenerator<string> {
    yield `\uFEFF${excelLine(LABELLED_COLUMNS)}`;
    for await (const batch of batches) {
      let chunk = '';
      for (const [i, review] of batch.entries()) {
        if (i % ROWS_PER_UNIT === 0) await shareEventLoop();
        chunk += excelLine(labelledRow(review));
      }
      yield chunk;
    }
  }
  return Readable.from(lines(), { objectMode: false });
}
