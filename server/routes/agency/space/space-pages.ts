// What every page of the agency space shares: its CSP, its language, the signed-in member shown in
// its account bar, and errors answered as pages. Registered by the space's scope (space-scope.ts),
// so the pages ask the same authentication and access rules as the API (access.ts), never their own.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Lang, toLang } from '../../../../shared/questionnaire.ts';
import { errorReplyOf, type HttpError } from '../../../http-errors.ts';
import { type Account, agencyCsp, agencyPage } from '../../../pages/agency-layout.ts';
import { signedOutPage } from '../../../pages/agency-session-pages.ts';
import type { SafeHtml } from '../../../pages/html.ts';
import { type SpaceRefusal, spaceErrorPage } from '../../../pages/space-error-page.ts';
import { type AgencySessions, csrfTokenOf } from '../../../agency/sessions.ts';
import { sendPage } from '../../../pages/kit/send-page.ts';

/** The pages' language: French unless `?lang=en`; every link and form of a page keeps it. */
export const spaceLang = (request: FastifyRequest): Lang => toLang((request.query as { lang?: unknown } | undefined)?.lang);

export interface SpacePages {
  /** The signed-in member, with the CSRF token their forms carry; undefined for a key or nobody. */
  account(request: FastifyRequest, reply: FastifyReply): Promise<Account | undefined>;
  /** Sends a page of the space in the frame (header, account bar, footer). */
  send(
    request: FastifyRequest,
    reply: FastifyReply,
    /** `here`: the address the language link switches, when it is not the request's (a form's reply: its page's). */
    page: { title: string; main: SafeHtml; status?: number; here?: string },
  ): Promise<FastifyReply>;
}

export function registerSpacePages(
  scope: FastifyInstance,
  { sessions, oidcLogin, formActions }: { sessions: AgencySessions; oidcLogin: boolean; formActions: () => readonly string[] },
): SpacePages {
  // Every page of the scope (the space, sign-in, refusals) gets the space's CSP; the root hook
  // (page-headers.ts) has set PAGE_CSP by then on pages that set none.
  scope.addHook('onSend', async (_request, reply, payload) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/html')) reply.header('content-security-policy', agencyCsp(formActions()));
    return payload;
  });

  const account: SpacePages['account'] = async (request, reply) => {
    if (request.caller?.kind !== 'member') return undefined;
    const live = await sessions.resume(request, reply);
    return live && { email: live.session.email, csrfToken: csrfTokenOf(live.secret) };
  };

  // A page's refusal is a page too: signed out → the sign-in page; out of scope, or not for a
  // reader → "not found" (a reader is not told that settings exist); bad input → what was wrong.
  // The API's routes of the scope keep the JSON error shape: their errors go on to the app's handler.
  scope.setErrorHandler(async (error: FastifyError | HttpError, request, reply) => {
    if (!request.url.startsWith('/espace')) throw error;
    const lang = spaceLang(request);
    const { status, message } = errorReplyOf(error);
    const errorCode = (e: FastifyError | HttpError) => errorReplyOf(e).code;
    if (status === 401) return sendPage(reply, 401, signedOutPage(lang, false, oidcLogin));
    if (status >= 500) request.log.error({ err: error }, 'agency page failed');
    const [code, refusal]: [number, SpaceRefusal] =
      status === 404 || (status === 403 && errorCode(error) === 'forbidden')
        ? [404, 'not_found']
        : errorCode(error) === 'csrf_invalid'
          ? [403, 'form_expired']
          : status === 429
            ? [429, 'too_many']
            : status >= 500
              ? [status, 'unavailable']
              : [status, 'refused'];
    const { title, main } = spaceErrorPage(lang, refusal, message);
    return sendPage(reply, code, agencyPage({ lang, title, main, here: request.url, account: await account(request, reply) }));
  });

  return {
    account,
    async send(request, reply, { title, main, status = 200, here = request.url }) {
      const lang = spaceLang(request);
      return sendPage(reply, status, agencyPage({ lang, title, main, here, account: await account(request, reply) }));
    },
  };
}
