import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { findDsfr } from '../../find-dsfr.ts';

/** /dsfr/<version>/: the design system's files, precompressed by the build, cached for a year. */
export async function dsfrAssetRoutes(app: FastifyInstance, { dsfr = findDsfr() } = {}): Promise<void> {
  if (!dsfr) {
    app.log.warn('dist/dsfr is missing: run `npm run build` to serve the agency space styles');
    return;
  }
  await app.register(fastifyStatic, {
    root: dsfr.dir,
    prefix: dsfr.base,
    // The build wrote .br and .gz beside each text file: served as the browser accepts, never compressed per request.
    preCompressed: true,
    immutable: true,
    maxAge: '365d',
    index: false,
    list: false,
  });
}
