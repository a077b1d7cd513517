// What an agency may change in its procedure's form (SPEC §3 "Customisation"), as plain data the
// widget, the hosted form and the server agree on: which optional steps it hides, and the words of a
// question or an answer, per language. The satisfaction question and its three answers are never
// among them: they are the one figure every procedure shares. No imports beyond shared/.
import { QUESTIONS, type WidgetLang, type WidgetText } from './questionnaire.ts';

/** The follow-up steps an agency may hide: `help` is the help question with everything it opens. */
export const OPTIONAL_STEPS = ['clarity', 'help', 'comment'] as const;
export type OptionalStep = (typeof OPTIONAL_STEPS)[number];

/** The steps an indicator of SPEC §4 is computed from: clarity the comprehension, help the contact ones and autonomy. */
export const INDICATOR_STEPS: readonly OptionalStep[] = ['clarity', 'help'];

/** The most characters of a relabelled question or answer: longer, it no longer fits a tile on a phone. */
export const LABEL_MAX = 150;

/** A label's path into QUESTIONS: `clarity.question`, `help_sought.answers.phone`, `comment.hint`… */
export type LabelPath = string;

/** A published form as the widget and the hosted form receive it, for one language. */
export interface FormConfig {
  /** The published version's number; null for the default form. */
  version: number | null;
  hidden: OptionalStep[];
  labels: Record<LabelPath, string>;
}

export const DEFAULT_FORM: FormConfig = { version: null, hidden: [], labels: {} };

/**
 * Every text of QUESTIONS with its path, the satisfaction question's included (`satisfaction.…`). A
 * text is an object of strings only: each language's form chunk keeps its own language alone
 * (esbuild.config.mjs), so no particular language can be looked for.
 */
function textPaths(node: object, path: string, out: [LabelPath, WidgetText][]): [LabelPath, WidgetText][] {
  for (const [key, child] of Object.entries(node)) {
    if (typeof child !== 'object') continue;
    const at = path ? `${path}.${key}` : key;
    if (Object.values(child).every((value) => typeof value === 'string')) out.push([at, child as WidgetText]);
    else textPaths(child, at, out);
  }
  return out;
}

const TEXTS = textPaths(QUESTIONS, '', []);

/** The paths an agency may relabel: every question and answer but the satisfaction question's. */
export const LABEL_PATHS: readonly LabelPath[] = TEXTS.map(([path]) => path).filter((path) => !path.startsWith('satisfaction.'));

/**
 * The texts a form shows in place of the questionnaire's own, keyed by the questionnaire's text
 * objects: a form asks `overrides.get(text) || text[lang]`. The satisfaction texts are never
 * replaced, whatever a configuration holds.
 */
export function labelOverrides(labels: Record<LabelPath, string>): Map<WidgetText, string> {
  const overrides = new Map<WidgetText, string>();
  for (const [path, text] of TEXTS) if (labels[path] && !path.startsWith('satisfaction.')) overrides.set(text, labels[path]);
  return overrides;
}

/** The default text of a label path in a language (the space shows it beside the field). */
export const defaultLabel = (path: LabelPath, lang: WidgetLang): string | undefined => TEXTS.find(([p]) => p === path)?.[1][lang];
