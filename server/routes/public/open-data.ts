import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { apiRoute, mediaReply, PUBLIC } from '../../api-docs.ts';
import { NoQuerySchema, parseRequest } from '../../schemas/agency-schemas.ts';
import { FEED_TABLE_SCHEMA, feedDataPackage } from '../../feed-table-schema.ts';

// The feed's CSV described for open-data tools (server/feed-table-schema.ts): its Table Schema and
// its data package. Both change only with the code (and the public address), so they are made once.

export async function openDataRoutes(app: FastifyInstance, { publicUrl }: { publicUrl: string }): Promise<void> {
  const tableSchema = Buffer.from(JSON.stringify(FEED_TABLE_SCHEMA, null, 2));
  const dataPackage = Buffer.from(JSON.stringify(feedDataPackage(publicUrl), null, 2));

  const tableSchemaRoute = apiRoute({
    summary: 'Le Table Schema (Frictionless) de feed.csv',
    description: 'Chaque colonne de `/api/v1/feed.csv`, son type et ses bornes\u00a0; une cellule vide vaut null.',
    tags: ['Flux'],
    security: PUBLIC,
    querystring: NoQuerySchema,
    errors: ['invalid_query'],
    replyHeaders: { 200: ['Cache-Control'] },
    everyReplyHeaders: ['Access-Control-Allow-Origin'],
    response: { 200: mediaReply('Table Schema v1', { 'application/json': z.looseObject({ fields: z.array(z.looseObject({})) }) }) },
  });
  app.get('/api/v1/feed.tableschema.json', { schema: tableSchemaRoute }, async (request, reply) => {
    parseRequest(NoQuerySchema, request.query, 'query');
    return reply.type('application/json; charset=utf-8').header('cache-control', 'public, max-age=3600').send(tableSchema);
  });

  const dataPackageRoute = apiRoute({
    summary: 'Le data package (Frictionless) du flux',
    description: 'La ressource `feed.csv` à l’adresse publique du collecteur, son Table Schema et sa licence (Licence Ouverte 2.0).',
    tags: ['Flux'],
    security: PUBLIC,
    querystring: NoQuerySchema,
    errors: ['invalid_query'],
    replyHeaders: { 200: ['Cache-Control'] },
    everyReplyHeaders: ['Access-Control-Allow-Origin'],
    response: { 200: mediaReply('Data Package v1', { 'application/json': z.looseObject({ resources: z.array(z.looseObject({})) }) }) },
  });
  app.get('/api/v1/datapackage.json', { schema: dataPackageRoute }, async (request, reply) => {
    parseRequest(NoQuerySchema, request.query, 'query');
    return reply.type('application/json; charset=utf-8').header('cache-control', 'public, max-age=3600').send(dataPackage);
  });
}
