import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { exited, runCli, serve } from '../helpers/cli-process.ts';
import { freePort, readRows, tempDir } from '../helpers/test-server.ts';

const temp = tempDir();
afterAll(temp.remove);
let n = 0;
const freshEnv = () => ({ DATABASE_PATH: join(temp.dir, `cli-${++n}.sqlite`), PUBLIC_URL: 'https://avis.example.gouv.fr' });

describe('jdma, as an agency uses it', () => {
  test('procedure add, placement add, origin add and procedure list write to and read from the database file', () => {
    const env = freshEnv();
    const add = runCli(
      ['procedure', 'add', 'demande-passeport', '--title', 'Demande de passeport', '--entity', 'Ministère de l’Intérieur',
        '--origin', 'https://passeport.example.gouv.fr', '--origin', 'https://ants.gouv.fr/'],
      env,
    );
    expect(add).toMatchObject({ status: 0, stderr: '' });
    expect(runCli(['placement', 'add', 'demande-passeport', 'email-confirmation'], env).status).toBe(0);
    expect(runCli(['origin', 'add', 'demande-passeport', 'http://localhost:3000'], env).status).toBe(0);

    expect(readRows(env.DATABASE_PATH, 'SELECT id, title, entity FROM procedures')).toEqual([
      { id: 'demande-passeport', title: 'Demande de passeport', entity: 'Ministère de l’Intérieur' },
    ]);
    expect(readRows(env.DATABASE_PATH, 'SELECT origin FROM procedure_origins ORDER BY origin').map((r) => r.origin)).toEqual([
      'http://localhost:3000', 'https://ants.gouv.fr', 'https://passeport.example.gouv.fr',
    ]);
    expect(readRows(env.DATABASE_PATH, 'SELECT id FROM placements ORDER BY id').map((r) => r.id)).toEqual(['default', 'email-confirmation']);

    const list = runCli(['procedure', 'list'], env);
    expect(list.status).toBe(0);
    expect(list.stdout).toContain('demande-passeport\tDemande de passeport\tMinistère de l’Intérieur');
    expect(list.stdout).toContain('0 avis');
    const json = JSON.parse(runCli(['procedure', 'list', '--json'], env).stdout);
    expect(json).toEqual([expect.objectContaining({ id: 'demande-passeport', reviews: 0, placements: ['default', 'email-confirmation'] })]);
  });

  test('npx jdma runs the command line in the checkout', () => {
    const env = freshEnv();
    const result = spawnSync('npx', ['jdma', 'procedure', 'list'], { env: { ...process.env, ...env }, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Aucune démarche enregistrée.');
  });

  test('snippet prints three separate blocks, each pasteable as it is: script tag, e-mail link with the PNG button, bare link', () => {
    const env = freshEnv();
    runCli(['procedure', 'add', 'impots', '--title', 'Impôts', '--entity', 'DGFiP', '--origin', 'https://impots.gouv.fr', '--placement', 'site'], env);
    const blocks = (stdout: string) => stdout.trim().split(/\n\n/).map((block) => {
      const [heading, ...body] = block.split('\n');
      return { heading, body: body.join('\n') };
    });

    const plain = runCli(['snippet', 'impots'], env);
    expect(plain.status).toBe(0);
    const [script, email, bare] = blocks(plain.stdout);
    expect(blocks(plain.stdout)).toHaveLength(3);
    expect(script).toEqual({ heading: expect.stringMatching(/^===== 1\. Site web/), body: '<script src="https://avis.example.gouv.fr/widget.js" data-procedure="impots" async></script>' });
    expect(email).toEqual({
      heading: expect.stringMatching(/^===== 2\. E-mail.*Gmail et Outlook/),
      body: '<a href="https://avis.example.gouv.fr/avis/impots"><img src="https://avis.example.gouv.fr/button.png?theme=light&amp;lang=fr&amp;scale=2" width="200" height="48" alt="Je donne mon avis"></a>',
    });
    expect(bare).toEqual({ heading: expect.stringMatching(/^===== 3\. Lien seul/), body: 'https://avis.example.gouv.fr/avis/impots' });

    const [siteScript, siteEmail, siteBare] = blocks(runCli(['snippet', 'impots', '--placement', 'site'], env).stdout);
    expect(siteScript!.body).toBe('<script src="https://avis.example.gouv.fr/widget.js" data-procedure="impots" data-placement="site" async></script>');
    expect(siteEmail!.body).toContain('<a href="https://avis.example.gouv.fr/avis/impots?placement=site">');
    expect(siteBare!.body).toBe('https://avis.example.gouv.fr/avis/impots?placement=site');
  });

  const badCalls: { name: string; args: string[]; message: RegExp }[] = [
    { name: 'missing procedure id', args: ['procedure', 'add'], message: /identifiant de démarche manquant/ },
    { name: 'missing origin', args: ['origin', 'add', 'existe'], message: /origine manquante/ },
    { name: 'invalid slug', args: ['procedure', 'add', 'Demande_Passeport', '--title', 't', '--entity', 'e', '--origin', 'https://a.fr'], message: /identifiant de démarche invalide/ },
    { name: 'origin with a path', args: ['procedure', 'add', 'ok-id', '--title', 't', '--entity', 'e', '--origin', 'https://a.fr/demarche'], message: /origine invalide/ },
    { name: 'origin not http(s)', args: ['procedure', 'add', 'ok-id', '--title', 't', '--entity', 'e', '--origin', 'ftp://a.fr'], message: /origine invalide/ },
    { name: 'no origin', args: ['procedure', 'add', 'ok-id', '--title', 't', '--entity', 'e'], message: /--origin/ },
    { name: 'no title', args: ['procedure', 'add', 'ok-id', '--entity', 'e', '--origin', 'https://a.fr'], message: /--title/ },
    { name: 'unknown procedure for a placement', args: ['placement', 'add', 'inconnue', 'site'], message: /démarche inconnue « inconnue »/ },
    { name: 'unknown procedure for a snippet', args: ['snippet', 'inconnue'], message: /démarche inconnue/ },
    { name: 'invalid placement', args: ['placement', 'add', 'existe', 'Site Web'], message: /emplacement invalide/ },
    { name: 'unknown placement for a snippet', args: ['snippet', 'existe', '--placement', 'ailleurs'], message: /emplacement inconnu/ },
    { name: 'unknown option', args: ['procedure', 'list', '--colour'], message: /option inconnue « --colour »/ },
    { name: 'option without its value', args: ['procedure', 'add', 'x-y', '--title'], message: /valeur manquante ou invalide pour « --title »/ },
    { name: 'unknown command', args: ['procedure', 'remove', 'existe'], message: /commande inconnue/ },
  ];

  test.each(badCalls)('$name: one clear line on stderr, non-zero exit, nothing written', ({ args, message }) => {
    const env = freshEnv();
    runCli(['procedure', 'add', 'existe', '--title', 't', '--entity', 'e', '--origin', 'https://a.fr'], env);
    const before = JSON.stringify(readRows(env.DATABASE_PATH, 'SELECT * FROM procedures')) + JSON.stringify(readRows(env.DATABASE_PATH, 'SELECT * FROM placements'));
    const result = runCli(args, env);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^jdma : /)]);
    expect(JSON.stringify(readRows(env.DATABASE_PATH, 'SELECT * FROM procedures')) + JSON.stringify(readRows(env.DATABASE_PATH, 'SELECT * FROM placements'))).toBe(before);
  });

  test.each([
    ['PORT', 'eighty'],
    ['PUBLIC_URL', 'ftp://avis.example.gouv.fr'],
    ['RATE_LIMIT_PER_MINUTE', '-1'],
    ['TRUST_PROXY', 'yes please'],
    ['FEED_MIN_REVIEWS', '0'],
    ['LOG_LEVEL', 'loud'],
  ])('a bad %s stops start-up with one line', (name, value) => {
    const result = runCli(['serve'], { [name]: value, DATABASE_PATH: join(temp.dir, 'never.sqlite') });
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim()).toMatch(new RegExp(`^jdma : invalid configuration: ${name}: [^\n]+$`));
  });

  test('serve --demo creates the database, applies migrations and registers the demo procedure', async () => {
    const env = { ...freshEnv(), PORT: String(await freePort()), LOG_LEVEL: 'silent' };
    delete (env as Record<string, string>).PUBLIC_URL;
    const server = await serve(env);
    try {
      const home = await fetch(server.url);
      expect(home.status).toBe(200);
      expect(home.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(await home.text()).toContain('Je donne mon avis');
      const rating = await fetch(`${server.url}/api/v1/reviews`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', origin: server.url },
        body: JSON.stringify({ procedure: 'demo', placement: 'site', satisfaction: 'good' }),
      });
      expect(rating.status).toBe(201);
      expect(rating.headers.get('access-control-allow-origin')).toBe(server.url);
    } finally {
      server.child.kill('SIGTERM');
      await exited(server.child);
    }
    expect(readRows(env.DATABASE_PATH, 'SELECT origin FROM procedure_origins WHERE procedure_id = ?', 'demo')).toEqual([{ origin: server.url }]);
    expect(readRows(env.DATABASE_PATH, 'PRAGMA user_version')).toEqual([{ user_version: expect.any(Number) }]);
    expect(readRows(env.DATABASE_PATH, 'SELECT count(*) AS n FROM reviews')).toEqual([{ n: 1 }]);
    expect(runCli(['procedure', 'list'], env).stdout).toMatch(/^demo\t.*\t1 avis$/m);
  });

  test('a procedure registered while the collector runs takes ratings at once (no restart)', async () => {
    const env = { ...freshEnv(), PORT: String(await freePort()), LOG_LEVEL: 'silent' };
    const server = await serve(env);
    const rate = (procedure: string, origin: string) =>
      fetch(`${server.url}/api/v1/reviews`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', origin },
        body: JSON.stringify({ procedure, satisfaction: 'good' }),
      });
    try {
      expect((await rate('impots', 'https://impots.gouv.fr')).status).toBe(404);
      expect(runCli(['procedure', 'add', 'impots', '--title', 'Impôts', '--entity', 'DGFiP', '--origin', 'https://impots.gouv.fr'], env).status).toBe(0);
      expect((await rate('impots', 'https://impots.gouv.fr')).status).toBe(201);
      expect((await rate('impots', 'https://autre.gouv.fr')).status).toBe(403);
      expect(runCli(['origin', 'add', 'impots', 'https://autre.gouv.fr'], env).status).toBe(0);
      expect((await rate('impots', 'https://autre.gouv.fr')).status).toBe(201);
    } finally {
      server.child.kill('SIGTERM');
      await exited(server.child);
    }
  });
});
