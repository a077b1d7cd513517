// The three smileys of the questionnaire (bad, medium, good), one path each on a 40 × 40 view box: the
// widget and the hosted form draw the same faces. Plain data: the widget bundles it.
import type { SatisfactionAnswer } from './questionnaire.ts';

const FACE = 'M2 20a18 18 0 1 0 36 0a18 18 0 1 0-36 0M14 15v2M26 15v2';

export const SMILEYS: Readonly<Record<SatisfactionAnswer, string>> = {
  bad: `${FACE}M13 29q7-7 14 0`,
  medium: `${FACE}M13 27h14`,
  good: `${FACE}M13 24q7 7 14 0`,
};
