import { FEED_CSV_COLUMNS } from './feed-csv.ts';

// feed.csv described for open-data tools (README "Open data: Table Schema and data package"): a
// Frictionless Table Schema of its columns, and a data package naming the CSV, its schema and its
// licence, so that data.gouv.fr, Frictionless or a notebook can check and type the file without
// reading our README. Built from FEED_CSV_COLUMNS, so that a column added to the CSV is described too.

interface TableField {
  name: string;
  type: 'string' | 'date' | 'integer' | 'number';
  title?: string;
  description?: string;
  constraints?: { required?: boolean; unique?: boolean; minimum?: number; maximum?: number; enum?: string[] };
}

const LEVELS = ['good', 'average', 'poor', 'not_enough_data', 'no_answers'];

/** A column's type and bounds, from its name (the CSV's naming is regular: SPEC §6). */
function field(name: string): TableField {
  if (name === 'id')
    return { name, type: 'string', description: 'identifiant de la démarche', constraints: { required: true, unique: true } };
  if (name === 'title' || name === 'entity') return { name, type: 'string', constraints: { required: true } };
  if (name === 'window_from' || name === 'window_to') {
    return { name, type: 'date', description: 'jour UTC inclus dans la fenêtre', constraints: { required: true } };
  }
  if (name === 'reviews')
    return { name, type: 'integer', description: 'avis dans la fenêtre', constraints: { required: true, minimum: 0 } };
  const bound = /_(low|high)$/.exec(name)?.[1];
  const interval = bound ? ` (borne ${bound === 'low' ? 'basse' : 'haute'} de l’intervalle à 95 %)` : '';
  if (/_score(_low|_high)?$/.test(name)) {
    return { name, type: 'number', description: `note /10${interval} ; vide sous le seuil`, constraints: { minimum: 0, maximum: 10 } };
  }
  if (/_rate(_low|_high)?$/.test(name)) {
    return { name, type: 'number', description: `taux 0..1${interval} ; vide sous le seuil`, constraints: { minimum: 0, maximum: 1 } };
  }
  if (name.endsWith('_level')) return { name, type: 'string', description: 'niveau (SPEC §4)', constraints: { enum: LEVELS } };
  if (name.endsWith('_answers')) return { name, type: 'integer', description: 'réponses à cette question', constraints: { minimum: 0 } };
  return { name, type: 'integer', description: 'réponses données à cette réponse', constraints: { minimum: 0 } };
}

export const FEED_TABLE_SCHEMA = {
  fields: FEED_CSV_COLUMNS.map(field),
  primaryKey: ['id'],
  // An empty cell is what the JSON has as null (withheld below the threshold, or nobody answered).
  missingValues: [''],
};

/** The data package of the feed, its resource at the collector's public address. */
export function feedDataPackage(publicUrl: string) {
  return {
    name: 'jdma-observatoire',
    profile: 'tabular-data-package',
    title: 'Je donne mon avis : indicateurs de l’observatoire par démarche',
    description:
      'Les indicateurs de l’observatoire (SPEC §4) par démarche sur les 12 derniers mois, avec leurs réponses et leurs intervalles à 95 %.',
    homepage: `${publicUrl}/observatoire`,
    licenses: [
      {
        name: 'etalab-2.0',
        title: 'Licence Ouverte / Open Licence version 2.0',
        path: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
      },
    ],
    resources: [
      {
        name: 'feed',
        path: `${publicUrl}/api/v1/feed.csv`,
        profile: 'tabular-data-resource',
        format: 'csv',
        mediatype: 'text/csv',
        encoding: 'utf-8',
        dialect: { delimiter: ',', lineTerminator: '\r\n', quoteChar: '"', doubleQuote: true, header: true },
        schema: FEED_TABLE_SCHEMA,
      },
    ],
  };
}
