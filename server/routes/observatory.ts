import type { FastifyInstance } from 'fastify';
import { DEFAULT_WINDOW_MONTHS, utcDay, windowStart } from '../../shared/feed-window.ts';
import { SLUG_PATTERN, toLang } from '../../shared/questionnaire.ts';
import type { FeedBuilder } from '../feed-builder.ts';
import { PAGE_CSP } from '../pages/html.ts';
import { OBSERVATORY_CSS } from '../pages/observatory-css.ts';
import { observatoryPage, procedureNotFoundPage, procedurePage } from '../pages/observatory-pages.ts';

// The observatory pages (issue 4), over the default window (SPEC §4). They read the same cached
// feed as /api/v1/feed. A page is for people: an unknown query parameter is ignored, not a 400.
interface Options {
  feeds: FeedBuilder;
  now: () => Date;
}


export async function observatoryRoutes(app: FastifyInstance, { feeds, now }: Options): Promise<void> {
  const defaultWindow = () => {
    const to = utcDay(now());
    return { from: windowStart(to, DEFAULT_WINDOW_MONTHS), to };
  };
  const htmlReply = { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PAGE_CSP, 'cache-control': 'public, max-age=60' };

  app.get('/observatoire.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(OBSERVATORY_CSS),
  );

  app.get('/observatoire', async (request, reply) => {
    const { built } = await feeds.build({ window: defaultWindow() });
    return reply.headers(htmlReply).send(observatoryPage(built!.feed, toLang((request.query as { lang?: unknown } | undefined)?.lang)));
  });

  app.get<{ Params: { procedure: string } }>('/observatoire/:procedure', async (request, reply) => {
    const lang = toLang((request.query as { lang?: unknown } | undefined)?.lang);
    const id = request.params.procedure;
    const { built } = SLUG_PATTERN.test(id) ? await feeds.build({ window: defaultWindow(), procedures: [id] }) : { built: undefined };
    const procedure = built?.feed.procedures[0];
    if (!built || !procedure) return reply.code(404).headers(htmlReply).send(procedureNotFoundPage(lang));
    return reply.headers(htmlReply).send(procedurePage(built.feed, procedure, lang));
  });
}
