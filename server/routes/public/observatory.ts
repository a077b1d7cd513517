import { hash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_WINDOW_MONTHS, utcDay, windowStart } from '../../../shared/feed-window.ts';
import { SLUG_PATTERN, toLang } from '../../../shared/questionnaire.ts';
import type { FeedBuilder } from '../../feed-builder.ts';
import { matchesEtag } from './feed.ts';
import { clientFile, clientFileCache } from '../../pages/client-files.ts';
import { observatoryPage, procedureNotFoundPage, procedurePage } from '../../pages/observatory-pages.ts';
import { observatoryQuery } from '../../pages/observatory-query.ts';
import { sendPage } from '../../pages/kit/send-page.ts';
import type { HtmlPage } from '../../pages/html.ts';

// The observatory pages (SPEC §1), over the default window (SPEC §4). They read the same cached
// feed as /api/v1/feed. A page is for people: an unknown query parameter is ignored, not a 400, and
// a known one with a value it does not understand is ignored with a sentence that says so.
// Freshness: someone who has just rated expects to see the count move when they reload, so the
// pages are never served from a cache unchecked (no-cache); an ETag of the page's bytes makes that
// check a 304 while nothing changed. The feed behind them is kept per data version, so building
// the page to compare costs little.
interface Options {
  feeds: FeedBuilder;
  now: () => Date;
}

function sendObservatoryPage(request: FastifyRequest, reply: FastifyReply, body: HtmlPage, status = 200) {
  // Weak: the same page may be compressed or re-encoded on the way without changing what it says.
  const etag = `W/"${hash('sha256', body, 'base64url').slice(0, 22)}"`;
  const notModified = status === 200 && matchesEtag(request.headers['if-none-match'], etag);
  return sendPage(reply, status, body, { cache: 'no-cache', etag, notModified });
}

export async function observatoryRoutes(app: FastifyInstance, { feeds, now }: Options): Promise<void> {
  const styles = clientFile('observatory.css');
  const defaultWindow = () => {
    const to = utcDay(now());
    return { from: windowStart(to, DEFAULT_WINDOW_MONTHS), to };
  };

  app.get('/observatoire.css', async (request, reply) =>
    reply
      .type('text/css; charset=utf-8')
      .header('cache-control', clientFileCache('/observatoire.css', 'observatory.css', request.query))
      .send(styles),
  );

  app.get('/observatoire', async (request, reply) => {
    const { built } = await feeds.build({ window: defaultWindow() });
    const query = request.query as Record<string, unknown> | undefined;
    return sendObservatoryPage(request, reply, observatoryPage(built!.feed, toLang(query?.lang), observatoryQuery(query)));
  });

  app.get<{ Params: { procedure: string } }>('/observatoire/:procedure', async (request, reply) => {
    const lang = toLang((request.query as { lang?: unknown } | undefined)?.lang);
    const id = request.params.procedure;
    const { built } = SLUG_PATTERN.test(id) ? await feeds.build({ window: defaultWindow(), procedures: [id] }) : { built: undefined };
    const procedure = built?.feed.procedures[0];
    if (!built || !procedure) return sendObservatoryPage(request, reply, procedureNotFoundPage(lang), 404);
    return sendObservatoryPage(request, reply, procedurePage(built.feed, procedure, lang));
  });
}
