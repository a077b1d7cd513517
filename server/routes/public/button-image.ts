import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { isLang, LANGS, type Lang } from '../../../shared/questionnaire.ts';
import { BUTTON_SCALES, BUTTON_THEMES, buttonPngFile, buttonSvg, type ButtonTheme } from '../../button-svg.ts';
import { HttpError, type ErrorDetail } from '../../http-errors.ts';
import { matchesEtag } from './feed.ts';
import { findWidgetDist } from './widget-assets.ts';

// /button.svg for web pages, /button.png for e-mails (Gmail and Outlook show no SVG). The PNGs are
// made by the build from the same SVG (esbuild.config.mjs) and read once at start-up.
// Their URL is pasted into e-mails that are opened for months, so it never changes: they are cached
// 30 days (a redrawn button reaches every mailbox within that) and revalidated by ETag.
const SVG_CACHE = 'public, max-age=86400';
const PNG_CACHE = 'public, max-age=2592000';

interface Png {
  body: Buffer;
  etag: string;
}

/** Every built PNG by its file name under dist/; empty when the build has not run. */
export function loadButtonPngs(dist = findWidgetDist()): Map<string, Png> {
  const pngs = new Map<string, Png>();
  if (!dist) return pngs;
  for (const theme of Object.keys(BUTTON_THEMES) as ButtonTheme[]) {
    for (const lang of ['fr', 'en'] as const) {
      for (const scale of BUTTON_SCALES) {
        const file = buttonPngFile(theme, lang, scale);
        if (!existsSync(`${dist}${file}`)) continue;
        const body = readFileSync(`${dist}${file}`);
        pngs.set(file, { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` });
      }
    }
  }
  return pngs;
}

type ButtonQuery = { theme?: string; lang?: string; scale?: string };

/** theme, lang and (PNG only) scale, each checked; every wrong one is named in one 400 `invalid_query`. */
function parseButtonQuery(query: ButtonQuery, withScale: boolean): { theme: ButtonTheme; lang: Lang; scale: number } {
  const { theme = 'light', lang = 'fr', scale = '1' } = query;
  const details: ErrorDetail[] = [];
  if (theme !== 'light' && theme !== 'dark') details.push({ field: 'theme', message: 'must be "light" or "dark"' });
  if (!isLang(lang)) details.push({ field: 'lang', message: `must be one of ${LANGS.map((l) => `"${l}"`).join(', ')}` });
  if (withScale && scale !== '1' && scale !== '2') details.push({ field: 'scale', message: 'must be 1 or 2' });
  if (details.length > 0) {
    throw new HttpError(
      400,
      'invalid_query',
      `Invalid button image query: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}.`,
      details,
    );
  }
  return { theme: theme as ButtonTheme, lang: lang as Lang, scale: Number(scale) };
}

export async function buttonImageRoutes(app: FastifyInstance, { pngs = loadButtonPngs() } = {}): Promise<void> {
  if (pngs.size === 0) app.log.warn('dist/button/*.png are missing: run `npm run build` to serve /button.png');

  // Browsers ask for it on every page of the collector; an empty answer keeps their consoles clean.
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).header('cache-control', 'public, max-age=86400').send());

  // Images are shown on other sites' pages and in webmail: no CORP same-origin block; opened on
  // their own, they may run nothing.
  const imageHeaders = (reply: FastifyReply) =>
    reply
      .header('content-security-policy', "default-src 'none'")
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('x-content-type-options', 'nosniff');

  app.get<{ Querystring: ButtonQuery }>('/button.svg', async (request, reply) => {
    const { theme, lang } = parseButtonQuery(request.query, false);
    return imageHeaders(reply).type('image/svg+xml; charset=utf-8').header('cache-control', SVG_CACHE).send(buttonSvg(theme, lang));
  });

  app.get<{ Querystring: ButtonQuery }>('/button.png', async (request, reply) => {
    const { theme, lang, scale } = parseButtonQuery(request.query, true);
    const png = pngs.get(buttonPngFile(theme, lang, scale));
    if (!png) throw new HttpError(404, 'not_found', 'The button images are not built (run `npm run build`).');
    imageHeaders(reply).type('image/png').header('cache-control', PNG_CACHE).header('etag', png.etag);
    if (matchesEtag(request.headers['if-none-match'], png.etag)) return reply.code(304).send();
    return reply.send(png.body);
  });
}
