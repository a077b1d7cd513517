// The invitation an admin's adding a member sends (API or space): who invites, to which entity, as
// what, and a one-time sign-in link valid 7 days, the one-time links' own table and page.
import type { Lang } from '../../shared/questionnaire.ts';
import { actorOf } from './access.ts';
import type { InviteByMail } from './entity-admin.ts';
import { INVITATION_LINK_MS } from './lifetimes.ts';
import { hashSecret, newSecret } from './secrets.ts';
import type { Store } from '../store/store.ts';
import type { QueueMail } from '../mail/mail-outbox.ts';
import { invitationMail } from '../mail/mail-templates.ts';

export function invitationMailer(deps: { store: Store; publicUrl: string; queue: QueueMail; now: () => Date }): InviteByMail {
  const { store, publicUrl, queue, now } = deps;
  return async (email, entityId, role, caller) => {
    const entity = await store.entities.find(entityId);
    // In the language the address chose as a member of another entity; else French, the service's:
    // a new member's is not known before they sign in and choose. The link is made here rather than
    // at their first sign-in, so that an invitation works without the operator.
    const lang: Lang = (await store.members.langOf(email)) ?? 'fr';
    const token = newSecret();
    await store.loginLinks.create({ tokenHash: hashSecret(token), email, expiresAt: now().getTime() + INVITATION_LINK_MS });
    const content = invitationMail(lang, {
      entity: entity?.name ?? entityId,
      role,
      inviter: actorOf(caller),
      url: `${publicUrl}/espace/lien/${token}`,
    });
    await queue(email, 'invitation', lang, content);
  };
}
