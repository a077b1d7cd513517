// Scores, counts and level names as every page writes them: the observatory, its charts and the
// agency space, in one place so that a score reads the same everywhere.
import type { IndicatorLevel } from '../../../shared/indicators.ts';
import { LANGUAGES } from '../../../shared/languages.ts';
import type { Lang, Text } from '../../../shared/questionnaire.ts';

const locale = (lang: Lang) => LANGUAGES[lang].locale;

/** SPEC §4 level names, as the observatory words them. */
export const LEVEL_LABELS: Record<IndicatorLevel, Text> = {
  good: { fr: 'Très bien', en: 'Very good' },
  average: { fr: 'Moyen', en: 'Average' },
  poor: { fr: 'Critique', en: 'Critical' },
  not_enough_data: { fr: 'Nombre d’avis insuffisant', en: 'Not enough reviews' },
  no_answers: { fr: 'Aucune réponse', en: 'No answers' },
};

/** « 7,8 / 10 » in French, "7.8 / 10" in English: always one decimal, no-break spaces around the slash. */
export const formatScore = (score: number, lang: Lang): string =>
  `${new Intl.NumberFormat(locale(lang), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(score)}\u00a0/\u00a010`;

export const formatCount = (n: number, lang: Lang): string => new Intl.NumberFormat(locale(lang)).format(n);
