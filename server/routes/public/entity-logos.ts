// /logos/<entity>: an entity's logo, served by the collector so that the hosted pages' CSP
// (img-src 'self') is unchanged. Pages link it with `?v=` and the logo's hash: a new logo is a new
// URL, so each one may be cached a year and is still revalidated by its ETag.
import type { FastifyInstance } from 'fastify';
import { SLUG_PATTERN } from '../../../shared/questionnaire.ts';
import { HttpError } from '../../http-errors.ts';
import type { Store } from '../../store/store.ts';
import { matchesEtag } from './feed.ts';

const LOGO_CACHE = 'public, max-age=31536000';

/** The path a page links an entity's logo by, with its hash so that a new one is fetched at once. */
export const logoPath = (entityId: string, etag: string) => `/logos/${entityId}?v=${etag.slice(0, 16)}`;

/** The procedure with its entity's logo path, for its hosted pages' header. */
export async function withEntityLogo<P extends { entityId: string }>(
  store: Store,
  procedure: P,
): Promise<P & { logo: string | undefined }> {
  const logo = await store.entities.logo(procedure.entityId);
  return { ...procedure, logo: logo && logoPath(procedure.entityId, logo.etag) };
}

export async function entityLogoRoutes(app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  app.get('/logos/:entity', async (request, reply) => {
    const { entity } = request.params as { entity: string };
    const logo = SLUG_PATTERN.test(entity) ? await store.entities.logo(entity) : undefined;
    if (!logo) throw new HttpError(404, 'not_found', 'This entity has no logo.');
    const etag = `"${logo.etag}"`;
    reply.header('etag', etag).header('cache-control', LOGO_CACHE).header('x-content-type-options', 'nosniff');
    if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
    return reply.type(logo.contentType).send(logo.bytes);
  });
}
