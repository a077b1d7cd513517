// The results page's « Signalements » section (SPEC §3 "Signaler un problème"): how many reports of
// each kind the period got, and the newest of them, apart from every satisfaction figure above it.
import { PROBLEM_KINDS, PROBLEM_TEXTS, type ProblemKind } from '../../shared/problem-report.ts';
import type { Lang } from '../../shared/questionnaire.ts';
import type { ProblemReport } from '../store/store.ts';
import { html, type SafeHtml } from './html.ts';
import { table } from './kit/dsfr.ts';
import { formatDay, formatTime } from './kit/format.ts';
import { fill, placementName, texts } from './kit/texts.ts';
import { formatCount } from './kit/figures.ts';

const T = texts({
  fr: {
    title: 'Signalements («\u00a0Signaler un problème\u00a0»)',
    intro: 'Envoyés par le second formulaire\u00a0: ils ne comptent dans aucun indicateur de satisfaction.',
    countsCaption: 'Signalements par type, du {from} au {to}',
    kind: 'Type',
    count: 'Nombre',
    latestCaption: 'Les {n} plus récents',
    date: 'Date',
    placement: 'Emplacement',
    text: 'Texte',
    noText: '(sans texte\u00a0: renvoyé vers le contact de la démarche)',
    none: 'Aucun signalement sur la période.',
    csv: 'Tous les signalements de la période (CSV)',
  },
  en: {
    title: 'Reports (“Report a problem”)',
    intro: 'Sent through the second form: they count in no satisfaction indicator.',
    countsCaption: 'Reports per kind, from {from} to {to}',
    kind: 'Kind',
    count: 'Count',
    latestCaption: 'The {n} newest',
    date: 'Date',
    placement: 'Placement',
    text: 'Text',
    noText: '(no text: sent to the procedure’s contact)',
    none: 'No report over the period.',
    csv: 'Every report of the period (CSV)',
  },
});

export interface ProblemReportsFacts {
  procedureId: string;
  from: string;
  to: string;
  counts: Partial<Record<ProblemKind, number>>;
  /** The newest of the period. */
  latest: ProblemReport[];
}

export function problemReportsSection(lang: Lang, facts: ProblemReportsFacts): SafeHtml {
  const { counts, latest } = facts;
  const csv = `/api/v1/procedures/${encodeURIComponent(facts.procedureId)}/problem-reports.csv?from=${facts.from}&to=${facts.to}`;
  const kindOf = (kind: ProblemKind) => PROBLEM_TEXTS.kinds[kind][lang];
  const range = { from: formatDay(lang, facts.from), to: formatDay(lang, facts.to) };
  return html`<h2 class="fr-mt-6w" id="signalements">${T[lang].title}</h2>
<p>${T[lang].intro}</p>
${table(
  fill(T[lang].countsCaption, range),
  [T[lang].kind, T[lang].count],
  PROBLEM_KINDS.map((kind) => html`<tr><td>${kindOf(kind)}</td><td>${formatCount(counts[kind] ?? 0, lang)}</td></tr>`),
)}
${
  latest.length === 0
    ? html`<p>${T[lang].none}</p>`
    : table(
        fill(T[lang].latestCaption, { n: formatCount(latest.length, lang) }),
        [T[lang].date, T[lang].kind, T[lang].placement, T[lang].text],
        latest.map(
          (report) =>
            html`<tr><td>${formatTime(lang, report.createdAt)}</td><td>${kindOf(report.kind)}</td><td>${placementName(lang, report.placementId)}</td><td>${report.text ?? T[lang].noText}</td></tr>`,
        ),
        { multiline: true },
      )
}
<p><a class="fr-link" href="${csv}" download>${T[lang].csv}</a></p>`;
}
