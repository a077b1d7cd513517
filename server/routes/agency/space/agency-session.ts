// Signing in and out (SPEC §8): one-time login links, logout, and
// GET /api/v1/me (who is calling, and the session's CSRF token).
import { withLang } from '../../../../shared/languages.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toLang } from '../../../../shared/questionnaire.ts';
import { type Caller, requireCaller } from '../../../agency/access.ts';
import { hashSecret } from '../../../agency/secrets.ts';
import { type AgencySessions, csrfTokenOf } from '../../../agency/sessions.ts';
import { HttpError } from '../../../http-errors.ts';
import { linkRefusedPage, loginLinkPage, signedOutPage } from '../../../pages/agency-session-pages.ts';
import { errorReply, noBody } from '../../../api-docs.ts';
import { agencyRoute } from '../../../agency/route-docs.ts';
import { MeReplySchema } from '../../../schemas/agency-schemas.ts';
import type { Store } from '../../../store/store.ts';
import { sendPage } from '../../../pages/kit/send-page.ts';

interface Options {
  /** The collector's own origins (config.ownOrigins): a sign-in link's button posts from a page there. */
  ownOrigins: readonly string[];
  store: Store;
  sessions: AgencySessions;
  now: () => Date;
  /** Whether members may sign in with OpenID Connect (ProConnect): the signed-out page then offers it. */
  oidcLogin: boolean;
  /**
   * At logout, where to send the browser to end the provider's session too (undefined: nowhere);
   * `redirect: false` only drops what was kept for that.
   */
  providerLogout?:
    | ((request: FastifyRequest, reply: FastifyReply, options: { redirect: boolean }) => Promise<string | undefined>)
    | undefined;
}

/** What a login link's token can look like: anything else was mistyped, and is not looked up. */
const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

const ME = agencyRoute({
  summary: 'Qui appelle\u00a0: l’agent et ses entités, ou la clé d’API et sa portée',
  description:
    'Pour une session\u00a0: l’adresse de l’agent, ses entités avec son rôle dans chacune, et le jeton CSRF à envoyer (en-tête x-csrf-token) avec toute requête qui modifie quelque chose.',
  tags: ['Compte'],
  response: { 200: MeReplySchema },
});
const LOGOUT = agencyRoute({
  summary: 'Se déconnecter\u00a0: la session est supprimée',
  tags: ['Compte'],
  response: {
    204: noBody('Session terminée, cookie effacé'),
    403: errorReply('Une clé d’API n’a pas de session, ou le jeton CSRF manque', ['forbidden', 'csrf_invalid']),
  },
});

/**
 * Whether a sign-in link's POST was sent by a page of the collector itself. Another site's page
 * could otherwise post the attacker's own link from a victim's browser and sign the victim in as
 * the attacker, whose account would then receive whatever the victim does there (login CSRF).
 * Browsers send Origin with every POST (and recent ones Sec-Fetch-Site too): either one telling
 * our own origin is enough: a proxy may make the page's origin differ from PUBLIC_URL while the
 * browser still knows the request is same-origin. A request with neither header comes from no
 * browser (curl, a script), which no other site can make a victim send: it is let through.
 */
function isSameOrigin(request: FastifyRequest, ownOrigins: readonly string[]): boolean {
  const { origin, 'sec-fetch-site': site } = request.headers;
  if (origin === undefined && site === undefined) return true;
  return (origin !== undefined && ownOrigins.includes(origin)) || site === 'same-origin';
}

const langOf = (request: FastifyRequest) => toLang((request.query as { lang?: unknown } | undefined)?.lang);

export async function agencySessionRoutes(
  app: FastifyInstance,
  { ownOrigins, store, sessions, now, oidcLogin, providerLogout }: Options,
): Promise<void> {
  /** The member's entities with their names and roles, as /api/v1/me shows them. */
  const entitiesOf = async (caller: Extract<Caller, { kind: 'member' }>) => {
    const entities = [];
    for (const [id, role] of caller.roles) entities.push({ id, name: (await store.entities.find(id))?.name ?? id, role });
    return entities.sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  };
  const csrfTokenFor = async (request: FastifyRequest, reply: FastifyReply) => {
    const live = await sessions.resume(request, reply);
    return live ? csrfTokenOf(live.secret) : '';
  };

  app.get('/espace/lien/:token', async (request, reply) => {
    const { token } = request.params as { token: string };
    if (!TOKEN.test(token)) return sendPage(reply, 404, linkRefusedPage(langOf(request), 'unknown'));
    return sendPage(reply, 200, loginLinkPage(langOf(request), token));
  });

  // Possessing the link is the proof here, and there may be no session yet: no CSRF token to ask
  // for, but the request must come from the collector's own page (isSameOrigin).
  app.post('/espace/lien/:token', { config: { csrf: false } }, async (request, reply) => {
    const lang = langOf(request);
    const { token } = request.params as { token: string };
    if (!TOKEN.test(token)) return sendPage(reply, 404, linkRefusedPage(lang, 'unknown'));
    // Refused before the link is used: its owner can still follow it from the collector's own page.
    if (!isSameOrigin(request, ownOrigins)) return sendPage(reply, 403, linkRefusedPage(lang, 'cross_site'));
    const email = await store.loginLinks.consume(hashSecret(token), now().getTime());
    if (email === undefined) return sendPage(reply, 410, linkRefusedPage(lang, 'gone'));
    if (!(await sessions.start(request, reply, email, 'login_link'))) return sendPage(reply, 403, linkRefusedPage(lang, 'no_access'));
    return reply.redirect(withLang('/espace', lang), 303);
  });

  app.post('/espace/deconnexion', async (request, reply) => {
    const lang = langOf(request);
    if (request.caller?.kind !== 'member') return sendPage(reply, 401, signedOutPage(lang, false, oidcLogin));
    await sessions.end(request, reply);
    const elsewhere = await providerLogout?.(request, reply, { redirect: true });
    if (elsewhere) return reply.redirect(elsewhere, 303);
    return sendPage(reply, 200, signedOutPage(lang, true, oidcLogin));
  });

  app.post('/api/v1/logout', { schema: LOGOUT }, async (request, reply) => {
    const caller = requireCaller(request);
    if (caller.kind !== 'member') throw new HttpError(403, 'forbidden', 'An API key has no session: revoke it instead.');
    await sessions.end(request, reply);
    // A JSON reply cannot send the browser to the provider: only the ID token kept for that is dropped.
    await providerLogout?.(request, reply, { redirect: false });
    return reply.code(204).send();
  });

  app.get('/api/v1/me', { schema: ME }, async (request, reply) => {
    const caller = requireCaller(request);
    if (caller.kind === 'member') {
      return { kind: 'member', email: caller.email, entities: await entitiesOf(caller), csrf_token: await csrfTokenFor(request, reply) };
    }
    const entity = await store.entities.find(caller.entityId);
    return {
      kind: 'key',
      name: caller.name,
      entity: { id: caller.entityId, name: entity?.name ?? caller.entityId },
      procedures: caller.procedureIds,
    };
  });
}
