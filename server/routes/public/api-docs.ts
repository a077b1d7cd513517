import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { toLang } from '../../../shared/questionnaire.ts';
import { apiRoute, PUBLIC } from '../../api-docs.ts';
import { NoQuerySchema, parseRequest } from '../../schemas/agency-schemas.ts';
import { type ApiDocsPages, apiDocsPages, type OpenApiDocument } from '../../pages/api-docs-page.ts';
import { sendPage } from '../../pages/kit/send-page.ts';
import { notFoundPage } from '../../pages/not-found-page.ts';

/**
 * GET /api/v1/openapi.json and the reference pages: the index GET /api/docs and one page per group
 * GET /api/docs/{group} (the shared schemas at /api/docs/schemas), from the generator that
 * api-docs.ts registers.
 */
export async function apiDocsRoutes(app: FastifyInstance): Promise<void> {
  // Generated once, on the first request: every route is registered by then, and none is added later.
  let document: { json: Buffer; pages: Record<'fr' | 'en', ApiDocsPages> } | undefined;
  const generated = () => {
    if (!document) {
      const openapi = app.swagger() as unknown as OpenApiDocument;
      document = {
        json: Buffer.from(JSON.stringify(openapi)),
        pages: { fr: apiDocsPages(openapi, 'fr'), en: apiDocsPages(openapi, 'en') },
      };
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

  const lang = (query: unknown) => toLang((query as { lang?: unknown } | undefined)?.lang);
  app.get('/api/docs', async (request, reply) =>
    sendPage(reply, 200, generated().pages[lang(request.query)].index, { cache: 'public, max-age=300' }),
  );
  app.get('/api/docs/:group', async (request, reply) => {
    const page = generated().pages[lang(request.query)].pages.get((request.params as { group: string }).group);
    // A page for people, though under /api/: a mistyped group gets the not-found page, not JSON.
    return page ? sendPage(reply, 200, page, { cache: 'public, max-age=300' }) : sendPage(reply, 404, notFoundPage());
  });
}
