import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { apiRoute, errorReply, mediaReply, noBody, PUBLIC, STORAGE_UNAVAILABLE } from '../../api-docs.ts';
import { QUARTER_PATTERN } from '../../edition-publishing.ts';
import { HttpError } from '../../http-errors.ts';
import { NoQuerySchema, parseRequest } from '../../schemas/agency-schemas.ts';
import { sha256Hex } from '../../store/edition-records.ts';
import type { Edition, Store } from '../../store/store.ts';
import { matchesEtag } from './feed.ts';

// The quarterly editions (SPEC §6 "Editions"): stored bytes, served as they were published. They
// never change, so caches may keep them for a year without asking again, and the ETag is the
// file's SHA-256, the checksum the list gives.
const IMMUTABLE = 'public, max-age=31536000, immutable';

const FILES = {
  '': { field: 'json', type: 'application/json; charset=utf-8' },
  '.json': { field: 'json', type: 'application/json; charset=utf-8' },
  '.csv': { field: 'csv', type: 'text/csv; charset=utf-8; header=present' },
  '.impact.csv': { field: 'impactCsv', type: 'text/csv; charset=utf-8; header=present' },
} as const satisfies Record<string, { field: keyof Edition; type: string }>;

const FILE_NAME = /^(.*?)((?:\.impact)?\.csv|\.json)?$/;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const fileDoc = z.strictObject({ url: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.int().min(0) });

const EditionListSchema = z.strictObject({
  editions: z.array(
    z.strictObject({
      quarter: z.string().regex(QUARTER_PATTERN),
      window: z.strictObject({ from: day, to: day }),
      method_version: z.int().min(1),
      min_reviews: z.int().min(1),
      published_at: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
      files: z.strictObject({ json: fileDoc, csv: fileDoc, impact_csv: fileDoc }),
    }),
  ),
});

const listRoute = apiRoute({
  summary: 'Les éditions trimestrielles publiées',
  description:
    'Chaque trimestre publié (`jdma edition publish`)\u00a0: sa fenêtre de 12 mois, la version de la méthode, le seuil de publication, et ses trois fichiers avec leur somme de contrôle SHA-256.',
  tags: ['Flux'],
  security: PUBLIC,
  querystring: NoQuerySchema,
  errors: ['invalid_query'],
  replyHeaders: { 200: ['Cache-Control'] },
  everyReplyHeaders: ['Access-Control-Allow-Origin'],
  response: { 200: EditionListSchema, 503: STORAGE_UNAVAILABLE },
});

const fileRoute = apiRoute({
  summary: 'Une édition trimestrielle, figée',
  description:
    '`2026-Q3` ou `2026-Q3.json`\u00a0: le flux JSON du trimestre\u00a0; `2026-Q3.csv`\u00a0: le même en CSV\u00a0; `2026-Q3.impact.csv`\u00a0: les mêmes chiffres au format long du schéma `etalab/schema-impact-service-public-numerique` v0.5.0. Octets identiques à chaque requête\u00a0; ETag = SHA-256 du fichier\u00a0; `Cache-Control: public, max-age=31536000, immutable`.',
  tags: ['Flux'],
  security: PUBLIC,
  params: z.strictObject({ edition: z.string().describe('le trimestre, suivi ou non de .json, .csv ou .impact.csv (2026-Q3.csv)') }),
  headers: z.looseObject({ 'if-none-match': z.string().optional() }),
  replyHeaders: { 200: ['ETag', 'Cache-Control'], 304: ['ETag', 'Cache-Control'] },
  everyReplyHeaders: ['Access-Control-Allow-Origin'],
  response: {
    200: mediaReply('Le fichier, tel que publié', {
      'application/json': z.looseObject({ edition: z.looseObject({ quarter: z.string() }) }),
      'text/csv': z.string(),
    }),
    304: noBody('Non modifié\u00a0: l’ETag donné dans If-None-Match est celui du fichier'),
    400: errorReply('Trimestre mal écrit (2026-Q3 attendu)', ['invalid_quarter']),
    404: errorReply('Aucune édition publiée pour ce trimestre', ['edition_not_found']),
    503: STORAGE_UNAVAILABLE,
  },
});

export async function editionRoutes(app: FastifyInstance, { store, publicUrl }: { store: Store; publicUrl: string }): Promise<void> {
  app.get('/api/v1/editions', { schema: listRoute }, async (request, reply) => {
    parseRequest(NoQuerySchema, request.query, 'query');
    const editions = (await store.editions.list()).map((e) => {
      const file = (suffix: string, { sha256, bytes }: { sha256: string; bytes: number }) => ({
        url: `${publicUrl}/api/v1/editions/${e.quarter}${suffix}`,
        sha256,
        bytes,
      });
      return {
        quarter: e.quarter,
        window: { from: e.windowFrom, to: e.windowTo },
        method_version: e.methodVersion,
        min_reviews: e.minReviews,
        published_at: new Date(e.publishedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        files: { json: file('.json', e.files.json), csv: file('.csv', e.files.csv), impact_csv: file('.impact.csv', e.files.impactCsv) },
      };
    });
    // A new edition appears once a quarter: a list an hour old is fine.
    return reply.header('cache-control', 'public, max-age=3600').send({ editions });
  });

  app.get<{ Params: { edition: string } }>('/api/v1/editions/:edition', { schema: fileRoute }, async (request, reply) => {
    const [, quarter = '', suffix = ''] = FILE_NAME.exec(request.params.edition) ?? [];
    if (!QUARTER_PATTERN.test(quarter)) {
      throw new HttpError(400, 'invalid_quarter', 'An edition is named by its quarter, like 2026-Q3, 2026-Q3.csv or 2026-Q3.impact.csv.');
    }
    const edition = await store.editions.find(quarter);
    if (!edition)
      throw new HttpError(404, 'edition_not_found', `No edition has been published for ${quarter} (GET /api/v1/editions lists them).`);
    const file = FILES[suffix as keyof typeof FILES];
    const bytes = edition[file.field];
    const etag = `"${sha256Hex(bytes)}"`;
    reply.header('etag', etag).header('cache-control', IMMUTABLE);
    if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
    return reply.type(file.type).send(bytes);
  });
}
