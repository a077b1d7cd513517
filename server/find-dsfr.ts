import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The design system's files as the build copied them (dist/dsfr/<version>/), seen from the bundled
 * server (dist/cli.js, or a bench in dist/bench/) or from the sources (server/). The version is part of their address, so
 * they are cached for a year and a new DSFR release is a new address. Here, below routes and
 * pages, because both need it: the route serves the files, the pages link to them.
 */
export function findDsfr(): { dir: string; base: string } | undefined {
  for (const path of ['./dsfr/', '../dsfr/', '../dist/dsfr/']) {
    const dir = fileURLToPath(new URL(path, import.meta.url));
    const version = existsSync(dir) ? readdirSync(dir)[0] : undefined;
    if (version) return { dir: `${dir}${version}/`, base: `/dsfr/${version}/` };
  }
  return undefined;
}
