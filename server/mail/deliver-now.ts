// The command line sends what it queues at once (`jdma mail test`, `jdma login-link --send`), so
// that the operator reads the SMTP server's answer in the terminal, not in the collector's log.
import type { MailConfig } from '../config.ts';
import type { Store } from '../store/store.ts';
import { mailSender } from './mail-outbox.ts';
import { mailTransport } from './mail-transport.ts';

/** Delivers the due mails, `mailId` among them; says in French what became of it. */
export async function deliverNow(
  store: Store,
  config: MailConfig,
  mailId: number,
  what: string,
): Promise<{ sent: boolean; message: string }> {
  let written: string | undefined;
  let failure: unknown;
  const sender = mailSender({
    store,
    transport: mailTransport(config),
    now: () => new Date(),
    onWritten: (mail, path) => {
      if (mail.id === mailId) written = path;
    },
    onError: (error) => {
      failure = error;
    },
    // Only this one pass: the collector's own sender does the polling.
    pollMs: 2 ** 31 - 1,
  });
  try {
    await sender.sendDue();
  } catch (error) {
    failure = error;
  } finally {
    await sender.stop();
  }
  const row = (await store.mails.list({ limit: 100 })).find((mail) => mail.id === mailId);
  if (row?.status === 'sent') {
    return {
      sent: true,
      message: written ? `${what} : écrit dans ${written} (SMTP_URL n’est pas défini).` : `${what} : envoyé (SMTP).`,
    };
  }
  const reason = row?.lastError ?? (failure instanceof Error ? failure.message : String(failure ?? 'inconnue'));
  return {
    sent: false,
    message: `${what} : pas encore envoyé (${reason}) ; il reste dans la file d’envoi, le collecteur réessaiera (jdma mail list).`,
  };
}
