// Access requests from the sign-in page (SPEC §8), when SIGNUP_DOMAINS allows some:
//   GET  /espace/connexion/demande  the form: an address and the entity to join
//   POST /espace/connexion/demande  one answer for every well-formed request in an allowed domain
// Like sign-in (sign-in.ts), the reply waits for no lookup: its time, like its body, says nothing of
// whether the entity exists or the address is already a member.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { toLang } from '../../../../shared/questionnaire.ts';
import { requestAccess, signupAllows } from '../../../agency/access-requests.ts';
import { HttpError } from '../../../http-errors.ts';
import type { QueueMail } from '../../../mail/mail-outbox.ts';
import { ACCESS_REQUEST_ERRORS, accessRequestPage, accessRequestSentPage } from '../../../pages/access-request-pages.ts';
import type { Store } from '../../../store/store.ts';
import { SIGN_IN_REQUESTS_PER_CLIENT } from './sign-in.ts';
import { sendPage } from '../../../pages/kit/send-page.ts';

/** Requests waiting for their lookup at most, in one collector. */
const MAX_WAITING = 1000;

const AccessRequestSchema = z.object({
  email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
  entity: z.string().trim().min(1).max(100),
});

interface Options {
  store: Store;
  publicUrl: string;
  queue: QueueMail;
  now: () => Date;
  domains: readonly string[];
  /** Whether the agency scope counts requests: then this route has the sign-in form's limit per client. */
  rateLimited: boolean;
}

const langOf = (request: FastifyRequest) => toLang((request.query as { lang?: unknown } | undefined)?.lang);
const text = (request: FastifyRequest, name: string) => {
  const value = (request.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.slice(0, 254) : '';
};

export async function accessRequestRoutes(
  app: FastifyInstance,
  { store, publicUrl, queue, now, domains, rateLimited }: Options,
): Promise<void> {
  // One request after another, as sign-in's: the per-address count and the row it counts are two statements.
  let chain: Promise<unknown> = Promise.resolve();
  let waiting = 0;
  app.addHook('onClose', async () => void (await chain));

  app.get('/espace/connexion/demande', async (request, reply) => sendPage(reply, 200, accessRequestPage(langOf(request), domains)));

  app.post(
    '/espace/connexion/demande',
    {
      // No session to protect yet: a forged request can only send a request anyone may send.
      config: { csrf: false, ...(rateLimited && { rateLimit: { max: SIGN_IN_REQUESTS_PER_CLIENT, timeWindow: 15 * 60_000 } }) },
    },
    async (request, reply) => {
      const lang = langOf(request);
      const typed = { email: text(request, 'email'), entity: text(request, 'entity') };
      const parsed = AccessRequestSchema.safeParse(request.body ?? {});
      if (!parsed.success) {
        const wrong = parsed.error.issues[0]?.path[0] === 'entity' ? 'entity' : 'email';
        const message = ACCESS_REQUEST_ERRORS[lang][wrong];
        return sendPage(reply, 400, accessRequestPage(lang, domains, typed, { field: wrong, value: typed[wrong], message }));
      }
      const { email, entity } = parsed.data;
      // Said plainly: the allowed domains are the operator's setting, checked before any lookup,
      // so the refusal tells nothing of an entity or its members.
      if (!signupAllows(domains, email)) {
        const refusal = new HttpError(403, 'signup_domain_not_allowed', ACCESS_REQUEST_ERRORS[lang].domain(domains.join(', ')));
        return sendPage(
          reply,
          refusal.statusCode,
          accessRequestPage(lang, domains, typed, { field: 'email', value: typed.email, message: refusal.message }),
        );
      }
      if (waiting < MAX_WAITING) {
        waiting++;
        chain = chain
          .then(async () => {
            const outcome = await requestAccess({ store, publicUrl, queue, now }, email, entity, lang);
            request.log.info({ outcome }, 'access request');
          })
          .catch((error: unknown) => request.log.error({ err: error }, 'access request not recorded'))
          .finally(() => waiting--);
      } else request.log.warn('access request dropped: too many waiting');
      return sendPage(reply, 200, accessRequestSentPage(lang));
    },
  );
}
