// jdma login-link: a one-time sign-in link for a member, printed for the operator to hand over, or
// mailed (--send) as the sign-in page mails it.
import { LOGIN_LINK_MS } from '../agency/lifetimes.ts';
import { hashSecret, newSecret } from '../agency/secrets.ts';
import { deliverNow } from '../mail/deliver-now.ts';
import { queueLoginLink, SIGN_IN_MAILS_PER_ADDRESS } from '../agency/login-link-mail.ts';
import { mailQueue } from '../mail/mail-outbox.ts';
import {
  auditAsOperator,
  type CommandGroup,
  emailArg,
  langArg,
  noMore,
  PUBLIC_URL_NEEDED,
  publicUrlUnknown,
  report,
  UsageError,
} from './command-kit.ts';

export const loginLinkCommand: CommandGroup = async ({ sub, rest, values, config, store: open }) => {
  if (publicUrlUnknown(config)) throw new UsageError(PUBLIC_URL_NEEDED);
  const email = emailArg(sub);
  noMore(rest);
  const lang = langArg(values.lang);
  const store = await open();
  const roles = await store.members.rolesOf(email);
  if (roles.size === 0) throw new UsageError(`${email} n’est membre d’aucune entité (jdma member add <entité> ${email} --role reader).`);
  if (values.send) {
    const deps = { store, publicUrl: config.publicUrl, queue: mailQueue(store, config.mail, () => new Date()), now: () => new Date() };
    const queued = await queueLoginLink(deps, email, lang, 'operator');
    if (queued.outcome !== 'sent')
      throw new UsageError(`${email} a déjà reçu ${SIGN_IN_MAILS_PER_ADDRESS} liens en 15 minutes : réessayez plus tard.`);
    return report(await deliverNow(store, config.mail, queued.mailId, `Lien de connexion pour ${email}`));
  }
  const token = newSecret();
  await store.loginLinks.create({ tokenHash: hashSecret(token), email, expiresAt: Date.now() + LOGIN_LINK_MS });
  for (const entityId of roles.keys()) await auditAsOperator(store, entityId, 'login_link_created', email);
  console.log(`Lien de connexion pour ${email}, valable 15 minutes et une seule fois :`);
  console.log(`${config.publicUrl}/espace/lien/${token}`);
};
