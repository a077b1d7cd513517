import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { toLang } from '../../../shared/questionnaire.ts';
import { apiRoute, PUBLIC } from '../../api-docs.ts';
import { NoQuerySchema, parseRequest } from '../../schemas/agency-schemas.ts';
import { apiDocsPage } from '../../pages/api-docs-page.ts';
import { sendPage } from '../../pages/kit/send-page.ts';
import type { HtmlPage } from '../../pages/html.ts';

/** GET /api/v1/openapi.json and the reference page GET /api/docs, from the generator that api-docs.ts registers. */
export async function apiDocsRoutes(app: FastifyInstance): Promise<void> {
  // Generated once, on the first request: every route is registered by then, and none is added later.
  let document: { json: Buffer; page: Record<'fr' | 'en', HtmlPage> } | undefined;
  const generated = () => {
    if (!document) {
      const openapi = app.swagger() as unknown as Parameters<typeof apiDocsPage>[0];
      document = { json: Buffer.from(JSON.stringify(openapi)), page: { fr: apiDocsPage(openapi, 'fr'), en: apiDocsPage(openapi, 'en') } };
    }
    return document;
  };

  app.get(
    '/api/v1/openapi.json',
    {
      schema: apiRoute({
        summary: 'Le document OpenAPI 3.1 de cette API',
        description: 'Généré au démarrage à partir des schémas zod avec lesquels chaque route valide ses requêtes.',
        tags: ['Documentation'],
        security: PUBLIC,
        querystring: NoQuerySchema,
        errors: ['invalid_query'],
        replyHeaders: { 200: ['Cache-Control'] },
        response: {
          200: z
            .looseObject({ openapi: z.literal('3.1.0'), info: z.looseObject({}), paths: z.record(z.string(), z.unknown()) })
            .describe('Ce document'),
        },
      }),
    },
    async (request, reply) => {
      parseRequest(NoQuerySchema, request.query, 'query');
      return reply.type('application/json; charset=utf-8').header('cache-control', 'public, max-age=300').send(generated().json);
    },
  );

  app.get('/api/docs', async (request, reply) =>
    sendPage(reply, 200, generated().page[toLang((request.query as { lang?: unknown } | undefined)?.lang)], {
      cache: 'public, max-age=300',
    }),
  );
}
