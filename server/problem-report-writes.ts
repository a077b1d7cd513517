import type { ProblemKind } from '../shared/problem-report.ts';
import type { WidgetLang } from '../shared/questionnaire.ts';
import { scrubFreeText } from './scrub/scrub.ts';
import type { Store } from './store/store.ts';

export interface ProblemReportInput {
  procedureId: string;
  placementId: string;
  kind: ProblemKind;
  text: string | null;
  lang: WidgetLang;
}

export type ProblemReportWrites = ReturnType<typeof problemReportWrites>;

/**
 * The one write of a problem report, shared by the API (routes/public/problem-reports.ts) and the
 * hosted problem form: the text loses its personal data as a comment does, before it is stored.
 * Callers have already admitted the procedure, placement and origin (rating-admission.ts).
 */
export function problemReportWrites(store: Store, now: () => Date) {
  return {
    report: async (input: ProblemReportInput): Promise<number> =>
      store.problemReports.add({
        ...input,
        text: input.text === null ? null : scrubFreeText(input.text, input.lang),
        createdAt: now(),
      }),
  };
}
