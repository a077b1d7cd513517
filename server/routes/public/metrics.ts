import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HttpError } from '../../http-errors.ts';
import type { Metrics } from '../../metrics.ts';
import { apiRoute, errorReply, mediaReply, METRICS_AUTH } from '../../api-docs.ts';

// GET /metrics for the operator's Prometheus, registered only when METRICS_TOKEN is set (app.ts):
// without it the address does not exist, like any unknown one. The counts say nothing of any
// person, but they do tell an outsider how busy the service is and what it refuses.

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

export async function metricsRoutes(app: FastifyInstance, { metrics, token }: { metrics: Metrics; token: string }): Promise<void> {
  // Compared as digests of equal length, in constant time: the reply's timing says nothing of how
  // much of a guessed token was right.
  const expected = digest(`Bearer ${token}`);
  const schema = apiRoute({
    summary: 'Mesures Prometheus',
    description:
      'N’existe que si METRICS_TOKEN est défini. Notes acceptées par canal, refus par motif, latence par route, lots d’écriture, cache du flux, erreurs 5xx. Aucune étiquette ne vient d’une donnée envoyée par un client.',
    tags: ['Exploitation'],
    security: METRICS_AUTH,
    replyHeaders: { 200: ['Cache-Control'], 401: ['WWW-Authenticate'] },
    response: {
      200: mediaReply('Les mesures, au format texte de Prometheus', { [metrics.registry.contentType.split(';')[0]!]: z.string() }),
      401: errorReply('Jeton absent ou faux', ['unauthorized']),
    },
  });
  app.get('/metrics', { schema }, async (request, reply) => {
    if (!timingSafeEqual(digest(request.headers.authorization ?? ''), expected)) {
      reply.header('www-authenticate', 'Bearer');
      throw new HttpError(401, 'unauthorized', 'GET /metrics needs the header Authorization: Bearer <METRICS_TOKEN>.');
    }
    return reply
      .type(metrics.registry.contentType)
      .header('cache-control', 'no-store')
      .send(await metrics.registry.metrics());
  });
}
