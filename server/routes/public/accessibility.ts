import type { FastifyInstance } from 'fastify';
import { LANGS, toLang, type Lang } from '../../../shared/questionnaire.ts';
import type { Config } from '../../config.ts';
import { accessibilityPage } from '../../pages/accessibility-page.ts';
import { PAGE_CSP } from '../../pages/html.ts';

/** GET /accessibilite: the accessibility statement (French, `?lang=en` English), built once from the configuration. */
export async function accessibilityRoutes(app: FastifyInstance, { config }: { config: Config }): Promise<void> {
  const pages = Object.fromEntries(
    LANGS.map((lang) => [lang, accessibilityPage({ operatorContact: config.operatorContact }, lang)]),
  ) as Record<Lang, string>;
  app.get('/accessibilite', async (request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', PAGE_CSP)
      .header('cache-control', 'public, max-age=300')
      .send(pages[toLang((request.query as { lang?: unknown } | undefined)?.lang)]),
  );
}
