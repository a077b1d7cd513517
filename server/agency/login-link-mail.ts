// A one-time sign-in link sent by mail: the same link `jdma login-link` prints, made for a member
// who asked on /espace/connexion or by `jdma login-link --send`, audited in each of their entities.
import { withLang } from '../../shared/languages.ts';
import type { Lang } from '../../shared/questionnaire.ts';
import { LOGIN_LINK_MS } from './lifetimes.ts';
import { hashSecret, newSecret } from './secrets.ts';
import type { Store } from '../store/store.ts';
import type { QueueMail } from '../mail/mail-outbox.ts';
import { loginLinkMail } from '../mail/mail-templates.ts';

/** Sign-in mails one address may be sent in LOGIN_LINK_MS: enough for a lost mail and a retry, too few to flood a mailbox. */
export const SIGN_IN_MAILS_PER_ADDRESS = 3;

/** `sent`: queued, with its outbox row's id. */
export type LoginLinkOutcome = { outcome: 'sent'; mailId: number } | { outcome: 'not_member' | 'too_many' };

/**
 * Queues a sign-in mail for `email` if it is a member and has not had SIGN_IN_MAILS_PER_ADDRESS of
 * them in the last 15 minutes. `actor` is who asked, for the audit log (the address itself, or `operator`).
 * The mail is in the language the member chose in the space; `lang` (the page's, or `--lang`) until they choose.
 */
export async function queueLoginLink(
  deps: { store: Store; publicUrl: string; queue: QueueMail; now: () => Date },
  email: string,
  lang: Lang,
  actor: string,
): Promise<LoginLinkOutcome> {
  const { store, publicUrl, queue, now } = deps;
  const roles = await store.members.rolesOf(email);
  if (roles.size === 0) return { outcome: 'not_member' };
  const at = now().getTime();
  const audit = async (action: string, details: Record<string, unknown>) => {
    for (const entityId of roles.keys()) await store.audit.add({ entityId, at, actor, action, target: email, details });
  };
  if ((await store.mails.countRecent(email, 'login_link', at - LOGIN_LINK_MS)) >= SIGN_IN_MAILS_PER_ADDRESS) {
    await audit('login_link_refused', { reason: 'too_many_mails' });
    return { outcome: 'too_many' };
  }
  const mailLang = (await store.members.langOf(email)) ?? lang;
  const token = newSecret();
  await store.loginLinks.create({ tokenHash: hashSecret(token), email, expiresAt: at + LOGIN_LINK_MS });
  const link = publicUrl + withLang(`/espace/lien/${token}`, mailLang);
  const mailId = await queue(email, 'login_link', mailLang, loginLinkMail(mailLang, link));
  await audit('login_link_mailed', {});
  return { outcome: 'sent', mailId };
}
