import { z } from 'zod';
import { isDay } from '../../shared/feed-window.ts';
import { SLUG_PATTERN } from '../../shared/questionnaire.ts';

// The results page's GET form (the agency space): a period and a placement. A field the form sent
// empty means "not chosen"; anything else must be what the form can send, or the page is a 400.
// Other parameters (the language, a tracker's) are left to the page.
const blank = z.literal('').transform(() => undefined);
const day = z.string().refine(isDay);

export const ResultsQuerySchema = z.object({
  from: z.union([blank, day]).optional(),
  to: z.union([blank, day]).optional(),
  placement: z.union([blank, z.string().regex(SLUG_PATTERN)]).optional(),
});
