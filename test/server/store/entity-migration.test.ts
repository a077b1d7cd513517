import { expect, test } from 'vitest';
import { buildApp } from '../../../server/app.ts';
import { testConfig } from '../../../server/config.ts';
import { entitySlugs } from '../../../server/store/entity-slugs.ts';
import { MIGRATIONS as POSTGRES_MIGRATIONS } from '../../../server/store/postgres/migrations.ts';
import { MIGRATIONS as SQLITE_MIGRATIONS } from '../../../server/store/sqlite/migrations.ts';
import { TEST_ENGINE, testDatabase } from '../../helpers/test-database.ts';

// A database from before agency access: a procedure's entity was a free-text name. Opening it with
// this collector gives one entity per distinct name, and the feed keeps publishing the names.

/** A new database at the schema version before entities, as the previous collector left it. */
async function previousVersion() {
  const db = await testDatabase();
  const migrations = TEST_ENGINE === 'sqlite' ? SQLITE_MIGRATIONS : POSTGRES_MIGRATIONS;
  // The entity migration is the first written as code; later entries (review listing) follow it.
  const previous = migrations.findIndex((migration) => typeof migration === 'function');
  for (const migration of migrations.slice(0, previous)) await db.exec(migration as string);
  await db.exec(
    TEST_ENGINE === 'sqlite'
      ? `PRAGMA user_version = ${previous}`
      : `CREATE TABLE schema_version (version integer NOT NULL); INSERT INTO schema_version VALUES (${previous})`,
  );
  return db;
}

test('procedures of « Ministère de l’Intérieur » (2) and « DINUM » get 2 entities, referenced by slug; the feed still publishes names', async () => {
  const db = await previousVersion();
  await db.exec(`
    INSERT INTO procedures (id, title, entity, created_at) VALUES
      ('passeport', 'Passeport', 'Ministère de l''Intérieur', '2026-01-01T00:00:00Z'),
      ('carte-grise', 'Carte grise', 'Ministère de l''Intérieur', '2026-01-01T00:00:00Z'),
      ('demarches-simplifiees', 'Démarches simplifiées', 'DINUM', '2026-01-01T00:00:00Z');
    INSERT INTO placements (procedure_id, id) VALUES ('passeport', 'default'), ('carte-grise', 'default'), ('demarches-simplifiees', 'default');
    INSERT INTO procedure_origins (procedure_id, origin) VALUES ('passeport', 'https://passeport.gouv.fr');`);

  const store = await db.open();
  expect(await store.entities.list()).toEqual([
    { id: 'dinum', name: 'DINUM' },
    { id: 'ministere-de-l-interieur', name: "Ministère de l'Intérieur" },
  ]);
  expect(await db.rows('SELECT id, entity_id FROM procedures ORDER BY id')).toEqual([
    { id: 'carte-grise', entity_id: 'ministere-de-l-interieur' },
    { id: 'demarches-simplifiees', entity_id: 'dinum' },
    { id: 'passeport', entity_id: 'ministere-de-l-interieur' },
  ]);
  expect(await store.procedures.find('passeport')).toMatchObject({
    entityId: 'ministere-de-l-interieur',
    entity: "Ministère de l'Intérieur",
    origins: ['https://passeport.gouv.fr'],
    placements: ['default'],
  });
  expect((await store.procedures.access()).isOriginAllowed('passeport', 'https://passeport.gouv.fr')).toBe(true);

  const app = await buildApp({ config: testConfig({ ...db.options, feedMinReviews: 1 }), store });
  // Asked for by id: nobody has rated them, and a list holds rated procedures only.
  const feed = async (query: string) =>
    (
      (await app.inject({ url: `/api/v1/feed?procedure=carte-grise,demarches-simplifiees,passeport${query}` })).json() as {
        procedures: { id: string; entity: string }[];
      }
    ).procedures.map((p) => `${p.id} ${p.entity}`);
  expect(await feed('')).toEqual([
    "carte-grise Ministère de l'Intérieur",
    'demarches-simplifiees DINUM',
    "passeport Ministère de l'Intérieur",
  ]);
  // The feed's entity filter takes the entity's id or its name.
  expect(await feed('&entity=ministere-de-l-interieur')).toEqual(await feed(`&entity=${encodeURIComponent("Ministère de l'Intérieur")}`));
  expect(await feed('&entity=ministere-de-l-interieur')).toHaveLength(2);
  expect(await feed('&entity=dinum')).toEqual(['demarches-simplifiees DINUM']);
  await app.close();
  await store.close();
});

test('entity ids from names: accents and case dropped, punctuation a dash, the same slug numbered, never shorter than 2', () => {
  expect([
    ...entitySlugs(['Ministère de l’Intérieur', 'DINUM', 'Dinum', 'dinum!', '  — Préfecture du Nord —  ', 'X', '…', 'a'.repeat(80)]),
  ]).toEqual([
    ['  — Préfecture du Nord —  ', 'prefecture-du-nord'],
    ['DINUM', 'dinum'],
    ['Dinum', 'dinum-2'],
    ['Ministère de l’Intérieur', 'ministere-de-l-interieur'],
    ['X', 'entite-x'],
    ['a'.repeat(80), 'a'.repeat(60)],
    ['dinum!', 'dinum-3'],
    ['…', 'entite'],
  ]);
});
