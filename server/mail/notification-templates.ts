// What alerts and digests say, in French (default) or English: counts, scores, levels and links,
// never a review's text, and only the member's own entity (SPEC §10). Each ends with its one-click
// unsubscribe link and the way to every preference.
import { LANGUAGES } from '../../shared/languages.ts';
import type { Lang } from '../../shared/questionnaire.ts';
import type { Level } from '../../shared/indicators.ts';
import { ERROR_CODES, type ErrorCode } from '../error-codes.ts';
import type { TrendDirection } from '../../shared/indicators.ts';
import { FOOTER, type MailContent, render } from './mail-templates.ts';
import { LEVEL_LABELS } from '../pages/kit/figures.ts';

/** The links every chosen mail ends with. */
export interface ChosenMailLinks {
  unsubscribe: string;
  preferences: string;
}

const FOOTER_LINKS: Record<Lang, (links: ChosenMailLinks) => { label: string; href: string }[]> = {
  fr: (l) => [
    { label: 'Ne plus recevoir ce courriel', href: l.unsubscribe },
    { label: 'Choisir mes courriels', href: l.preferences },
  ],
  en: (l) => [
    { label: 'Stop this e-mail', href: l.unsubscribe },
    { label: 'Choose my e-mails', href: l.preferences },
  ],
};

/** The levels as the pages name them (LEVEL_LABELS), quoted: a mail says the word of the page it links to. */
const levelWord = (lang: Lang, level: Level): string =>
  lang === 'fr' ? `«\u00a0${LEVEL_LABELS[level].fr}\u00a0»` : `“${LEVEL_LABELS[level].en}”`;
const LEVEL_WORDS: Record<Lang, Record<Level, string>> = {
  fr: { good: levelWord('fr', 'good'), average: levelWord('fr', 'average'), poor: levelWord('fr', 'poor') },
  en: { good: levelWord('en', 'good'), average: levelWord('en', 'average'), poor: levelWord('en', 'poor') },
};

const count = (lang: Lang, n: number) => n.toLocaleString(LANGUAGES[lang].locale);
const score = (lang: Lang, value: number) => value.toLocaleString(LANGUAGES[lang].locale, { minimumFractionDigits: 1 });

/** « 12 nouveaux avis, dont 4 avec un commentaire » on a procedure, and the link to its reviews. */
export function newReviewsMail(
  lang: Lang,
  o: { procedure: string; reviews: number; comments: number; url: string; links: ChosenMailLinks },
): MailContent {
  const { procedure, reviews, comments } = o;
  if (lang === 'en') {
    const what = `${count(lang, reviews)} new review${reviews === 1 ? '' : 's'}, ${comments === 0 ? 'none' : count(lang, comments)} with a comment`;
    return render(lang, {
      subject: `${procedure}: ${what}`,
      heading: `${procedure}: ${what}`,
      paragraphs: ['Read them in the agency space. This e-mail never carries what users wrote.'],
      link: { label: 'Read the reviews', href: o.url },
      footer: FOOTER.en,
      footerLinks: FOOTER_LINKS.en(o.links),
    });
  }
  const what = `${reviews === 1 ? '1 nouvel avis' : `${count(lang, reviews)} nouveaux avis`}, dont ${comments === 0 ? 'aucun' : count(lang, comments)} avec un commentaire`;
  return render(lang, {
    subject: `${procedure}\u00a0: ${what}`,
    heading: `${procedure}\u00a0: ${what}`,
    paragraphs: ['Lisez-les dans l’espace agence. Ce courriel ne contient jamais ce que les usagers ont écrit.'],
    link: { label: 'Lire les avis', href: o.url },
    footer: FOOTER.fr,
    footerLinks: FOOTER_LINKS.fr(o.links),
  });
}

const reasonWords = (lang: Lang, reason: string) => (ERROR_CODES[reason as ErrorCode]?.[lang] ?? reason) as string;

/** Ratings refused on a procedure that refused none the day before: the main reason, its origin, the fix's page. */
export function integrationBrokenMail(
  lang: Lang,
  o: { procedure: string; refused: number; reason: string; origin: string; url: string; links: ChosenMailLinks },
): MailContent {
  const origin = o.origin || (lang === 'en' ? 'no origin (hosted form, script)' : 'sans origine (formulaire hébergé, script)');
  if (lang === 'en') {
    return render(lang, {
      subject: `${o.procedure}: ratings are refused`,
      heading: `${o.procedure}: ${count(lang, o.refused)} ratings refused today`,
      paragraphs: [
        'The button of this procedure refused none the day before: its integration has probably changed.',
        `Main reason: ${reasonWords(lang, o.reason)}, from ${origin}.`,
        'The settings page shows every refusal and, where there is one, the fix to apply in one click.',
      ],
      link: { label: 'See the refusals and the fix', href: o.url },
      footer: FOOTER.en,
      footerLinks: FOOTER_LINKS.en(o.links),
    });
  }
  return render(lang, {
    subject: `${o.procedure}\u00a0: des notes sont refusées`,
    heading: `${o.procedure}\u00a0: ${count(lang, o.refused)} notes refusées aujourd’hui`,
    paragraphs: [
      'Le bouton de cette démarche n’en refusait aucune la veille\u00a0: son intégration a sans doute changé.',
      `Motif principal\u00a0: ${reasonWords(lang, o.reason)}, depuis ${origin}.`,
      'La page des réglages montre chaque refus et, s’il y en a une, la correction à appliquer en un clic.',
    ],
    link: { label: 'Voir les refus et la correction', href: o.url },
    footer: FOOTER.fr,
    footerLinks: FOOTER_LINKS.fr(o.links),
  });
}

/** The satisfaction of the last 30 days changed level. */
export function levelChangeMail(
  lang: Lang,
  o: { procedure: string; from: Level; to: Level; score: number; reviews: number; url: string; links: ChosenMailLinks },
): MailContent {
  const words = LEVEL_WORDS[lang];
  if (lang === 'en') {
    return render(lang, {
      subject: `${o.procedure}: satisfaction is now ${words[o.to]}`,
      heading: `${o.procedure}: satisfaction went from ${words[o.from]} to ${words[o.to]}`,
      paragraphs: [`Over the last 30 days: ${score(lang, o.score)}/10 from ${count(lang, o.reviews)} reviews.`],
      link: { label: 'See the results', href: o.url },
      footer: FOOTER.en,
      footerLinks: FOOTER_LINKS.en(o.links),
    });
  }
  return render(lang, {
    subject: `${o.procedure}\u00a0: satisfaction de niveau ${words[o.to]}`,
    heading: `${o.procedure}\u00a0: la satisfaction est passée du niveau ${words[o.from]} au niveau ${words[o.to]}`,
    paragraphs: [`Sur les 30 derniers jours\u00a0: ${score(lang, o.score)}/10 sur ${count(lang, o.reviews)} avis.`],
    link: { label: 'Voir les résultats', href: o.url },
    footer: FOOTER.fr,
    footerLinks: FOOTER_LINKS.fr(o.links),
  });
}

export interface DigestLine {
  procedure: string;
  reviews: number;
  /** The score and level over the last 12 months; null without any answer. */
  score: number | null;
  level: Level | null;
  trend: TrendDirection;
  refused: number;
  url: string;
  /** Weekly and monthly digests: the terms rising in the 30 days up to the period's end, as the insights page ranks them. */
  rising?: string[];
}

const TREND_WORDS: Record<Lang, Record<TrendDirection, string>> = {
  fr: { up: 'en hausse', down: 'en baisse', stable: 'stable', unknown: 'tendance inconnue (trop peu d’avis)' },
  en: { up: 'rising', down: 'falling', stable: 'steady', unknown: 'trend unknown (too few reviews)' },
};

/** A member's digest of a period: one paragraph per procedure of the entity, and a link to each. */
export function digestMail(
  lang: Lang,
  o: { entity: string; period: string; lines: DigestLine[]; home: string; links: ChosenMailLinks },
): MailContent {
  const words = LEVEL_WORDS[lang];
  const line = (l: DigestLine) => {
    const trend = TREND_WORDS[lang][l.trend];
    if (lang === 'en') {
      const scored =
        l.score === null ? 'no score yet' : `score ${score(lang, l.score)}/10 (level ${words[l.level!]}) over 12 months, ${trend}`;
      const rising = l.rising?.length ? ` Rising terms in comments: ${l.rising.map((term) => `“${term}”`).join(', ')}.` : '';
      return `${l.procedure}: ${count(lang, l.reviews)} review${l.reviews === 1 ? '' : 's'} ${o.period}; ${scored}; ${count(lang, l.refused)} refused rating${l.refused === 1 ? '' : 's'}.${rising}`;
    }
    const scored =
      l.score === null ? 'pas encore de note' : `note ${score(lang, l.score)}/10 (niveau ${words[l.level!]}) sur 12 mois, ${trend}`;
    const rising = l.rising?.length
      ? ` Termes en hausse dans les commentaires\u00a0: ${l.rising.map((term) => `«\u00a0${term}\u00a0»`).join(', ')}.`
      : '';
    return `${l.procedure}\u00a0: ${count(lang, l.reviews)} avis ${o.period}\u00a0; ${scored}\u00a0; ${count(lang, l.refused)} note${l.refused > 1 ? 's' : ''} refusée${l.refused > 1 ? 's' : ''}.${rising}`;
  };
  const paragraphs =
    o.lines.length === 0
      ? [lang === 'en' ? 'This entity has no procedure yet.' : 'Cette entité n’a pas encore de démarche.']
      : o.lines.map(line);
  return render(lang, {
    subject: lang === 'en' ? `${o.entity}: your digest ${o.period}` : `${o.entity}\u00a0: votre synthèse ${o.period}`,
    heading: lang === 'en' ? `${o.entity}: ${o.period}` : `${o.entity}\u00a0: ${o.period}`,
    paragraphs,
    link: { label: lang === 'en' ? 'Open the agency space' : 'Ouvrir l’espace agence', href: o.home },
    links: o.lines.map((l) => ({ label: l.procedure, href: l.url })),
    footer: FOOTER[lang],
    footerLinks: FOOTER_LINKS[lang](o.links),
  });
}
