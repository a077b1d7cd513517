import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, expect, test } from 'vitest';
import { MAIL_LEASE_MS, mailQueue, mailSender } from '../../../server/mail/mail-outbox.ts';
import { mailTransport } from '../../../server/mail/mail-transport.ts';
import { exited, serve } from '../../helpers/cli-process.ts';
import { smtpListener } from '../../helpers/smtp-listener.ts';
import { testDatabase } from '../../helpers/test-database.ts';
import { freePort, tempDir } from '../../helpers/test-server.ts';

// A collector killed (SIGKILL) in the middle of sending a mail: its SMTP server has the message's
// data and never answers. Nothing is lost: once the lease runs out another sender takes the row and
// sends it, with the same Message-ID; the mail in flight is the only one that may go out twice.

const FROM = 'Je donne mon avis <ne-pas-repondre@avis.example.gouv.fr>';
const temp = tempDir();
afterAll(() => temp.remove());

test('kill -9 while sending: the row is taken again after its lease and sent once more, nothing lost', { timeout: 60_000 }, async () => {
  const db = await testDatabase();
  // An SMTP server that takes the data and never answers: the collector is mid-send when it dies.
  let inFlight = 0;
  const stalling = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream) {
      inFlight++;
      stream.resume();
    },
  });
  const stallPort = await freePort();
  await new Promise<void>((resolve) => stalling.listen(stallPort, '127.0.0.1', () => resolve()));
  const store = await db.open();
  const port = await freePort();
  const child = await serve({
    // DATABASE_PATH names the data folder on PostgreSQL too: nothing is written in the checkout.
    DATABASE_PATH: join(temp.dir, 'crash', 'jdma.sqlite'),
    ...db.env,
    PORT: String(port),
    SMTP_URL: `smtp://127.0.0.1:${stallPort}`,
    MAIL_FROM: FROM,
    LOG_LEVEL: 'silent',
  });
  const smtp = await smtpListener();
  try {
    const config = { smtpUrl: smtp.url, from: FROM, directory: temp.dir };
    await mailQueue(store, config, () => new Date())('agent@numerique.gouv.fr', 'test', 'fr', {
      subject: 'Essai',
      text: 'Essai',
      html: '<p>Essai</p>',
    });
    // The collector's sender finds the row within its poll (5 s) and sends its data.
    const deadline = Date.now() + 15_000;
    while (inFlight === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(inFlight).toBe(1);
    const claimedAt = Date.now();
    child.child.kill('SIGKILL');
    await exited(child.child);
    const [row] = await db.rows<{ status: string; attempts: number; next_attempt_at: number; message_id: string }>(
      'SELECT status, attempts, next_attempt_at, message_id FROM mails',
    );
    expect(row).toMatchObject({ status: 'queued', attempts: 1 });
    expect(row!.next_attempt_at).toBeGreaterThan(claimedAt);

    let clock = new Date(claimedAt);
    const sender = mailSender({
      store,
      transport: mailTransport(config),
      now: () => clock,
      onWritten: () => {},
      onError: (error) => {
        throw error;
      },
      pollMs: 2 ** 31 - 1,
    });
    try {
      // Still leased by the dead collector: nobody takes it.
      expect(await sender.sendDue()).toBe(0);
      clock = new Date(claimedAt + MAIL_LEASE_MS);
      expect(await sender.sendDue()).toBe(1);
      expect(await sender.sendDue()).toBe(0);
    } finally {
      await sender.stop();
    }
    const mail = await smtp.next();
    expect(mail.parsed.messageId).toBe(row!.message_id);
    expect(smtp.received).toHaveLength(1);
    expect(await db.rows('SELECT status, attempts FROM mails')).toEqual([{ status: 'sent', attempts: 2 }]);
  } finally {
    if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill('SIGKILL');
    await smtp.stop();
    await new Promise<void>((resolve) => stalling.close(() => resolve()));
    await store.close();
  }
});
