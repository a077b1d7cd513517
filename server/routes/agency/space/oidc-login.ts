// Sign-in with OpenID Connect (ProConnect), registered only when OIDC_ISSUER, OIDC_CLIENT_ID and
// OIDC_CLIENT_SECRET are set (otherwise these addresses answer 404):
//   GET /espace/connexion/proconnect  leaves for the provider, the checks kept in a cookie for 10 minutes
//   GET /espace/connexion/retour      the provider's callback: checks, then a session for a member
// The checks (PKCE verifier, state, nonce) live in the browser's own HttpOnly cookie rather than in
// the server's memory: the callback may reach another instance of the collector (SPEC §9), and a
// login started in one browser cannot be finished in another.
import { withLang } from '../../../../shared/languages.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type Lang, toLang } from '../../../../shared/questionnaire.ts';
import {
  LoginRefusedError,
  type OidcLogin,
  PENDING_LOGIN_MS,
  type PendingLogin,
  PendingLoginSchema,
  ProviderUnavailableError,
} from '../../../agency/oidc-login.ts';
import { SESSION_MAX_MS } from '../../../agency/lifetimes.ts';
import type { AgencySessions } from '../../../agency/sessions.ts';
import type { Config } from '../../../config.ts';
import { type OidcRefusal, oidcRefusedPage } from '../../../pages/oidc-pages.ts';
import { sendPage } from '../../../pages/kit/send-page.ts';

export const OIDC_CALLBACK_PATH = '/espace/connexion/retour';
/** Where the provider sends the browser back after ending its own session: the sign-in page (sign-in.ts). */
export const OIDC_LOGIN_PAGE_PATH = '/espace/connexion';

const PendingCookieSchema = PendingLoginSchema.extend({ lang: z.enum(['fr', 'en']) });
type PendingCookie = PendingLogin & { lang: Lang };

/** The cookies of OpenID Connect sign-in: `__Host-` over https, as the session's. */
export function oidcCookies(config: Config) {
  const secure = config.publicUrl.startsWith('https:');
  return {
    pending: secure ? '__Host-jdma_oidc' : 'jdma_oidc',
    /** The ID token, kept to end the provider's session at logout (`id_token_hint`). */
    idToken: secure ? '__Host-jdma_oidc_id' : 'jdma_oidc_id',
    options: { httpOnly: true, sameSite: 'lax', path: '/', secure } as const,
  };
}

const langOf = (request: FastifyRequest) => toLang((request.query as { lang?: unknown } | undefined)?.lang);

/** Registered inside the agency scope (agency-scope.ts), which parses cookies and knows the sessions. */
export async function oidcLoginRoutes(
  app: FastifyInstance,
  { config, oidc, sessions }: { config: Config; oidc: OidcLogin; sessions: AgencySessions },
): Promise<void> {
  const cookies = oidcCookies(config);

  const refuse = (reply: FastifyReply, lang: Lang, refusal: OidcRefusal, status: number) =>
    sendPage(reply, status, oidcRefusedPage(lang, refusal), { cache: 'no-store' });
  const providerDown = (request: FastifyRequest, reply: FastifyReply, lang: Lang, error: ProviderUnavailableError) => {
    request.log.warn({ err: error.cause }, 'OpenID Connect provider unavailable');
    return refuse(reply, lang, 'unavailable', error.status);
  };

  app.get('/espace/connexion/proconnect', async (request, reply) => {
    const lang = langOf(request);
    let started: Awaited<ReturnType<OidcLogin['begin']>>;
    try {
      started = await oidc.begin();
    } catch (error) {
      if (error instanceof ProviderUnavailableError) return providerDown(request, reply, lang, error);
      throw error;
    }
    const pending: PendingCookie = { ...started.pending, lang };
    reply.setCookie(cookies.pending, Buffer.from(JSON.stringify(pending)).toString('base64url'), {
      ...cookies.options,
      maxAge: PENDING_LOGIN_MS / 1000,
    });
    return reply.header('cache-control', 'no-store').redirect(started.url.href, 303);
  });

  app.get(OIDC_CALLBACK_PATH, async (request, reply) => {
    const pending = pendingOf(request.cookies[cookies.pending]);
    // One attempt per start, whatever its outcome: a replayed callback finds no checks to match.
    reply.clearCookie(cookies.pending, cookies.options);
    const lang = pending?.lang ?? langOf(request);
    if (!pending) return refuse(reply, lang, 'refused', 400);
    // The address the provider was given as redirect_uri, with the provider's parameters:
    // openid-client sends it again to the token endpoint, which compares it.
    const callbackUrl = new URL(config.publicUrl + OIDC_CALLBACK_PATH);
    callbackUrl.search = new URL(request.url, 'http://callback').search;
    let proven: { email: string; idToken: string };
    try {
      proven = await oidc.finish(callbackUrl, pending);
    } catch (error) {
      if (error instanceof ProviderUnavailableError) return providerDown(request, reply, lang, error);
      if (error instanceof LoginRefusedError) {
        request.log.warn({ err: error.cause ?? error }, 'OpenID Connect sign-in refused');
        return refuse(reply, lang, 'refused', 400);
      }
      throw error;
    }
    if (!(await sessions.start(request, reply, proven.email, 'oidc'))) return refuse(reply, lang, 'no_access', 403);
    reply.setCookie(cookies.idToken, proven.idToken, { ...cookies.options, maxAge: SESSION_MAX_MS / 1000 });
    return reply.header('cache-control', 'no-store').redirect(withLang('/espace', lang), 303);
  });
}

function pendingOf(value: string | undefined): PendingCookie | undefined {
  if (!value) return undefined;
  try {
    const parsed = PendingCookieSchema.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * At logout: where to send the browser so that the provider's session ends too, or undefined (no
 * OpenID Connect session, a provider without `end_session_endpoint`, one that is down, or no
 * `oidc` given: then the local logout is all there is). Drops the ID token's cookie either way.
 */
export async function providerLogoutUrl(
  config: Config,
  oidc: OidcLogin | undefined,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<string | undefined> {
  const cookies = oidcCookies(config);
  const idToken = request.cookies[cookies.idToken];
  if (!idToken) return undefined;
  reply.clearCookie(cookies.idToken, cookies.options);
  try {
    return (await oidc?.endSessionUrl(idToken, config.publicUrl + OIDC_LOGIN_PAGE_PATH))?.href;
  } catch (error) {
    if (error instanceof ProviderUnavailableError) return undefined;
    throw error;
  }
}
