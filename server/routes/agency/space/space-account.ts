// The member's own settings (SPEC §8):
//   GET  /espace/compte         the page: the language of the mails they receive
//   POST /espace/compte/langue  sets it (`lang`: fr or en), for every entity the address belongs to
import type { FastifyInstance } from 'fastify';
import { withLang } from '../../../../shared/languages.ts';
import { requireMember } from '../../../agency/access.ts';
import { accountPage } from '../../../pages/space-account-page.ts';
import type { Store } from '../../../store/store.ts';
import { type SpacePages, spaceLang } from './space-pages.ts';

export async function spaceAccountRoutes(app: FastifyInstance, { store, pages }: { store: Store; pages: SpacePages }): Promise<void> {
  const send = async (request: Parameters<SpacePages['send']>[0], reply: Parameters<SpacePages['send']>[1], invalid: boolean) => {
    const member = requireMember(request);
    const lang = spaceLang(request);
    const saved = !invalid && (request.query as { fait?: unknown }).fait === 'langue';
    const page = accountPage({
      lang,
      csrfToken: (await pages.account(request, reply))?.csrfToken ?? '',
      email: member.email,
      mailLang: (await store.members.langOf(member.email)) ?? 'fr',
      saved,
      invalid,
    });
    return pages.send(request, reply, { ...page, status: invalid ? 400 : 200, here: withLang('/espace/compte', lang) });
  };

  app.get('/espace/compte', async (request, reply) => send(request, reply, false));

  app.post('/espace/compte/langue', async (request, reply) => {
    const member = requireMember(request);
    const chosen = (request.body as Record<string, unknown> | undefined)?.lang;
    if (chosen !== 'fr' && chosen !== 'en') return send(request, reply, true);
    await store.members.setLang(member.email, chosen);
    return reply.redirect(withLang('/espace/compte?fait=langue', spaceLang(request)), 303);
  });
}
