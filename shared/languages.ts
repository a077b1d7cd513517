// What the server's pages need to know of each language, beside the texts themselves (every
// `Text` of shared/questionnaire.ts and shared/messages.ts): one record, not one switch per page.
import { DEFAULT_LANG, LANGS, WIDGET_LANGS, type Lang, type WidgetLang } from './questionnaire.ts';

export interface LanguageFacts {
  /** The language's own name, for the link that switches to it. */
  name: string;
  /** Numbers and dates (Intl). */
  locale: string;
  /** Between a label and what it introduces: French puts a space before the colon. */
  colon: string;
}

export const LANGUAGES: Readonly<Record<WidgetLang, LanguageFacts>> = {
  fr: { name: 'Français', locale: 'fr-FR', colon: '\u00a0: ' },
  en: { name: 'English', locale: 'en-GB', colon: ': ' },
  es: { name: 'Español', locale: 'es-ES', colon: ': ' },
  pt: { name: 'Português', locale: 'pt-PT', colon: ': ' },
  de: { name: 'Deutsch', locale: 'de-DE', colon: ': ' },
  it: { name: 'Italiano', locale: 'it-IT', colon: ': ' },
  // Western digits, as on the French documents the reader holds.
  ar: { name: 'العربية', locale: 'ar-u-nu-latn', colon: ': ' },
};

/** The languages a page in `lang` links to, in LANGS order. */
export const otherLangs = (lang: Lang): Lang[] => LANGS.filter((other) => other !== lang);

/** The languages a public page in `lang` links to (hosted form, privacy notice), in WIDGET_LANGS order. */
export const otherWidgetLangs = (lang: WidgetLang): WidgetLang[] => WIDGET_LANGS.filter((other) => other !== lang);

/** A page's address in a language: the default language needs no query; an address with a query gets `&lang=`. */
export const withLang = (path: string, lang: WidgetLang): string =>
  lang === DEFAULT_LANG ? path : `${path}${path.includes('?') ? '&' : '?'}lang=${lang}`;
