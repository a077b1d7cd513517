// Comparisons in the agency API (SPEC §8): two periods of one procedure, or two procedures of one
// entity, side by side (agency/procedure-comparison.ts). Both must be the caller's to read.
import type { FastifyInstance } from 'fastify';
import { utcDay } from '../../../../shared/feed-window.ts';
import { requireCaller, requireProcedure } from '../../../agency/access.ts';
import { compareProcedures } from '../../../agency/procedure-comparison.ts';
import { invalidQuery, windowOf } from '../../../agency/review-listing.ts';
import { agencyRoute, INVALID_QUERY, PROCEDURE_NOT_FOUND } from '../../../agency/route-docs.ts';
import { parseRequest } from '../../../schemas/agency-schemas.ts';
import { ComparisonQuerySchema, ComparisonSchema } from '../../../schemas/comparison-schemas.ts';
import type { Store } from '../../../store/store.ts';

const DOC = agencyRoute({
  summary: 'Comparer deux périodes d’une démarche, ou deux démarches d’une entité',
  description:
    'Les indicateurs de chaque côté, lus dans les cumuls comme les statistiques, sans seuil, avec leur intervalle à 95 % (Wilson pour un taux, t de Student pour une note), la différence b − a, et si elle dépasse les intervalles (les deux intervalles ne se chevauchent pas). `b` doit être une démarche de la même entité que `a`.',
  tags: ['Résultats'],
  querystring: ComparisonQuerySchema,
  response: { 200: ComparisonSchema, 400: INVALID_QUERY, 404: PROCEDURE_NOT_FOUND },
});

export async function agencyComparisonRoutes(app: FastifyInstance, { store, now }: { store: Store; now: () => Date }): Promise<void> {
  app.get('/api/v1/comparisons', { schema: DOC }, async (request, reply) => {
    requireCaller(request);
    const query = parseRequest(ComparisonQuerySchema, request.query, 'query');
    const today = utcDay(now());
    const aWindow = windowOf(query, today);
    const bWindow = windowOf({ from: query.b_from ?? aWindow.from, to: query.b_to ?? aWindow.to }, today);
    const a = await requireProcedure(store, request, query.a, 'read');
    const b = query.b === undefined ? a : await requireProcedure(store, request, query.b, 'read');
    if (b.entityId !== a.entityId) {
      throw invalidQuery([{ field: 'b', message: 'must be a procedure of the same entity as a' }]);
    }
    const comparison = await compareProcedures(store, { procedure: a, window: aWindow }, { procedure: b, window: bWindow }, today);
    return reply.header('cache-control', 'private, no-store').send(comparison);
  });
}
