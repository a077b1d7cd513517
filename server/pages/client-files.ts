// The pages' own script and stylesheets are real files (server/pages/client/), checked and
// formatted as code; the build minifies them into dist/client/. Read once: they never change while
// the collector runs.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** server/pages/client/ seen from the sources, dist/client/ from the bundled server or a bench in dist/bench/. */
const DIRS = ['./client/', '../client/'].map((path) => fileURLToPath(new URL(path, import.meta.url)));

export function clientFile(name: string): string {
  const dir = DIRS.find((candidate) => existsSync(`${candidate}${name}`));
  if (!dir) throw new Error(`${name} is missing from server/pages/client/ and dist/client/: run "npm run build"`);
  return readFileSync(`${dir}${name}`, 'utf8');
}
