import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/store.ts';

/** A load balancer's probe: 200 when the database answers, 503 (never a hang) when it does not. */
export async function healthRoutes(app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  app.get('/healthz', async (_request, reply) => {
    try {
      await store.ping();
      return { status: 'ok' };
    } catch {
      return reply.code(503).send({ status: 'storage_unavailable' });
    }
  });
}
