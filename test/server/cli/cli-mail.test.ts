import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { CLI } from '../../helpers/cli-process.ts';
import { smtpListener, type SmtpListener } from '../../helpers/smtp-listener.ts';
import { testDatabase } from '../../helpers/test-database.ts';
import { tempDir } from '../../helpers/test-server.ts';

// `jdma mail test`, `jdma mail list` and `jdma login-link --send` as the operator runs them, as a
// subprocess on the engine under test, against a real SMTP server in this process. The subprocess
// runs asynchronously: a synchronous spawn would hold the event loop the SMTP server answers on.

const PUBLIC_URL = 'https://avis.example.gouv.fr';
const MEMBER = 'agent@numerique.gouv.fr';
const FROM = 'Je donne mon avis <ne-pas-repondre@avis.example.gouv.fr>';

let smtp: SmtpListener;
const temp = tempDir();
beforeAll(async () => {
  smtp = await smtpListener();
});
afterAll(async () => {
  await smtp?.stop();
  temp.remove();
});
afterEach(() => smtp.clear());

interface Result {
  status: number;
  stdout: string;
  stderr: string;
}

const run = (args: string[], env: Record<string, string>) =>
  new Promise<Result>((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) =>
      resolve({ status: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });

let count = 0;
async function fresh(mail: Record<string, string> = {}) {
  const db = await testDatabase();
  // DATABASE_PATH names the data folder on PostgreSQL too: the .eml files go there.
  const env = { DATABASE_PATH: join(temp.dir, `data-${++count}`, 'jdma.sqlite'), ...db.env, PUBLIC_URL, ...mail };
  const jdma = (...args: string[]) => run(args, env);
  return { db, env, jdma };
}

describe('jdma mail and login-link --send', () => {
  test('mail test sends a test mail through SMTP_URL and says so', async () => {
    const { db, jdma } = await fresh({ SMTP_URL: smtp.url, MAIL_FROM: FROM });
    const result = await jdma('mail', 'test', 'Operateur@Numerique.gouv.fr');
    expect(result).toEqual({ status: 0, stdout: 'Courriel d’essai pour operateur@numerique.gouv.fr : envoyé (SMTP).\n', stderr: '' });
    const mail = await smtp.next();
    expect(mail.to).toEqual(['operateur@numerique.gouv.fr']);
    expect(mail.parsed.subject).toBe('Message d’essai de Je donne mon avis');
    expect(mail.parsed.text).toContain(PUBLIC_URL);
    expect(await db.rows('SELECT kind, status FROM mails')).toEqual([{ kind: 'test', status: 'sent' }]);
    const listed = await jdma('mail', 'list');
    expect(listed.stdout).toMatch(/^1\toperateur@numerique\.gouv\.fr\tessai\tenvoyé le \d{4}-\d\d-\d\d \d\d:\d\d UTC\n$/);
  });

  test('without SMTP_URL the test mail is an .eml file in the data folder, named on the terminal', async () => {
    const { env, jdma } = await fresh();
    const result = await jdma('mail', 'test', 'operateur@numerique.gouv.fr', '--lang', 'en');
    expect(result.status).toBe(0);
    const path = /écrit dans (\S+\.eml) \(SMTP_URL n’est pas défini\)/.exec(result.stdout)?.[1];
    expect(path?.startsWith(join(env.DATABASE_PATH, '..', 'mails'))).toBe(true);
    const parsed = await simpleParser(readFileSync(path!));
    expect(parsed.subject).toBe('Test mail from Je donne mon avis');
    expect(String(parsed.html)).toContain('<html lang="en">');
  });

  test('with the SMTP server out of reach: exit 1, the mail waits in the outbox; a day later it is given up and listed as failed', async () => {
    const { db, jdma } = await fresh({ SMTP_URL: 'smtp://127.0.0.1:1', MAIL_FROM: FROM });
    const result = await jdma('mail', 'test', 'operateur@numerique.gouv.fr');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^jdma : Courriel d’essai pour operateur@numerique\.gouv\.fr : pas encore envoyé \(.*ECONNREFUSED.*\) ; il reste dans la file d’envoi/,
    );
    expect((await jdma('mail', 'list')).stdout).toMatch(
      /^1\toperateur@numerique\.gouv\.fr\tessai\ten attente, 1 essai\(s\), prochain le .* UTC : .*ECONNREFUSED/,
    );
    expect(await jdma('mail', 'list', '--failed')).toEqual({ status: 0, stdout: 'Aucun courriel abandonné.\n', stderr: '' });
    // A day on: the next pass gives it up.
    const dayAgo = Date.now() - 24 * 60 * 60 * 1000 - 1000;
    await db.exec(`UPDATE mails SET created_at = ${dayAgo}, next_attempt_at = ${dayAgo}`);
    expect((await jdma('mail', 'test', 'autre@numerique.gouv.fr')).status).toBe(1);
    const failed = await jdma('mail', 'list', '--failed');
    expect(failed.stdout).toMatch(/^1\toperateur@numerique\.gouv\.fr\tessai\tabandonné après 2 essai\(s\) : .*ECONNREFUSED.*\n$/);
    expect(await db.rows("SELECT text_body FROM mails WHERE status = 'failed'")).toEqual([{ text_body: '' }]);
  });

  test('login-link --send mails a member the one-time link, audited as the operator’s', async () => {
    const { db, jdma } = await fresh({ SMTP_URL: smtp.url, MAIL_FROM: FROM });
    await jdma('entity', 'add', 'dinum', '--name', 'DINUM');
    await jdma('member', 'add', 'dinum', MEMBER, '--role', 'reader');
    const result = await jdma('login-link', MEMBER, '--send');
    expect(result).toEqual({ status: 0, stdout: `Lien de connexion pour ${MEMBER} : envoyé (SMTP).\n`, stderr: '' });
    const mail = await smtp.next();
    expect(mail.parsed.text).toMatch(new RegExp(`${PUBLIC_URL}/espace/lien/[A-Za-z0-9_-]{43}\\n`));
    expect(await db.rows('SELECT email FROM login_links')).toEqual([{ email: MEMBER }]);
    expect(await db.rows("SELECT actor, target FROM audit_log WHERE action = 'login_link_mailed'")).toEqual([
      { actor: 'operator', target: MEMBER },
    ]);
  });

  test.each([
    { name: 'mail test without an address', args: ['mail', 'test'], message: /adresse électronique manquante/ },
    { name: 'mail test with an invalid address', args: ['mail', 'test', 'agent'], message: /adresse électronique invalide « agent »/ },
    {
      name: 'mail test with an unknown language',
      args: ['mail', 'test', MEMBER, '--lang', 'de'],
      message: /langue invalide « de » : fr ou en/,
    },
    { name: 'mail list with an extra argument', args: ['mail', 'list', 'tout'], message: /argument en trop « tout »/ },
    {
      name: 'login-link --send for someone who is not a member',
      args: ['login-link', MEMBER, '--send'],
      message: /n’est membre d’aucune entité/,
    },
  ])('$name: exit 2, one line in French, nothing stored', async ({ args, message }) => {
    const { db, jdma } = await fresh({ SMTP_URL: smtp.url, MAIL_FROM: FROM });
    await jdma('entity', 'list');
    const before = await db.snapshot();
    const result = await jdma(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(await db.snapshot()).toEqual(before);
  });

  test('SMTP_URL without MAIL_FROM stops with one line', async () => {
    const { jdma } = await fresh({ SMTP_URL: smtp.url });
    const result = await jdma('mail', 'list');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^jdma : configuration invalide : MAIL_FROM : manquant/);
  });
});
