import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * The design system's files as the build copied them (dist/dsfr/<version>/), seen from the bundled
 * server (dist/cli.js) or from the sources (server/routes/public/). The version is part of their address,
 * so they are cached for a year and a new DSFR release is a new address.
 */
export function findDsfr(): { dir: string; base: string } | undefined {
  for (const path of ['./dsfr/', '../../../dist/dsfr/']) {
    const dir = fileURLToPath(new URL(path, import.meta.url));
    const version = existsSync(dir) ? readdirSync(dir)[0] : undefined;
    if (version) return { dir: `${dir}${version}/`, base: `/dsfr/${version}/` };
  }
  return undefined;
}

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
