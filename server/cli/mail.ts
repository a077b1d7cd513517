// jdma mail test|list: a test mail through the configured sender, and the outbox's last mails.
import { deliverNow } from '../mail/deliver-now.ts';
import { mailQueue } from '../mail/mail-outbox.ts';
import { testMail } from '../mail/mail-templates.ts';
import type { MailKind } from '../store/store.ts';
import { type CommandGroup, emailArg, langArg, noMore, report, shown, unknownCommand } from './command-kit.ts';

const MAIL_KINDS: Record<MailKind, string> = {
  login_link: 'lien de connexion',
  invitation: 'invitation',
  test: 'essai',
  access_request: 'demande d’accès',
  access_answer: 'réponse à une demande d’accès',
  new_reviews: 'alerte nouveaux avis',
  integration_broken: 'alerte intégration cassée',
  level_change: 'alerte changement de niveau',
  digest: 'synthèse',
};

const minute = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

export const mailCommand: CommandGroup = async ({ sub, rest, values, config, store: open }) => {
  if (sub === 'test') {
    const email = emailArg(rest[0]);
    noMore(rest, 1);
    const lang = langArg(values.lang);
    const store = await open();
    const mailId = await mailQueue(store, config.mail, () => new Date())(email, 'test', lang, testMail(lang, config.publicUrl));
    return report(await deliverNow(store, config.mail, mailId, `Courriel d’essai pour ${email}`));
  }
  if (sub === 'list') {
    noMore(rest);
    const mails = await (await open()).mails.list({ status: values.failed ? 'failed' : undefined, limit: 50 });
    if (mails.length === 0) return console.log(values.failed ? 'Aucun courriel abandonné.' : 'Aucun courriel dans la file d’envoi.');
    for (const mail of mails) {
      const state =
        mail.status === 'sent'
          ? `envoyé le ${minute(mail.sentAt ?? mail.createdAt)} UTC`
          : mail.status === 'failed'
            ? `abandonné après ${mail.attempts} essai(s) : ${mail.lastError ?? ''}`
            : mail.attempts === 0
              ? 'en attente'
              : `en attente, ${mail.attempts} essai(s), prochain le ${minute(mail.nextAttemptAt)} UTC : ${mail.lastError ?? ''}`;
      console.log(shown`${mail.id}	${mail.recipient}	${MAIL_KINDS[mail.kind]}	${state}`);
    }
    return;
  }
  throw unknownCommand(['mail', sub, ...rest]);
};
