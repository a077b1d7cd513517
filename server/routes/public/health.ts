import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Store } from '../../store/store.ts';
import { apiRoute, PUBLIC } from '../../api-docs.ts';
import { NoQuerySchema, parseRequest } from '../../schemas/agency-schemas.ts';

const schema = apiRoute({
  summary: 'Sonde de disponibilité',
  description: 'Pour un répartiteur de charge\u00a0: 200 quand la base de données répond, 503 (jamais une attente sans fin) sinon.',
  tags: ['Exploitation'],
  security: PUBLIC,
  querystring: NoQuerySchema,
  errors: ['invalid_query'],
  response: {
    200: z.strictObject({ status: z.literal('ok') }).describe('Le collecteur et sa base répondent'),
    503: z.strictObject({ status: z.literal('storage_unavailable') }).describe('La base de données ne répond pas'),
  },
});

/** A load balancer's probe: 200 when the database answers, 503 (never a hang) when it does not. */
export async function healthRoutes(app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  app.get('/healthz', { schema }, async (request, reply) => {
    parseRequest(NoQuerySchema, request.query, 'query');
    try {
      await store.ping();
      return { status: 'ok' };
    } catch {
      return reply.code(503).send({ status: 'storage_unavailable' });
    }
  });
}
