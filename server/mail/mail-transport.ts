// How a mail leaves: to the SMTP server of SMTP_URL, or, without one, into an .eml file in the data
// folder, so that a newcomer's `npm start` can still sign in by e-mail (the collector logs the file).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { isLoopbackUrl, type MailConfig } from '../config.ts';
import type { ClaimedMail } from '../store/store.ts';

export interface MailTransport {
  /** Delivers the mail; resolves with the file it was written to, when there is no SMTP server. Rejects on failure. */
  send(mail: ClaimedMail): Promise<string | undefined>;
  close(): void;
}

export function mailTransport(config: MailConfig): MailTransport {
  const message = (mail: ClaimedMail) => ({
    from: config.from,
    to: mail.recipient,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    headers: {
      'Content-Language': mail.lang,
      'Auto-Submitted': 'auto-generated',
      // RFC 8058: a mail client offers its own unsubscribe button, and POSTs to the link without a page.
      ...(mail.listUnsubscribe && {
        'List-Unsubscribe': `<${mail.listUnsubscribe}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      }),
    },
  });
  if (!config.smtpUrl) {
    const files = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
    return {
      async send(mail) {
        const { message: raw } = await files.sendMail(message(mail));
        await mkdir(config.directory, { recursive: true });
        // The row's id keeps names unique across collectors sharing a folder; the time sorts them.
        const path = join(config.directory, `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.id}.eml`);
        await writeFile(path, raw as Buffer);
        return path;
      },
      close: () => files.close(),
    };
  }
  const smtp = nodemailer.createTransport({
    url: config.smtpUrl,
    // smtp:// must upgrade with STARTTLS, so that passwords and sign-in links never cross the
    // network in clear; only a server on this machine (a relay, the tests) may go without.
    requireTLS: config.smtpUrl.startsWith('smtp:') && !isLoopbackUrl(config.smtpUrl),
    // nodemailer waits 2 minutes for a connection and 10 for a silent socket by default: longer than
    // the outbox's lease, after which another collector would send the same mail.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    async send(mail) {
      await smtp.sendMail(message(mail));
      return undefined;
    },
    close: () => smtp.close(),
  };
}
