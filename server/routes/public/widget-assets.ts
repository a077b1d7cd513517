import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../../http-errors.ts';

// Serves the built widget (SPEC §5): /widget.js is the stable URL agencies paste, so it is cached
// briefly (a new release reaches every page within 5 minutes); the form chunks it names carry a
// content hash, so they are cached for a year. Scripts load cross-origin by nature; the chunks are
// ES modules fetched with import(), which needs CORS, hence `*` (they are public and carry no data).
const LOADER_CACHE = 'public, max-age=300';
const CHUNK_CACHE = 'public, max-age=31536000, immutable';

interface Asset {
  body: Buffer;
  gzip: Buffer;
  br: Buffer;
  etag: string;
  cacheControl: string;
}

/** dist/ seen from the bundled server (dist/cli.js, or a bench in dist/bench/) or from the sources (server/routes/public/). */
export function findWidgetDist(): string | undefined {
  return ['./', '../', '../../../dist/']
    .map((path) => fileURLToPath(new URL(path, import.meta.url)))
    .find((dir) => existsSync(`${dir}widget.js`));
}

function asset(body: Buffer, cacheControl: string): Asset {
  return {
    body,
    gzip: gzipSync(body, { level: 9 }),
    br: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
    cacheControl,
  };
}

/** Reads the built files once, at start-up: they are a few kilobytes and never change while running. */
export function loadWidgetAssets(dist = findWidgetDist()): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  if (!dist) return assets;
  assets.set('/widget.js', asset(readFileSync(`${dist}widget.js`), LOADER_CACHE));
  for (const file of readdirSync(`${dist}widget`).filter((name) => name.endsWith('.js'))) {
    assets.set(`/widget/${file}`, asset(readFileSync(`${dist}widget/${file}`), CHUNK_CACHE));
  }
  return assets;
}

/** The built form chunk of a language, as a path on the collector (the space's preview loads it); undefined before a build. */
export function formChunkPath(lang: string, dist = findWidgetDist()): string | undefined {
  const file = dist && readdirSync(`${dist}widget`).find((name) => name.startsWith(`form-${lang}-`) && name.endsWith('.js'));
  return file ? `/widget/${file}` : undefined;
}

export async function widgetAssetRoutes(app: FastifyInstance, { assets = loadWidgetAssets() } = {}): Promise<void> {
  if (!assets.has('/widget.js')) app.log.warn('dist/widget.js is missing: run `npm run build` to serve the widget');

  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    const found = assets.get(request.url.split('?')[0]!);
    if (!found) throw new HttpError(404, 'not_found', 'No such widget file (run `npm run build`?).');
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', found.cacheControl)
      .header('etag', found.etag)
      .header('vary', 'Accept-Encoding')
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('x-content-type-options', 'nosniff');
    if (request.headers['if-none-match'] === found.etag) return reply.code(304).send();
    const accepted = String(request.headers['accept-encoding'] ?? '');
    if (/\bbr\b/.test(accepted)) return reply.header('content-encoding', 'br').send(found.br);
    if (/\bgzip\b/.test(accepted)) return reply.header('content-encoding', 'gzip').send(found.gzip);
    return reply.send(found.body);
  };
  app.get('/widget.js', serve);
  app.get('/widget/:file', serve);
}
