// The comparison page of the agency space (SPEC §8): GET /espace/demarches/:id/comparer, the API's
// comparison (agency/procedure-comparison.ts) as a page, for any member. A refused form is a 400
// page that says what to correct, with the form as sent.
import type { FastifyInstance } from 'fastify';
import { utcDay } from '../../../../shared/feed-window.ts';
import { SLUG_PATTERN } from '../../../../shared/questionnaire.ts';
import { isAdminOf, procedureNotFound, requireMember, requireProcedure } from '../../../agency/access.ts';
import { compareProcedures } from '../../../agency/procedure-comparison.ts';
import { windowOf } from '../../../agency/review-listing.ts';
import { HttpError } from '../../../http-errors.ts';
import { comparisonPage, type ComparisonView } from '../../../pages/comparison-page.ts';
import { ComparisonQuerySchema } from '../../../schemas/comparison-schemas.ts';
import type { Store } from '../../../store/store.ts';
import { type SpacePages, spaceLang } from './space-pages.ts';

const PROBLEMS = {
  fr: {
    invalid: 'Les dates s’écrivent AAAA-MM-JJ, et la démarche comparée est une de la liste.',
    window: 'Chaque période commence avant de finir et dure au plus 5 ans.',
  },
  en: {
    invalid: 'Dates are written YYYY-MM-DD, and the procedure compared is one of the list.',
    window: 'Each period starts before it ends and lasts 5 years at most.',
  },
};

export async function spaceComparisonRoutes(
  app: FastifyInstance,
  { store, now, pages }: { store: Store; now: () => Date; pages: SpacePages },
) {
  app.get('/espace/demarches/:id/comparer', async (request, reply) => {
    const lang = spaceLang(request);
    const caller = requireMember(request);
    const { id } = request.params as { id: string };
    if (!SLUG_PATTERN.test(id)) throw procedureNotFound(id);
    const procedure = await requireProcedure(store, request, id, 'read');
    const raw = { ...(request.query as Record<string, unknown>) };
    delete raw.lang;
    const text = (name: string) => (typeof raw[name] === 'string' ? (raw[name] as string) : '');
    // An empty field is no value, as a GET form sends it.
    const sent = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== ''));
    const procedures = (await store.procedures.list()).filter(
      (other) => other.entityId === procedure.entityId && other.archivedAt === null,
    );
    const view: ComparisonView = {
      lang,
      procedure,
      isAdmin: isAdminOf(caller, procedure.entityId),
      procedures: procedures.map((other) => ({ id: other.id, title: other.title })),
      form: { from: text('from'), to: text('to'), b: text('b'), b_from: text('b_from'), b_to: text('b_to') },
    };
    const refused = (problem: string) => pages.send(request, reply, { ...comparisonPage({ ...view, problems: [problem] }), status: 400 });
    const parsed = ComparisonQuerySchema.omit({ a: true }).safeParse(sent);
    if (!parsed.success) return refused(PROBLEMS[lang].invalid);
    const query = parsed.data;
    const today = utcDay(now());
    let windows: [ReturnType<typeof windowOf>, ReturnType<typeof windowOf>];
    try {
      const a = windowOf(query, today);
      windows = [a, windowOf({ from: query.b_from ?? a.from, to: query.b_to ?? a.to }, today)];
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 400) return refused(PROBLEMS[lang].window);
      throw error;
    }
    const other = query.b === undefined ? procedure : procedures.find((candidate) => candidate.id === query.b);
    if (!other) return refused(PROBLEMS[lang].invalid);
    const comparison = await compareProcedures(store, { procedure, window: windows[0] }, { procedure: other, window: windows[1] }, today);
    return pages.send(request, reply, comparisonPage({ ...view, comparison }));
  });
}
