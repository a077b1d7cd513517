import type { FastifyInstance } from 'fastify';
import { toWidgetLang, WIDGET_LANGS, type WidgetLang } from '../../../shared/questionnaire.ts';
import type { Config } from '../../config.ts';
import type { HtmlPage } from '../../pages/html.ts';
import { privacyPage } from '../../pages/privacy-page.ts';
import { sendPage } from '../../pages/kit/send-page.ts';

export async function privacyRoutes(app: FastifyInstance, { config }: { config: Config }): Promise<void> {
  // Built once: every fact on it comes from the configuration, which does not change while running.
  const facts = { minReviews: config.feedMinReviews, retentionDays: config.freeTextRetentionDays, operatorContact: config.operatorContact };
  const pages = Object.fromEntries(WIDGET_LANGS.map((lang) => [lang, privacyPage(facts, lang)])) as Record<WidgetLang, HtmlPage>;
  app.get('/confidentialite', async (request, reply) =>
    sendPage(reply, 200, pages[toWidgetLang((request.query as { lang?: unknown } | undefined)?.lang)], { cache: 'public, max-age=300' }),
  );
}
