import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Store } from '../../../server/store/store.ts';
import { runCli } from '../../helpers/cli-process.ts';
import { testDatabase, type TestDatabase } from '../../helpers/test-database.ts';

// The operator's commands for agency access (SPEC §8), as a subprocess on the engine under test:
// entities, members, API keys, login links, and the audit log they leave.

const PUBLIC_URL = 'https://avis.example.gouv.fr';
/** Image files for `jdma entity logo`: a PNG, and a GIF named as one (told by its bytes, refused). */
const files = mkdtempSync(join(tmpdir(), 'jdma-cli-logo-'));
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR une image')]);
writeFileSync(join(files, 'logo.png'), PNG);
writeFileSync(join(files, 'anime.png'), 'GIF89a une animation');
writeFileSync(join(files, 'lourd.png'), Buffer.concat([PNG, Buffer.alloc(100_000)]));
const sha256 = (secret: string) => createHash('sha256').update(secret).digest();

async function fresh() {
  const db = await testDatabase();
  const env = { ...db.env, PUBLIC_URL };
  const jdma = (...args: string[]) => runCli(args, env);
  return { db, env, jdma };
}

/** Runs `use` on a store of its own, closed after. */
async function withStore<T>(db: TestDatabase, use: (store: Store) => Promise<T>): Promise<T> {
  const store = await db.open();
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

const auditOf = (db: TestDatabase) =>
  db.rows<{ entity_id: string | null; actor: string; action: string; target: string; details: string }>(
    'SELECT entity_id, actor, action, target, details FROM audit_log ORDER BY id',
  );

// Up to ten command-line processes per test, each opening the database: on PostgreSQL and a busy
// machine that is more than the 30 s default.
describe('jdma entity, member, key and login-link, as the operator uses them', { timeout: 120_000 }, () => {
  test('entity add and entity list', async () => {
    const { db, jdma } = await fresh();
    expect(jdma('entity', 'list').stdout).toContain('Aucune entité enregistrée');
    const added = jdma('entity', 'add', 'dinum', '--name', ' Direction interministérielle du numérique ');
    expect(added).toMatchObject({ status: 0, stderr: '' });
    expect(added.stdout).toContain('jdma member add dinum <adresse> --role admin');
    expect(jdma('entity', 'add', 'ants', '--name', 'ANTS').status).toBe(0);
    expect(jdma('entity', 'list').stdout).toBe('ants\tANTS\ndinum\tDirection interministérielle du numérique\n');
    expect(JSON.parse(jdma('entity', 'list', '--json').stdout)).toEqual([
      { id: 'ants', name: 'ANTS' },
      { id: 'dinum', name: 'Direction interministérielle du numérique' },
    ]);
    expect(await auditOf(db)).toEqual([
      {
        entity_id: 'dinum',
        actor: 'operator',
        action: 'entity_added',
        target: 'dinum',
        details: '{"name":"Direction interministérielle du numérique"}',
      },
      { entity_id: 'ants', actor: 'operator', action: 'entity_added', target: 'ants', details: '{"name":"ANTS"}' },
    ]);
  });

  test('entity logo puts the hosted pages’ logo, entity logo-remove takes it away, both audited as the operator', async () => {
    const { db, jdma } = await fresh();
    expect(jdma('entity', 'add', 'dinum', '--name', 'DINUM').status).toBe(0);
    const put = jdma('entity', 'logo', 'dinum', join(files, 'logo.png'));
    expect(put).toMatchObject({ status: 0, stderr: '' });
    expect(put.stdout).toContain('Logo de « dinum » enregistré');
    expect(await withStore(db, async (store) => (await store.entities.logo('dinum'))?.bytes)).toEqual(PNG);
    expect(jdma('entity', 'logo-remove', 'dinum').stdout).toContain('Logo de « dinum » retiré.');
    expect(jdma('entity', 'logo-remove', 'dinum').stdout).toContain('n’avait pas de logo');
    expect(await withStore(db, (store) => store.entities.logo('dinum'))).toBeUndefined();
    expect((await auditOf(db)).map((entry) => [entry.actor, entry.action, entry.target])).toEqual([
      ['operator', 'entity_added', 'dinum'],
      ['operator', 'entity_logo_set', 'dinum'],
      ['operator', 'entity_logo_removed', 'dinum'],
    ]);
  });

  test('member add, a role changed, the same role again, member list, member remove', async () => {
    const { db, jdma } = await fresh();
    jdma('entity', 'add', 'dinum', '--name', 'DINUM');
    expect(jdma('member', 'list', 'dinum').stdout).toContain('Aucun membre');
    expect(jdma('member', 'add', 'dinum', 'Agent@Numerique.gouv.fr', '--role', 'reader')).toMatchObject({
      status: 0,
      stdout: 'agent@numerique.gouv.fr ajouté à « dinum » comme lecteur. Lien de connexion : jdma login-link agent@numerique.gouv.fr\n',
    });
    expect(jdma('member', 'add', 'dinum', 'agent@numerique.gouv.fr', '--role', 'admin')).toMatchObject({
      status: 0,
      stdout: 'Rôle de agent@numerique.gouv.fr dans « dinum » changé : lecteur → administrateur.\n',
    });
    const snapshot = await db.snapshot();
    expect(jdma('member', 'add', 'dinum', 'agent@numerique.gouv.fr', '--role', 'admin')).toMatchObject({
      status: 0,
      stdout: 'agent@numerique.gouv.fr est déjà administrateur de « dinum ».\n',
    });
    expect(await db.snapshot()).toEqual(snapshot);
    expect(jdma('member', 'add', 'dinum', 'collegue@numerique.gouv.fr', '--role', 'reader').status).toBe(0);
    expect(jdma('member', 'list', 'dinum').stdout).toMatch(
      /^agent@numerique\.gouv\.fr\tadmin\tdepuis le \d{4}-\d\d-\d\d\ncollegue@numerique\.gouv\.fr\treader\tdepuis le \d{4}-\d\d-\d\d\n$/,
    );
    expect(jdma('member', 'remove', 'dinum', 'Collegue@numerique.gouv.fr')).toMatchObject({ status: 0, stderr: '' });
    expect(await db.rows('SELECT entity_id, email, role FROM members')).toEqual([
      { entity_id: 'dinum', email: 'agent@numerique.gouv.fr', role: 'admin' },
    ]);
    expect((await auditOf(db)).slice(1).map((e) => [e.action, e.target, e.details])).toEqual([
      ['member_added', 'agent@numerique.gouv.fr', '{"role":"reader"}'],
      ['member_role_changed', 'agent@numerique.gouv.fr', '{"from":"reader","to":"admin"}'],
      ['member_added', 'collegue@numerique.gouv.fr', '{"role":"reader"}'],
      ['member_removed', 'collegue@numerique.gouv.fr', '{"role":"reader"}'],
    ]);
  });

  test('key create prints the key once and stores only its SHA-256; key list; key revoke', async () => {
    const { db, jdma } = await fresh();
    jdma('entity', 'add', 'dinum', '--name', 'DINUM');
    for (const id of ['alpha', 'beta']) {
      jdma('procedure', 'add', id, '--title', id, '--entity', 'dinum', '--origin', 'https://a.gouv.fr');
    }
    const all = jdma('key', 'create', 'dinum', '--name', 'tableau de bord');
    expect(all).toMatchObject({ status: 0, stderr: '' });
    const keyOf = (stdout: string) => stdout.match(/^jdma_[A-Za-z0-9_-]{43}$/m)![0];
    const scoped = jdma('key', 'create', 'dinum', '--name', 'script', '--procedure', 'beta', '--procedure', 'alpha');
    expect(scoped.stdout).toContain('démarches beta, alpha');
    expect(keyOf(all.stdout)).not.toBe(keyOf(scoped.stdout));
    expect(await db.rows('SELECT name, hash FROM api_keys ORDER BY id')).toEqual([
      { name: 'tableau de bord', hash: sha256(keyOf(all.stdout)) },
      { name: 'script', hash: sha256(keyOf(scoped.stdout)) },
    ]);
    const everything = JSON.stringify(await db.snapshot());
    for (const printed of [all, scoped]) expect(everything).not.toContain(keyOf(printed.stdout).slice(5));

    const key = await withStore(db, (store) => store.apiKeys.use(sha256(keyOf(scoped.stdout)), new Date()));
    expect(key).toMatchObject({ entityId: 'dinum', name: 'script', procedureIds: ['alpha', 'beta'] });
    expect(jdma('key', 'list', 'dinum').stdout.split('\n')).toEqual([
      expect.stringMatching(/^tableau de bord\ttoutes\tcréée le \d{4}-\d\d-\d\d\tjamais utilisée\tactive$/),
      expect.stringMatching(/^script\talpha,beta\tcréée le \d{4}-\d\d-\d\d\tutilisée le \d{4}-\d\d-\d\d\tactive$/),
      '',
    ]);

    expect(jdma('key', 'revoke', 'dinum', 'script')).toMatchObject({ status: 0, stderr: '' });
    expect(await withStore(db, (store) => store.apiKeys.use(sha256(keyOf(scoped.stdout)), new Date()))).toBeUndefined();
    expect(jdma('key', 'list', 'dinum').stdout).toMatch(/^script\t.*\trévoquée le \d{4}-\d\d-\d\d$/m);
    // A revoked key's name can be given to a new one.
    expect(jdma('key', 'create', 'dinum', '--name', 'script').status).toBe(0);
    expect((await auditOf(db)).filter((e) => e.action.startsWith('key_')).map((e) => [e.action, e.target, e.details])).toEqual([
      ['key_created', 'tableau de bord', '{"procedures":null}'],
      ['key_created', 'script', '{"procedures":["beta","alpha"]}'],
      ['key_revoked', 'script', '{}'],
      ['key_created', 'script', '{"procedures":null}'],
    ]);
  });

  test('login-link prints a link for a member, valid 15 minutes, usable once; only its SHA-256 is stored', async () => {
    const { db, jdma } = await fresh();
    jdma('entity', 'add', 'dinum', '--name', 'DINUM');
    jdma('entity', 'add', 'ants', '--name', 'ANTS');
    jdma('member', 'add', 'dinum', 'agent@numerique.gouv.fr', '--role', 'reader');
    jdma('member', 'add', 'ants', 'agent@numerique.gouv.fr', '--role', 'admin');
    const before = Date.now();
    const result = jdma('login-link', 'Agent@Numerique.gouv.fr');
    const after = Date.now();
    expect(result).toMatchObject({ status: 0, stderr: '' });
    const [, token] = result.stdout.match(/^https:\/\/avis\.example\.gouv\.fr\/espace\/lien\/([A-Za-z0-9_-]{43})$/m)!;
    const [link] = await db.rows<{ token_hash: Buffer; email: string; expires_at: number; used_at: null }>('SELECT * FROM login_links');
    expect(link).toEqual({ token_hash: sha256(token!), email: 'agent@numerique.gouv.fr', expires_at: expect.any(Number), used_at: null });
    expect(link!.expires_at).toBeGreaterThanOrEqual(before + 15 * 60_000);
    expect(link!.expires_at).toBeLessThanOrEqual(after + 15 * 60_000);
    expect(
      await withStore(db, async (store) => [
        await store.loginLinks.consume(sha256(token!), Date.now()),
        await store.loginLinks.consume(sha256(token!), Date.now()),
      ]),
    ).toEqual(['agent@numerique.gouv.fr', undefined]);
    expect((await auditOf(db)).filter((e) => e.action === 'login_link_created').map((e) => e.entity_id)).toEqual(['ants', 'dinum']);
  });

  test('procedure changes by the operator are in the entity’s audit log', async () => {
    const { db, jdma } = await fresh();
    jdma('entity', 'add', 'dinum', '--name', 'DINUM');
    jdma('entity', 'add', 'ants', '--name', 'ANTS');
    const steps = [
      ['procedure', 'add', 'alpha', '--title', 'Alpha', '--entity', 'dinum', '--origin', 'https://a.gouv.fr'],
      ['origin', 'add', 'alpha', 'https://b.gouv.fr'],
      ['origin', 'add', 'alpha', 'https://b.gouv.fr'], // already there: nothing changes, nothing logged
      ['origin', 'remove', 'alpha', 'https://b.gouv.fr'],
      ['placement', 'add', 'alpha', 'site'],
      ['placement', 'remove', 'alpha', 'site'],
      ['procedure', 'archive', 'alpha'],
      ['procedure', 'restore', 'alpha'],
      ['procedure', 'rename', 'alpha', '--title', 'Alpha bis', '--entity', 'ants'],
    ];
    for (const step of steps) expect(jdma(...step)).toMatchObject({ status: 0, stderr: '' });
    const log = (await auditOf(db)).filter((e) => e.action.startsWith('procedure_'));
    expect(log.every((e) => e.actor === 'operator' && e.target === 'alpha')).toBe(true);
    // The actions the API and the space write for the same changes (server/agency/procedure-settings.ts).
    expect(log.map((e) => [e.entity_id, e.action, JSON.parse(e.details)])).toEqual([
      ['dinum', 'procedure_created', { title: 'Alpha', origins: ['https://a.gouv.fr'], placements: [] }],
      ['dinum', 'procedure_updated', { origins_added: ['https://b.gouv.fr'] }],
      ['dinum', 'procedure_updated', { origins_removed: ['https://b.gouv.fr'] }],
      ['dinum', 'procedure_updated', { placements_added: ['site'] }],
      ['dinum', 'procedure_updated', { placements_removed: ['site'] }],
      ['dinum', 'procedure_archived', {}],
      ['dinum', 'procedure_restored', {}],
      ['dinum', 'procedure_updated', { title: 'Alpha bis' }],
      // A procedure that changes hands is in the log of both entities.
      ['dinum', 'procedure_updated', { entity: { from: 'dinum', to: 'ants' } }],
      ['ants', 'procedure_updated', { entity: { from: 'dinum', to: 'ants' } }],
    ]);
    expect(jdma('procedure', 'list').stdout).toContain('alpha\tAlpha bis\tANTS\t');
  });
});

describe('every mistake: one line on stderr, exit 2, nothing written', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    db = await testDatabase();
    env = { ...db.env, PUBLIC_URL };
    await withStore(db, async (store) => {
      await store.entities.add({ id: 'dinum', name: 'DINUM' });
      await store.entities.add({ id: 'ants', name: 'ANTS' });
      await store.members.put({ entityId: 'dinum', email: 'agent@numerique.gouv.fr', role: 'admin' });
      await store.procedures.add({ id: 'existe', title: 'Existe', entityId: 'dinum', origins: ['https://a.gouv.fr'] });
      await store.procedures.add({ id: 'ailleurs', title: 'Ailleurs', entityId: 'ants', origins: ['https://b.gouv.fr'] });
      await store.apiKeys.add({ entityId: 'dinum', name: 'tableau', hash: sha256('k'), procedureIds: null });
      await store.apiKeys.add({ entityId: 'dinum', name: 'ancienne', hash: sha256('v'), procedureIds: null });
      await store.apiKeys.revoke('dinum', 'ancienne', new Date());
    });
  });

  const mistakes: { name: string; args: string[]; message: RegExp }[] = [
    { name: 'entity add without an id', args: ['entity', 'add', '--name', 'X'], message: /identifiant d’entité manquant/ },
    { name: 'entity add with an invalid id', args: ['entity', 'add', 'Ma DINUM', '--name', 'X'], message: /identifiant d’entité invalide/ },
    { name: 'entity add without a name', args: ['entity', 'add', 'sgmer'], message: /--name est obligatoire/ },
    { name: 'entity add with a blank name', args: ['entity', 'add', 'sgmer', '--name', '  '], message: /--name est obligatoire/ },
    {
      name: 'entity add of an existing id',
      args: ['entity', 'add', 'dinum', '--name', 'Autre'],
      message: /l’entité « dinum » existe déjà/,
    },
    { name: 'entity logo without a file', args: ['entity', 'logo', 'dinum'], message: /fichier manquant/ },
    {
      name: 'entity logo of a file that is not there',
      args: ['entity', 'logo', 'dinum', join(files, 'absent.png')],
      message: /fichier illisible/,
    },
    {
      name: 'entity logo of a GIF named .png',
      args: ['entity', 'logo', 'dinum', join(files, 'anime.png')],
      message: /PNG ou JPEG \(logo_type_unsupported\)/,
    },
    {
      name: 'entity logo over 100 kB',
      args: ['entity', 'logo', 'dinum', join(files, 'lourd.png')],
      message: /logo trop lourd.*\(logo_too_large\)/,
    },
    {
      name: 'entity logo of an unknown entity',
      args: ['entity', 'logo', 'inconnue', join(files, 'logo.png')],
      message: /entité inconnue « inconnue »/,
    },
    {
      name: 'member add to an unknown entity',
      args: ['member', 'add', 'inconnue', 'a@b.fr', '--role', 'admin'],
      message: /entité inconnue « inconnue » : créez-la d’abord \(jdma entity add inconnue --name <nom>\)/,
    },
    { name: 'member add without an address', args: ['member', 'add', 'dinum'], message: /adresse électronique manquante/ },
    {
      name: 'member add with an invalid address',
      args: ['member', 'add', 'dinum', 'pas-une-adresse', '--role', 'admin'],
      message: /adresse électronique invalide « pas-une-adresse »/,
    },
    { name: 'member add without a role', args: ['member', 'add', 'dinum', 'a@b.fr'], message: /--role est obligatoire : admin ou reader/ },
    {
      name: 'member add with an unknown role',
      args: ['member', 'add', 'dinum', 'a@b.fr', '--role', 'owner'],
      message: /rôle invalide « owner » : admin ou reader/,
    },
    { name: 'member list of an unknown entity', args: ['member', 'list', 'inconnue'], message: /entité inconnue « inconnue »/ },
    {
      name: 'member remove of someone who is not a member',
      args: ['member', 'remove', 'ants', 'agent@numerique.gouv.fr'],
      message: /agent@numerique\.gouv\.fr n’est pas membre de « ants »/,
    },
    // The rule the API and the space hold (server/agency/entity-admin.ts), with the code they answer.
    {
      name: 'member remove of the last admin',
      args: ['member', 'remove', 'dinum', 'agent@numerique.gouv.fr'],
      message: /^jdma : dernier administrateur de l’entité \(last_admin\) : « dinum » garde au moins un administrateur/,
    },
    {
      name: 'member add demoting the last admin',
      args: ['member', 'add', 'dinum', 'agent@numerique.gouv.fr', '--role', 'reader'],
      message: /^jdma : dernier administrateur de l’entité \(last_admin\)/,
    },
    { name: 'key create for an unknown entity', args: ['key', 'create', 'inconnue', '--name', 'k'], message: /entité inconnue/ },
    { name: 'key create without a name', args: ['key', 'create', 'dinum'], message: /--name est obligatoire/ },
    {
      name: 'key create with a live name',
      args: ['key', 'create', 'dinum', '--name', 'tableau'],
      message: /une clé « tableau » est déjà active pour « dinum »/,
    },
    {
      name: 'key create for a procedure of another entity',
      args: ['key', 'create', 'dinum', '--name', 'k', '--procedure', 'existe', '--procedure', 'ailleurs'],
      message: /la démarche « ailleurs » n’appartient pas à « dinum »/,
    },
    {
      name: 'key create for an unknown procedure',
      args: ['key', 'create', 'dinum', '--name', 'k', '--procedure', 'inconnue'],
      message: /démarche inconnue « inconnue »/,
    },
    { name: 'key list of an unknown entity', args: ['key', 'list', 'inconnue'], message: /entité inconnue/ },
    { name: 'key revoke without a name', args: ['key', 'revoke', 'dinum'], message: /nom de clé manquant/ },
    {
      name: 'key revoke of an unknown key',
      args: ['key', 'revoke', 'dinum', 'autre'],
      message: /aucune clé active « autre » pour « dinum »/,
    },
    {
      name: 'key revoke of a revoked key',
      args: ['key', 'revoke', 'dinum', 'ancienne'],
      message: /aucune clé active « ancienne » pour « dinum »/,
    },
    { name: 'key revoke of another entity’s key', args: ['key', 'revoke', 'ants', 'tableau'], message: /aucune clé active « tableau »/ },
    {
      name: 'login-link for someone who is not a member',
      args: ['login-link', 'inconnu@numerique.gouv.fr'],
      message: /inconnu@numerique\.gouv\.fr n’est membre d’aucune entité/,
    },
    { name: 'login-link without an address', args: ['login-link'], message: /adresse électronique manquante/ },
    { name: 'login-link with an invalid address', args: ['login-link', 'agent'], message: /adresse électronique invalide « agent »/ },
    {
      name: 'procedure add for an unknown entity',
      args: ['procedure', 'add', 'nouvelle', '--title', 'N', '--entity', 'inconnue', '--origin', 'https://a.gouv.fr'],
      message: /entité inconnue « inconnue » : créez-la d’abord \(jdma entity add inconnue --name <nom>\)/,
    },
    {
      name: 'procedure add with an entity’s name instead of its id',
      args: ['procedure', 'add', 'nouvelle', '--title', 'N', '--entity', 'Ministère de l’Intérieur', '--origin', 'https://a.gouv.fr'],
      message: /« Ministère de l’Intérieur » n’est pas un identifiant d’entité .*jdma entity add <id> --name "Ministère de l’Intérieur"/,
    },
    {
      name: 'procedure rename to an unknown entity',
      args: ['procedure', 'rename', 'existe', '--title', 'T', '--entity', 'inconnue'],
      message: /entité inconnue « inconnue » : créez-la d’abord/,
    },
    { name: 'review hide without a reason', args: ['review', 'hide', 'existe', '1'], message: /--reason est obligatoire/ },
    {
      name: 'review hide of a number that is none',
      args: ['review', 'hide', 'existe', 'x1', '--reason', 'r'],
      message: /numéro d’avis invalide « x1 »/,
    },
    {
      name: 'review hide of an unknown review',
      args: ['review', 'hide', 'existe', '7', '--reason', 'Données personnelles'],
      message: /^jdma : avis introuvable \(review_not_found\) : « existe » n’a pas d’avis 7/,
    },
    {
      name: 'review restore in an unknown procedure',
      args: ['review', 'restore', 'inconnue', '7'],
      message: /démarche inconnue « inconnue »/,
    },
    // Control characters: stored as typed, they would reach every terminal that lists them.
    ...[
      ['entity add with a line break in its name', ['entity', 'add', 'neuve', '--name', 'Ligne 1\nLigne 2']],
      [
        'procedure add with an escape sequence in its title',
        ['procedure', 'add', 'neuve', '--title', 'T\u001b[2J', '--entity', 'dinum', '--origin', 'https://a.gouv.fr'],
      ],
      ['procedure rename with a bidi override in its title', ['procedure', 'rename', 'existe', '--title', 'abc\u202Edef']],
      ['key create with a tab in its name', ['key', 'create', 'dinum', '--name', 'a\tb']],
      ['key revoke with a C1 control in its name', ['key', 'revoke', 'dinum', 'tableau\u009b']],
      ['member add with a next-line control in the address', ['member', 'add', 'dinum', 'a\u0085@b.fr', '--role', 'admin']],
      ['origin add with an isolate', ['origin', 'add', 'existe', 'https://a.gouv.fr\u2066']],
    ].map(([name, args]) => ({
      name: name as string,
      args: args as string[],
      message: /argument refusé « .* » : il contient un caractère de contrôle/,
    })),
  ];

  test.each(mistakes)('$name', async ({ args, message }) => {
    const before = await db.snapshot();
    const result = runCli(args, env);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^jdma : /)]);
    expect(await db.snapshot()).toEqual(before);
  });

  test('login-link with HOST=0.0.0.0 and no PUBLIC_URL refuses to print an address nobody can reach', async () => {
    const before = await db.snapshot();
    const result = runCli(['login-link', 'agent@numerique.gouv.fr'], { ...db.env, HOST: '0.0.0.0', PUBLIC_URL: '' });
    expect(result).toMatchObject({ status: 2, stdout: '' });
    expect(result.stderr.trim()).toMatch(/^jdma : PUBLIC_URL doit être défini/);
    expect(await db.snapshot()).toEqual(before);
  });
});

describe('stored text reaches the terminal with its control characters escaped', () => {
  // Rows stored before the API refused them, or through the store: the CLI shows them, never runs them.
  const TITLE = 'Titre\u001b[31m rouge\nligne 2\u009b\u202Efin\u0007';
  const SHOWN = 'Titre\\x1b[31m rouge\\nligne 2\\x9b\\u{202e}fin\\x07';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding a raw control character in the output is the test.
  const RAW = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
  let db: TestDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    ({ db, env } = await fresh());
    await withStore(db, async (store) => {
      await store.entities.add({ id: 'dinum', name: 'DINUM\u001b]0;titre\u0007' });
      await store.procedures.add({ id: 'piegee', title: TITLE, entityId: 'dinum', origins: ['https://a.gouv.fr'] });
      await store.procedures.setArchived('piegee', true);
      await store.members.put({ entityId: 'dinum', email: 'agent\r@numerique.gouv.fr', role: 'admin' });
      await store.apiKeys.add({ entityId: 'dinum', name: 'cle\ncachee', hash: sha256('x'), procedureIds: null });
    });
  });

  test.each([
    ['procedure list', ['procedure', 'list'], `piegee\t${SHOWN}\tDINUM\\x1b]0;titre\\x07\thttps://a.gouv.fr\t0 avis\tarchivée\n`],
    ['entity list', ['entity', 'list'], 'dinum\tDINUM\\x1b]0;titre\\x07\n'],
  ])('%s: one line per row, escapes shown, none sent raw', (_name, args, expected) => {
    const result = runCli(args, env);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toBe(expected);
  });

  test.each([
    ['procedure show', ['procedure', 'show', 'piegee'], `piegee : ${SHOWN}`],
    ['member list', ['member', 'list', 'dinum'], 'agent\\r@numerique.gouv.fr\tadmin'],
    ['key list', ['key', 'list', 'dinum'], 'cle\\ncachee\ttoutes'],
  ])('%s: escapes shown, none sent raw', (_name, args, expected) => {
    const result = runCli(args, env);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toContain(expected);
    expect(result.stdout).not.toMatch(RAW);
  });

  test.each([
    [['procedure', 'list', '--json'], (out: { title: string }[]) => out[0]!.title, TITLE],
    [['procedure', 'show', 'piegee', '--json'], (out: { title: string }) => out.title, TITLE],
    [['entity', 'list', '--json'], (out: { name: string }[]) => out[0]!.name, 'DINUM\u001b]0;titre\u0007'],
  ] as const)('%s: JSON escapes them all, and parses back to the stored text', (args, pick, stored) => {
    const result = runCli([...args], env);
    expect(result.status).toBe(0);
    expect(result.stdout).not.toMatch(RAW);
    expect(pick(JSON.parse(result.stdout))).toBe(stored);
  });
});
