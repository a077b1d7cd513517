import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { buildApp } from '../../../server/app.ts';
import { testConfig } from '../../../server/config.ts';
import { publishEdition } from '../../../server/edition-publishing.ts';
import { openSqlite } from '../../../server/store/sqlite/open-sqlite.ts';
import type { Store } from '../../../server/store/store.ts';
import { runCli } from '../../helpers/cli-process.ts';
import { testDatabase } from '../../helpers/test-database.ts';
import { tempDir } from '../../helpers/test-server.ts';
import { addProcedure } from '../../helpers/procedures.ts';

// Moving a SQLite deployment to PostgreSQL with `jdma migrate-data`.

const temp = tempDir();
afterAll(temp.remove);
const REVIEWS = 100_000;
const NOW = new Date('2026-11-22T12:00:00Z');
const HELD = { n: 1, field: 'comment' as const, start: 0, end: 4, category: 'name' };

/** The feed of a store, as a dashboard reads it, less the time it was generated. */
async function feedOf(store: Store): Promise<unknown> {
  const app = await buildApp({ config: testConfig({ feedMinReviews: 1, rateLimitPerMinute: 0 }), store, now: () => NOW });
  const feed = (await app.inject({ url: '/api/v1/feed' })).json() as Record<string, unknown>;
  await app.close();
  return { ...feed, generated_at: undefined };
}

test(`migrate-data copies a SQLite file of ${REVIEWS.toLocaleString('en')} reviews: every count equal, the feed identical, a second run changes nothing`, async () => {
  const from = join(temp.dir, 'source.sqlite');
  const source = openSqlite(from);
  await addProcedure(source, {
    id: 'passeport',
    title: 'Passeport',
    entity: 'Intérieur',
    origins: ['https://a.gouv.fr'],
    placements: ['site'],
  });
  await addProcedure(source, { id: 'impots', title: 'Impôts', entity: 'DGFiP', origins: ['https://b.gouv.fr'] });
  await source.procedures.setArchived('impots', true);
  // A recorded JDMA product id, and an assigned number, travel with their procedure.
  await source.procedures.setProductId('impots', 1617);
  // Agency access travels too (sessions and login links do not: agents sign in again).
  await source.members.put({ entityId: 'dgfip', email: 'agent@dgfip.gouv.fr', role: 'admin' });
  await source.apiKeys.add({ entityId: 'dgfip', name: 'tableau', hash: Buffer.alloc(32, 7), procedureIds: ['impots'] });
  await source.audit.add({
    entityId: 'dgfip',
    at: NOW.getTime(),
    actor: 'operator',
    action: 'key_created',
    target: 'tableau',
    details: {},
  });
  await source.sessions.create({ idHash: Buffer.alloc(32, 1), email: 'agent@dgfip.gouv.fr', createdAt: 0, lastSeenAt: 0 });
  // So do a member's mail language and choices, and a request to join that waits for an admin.
  await source.members.setLang('agent@dgfip.gouv.fr', 'en');
  await source.notifications.setPreferences([
    { entityId: 'dgfip', email: 'agent@dgfip.gouv.fr', kind: 'digest', procedureId: '', value: 'weekly' },
  ]);
  await source.accessRequests.add({ entityId: 'dgfip', email: 'nouvel.agent@dgfip.gouv.fr', at: NOW.getTime(), lang: 'fr' });
  const satisfactions = ['good', 'medium', 'bad'] as const;
  for (let start = 0; start < REVIEWS; start += 10_000) {
    source.reviews.createMany(
      Array.from({ length: 10_000 }, (_, k) => {
        const i = start + k;
        return {
          procedureId: i % 5 === 0 ? 'impots' : 'passeport',
          placementId: i % 3 === 0 ? 'site' : 'default',
          satisfaction: satisfactions[i % 3]!,
          lang: i % 4 === 0 ? ('en' as const) : ('fr' as const),
          tokenHash: Buffer.alloc(32, i % 256),
          createdAt: new Date(NOW.getTime() - (i % 400) * 86_400_000),
        };
      }),
    );
  }
  for (let id = 1; id <= 3000; id++) {
    await source.reviews.replaceFollowUps(
      id,
      { clarity: ((id % 5) + 1) as 1, help_sought: id % 2 ? ['none'] : ['phone'], comment: `avis ${id}` },
      NOW,
      // One review holds a span back for an admin to check: the hold is copied with its text.
      id === 8 ? [HELD] : [],
    );
  }
  // Triage travels with its reviews: the tags keep their ids.
  const tag = (await source.tags.add('dgfip', 'Délais', NOW.getTime()))!;
  await source.reviews.triage('passeport', 8, { tagId: tag.id, on: true });
  await source.reviews.triage('passeport', 8, { status: 'handled' });
  await source.reviews.triage('passeport', 8, { spam: { by: 'agent@dgfip.gouv.fr', at: NOW.getTime() } });
  const sourceFeed = await feedOf(source);
  // A hosted form shown before the cut-over: its one-time key, and the signing key it was made with.
  source.db.prepare('INSERT INTO hosted_form_keys (form_key, rendered_at) VALUES (?, ?)').run('form-key-1', NOW.getTime());
  const { secret } = source.db.prepare("SELECT secret FROM collector_secrets WHERE name = 'hosted_form'").get() as { secret: Buffer };
  // A published edition travels byte for byte: its checksums are what readers verify.
  expect((await publishEdition(source, { minReviews: 1, now: NOW }, '2026-Q3')).outcome).toBe('published');
  const edition = (await source.editions.find('2026-Q3'))!;
  await source.close();

  const target = await testDatabase();
  const run = () => runCli(['migrate-data', '--from', from, '--to', target.options.databaseUrl!], {});
  const first = run();
  expect(first.stderr).toBe('');
  expect(first.status).toBe(0);
  expect(first.stdout).toContain(`avis : ${REVIEWS} / ${REVIEWS}`);
  expect(first.stdout).toMatch(/^reviews +100000 → +100000$/m);
  const tables = [...first.stdout.matchAll(/^(\w+) +(\d+) → +(\d+)$/gm)];
  expect(tables.map((m) => m[1])).toEqual([
    'entities',
    'procedures',
    'procedure_origins',
    'placements',
    'reviews',
    'review_answers',
    'daily_rollups',
    'monthly_rollups',
    'refused_ratings',
    'members',
    'api_keys',
    'api_key_procedures',
    'audit_log',
    'collector_secrets',
    'hosted_form_keys',
    'form_drafts',
    'form_versions',
    'entity_tags',
    'review_tags',
    'mail_preferences',
    'access_requests',
    'daily_term_rollups',
    'monthly_term_rollups',
    'term_month_marks',
    'review_terms',
    'term_queue',
    'editions',
  ]);
  for (const [line, , source, copied] of tables) expect(copied, line).toBe(source);
  expect(first.stdout).toContain('Copie terminée');
  const [copiedEdition] = await target.rows<{ json: Buffer; csv: Buffer; impact_csv: Buffer }>(
    "SELECT json, csv, impact_csv FROM editions WHERE quarter = '2026-Q3'",
  );
  expect([copiedEdition!.json, copiedEdition!.csv, copiedEdition!.impact_csv]).toEqual([edition.json, edition.csv, edition.impactCsv]);

  const counts = async () =>
    target.rows(`SELECT (SELECT count(*) FROM reviews) AS reviews, (SELECT count(*) FROM review_answers) AS answers,
                        (SELECT count(*) FROM procedures) AS procedures, (SELECT sum(count) FROM daily_rollups) AS counted`);
  const copied = await counts();
  expect(copied).toEqual([{ reviews: REVIEWS, answers: 6000, procedures: 2, counted: expect.any(Number) }]);
  expect(await target.rows("SELECT id, archived_at IS NOT NULL AS archived FROM procedures WHERE id = 'impots'")).toEqual([
    { id: 'impots', archived: true },
  ]);
  expect(await target.rows('SELECT comment FROM reviews WHERE id = 7')).toEqual([{ comment: 'avis 7' }]);
  expect(await target.rows('SELECT t.id, t.name, rt.review_id FROM entity_tags t JOIN review_tags rt ON rt.tag_id = t.id')).toEqual([
    { id: tag.id, name: 'Délais', review_id: 8 },
  ]);
  expect(await target.rows('SELECT triage_status, spam_by FROM reviews WHERE id = 8')).toEqual([
    { triage_status: 'handled', spam_by: 'agent@dgfip.gouv.fr' },
  ]);
  expect(await target.rows('SELECT comment, pii_suspects FROM reviews WHERE id = 8')).toEqual([
    { comment: 'avis 8', pii_suspects: JSON.stringify([HELD]) },
  ]);

  const copy = await target.open();
  expect(await feedOf(copy)).toEqual(sourceFeed);
  expect(await copy.procedures.find('impots')).toMatchObject({ entityId: 'dgfip', entity: 'DGFiP' });
  expect(await copy.procedures.byProductId(1617)).toBe('impots');
  expect(await copy.procedures.productIdOf('passeport')).toBe(1_000_000);
  expect(await copy.members.rolesOf('agent@dgfip.gouv.fr')).toEqual(new Map([['dgfip', 'admin']]));
  expect(await copy.members.langOf('agent@dgfip.gouv.fr')).toBe('en');
  expect(await copy.notifications.preferencesOf('dgfip', 'agent@dgfip.gouv.fr')).toEqual([
    { entityId: 'dgfip', email: 'agent@dgfip.gouv.fr', kind: 'digest', procedureId: '', value: 'weekly' },
  ]);
  expect(await copy.accessRequests.pending('dgfip')).toEqual([
    expect.objectContaining({ email: 'nouvel.agent@dgfip.gouv.fr', status: 'pending' }),
  ]);
  expect(await copy.apiKeys.use(Buffer.alloc(32, 7), NOW)).toMatchObject({ name: 'tableau', procedureIds: ['impots'] });
  expect(await copy.audit.list('dgfip', { limit: 10 })).toEqual([expect.objectContaining({ action: 'key_created', target: 'tableau' })]);
  expect(await target.rows('SELECT count(*) AS n FROM sessions')).toEqual([{ n: 0 }]);
  expect(await target.rows("SELECT secret FROM collector_secrets WHERE name = 'hosted_form'")).toEqual([{ secret }]);
  expect(await target.rows('SELECT form_key, rendered_at FROM hosted_form_keys')).toEqual([
    { form_key: 'form-key-1', rendered_at: NOW.getTime() },
  ]);
  // New ratings on the target get ids after the copied ones.
  const id = await copy.reviews.create({
    procedureId: 'passeport',
    placementId: 'default',
    satisfaction: 'good',
    lang: 'fr',
    tokenHash: Buffer.alloc(32),
    createdAt: NOW,
  });
  expect(id).toBe(REVIEWS + 1);
  await copy.close();

  const second = run();
  expect(second.status).toBe(0);
  expect((await counts())[0]).toMatchObject({ reviews: REVIEWS + 1, answers: 6000, procedures: 2 });
});

test('migrate-data refuses a missing file or a URL that is not PostgreSQL, in one line', () => {
  for (const args of [
    ['--from', join(temp.dir, 'absent.sqlite'), '--to', 'postgres://x@127.0.0.1/db'],
    ['--from', __filename, '--to', 'mysql://x'],
  ]) {
    const result = runCli(['migrate-data', ...args], {});
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^jdma : --(from|to) doit/)]);
  }
});
