// Sign-in by e-mail (SPEC §8):
//   GET  /espace/connexion  the address form (and ProConnect's button where it is configured)
//   POST /espace/connexion  the same answer for every well-formed address; a member gets a link by mail
// The reply never waits for the member lookup or the mail: its time, like its body, says nothing
// of whether the address is a member.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { toLang } from '../../../../shared/questionnaire.ts';
import type { Store } from '../../../store/store.ts';
import { queueLoginLink } from '../../../agency/login-link-mail.ts';
import type { QueueMail } from '../../../mail/mail-outbox.ts';
import { emailSentPage, emailSignInPage } from '../../../pages/sign-in-pages.ts';
import { sendPage } from '../../../pages/kit/send-page.ts';

/** Sign-in requests waiting for their lookup at most, in one collector. */
const MAX_WAITING = 1000;

/** Requests one client may make to POST /espace/connexion in 15 minutes (README "Mail"). */
export const SIGN_IN_REQUESTS_PER_CLIENT = 10;

const SignInFormSchema = z.object({ email: z.string().trim().toLowerCase().max(254).pipe(z.email()) });

interface Options {
  store: Store;
  publicUrl: string;
  queue: QueueMail;
  now: () => Date;
  oidcLogin: boolean;
  /** Whether agents may ask to join an entity (SIGNUP_DOMAINS): the form then links to it. */
  signup: boolean;
  /** Whether the agency scope counts requests (@fastify/rate-limit is registered there): then this route has a limit of its own. */
  rateLimited: boolean;
}

const langOf = (request: FastifyRequest) => toLang((request.query as { lang?: unknown } | undefined)?.lang);

export async function emailSignInRoutes(
  app: FastifyInstance,
  { store, publicUrl, queue, now, oidcLogin, signup, rateLimited }: Options,
): Promise<void> {
  // Requests are worked through one after another: the per-address count and the row it counts
  // are two statements, which concurrent requests for one address would otherwise interleave.
  // Sign-ins are rare, and the chain is awaited at close so that none is cut off halfway.
  let chain: Promise<unknown> = Promise.resolve();
  let waiting = 0;
  app.addHook('onClose', async () => void (await chain));

  app.get('/espace/connexion', async (request, reply) =>
    sendPage(reply, 200, emailSignInPage(langOf(request), oidcLogin, undefined, signup)),
  );

  app.post(
    '/espace/connexion',
    {
      // No session to protect yet: a forged request can only ask for a mail anyone may ask for.
      config: {
        csrf: false,
        ...(rateLimited && { rateLimit: { max: SIGN_IN_REQUESTS_PER_CLIENT, timeWindow: 15 * 60_000 } }),
      },
    },
    async (request, reply) => {
      const lang = langOf(request);
      const parsed = SignInFormSchema.safeParse(request.body);
      if (!parsed.success) {
        const typed = (request.body as { email?: unknown } | undefined)?.email;
        return sendPage(reply, 400, emailSignInPage(lang, oidcLogin, typeof typed === 'string' ? typed.slice(0, 254) : '', signup));
      }
      const { email } = parsed.data;
      // A flood from many clients must not grow the chain without end: past MAX_WAITING, the
      // request is answered the same and dropped (its sender can ask again).
      if (waiting < MAX_WAITING) {
        waiting++;
        chain = chain
          .then(() => queueLoginLink({ store, publicUrl, queue, now }, email, lang, email))
          .catch((error: unknown) => request.log.error({ err: error }, 'sign-in mail not queued'))
          .finally(() => waiting--);
      } else request.log.warn('sign-in mail dropped: too many waiting');
      return sendPage(reply, 200, emailSentPage(lang));
    },
  );
}
