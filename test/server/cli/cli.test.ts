import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { exited, runCli, serve } from '../../helpers/cli-process.ts';
import { testDatabase, type TestDatabase } from '../../helpers/test-database.ts';
import { freePort, tempDir } from '../../helpers/test-server.ts';

const temp = tempDir();
afterAll(temp.remove);
const procedureTables = (db: TestDatabase) =>
  Promise.all(
    ['procedures', 'procedure_origins', 'placements'].map(async (table) =>
      JSON.stringify(await db.rows(`SELECT * FROM ${table} ORDER BY 1, 2`)),
    ),
  ).then((tables) => tables.join('\n'));
/**
 * A change made with the command line (another process) reaches a running collector within a
 * second: at once on SQLite (data_version), at its next poll on PostgreSQL.
 */
const soon = <T>(probe: () => Promise<T>, expected: T) => expect.poll(probe, { timeout: 1500, interval: 100 }).toBe(expected);

/** A new database of the engine under test, and the environment that points `jdma` at it. */
const fresh = async () => {
  const db = await testDatabase();
  return { db, env: { ...db.env, PUBLIC_URL: 'https://avis.example.gouv.fr' } };
};
/** `jdma entity add`: a procedure's entity must exist first. */
const addEntity = (env: Record<string, string>, id: string, name: string) =>
  expect(runCli(['entity', 'add', id, '--name', name], env)).toMatchObject({ status: 0, stderr: '' });

describe('jdma, as an agency uses it', () => {
  test('procedure add, placement add, origin add and procedure list write to and read from the database file', async () => {
    const { env, db } = await fresh();
    addEntity(env, 'interieur', 'Ministère de l’Intérieur');
    const add = runCli(
      [
        'procedure',
        'add',
        'demande-passeport',
        '--title',
        'Demande de passeport',
        '--entity',
        'interieur',
        '--origin',
        'https://passeport.example.gouv.fr',
        '--origin',
        'https://ants.gouv.fr/',
      ],
      env,
    );
    expect(add).toMatchObject({ status: 0, stderr: '' });
    expect(runCli(['placement', 'add', 'demande-passeport', 'email-confirmation'], env).status).toBe(0);
    expect(runCli(['origin', 'add', 'demande-passeport', 'http://localhost:3000'], env).status).toBe(0);

    expect(await db.rows('SELECT id, title, entity_id FROM procedures')).toEqual([
      { id: 'demande-passeport', title: 'Demande de passeport', entity_id: 'interieur' },
    ]);
    expect((await db.rows('SELECT origin FROM procedure_origins ORDER BY origin')).map((r) => r.origin)).toEqual([
      'http://localhost:3000',
      'https://ants.gouv.fr',
      'https://passeport.example.gouv.fr',
    ]);
    expect((await db.rows('SELECT id FROM placements ORDER BY id')).map((r) => r.id)).toEqual(['default', 'email-confirmation']);

    const list = runCli(['procedure', 'list'], env);
    expect(list.status).toBe(0);
    expect(list.stdout).toContain('demande-passeport\tDemande de passeport\tMinistère de l’Intérieur');
    expect(list.stdout).toContain('0 avis');
    const json = JSON.parse(runCli(['procedure', 'list', '--json'], env).stdout);
    expect(json).toEqual([expect.objectContaining({ id: 'demande-passeport', reviews: 0, placements: ['default', 'email-confirmation'] })]);
  });

  test('npx jdma runs the command line in the checkout', async () => {
    const { env } = await fresh();
    const result = spawnSync('npx', ['jdma', 'procedure', 'list'], { env: { ...process.env, ...env }, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Aucune démarche enregistrée.');
  });

  test('snippet prints five separate blocks, each pasteable as it is: script tag, e-mail link with the PNG button, bare link, the problem form’s tag and link', async () => {
    const { env } = await fresh();
    addEntity(env, 'dgfip', 'DGFiP');
    runCli(
      ['procedure', 'add', 'impots', '--title', 'Impôts', '--entity', 'dgfip', '--origin', 'https://impots.gouv.fr', '--placement', 'site'],
      env,
    );
    const blocks = (stdout: string) =>
      stdout
        .trim()
        .split(/\n\n/)
        .map((block) => {
          const [heading, ...body] = block.split('\n');
          return { heading, body: body.join('\n') };
        });

    const plain = runCli(['snippet', 'impots'], env);
    expect(plain.status).toBe(0);
    const [script, email, bare, problem, problemLink] = blocks(plain.stdout);
    expect(blocks(plain.stdout)).toHaveLength(5);
    expect(script).toEqual({
      heading: expect.stringMatching(/^===== 1\. Site web/),
      body: '<script src="https://avis.example.gouv.fr/widget.js" data-procedure="impots" async></script>',
    });
    expect(email).toEqual({
      heading: expect.stringMatching(/^===== 2\. Courriel.*Gmail et Outlook/),
      body: '<a href="https://avis.example.gouv.fr/avis/impots"><img src="https://avis.example.gouv.fr/button.png?theme=light&amp;lang=fr&amp;scale=2" width="200" height="48" alt="Je donne mon avis"></a>',
    });
    expect(bare).toEqual({ heading: expect.stringMatching(/^===== 3\. Lien seul/), body: 'https://avis.example.gouv.fr/avis/impots' });
    expect(problem).toEqual({
      heading: expect.stringMatching(/^===== 4\. «\u00a0Signaler un problème\u00a0»\u00a0: balise/),
      body: '<script src="https://avis.example.gouv.fr/widget.js" data-procedure="impots" data-form="probleme" async></script>',
    });
    expect(problemLink).toEqual({
      heading: expect.stringMatching(/^===== 5\. «\u00a0Signaler un problème\u00a0»\u00a0: lien seul/),
      body: 'https://avis.example.gouv.fr/probleme/impots',
    });

    // The page's placement labels the tag only: pasted in an e-mail or a letter, a link labelled
    // `site` would count their ratings as the page's.
    const [siteScript, siteEmail, siteBare] = blocks(runCli(['snippet', 'impots', '--placement', 'site'], env).stdout);
    expect(siteScript!.body).toBe(
      '<script src="https://avis.example.gouv.fr/widget.js" data-procedure="impots" data-placement="site" async></script>',
    );
    expect(siteEmail!.body).toBe(email!.body);
    expect(siteBare!.body).toBe('https://avis.example.gouv.fr/avis/impots');
    for (const block of [siteEmail!, siteBare!])
      expect(block.heading).toContain('sans emplacement (avis comptés sous l’emplacement par défaut\u00a0;');
  });

  const badCalls: { name: string; args: string[]; message: RegExp }[] = [
    { name: 'missing procedure id', args: ['procedure', 'add'], message: /identifiant de démarche manquant/ },
    { name: 'missing origin', args: ['origin', 'add', 'existe'], message: /origine manquante/ },
    {
      name: 'invalid slug',
      args: ['procedure', 'add', 'Demande_Passeport', '--title', 't', '--entity', 'ee', '--origin', 'https://a.fr'],
      message: /identifiant de démarche invalide/,
    },
    {
      name: 'origin with a path',
      args: ['procedure', 'add', 'ok-id', '--title', 't', '--entity', 'ee', '--origin', 'https://a.fr/demarche'],
      message: /origine invalide/,
    },
    {
      name: 'origin not http(s)',
      args: ['procedure', 'add', 'ok-id', '--title', 't', '--entity', 'ee', '--origin', 'ftp://a.fr'],
      message: /origine invalide/,
    },
    { name: 'no origin', args: ['procedure', 'add', 'ok-id', '--title', 't', '--entity', 'ee'], message: /--origin/ },
    { name: 'no title', args: ['procedure', 'add', 'ok-id', '--entity', 'ee', '--origin', 'https://a.fr'], message: /--title/ },
    {
      name: 'unknown procedure for a placement',
      args: ['placement', 'add', 'inconnue', 'site'],
      message: /démarche inconnue « inconnue »/,
    },
    { name: 'unknown procedure for a snippet', args: ['snippet', 'inconnue'], message: /démarche inconnue/ },
    { name: 'invalid placement', args: ['placement', 'add', 'existe', 'Site Web'], message: /emplacement invalide/ },
    { name: 'unknown placement for a snippet', args: ['snippet', 'existe', '--placement', 'ailleurs'], message: /emplacement inconnu/ },
    { name: 'unknown option', args: ['procedure', 'list', '--colour'], message: /option inconnue « --colour »/ },
    {
      name: 'option without its value',
      args: ['procedure', 'add', 'x-y', '--title'],
      message: /valeur manquante ou invalide pour « --title »/,
    },
    { name: 'unknown command', args: ['procedure', 'remove', 'existe'], message: /commande inconnue/ },
    { name: 'show an unknown procedure', args: ['procedure', 'show', 'inconnue'], message: /démarche inconnue « inconnue »/ },
    { name: 'rename without a title', args: ['procedure', 'rename', 'existe', '--entity', 'ee'], message: /--title est obligatoire/ },
    {
      name: 'rename to an empty entity',
      args: ['procedure', 'rename', 'existe', '--title', 'T', '--entity', ' '],
      message: /--entity ne peut pas être vide/,
    },
    { name: 'archive an unknown procedure', args: ['procedure', 'archive', 'inconnue'], message: /démarche inconnue/ },
    {
      name: 'remove an origin that is not there',
      args: ['origin', 'remove', 'existe', 'https://b.fr'],
      message: /l’origine https:\/\/b\.fr n’est pas autorisée pour « existe »/,
    },
    {
      name: 'remove the default placement',
      args: ['placement', 'remove', 'existe', 'default'],
      message: /l’emplacement par défaut \(default\) ne peut pas être retiré/,
    },
    {
      name: 'remove a placement that is not there',
      args: ['placement', 'remove', 'existe', 'ailleurs'],
      message: /n’a pas d’emplacement « ailleurs »/,
    },
  ];

  test.each(badCalls)('$name: one clear line on stderr, non-zero exit, nothing written', async ({ args, message }) => {
    const { env, db } = await fresh();
    addEntity(env, 'ee', 'E');
    runCli(['procedure', 'add', 'existe', '--title', 't', '--entity', 'ee', '--origin', 'https://a.fr'], env);
    const before = await procedureTables(db);
    const result = runCli(args, env);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^jdma : /)]);
    expect(await procedureTables(db)).toBe(before);
  });

  test('with HOST=0.0.0.0 and no PUBLIC_URL, snippet refuses to print an address nobody can reach', async () => {
    const { env, db } = await fresh();
    addEntity(env, 'ee', 'E');
    runCli(['procedure', 'add', 'existe', '--title', 't', '--entity', 'ee', '--origin', 'https://a.fr'], env);
    const result = runCli(['snippet', 'existe'], { ...db.env, HOST: '0.0.0.0', PUBLIC_URL: '' });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim()).toMatch(/^jdma : PUBLIC_URL doit être défini/);
  });

  test('the whole life of a procedure: show, rename, archive (ratings refused, out of the feed), restore, origins and placements removed', async () => {
    const { env: base, db } = await fresh();
    const env = { ...base, PORT: String(await freePort()), LOG_LEVEL: 'silent' };
    const id = 'demande-passeport';
    addEntity(env, 'interieur', 'Intérieur');
    addEntity(env, 'ministere-interieur', 'Ministère de l’Intérieur');
    expect(
      runCli(
        [
          'procedure',
          'add',
          id,
          '--title',
          'Passeport',
          '--entity',
          'interieur',
          '--origin',
          'https://passeport.gouv.fr',
          '--placement',
          'site',
        ],
        env,
      ).status,
    ).toBe(0);
    // Adding what is already there says so, and is not an error.
    expect(runCli(['origin', 'add', id, 'https://passeport.gouv.fr'], env)).toMatchObject({
      status: 0,
      stdout: expect.stringContaining('déjà autorisée'),
    });
    expect(runCli(['placement', 'add', id, 'site'], env)).toMatchObject({ status: 0, stdout: expect.stringContaining('existe déjà') });

    const server = await serve(env);
    const rate = (origin: string, placement?: string) =>
      fetch(`${server.url}/api/v1/reviews`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', origin },
        body: JSON.stringify({ procedure: id, satisfaction: 'good', ...(placement && { placement }) }),
      });
    const feedIds = async () =>
      ((await (await fetch(`${server.url}/api/v1/feed`)).json()) as { procedures: { id: string }[] }).procedures.map((p) => p.id);
    try {
      expect((await rate('https://passeport.gouv.fr', 'site')).status).toBe(201);
      for (let i = 0; i < 3; i++) expect((await rate('https://www.passeport.gouv.fr')).status).toBe(403);
      expect((await rate('https://passeport.gouv.fr', 'courriel')).status).toBe(404);
      await new Promise((resolve) => setTimeout(resolve, 1500)); // refused attempts are written once a second

      const show = runCli(['procedure', 'show', id], env);
      expect(show.status).toBe(0);
      expect(show.stdout).toContain('demande-passeport : Passeport');
      expect(show.stdout).toContain('Origines autorisées : https://passeport.gouv.fr');
      expect(show.stdout).toContain('Emplacements : default site');
      expect(show.stdout).toContain('Avis : 1 sur 7 jours, 1 sur 30 jours');
      expect(show.stdout).toContain(
        '3 : origine non autorisée depuis https://www.passeport.gouv.fr (jdma origin add demande-passeport https://www.passeport.gouv.fr)',
      );
      expect(show.stdout).toContain(
        '1 : emplacement inconnu depuis https://passeport.gouv.fr, emplacement « courriel » (jdma placement add demande-passeport courriel)',
      );
      expect(JSON.parse(runCli(['procedure', 'show', id, '--json'], env).stdout)).toMatchObject({
        id,
        reviews: { last_7_days: 1, last_30_days: 1 },
        refused_last_30_days: [
          { reason: 'origin_not_allowed', origin: 'https://www.passeport.gouv.fr', count: 3 },
          { reason: 'unknown_placement', count: 1 },
        ],
      });

      expect(runCli(['procedure', 'rename', id, '--title', 'Demande de passeport', '--entity', 'ministere-interieur'], env).status).toBe(0);
      expect(await db.rows('SELECT title, entity_id FROM procedures WHERE id = ?', id)).toEqual([
        { title: 'Demande de passeport', entity_id: 'ministere-interieur' },
      ]);
      expect(runCli(['procedure', 'show', id], env).stdout).toContain('Entité : Ministère de l’Intérieur (ministere-interieur)');

      expect(await feedIds()).toContain(id);
      expect(runCli(['procedure', 'archive', id], env).status).toBe(0);
      expect(runCli(['procedure', 'archive', id], env).stdout).toContain('déjà archivée');
      await soon(async () => (await rate('https://passeport.gouv.fr')).status, 410);
      const refused = await rate('https://passeport.gouv.fr');
      expect(refused.status).toBe(410);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('procedure_archived');
      await soon(async () => (await feedIds()).includes(id), false);
      expect((await fetch(`${server.url}/observatoire`)).ok).toBe(true);
      expect(await (await fetch(`${server.url}/observatoire`)).text()).not.toContain('Demande de passeport');
      expect(runCli(['procedure', 'show', id], env).stdout).toMatch(/État : archivée le \d{4}-\d{2}-\d{2}/);
      expect(runCli(['procedure', 'list'], env).stdout).toMatch(/\tarchivée$/m);

      expect(runCli(['procedure', 'restore', id], env).status).toBe(0);
      await soon(async () => (await rate('https://passeport.gouv.fr')).status, 201);
      await soon(async () => (await feedIds()).includes(id), true);

      expect(runCli(['origin', 'remove', id, 'https://passeport.gouv.fr'], env).status).toBe(0);
      await soon(async () => (await rate('https://passeport.gouv.fr')).status, 403);
      expect(runCli(['placement', 'remove', id, 'site'], env).status).toBe(0);
      expect(await db.rows('SELECT id FROM placements WHERE procedure_id = ?', id)).toEqual([{ id: 'default' }]);
      // Past reviews keep the placement they were given.
      expect(await db.rows("SELECT count(*) AS n FROM reviews WHERE placement_id = 'site'")).toEqual([{ n: 1 }]);
    } finally {
      server.child.kill('SIGTERM');
      await exited(server.child);
    }
    // Thirteen commands, each a process of its own: more than the default 30 s on a loaded machine.
  }, 120_000);

  test('npm start’s address works typed as localhost or as 127.0.0.1: pages, their CSP and ratings', async () => {
    const { env: base } = await fresh();
    const env = { ...base, PORT: String(await freePort()), LOG_LEVEL: 'silent', PUBLIC_URL: '' };
    const server = await serve(env);
    try {
      for (const base of [`http://localhost:${env.PORT}`, `http://127.0.0.1:${env.PORT}`]) {
        const demo = await fetch(`${base}/demo`);
        expect(demo.headers.get('content-security-policy')).toContain(`script-src ${base};`);
        expect(await demo.text()).toContain(`<script src="${base}/widget.js"`);
        const rating = await fetch(`${base}/api/v1/reviews`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain', origin: base },
          body: JSON.stringify({ procedure: 'demo', satisfaction: 'good' }),
        });
        expect(rating.status).toBe(201);
      }
    } finally {
      server.child.kill('SIGTERM');
      await exited(server.child);
    }
  });

  test.each([
    ['PORT', 'eighty'],
    ['PUBLIC_URL', 'ftp://avis.example.gouv.fr'],
    ['RATE_LIMIT_PER_MINUTE', '-1'],
    ['RATINGS_PER_CLIENT_PER_DAY', 'ten'],
    ['AGENCY_RATE_LIMIT_PER_MINUTE', '-1'],
    ['MAX_PROCEDURES_PER_ENTITY', '0'],
    ['METRICS_TOKEN', 'too-short'],
    ['HOSTED_FORM_SECRET', 'shorter-than-32-characters'],
    ['TRUST_PROXY', 'yes please'],
    ['TRUST_PROXY', 'true'],
    ['FEED_MIN_REVIEWS', '0'],
    ['ALERT_WINDOW_SECONDS', '0'],
    ['ALERT_MAX_SECONDS', 'deux heures'],
    ['ALERT_BROKEN_MIN_REFUSALS', '-1'],
    ['ALERT_LEVEL_MIN_REVIEWS', '1.5'],
    ['LOG_LEVEL', 'loud'],
  ])('a bad %s stops start-up with one line', (name, value) => {
    const result = runCli(['serve'], { [name]: value, DATABASE_PATH: join(temp.dir, 'never.sqlite') });
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim()).toMatch(new RegExp(`^jdma : configuration invalide : ${name} = « ${value} » : [^\n]+$`));
  });

  test('serve --demo creates the database, applies migrations and registers the demo procedure', async () => {
    const { env: base, db } = await fresh();
    const env = { ...base, PORT: String(await freePort()), LOG_LEVEL: 'silent' };
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
    expect(await db.rows('SELECT origin FROM procedure_origins WHERE procedure_id = ?', 'demo')).toEqual([{ origin: server.url }]);
    expect(await db.rows('SELECT id, name FROM entities')).toEqual([{ id: 'jdma', name: 'Équipe Je donne mon avis' }]);
    expect(await db.rows('SELECT entity_id FROM procedures')).toEqual([{ entity_id: 'jdma' }]);
    expect(await db.rows('SELECT count(*) AS n FROM reviews')).toEqual([{ n: 1 }]);
    expect(runCli(['procedure', 'list'], env).stdout).toMatch(/^demo\t.*\t1 avis$/m);
  });

  test('a procedure registered while the collector runs takes ratings at once (no restart)', async () => {
    const { env: base } = await fresh();
    const env = { ...base, PORT: String(await freePort()), LOG_LEVEL: 'silent' };
    const server = await serve(env);
    const rate = (procedure: string, origin: string) =>
      fetch(`${server.url}/api/v1/reviews`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', origin },
        body: JSON.stringify({ procedure, satisfaction: 'good' }),
      });
    try {
      expect((await rate('impots', 'https://impots.gouv.fr')).status).toBe(404);
      addEntity(env, 'dgfip', 'DGFiP');
      expect(
        runCli(['procedure', 'add', 'impots', '--title', 'Impôts', '--entity', 'dgfip', '--origin', 'https://impots.gouv.fr'], env).status,
      ).toBe(0);
      await soon(async () => (await rate('impots', 'https://impots.gouv.fr')).status, 201);
      expect((await rate('impots', 'https://autre.gouv.fr')).status).toBe(403);
      expect(runCli(['origin', 'add', 'impots', 'https://autre.gouv.fr'], env).status).toBe(0);
      await soon(async () => (await rate('impots', 'https://autre.gouv.fr')).status, 201);
    } finally {
      server.child.kill('SIGTERM');
      await exited(server.child);
    }
  });
});
