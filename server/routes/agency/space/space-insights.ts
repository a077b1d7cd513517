// A procedure's comment analysis in the agency space (SPEC §8): /espace/demarches/:id/analyse, the
// API's /insights as a page, over the results page's period and placement. Access is asked of
// access.ts; refusals become pages (space-pages.ts).
import type { FastifyInstance } from 'fastify';
import { utcDay } from '../../../../shared/feed-window.ts';
import { SLUG_PATTERN } from '../../../../shared/questionnaire.ts';
import { isAdminOf, procedureNotFound, requireMember, requireProcedure } from '../../../agency/access.ts';
import { commentInsights } from '../../../agency/comment-insights.ts';
import { insightsPage } from '../../../pages/insights-page.ts';
import type { Store } from '../../../store/store.ts';
import { resultsQuery } from './space-home.ts';
import { type SpacePages, spaceLang } from './space-pages.ts';

interface Options {
  store: Store;
  now: () => Date;
  pages: SpacePages;
  termMinReviews: number;
}

export async function spaceInsightsRoutes(app: FastifyInstance, { store, now, pages, termMinReviews }: Options): Promise<void> {
  app.get('/espace/demarches/:id/analyse', async (request, reply) => {
    const lang = spaceLang(request);
    const caller = requireMember(request);
    const { id } = request.params as { id: string };
    if (!SLUG_PATTERN.test(id)) throw procedureNotFound(id);
    const procedure = await requireProcedure(store, request, id, 'read');
    const today = utcDay(now());
    const { window, placement } = resultsQuery(request.query, lang, today);
    const insights = await commentInsights(store, procedure.id, window, placement, termMinReviews);
    const page = insightsPage(lang, {
      procedure: { id: procedure.id, title: procedure.title, placements: procedure.placements },
      isAdmin: isAdminOf(caller, procedure.entityId),
      insights,
      minReviews: termMinReviews,
    });
    return pages.send(request, reply, page);
  });
}
