import { expect, test } from 'vitest';
import type { FormChanges } from '../../../server/store/store.ts';
import { runCli } from '../../helpers/cli-process.ts';
import { testDatabase, type TestDatabase } from '../../helpers/test-database.ts';

// jdma form show|publish as a subprocess on the engine under test: the operator reads a
// procedure's form and publishes its draft through the API's service, refused with its codes.

const saveDraft = async (db: TestDatabase, changes: FormChanges, by: string) => {
  const store = await db.open();
  try {
    await store.forms.saveDraft('demarche-a', { changes, updatedAt: Date.parse('2026-12-01T09:30:00Z'), updatedBy: by });
  } finally {
    await store.close();
  }
};

const auditOf = (db: TestDatabase) =>
  db.rows<{ entity_id: string; actor: string; action: string; target: string; details: string }>(
    "SELECT entity_id, actor, action, target, details FROM audit_log WHERE action LIKE 'form_%' ORDER BY id",
  );

test('form show, then publish: refused without a draft, published as operator, refused when it hides an indicator step of an observatory procedure', {
  timeout: 120_000,
}, async () => {
  const db = await testDatabase();
  const jdma = (...args: string[]) => runCli(args, db.env);
  expect(jdma('entity', 'add', 'ministere-a', '--name', 'Ministère A').status).toBe(0);
  const added = jdma(
    'procedure',
    'add',
    'demarche-a',
    '--title',
    'Démarche A',
    '--entity',
    'ministere-a',
    '--origin',
    'https://a.example.gouv.fr',
  );
  expect(added.status, added.stderr).toBe(0);

  expect(jdma('form', 'show', 'demarche-a')).toEqual({
    status: 0,
    stdout: 'Brouillon : aucun.\nVersion publiée : aucune, le formulaire par défaut est montré.\nVersions : aucune.\n',
    stderr: '',
  });

  // No draft: refused with the API's code, exit status 2, nothing written.
  let before = await db.snapshot();
  const missing = jdma('form', 'publish', 'demarche-a');
  expect(missing.status).toBe(2);
  expect(missing.stdout).toBe('');
  expect(missing.stderr).toContain('(form_draft_missing)');
  expect(await db.snapshot()).toEqual(before);

  await saveDraft(
    db,
    { hidden: ['comment'], labels: { fr: { 'clarity.question': 'Les consignes étaient-elles claires ?' } } },
    'admin@a.example.gouv.fr',
  );
  const published = jdma('form', 'publish', 'demarche-a');
  expect(published.status, published.stderr).toBe(0);
  expect(published.stdout).toContain('publié en version 1');
  const versions = await db.rows<{ version: number; published_by: string }>('SELECT version, published_by FROM form_versions');
  expect(versions.map((v) => [Number(v.version), v.published_by])).toEqual([[1, 'operator']]);
  expect(await auditOf(db)).toEqual([
    { entity_id: 'ministere-a', actor: 'operator', action: 'form_published', target: 'demarche-a', details: '{"version":1}' },
  ]);

  const shown = jdma('form', 'show', 'demarche-a');
  expect(shown.status).toBe(0);
  const lines = shown.stdout.split('\n');
  expect(lines.slice(0, 3)).toEqual([
    'Brouillon (enregistré le 2026-12-01 09:30 UTC par admin@a.example.gouv.fr) :',
    '  étapes masquées : comment',
    '  fr\tclarity.question\t« Les consignes étaient-elles claires ? »',
  ]);
  expect(lines[3]).toMatch(/^Version publiée : 1 \(le \d{4}-\d\d-\d\d \d\d:\d\d UTC par operator\) :$/);
  expect(lines.slice(4, 7)).toEqual([
    '  étapes masquées : comment',
    '  fr\tclarity.question\t« Les consignes étaient-elles claires ? »',
    'Versions :',
  ]);
  expect(lines[7]).toMatch(/^ {2}1\tpubliée le \d{4}-\d\d-\d\d \d\d:\d\d UTC\ten ligne$/);

  // A JDMA product id puts the procedure in the observatory: its draft may no longer hide the help step.
  await saveDraft(db, { hidden: ['help'], labels: {} }, 'admin@a.example.gouv.fr');
  expect(jdma('procedure', 'product-id', 'demarche-a', '1617').status).toBe(0);
  before = await db.snapshot();
  const hiding = jdma('form', 'publish', 'demarche-a');
  expect(hiding.status).toBe(2);
  expect(hiding.stderr).toContain('(indicator_step_required)');
  expect(await db.snapshot()).toEqual(before);

  for (const args of [
    ['form', 'publish', 'inconnue'],
    ['form', 'publish'],
    ['form', 'archive', 'demarche-a'],
    ['form', 'show', 'demarche-a', 'en-trop'],
  ]) {
    const refused = jdma(...args);
    expect(refused.status, args.join(' ')).toBe(2);
    expect(refused.stdout).toBe('');
  }
  expect(await db.snapshot()).toEqual(before);
});
