import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from './test-server.ts';

// A real SMTP server in the test's process (smtp-server), on a loopback port: what it receives is
// parsed back with mailparser, as a mail client would read it. It can be stopped and started again
// on the same port, so that a test sees the collector's sender find the server down, then up.

export interface ReceivedMail {
  raw: string;
  parsed: ParsedMail;
  to: string[];
}

export interface SmtpListener {
  url: string;
  received: ReceivedMail[];
  /** The next mail not yet taken by `next`, waiting for it up to `timeoutMs`. */
  next(timeoutMs?: number): Promise<ReceivedMail>;
  /** Forgets what was received (between tests). */
  clear(): void;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function smtpListener(): Promise<SmtpListener> {
  const port = await freePort();
  const received: ReceivedMail[] = [];
  let taken = 0;
  const waiting: Array<() => void> = [];
  let server: SMTPServer | undefined;
  const start = async () => {
    server = new SMTPServer({
      authOptional: true,
      // No certificate to offer on a loopback port: the collector sends in clear to a server on its own machine only.
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', async () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          received.push({ raw, parsed: await simpleParser(raw), to: session.envelope.rcptTo.map((rcpt) => rcpt.address) });
          for (const wake of waiting.splice(0)) wake();
          callback();
        });
      },
    });
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(port, '127.0.0.1', () => resolve());
    });
  };
  await start();
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    async next(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length <= taken) {
        if (Date.now() > deadline) throw new Error(`no mail within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return received[taken++]!;
    },
    clear: () => {
      received.length = 0;
      taken = 0;
    },
    stop: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
    start,
  };
}
