// The pages' own script and stylesheets are real files (server/pages/client/), checked and
// formatted as code; the build minifies them into dist/client/. Read once: they never change while
// the collector runs.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** server/pages/client/ seen from the sources (resolved when asked: the build bundles pages/html.ts into a data: module to draw the e-mail button), dist/client/ from the bundled server or a bench in dist/bench/. */
const dirs = () => ['./client/', '../client/'].map((path) => fileURLToPath(new URL(path, import.meta.url)));

export function clientFile(name: string): string {
  const dir = dirs().find((candidate) => existsSync(`${candidate}${name}`));
  if (!dir) throw new Error(`${name} is missing from server/pages/client/ and dist/client/: run "npm run build"`);
  return readFileSync(`${dir}${name}`, 'utf8');
}

const HASHES = new Map<string, string>();

/**
 * A client file's address with its content's hash, `/pages.css?v=Xy…`: pages link to it, so a new
 * build changes the address and a browser can keep what it fetched for a year without asking
 * (clientFileCache). The bare address still answers, revalidated hourly, for links kept elsewhere.
 */
export function versionedClientFile(path: string, name: string): string {
  let version = HASHES.get(name);
  if (!version) {
    version = createHash('sha256').update(clientFile(name)).digest('base64url').slice(0, 12);
    HASHES.set(name, version);
  }
  return `${path}?v=${version}`;
}

/** Cache-Control for a client file: a year, immutable, when asked by the address that names its content. */
export function clientFileCache(path: string, name: string, query: unknown): string {
  const asked = (query as { v?: unknown } | undefined)?.v;
  return `${path}?v=${String(asked)}` === versionedClientFile(path, name) ? 'public, max-age=31536000, immutable' : 'public, max-age=3600';
}
