// The durable outbox (SPEC §8, README "Mail"): a mail is a row, rendered when it is queued; the
// sender only delivers rows, so that its work is I/O and never holds the event loop that ratings use.
import { randomUUID } from 'node:crypto';
import type { Lang } from '../../shared/questionnaire.ts';
import type { MailConfig } from '../config.ts';
import type { ClaimedMail, MailKind, NewMail, Store } from '../store/store.ts';
import type { MailContent } from './mail-templates.ts';
import type { MailTransport } from './mail-transport.ts';

/** A claimed row is another sender's only after this long: longer than the transport's own timeouts (mail-transport.ts). */
export const MAIL_LEASE_MS = 2 * 60 * 1000;
/** A mail not sent this long after it was queued is failed for good: a sign-in link in it is long dead. */
export const MAIL_GIVE_UP_MS = 24 * 60 * 60 * 1000;
/** Due rows are looked for this often, besides right after a mail is queued by this process. */
const POLL_MS = 5000;
/**
 * Rows claimed at once: one. Each claimed row's lease runs from its claim, and one mail to a slow
 * SMTP server may take its transport's whole timeouts; a batch sent one by one would outlive the
 * leases of its last rows, which another sender would then send too.
 */
const BATCH = 1;

/** Waits before the nth retry: 30 s, doubling, at most an hour. */
export const retryDelayMs = (attempts: number): number => Math.min(30_000 * 2 ** (attempts - 1), 60 * 60 * 1000);

/** A Message-ID at the sender's domain, so that a mail sent again after a lapsed lease is known as the same one. */
function messageIdFor(from: string): string {
  const domain = /@([^\s@<>]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
  return `<${randomUUID()}@${domain}>`;
}

/** `listUnsubscribe` and `dedupeKey`: a mail a member chose (store.ts NewMail). Resolves with its id, 0 when the key was queued already. */
export type QueueMail = (
  recipient: string,
  kind: MailKind,
  lang: Lang,
  content: MailContent,
  extra?: Pick<NewMail, 'listUnsubscribe' | 'dedupeKey'>,
) => Promise<number>;

/** Queues a rendered mail, and wakes this process's sender (`wake`) so that it goes out now rather than at the next poll. */
export function mailQueue(store: Store, config: MailConfig, now: () => Date, wake: () => void = () => {}): QueueMail {
  return async (recipient, kind, lang, content, extra = {}) => {
    const id = await store.mails.add(
      { recipient, kind, lang, ...content, ...extra, messageId: messageIdFor(config.from) },
      now().getTime(),
    );
    if (id !== 0) wake();
    return id;
  };
}

export interface MailSenderOptions {
  store: Store;
  transport: MailTransport;
  now: () => Date;
  /** A mail written to a file (no SMTP server): the collector names it in one log line. */
  onWritten: (mail: ClaimedMail, path: string) => void;
  onError: (error: unknown) => void;
  onSent?: (() => void) | undefined;
  onFailed?: (() => void) | undefined;
  leaseMs?: number;
  pollMs?: number;
}

export interface MailSender {
  /** Sends what is due now, until nothing is; resolves with the number of mails delivered. */
  sendDue(): Promise<number>;
  /** Looks for due rows at once rather than at the next poll. */
  wake(): void;
  /** Stops polling and waits for the mail in flight. */
  stop(): Promise<void>;
}

export function mailSender(options: MailSenderOptions): MailSender {
  const { store, transport, now, onWritten, onError, leaseMs = MAIL_LEASE_MS, pollMs = POLL_MS } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let again = false;
  let stopped = false;

  const deliver = async (mail: ClaimedMail): Promise<boolean> => {
    try {
      const path = await transport.send(mail);
      await store.mails.markSent(mail.id, now().getTime());
      if (path) onWritten(mail, path);
      options.onSent?.();
      return true;
    } catch (error) {
      // The error's message names the server's refusal or the network failure, never the body.
      const reason = String(error instanceof Error ? error.message : error).slice(0, 500);
      const at = now().getTime();
      if (at - mail.createdAt >= MAIL_GIVE_UP_MS) {
        await store.mails.giveUp(mail.id, mail.attempts, reason);
        options.onFailed?.();
      } else {
        await store.mails.retryAt(mail.id, mail.attempts, at + retryDelayMs(mail.attempts), reason);
      }
      return false;
    }
  };

  const sendDue = async (): Promise<number> => {
    let delivered = 0;
    for (;;) {
      const batch = await store.mails.claim(now().getTime(), leaseMs, BATCH);
      // One at a time: an SMTP server throttles parallel connections from one client.
      for (const mail of batch) if (await deliver(mail)) delivered++;
      if (batch.length < BATCH || stopped) return delivered;
    }
  };

  const schedule = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(run, pollMs);
    timer.unref();
  };
  function run(): void {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await sendDue().catch(onError);
      } while (again && !stopped);
    })().finally(() => {
      running = undefined;
      schedule();
    });
  }

  schedule();
  return {
    sendDue,
    wake: () => {
      if (!stopped) run();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      transport.close();
    },
  };
}
