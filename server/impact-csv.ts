import type { Feed, FeedProcedure } from '../shared/feed.ts';
import { csvCell } from './feed-csv.ts';

// An edition's figures in the long format of the impact indicators of public digital services
// (schema etalab/schema-impact-service-public-numerique, v0.5.0): one row per procedure × indicator
// with a value. That schema has no empty value, so an indicator withheld below the publication
// threshold, or with no answers, has no row; its number of answers goes in `commentaires`, with the
// 95 % interval. UTF-8 without a byte-order mark (the schema's validators read the first column's
// name as written), comma, CRLF, as RFC 4180.

/** The schema's columns, all of them, in its order: optional ones stay empty. */
export const IMPACT_COLUMNS = [
  'administration_rattachement',
  'nom_service_public_numerique',
  'indicateur',
  'valeur',
  'unite_mesure',
  'est_cible',
  'type_indicateur',
  'frequence_monitoring',
  'date',
  'est_periode',
  'date_debut',
  'est_automatise',
  'source_collecte',
  'denom_insee',
  'code_insee',
  'dataviz_wish',
  'commentaires',
] as const;

type Row = { indicateur: string; valeur: number; unite: string; type: 'usage' | 'impact'; commentaires: string };

/** A score /10 as published, or a rate (0..1) as a whole percentage, with its n and interval. */
function indicatorRows(procedure: FeedProcedure): Row[] {
  const { indicators } = procedure;
  const rows: Row[] = [
    { indicateur: 'Nombre d’avis', valeur: procedure.reviews, unite: 'unité', type: 'usage', commentaires: 'avis déposés sur la fenêtre' },
  ];
  const interval = (low: number, high: number, percent: boolean) =>
    percent
      ? `intervalle de confiance à 95 % : ${Math.round(low * 100)} à ${Math.round(high * 100)}`
      : `intervalle de confiance à 95 % : ${low} à ${high}`;
  const scores = [
    ['satisfaction', 'Satisfaction des usagers'],
    ['clarity', 'Facilité de compréhension'],
    ['help_quality', 'Qualité de l’aide reçue'],
  ] as const;
  for (const [key, name] of scores) {
    const { score, answers, interval: i } = indicators[key];
    if (score === null || i === null) continue;
    rows.push({
      indicateur: name,
      valeur: score,
      unite: 'note sur 10',
      type: 'impact',
      commentaires: `n = ${answers} réponses ; ${interval(i.low, i.high, false)}`,
    });
  }
  const rates = [
    ['help_reachable', 'Aide joignable'],
    ['autonomy', 'Autonomie (sans chercher d’aide)'],
  ] as const;
  for (const [key, name] of rates) {
    const { rate, answers, interval: i } = indicators[key];
    if (rate === null || i === null) continue;
    rows.push({
      indicateur: name,
      valeur: Math.round(rate * 100),
      unite: '%',
      type: 'impact',
      commentaires: `n = ${answers} réponses ; ${interval(i.low, i.high, true)}`,
    });
  }
  return rows;
}

export function impactCsv(feed: Feed): string {
  const lines: (string | number | null)[][] = [[...IMPACT_COLUMNS]];
  for (const procedure of feed.procedures) {
    for (const row of indicatorRows(procedure)) {
      lines.push([
        procedure.entity,
        procedure.title,
        row.indicateur,
        row.valeur,
        row.unite,
        'false',
        row.type,
        'trimestrielle',
        feed.window.to,
        'true',
        feed.window.from,
        'true',
        'enquête',
        null,
        null,
        null,
        row.commentaires,
      ]);
    }
  }
  return `${lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
