// Comment insights of a procedure (SPEC §8): top, distinctive and rising terms over a window, from
// the term rollups. Access is asked of access.ts only: out of scope 404.
import type { FastifyInstance } from 'fastify';
import { utcDay } from '../../../../shared/feed-window.ts';
import { requireCaller, requireProcedure } from '../../../agency/access.ts';
import { type CommentInsights, commentInsights } from '../../../agency/comment-insights.ts';
import { agencyRoute, INVALID_QUERY } from '../../../agency/route-docs.ts';
import { invalidQuery, windowOf } from '../../../agency/review-listing.ts';
import { errorReply } from '../../../api-docs.ts';
import { HttpError } from '../../../http-errors.ts';
import { ProcedureParamsSchema } from '../../../schemas/agency-review-schemas.ts';
import { queryIssueDetails } from '../../../schemas/feed-query-schema.ts';
import { InsightsQuerySchema, type InsightsReply, InsightsReplySchema } from '../../../schemas/insights-schemas.ts';
import type { Store } from '../../../store/store.ts';

interface Options {
  store: Store;
  now: () => Date;
  termMinReviews: number;
}

const DOCS = agencyRoute({
  summary: 'Analyse des commentaires\u00a0: termes fréquents, distinctifs et en hausse',
  description:
    'Fenêtre de jours UTC (`from`, `to`, par défaut les 12 derniers mois) et emplacement. Lue dans les cumuls de termes, qui survivent à l’effacement du texte libre\u00a0; aucun terme écrit par moins de `TERM_MIN_REVIEWS` avis (5 par défaut) dans la fenêtre n’apparaît. Les termes distinctifs opposent les avis «\u00a0Pas bien\u00a0» aux avis «\u00a0Très bien\u00a0» (log-odds lissés, avec les comptes)\u00a0; les termes en hausse comparent les 30 derniers jours de la fenêtre aux 90 d’avant.',
  tags: ['Résultats'],
  params: ProcedureParamsSchema,
  querystring: InsightsQuerySchema,
  response: {
    200: InsightsReplySchema,
    400: INVALID_QUERY,
    404: errorReply('Aucune démarche de ce nom dans vos entités, ou emplacement inconnu de la démarche', [
      'procedure_not_found',
      'not_found',
      'unknown_placement',
    ]),
  },
});

/** The API's form of a procedure's insights (snake_case, the term's label as `term`). */
export function insightsJson(procedureId: string, insights: CommentInsights, minReviews: number): InsightsReply {
  const term = ({ key, label, reviews }: { key: string; label: string; reviews: number }) => ({ term: label, key, reviews });
  const distinctive = (list: CommentInsights['distinctive']['bad']) =>
    list.map((t) => ({ ...term(t), bad: t.bad, good: t.good, log_odds: t.logOdds, z: t.z }));
  return {
    procedure: procedureId,
    window: insights.window,
    placement: insights.placement,
    min_reviews: minReviews,
    reviews: insights.reviews,
    top: insights.top.map(term),
    distinctive: { bad: distinctive(insights.distinctive.bad), good: distinctive(insights.distinctive.good) },
    rising: {
      ...insights.rising,
      terms: insights.rising.terms.map((t) => ({ ...term(t), recent: t.recent, earlier: t.earlier, g2: t.g2 })),
    },
  };
}

export async function agencyInsightsRoutes(app: FastifyInstance, { store, now, termMinReviews }: Options): Promise<void> {
  app.get('/api/v1/procedures/:id/insights', { schema: DOCS }, async (request, reply) => {
    requireCaller(request);
    const params = ProcedureParamsSchema.safeParse(request.params ?? {});
    if (!params.success) throw invalidQuery(queryIssueDetails(params.error));
    const procedure = await requireProcedure(store, request, params.data.id, 'read');
    const query = InsightsQuerySchema.safeParse(request.query ?? {});
    if (!query.success) throw invalidQuery(queryIssueDetails(query.error));
    const { placement } = query.data;
    if (placement !== undefined && !procedure.placements.includes(placement)) {
      throw new HttpError(404, 'unknown_placement', `The procedure has no placement "${placement}".`);
    }
    const window = windowOf(query.data, utcDay(now()));
    const insights = await commentInsights(store, procedure.id, window, placement ?? null, termMinReviews);
    return reply.send(insightsJson(procedure.id, insights, termMinReviews));
  });
}
