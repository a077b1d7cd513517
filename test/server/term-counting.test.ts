import { afterEach, beforeEach, expect, test } from 'vitest';
import { purge } from '../../server/retention.ts';
import { reviewWrites } from '../../server/review-writes.ts';
import type { Store } from '../../server/store/store.ts';
import { countQueuedTerms } from '../../server/term-counting.ts';
import { runCli } from '../helpers/cli-process.ts';
import { addDays, utcDay } from '../../shared/feed-window.ts';
import type { SatisfactionAnswer } from '../../shared/questionnaire.ts';
import { addProcedure } from '../helpers/procedures.ts';
import { testDatabase, type TestDatabase } from '../helpers/test-database.ts';

// Comment terms are counted off the request path into daily_term_rollups (SPEC §8 "Comment
// insights"): one count per review and term, moved when a follow-up replaces the comment, kept
// after the free-text purge.

let db: TestDatabase;
let store: Store;
let clock: Date;

beforeEach(async () => {
  db = await testDatabase();
  store = await db.open();
  clock = new Date('2026-03-10T09:00:00Z');
  await addProcedure(store, { id: 'passeport', title: 'Passeport', entity: 'Ministère', origins: [], placements: ['default'] });
});
afterEach(async () => store.close());

async function review(comment: string | undefined, satisfaction: SatisfactionAnswer = 'bad'): Promise<number> {
  const writes = reviewWrites(store, () => clock);
  const { id } = await writes.rate({ procedureId: 'passeport', placementId: 'default', satisfaction, lang: 'fr' }, 'api');
  const key = (await writes.find(String(id)))!;
  await writes.replaceFollowUps(key, comment === undefined ? { clarity: 3 } : { comment });
  return id;
}

// Sorted here: PostgreSQL's collation may order '' and spaces otherwise than SQLite.
const termRows = async () =>
  (
    await db.rows<{ day: string; satisfaction: string; term: string; form: string; count: number }>(
      'SELECT day, satisfaction, term, form, count FROM daily_term_rollups',
    )
  ).sort((a, b) => (`${a.day} ${a.satisfaction} ${a.term}` < `${b.day} ${b.satisfaction} ${b.term}` ? -1 : 1));

test('a comment is counted once per term, off the request: queued by the follow-up, counted by the tick', async () => {
  await review('Délai trop long ! Le délai, le DÉLAI.');
  expect(await termRows()).toEqual([]);
  expect(await db.rows('SELECT review_id FROM term_queue')).toHaveLength(1);
  expect(await countQueuedTerms(store)).toBe(1);
  expect(await termRows()).toEqual([
    { day: '2026-03-10', satisfaction: 'bad', term: '', form: '', count: 1 },
    { day: '2026-03-10', satisfaction: 'bad', term: 'delai', form: 'délai', count: 1 },
    { day: '2026-03-10', satisfaction: 'bad', term: 'delai trop', form: 'délai trop', count: 1 },
    { day: '2026-03-10', satisfaction: 'bad', term: 'long', form: 'long', count: 1 },
    { day: '2026-03-10', satisfaction: 'bad', term: 'trop', form: 'trop', count: 1 },
    { day: '2026-03-10', satisfaction: 'bad', term: 'trop long', form: 'trop long', count: 1 },
  ]);
  expect(await db.rows('SELECT review_id FROM term_queue')).toEqual([]);
});

test('personal data the scrubber replaced is never counted', async () => {
  await review('Appelez moi au 06 12 34 56 78 ou jean.dupont@example.com merci');
  await countQueuedTerms(store);
  const terms = (await termRows()).map((row) => row.form);
  expect(terms.join(' ')).not.toMatch(/06|dupont|example|numéro|adresse/);
  expect(terms).toContain('appelez');
});

test('a follow-up that replaces the comment moves its counts, and one without a comment takes them off', async () => {
  const id = await review('guichet fermé');
  await countQueuedTerms(store);
  const writes = reviewWrites(store, () => clock);
  const key = (await writes.find(String(id)))!;
  await writes.replaceFollowUps(key, { comment: 'site lent' });
  await countQueuedTerms(store);
  expect((await termRows()).map((row) => row.term)).toEqual(['', 'lent', 'site', 'site lent']);
  await writes.replaceFollowUps(key, { clarity: 2 });
  await countQueuedTerms(store);
  expect(await termRows()).toEqual([]);
  expect(await db.rows('SELECT * FROM review_terms')).toEqual([]);
});

test('a hidden comment’s terms leave the counts, and come back when it is restored', async () => {
  const kept = await review('guichet fermé');
  const hidden = await review('guichet Dupont');
  await countQueuedTerms(store);
  const forms = async () => (await termRows()).map((row) => `${row.form}:${row.count}`);
  expect(await forms()).toEqual([':2', 'dupont:1', 'fermé:1', 'guichet:2', 'guichet dupont:1', 'guichet fermé:1']);
  const hide = await store.reviews.setHidden('passeport', hidden, { reason: 'Nom propre', by: 'admin@example.gouv.fr', at: clock });
  expect(hide?.changed).toBe(true);
  expect(await countQueuedTerms(store)).toBe(1);
  expect(await forms()).toEqual([':1', 'fermé:1', 'guichet:1', 'guichet fermé:1']);
  expect(await db.rows('SELECT review_id FROM review_terms ORDER BY review_id')).toEqual([{ review_id: kept }]);
  // Counting again (a rebuild) does not bring them back while the comment stays hidden.
  await store.terms.requeue('2026-01-01');
  await countQueuedTerms(store);
  expect(await forms()).toEqual([':1', 'fermé:1', 'guichet:1', 'guichet fermé:1']);
  await store.reviews.setHidden('passeport', hidden, null);
  await countQueuedTerms(store);
  expect(await forms()).toEqual([':2', 'dupont:1', 'fermé:1', 'guichet:2', 'guichet dupont:1', 'guichet fermé:1']);
});

test('the closed days of the month are summed into its month to date: exact, a hidden comment comes off it, a rebuild from the 1st recounts it', async () => {
  await review('guichet fermé');
  const hidden = await review('guichet Dupont');
  clock = new Date('2026-03-12T09:00:00Z');
  await review('site lent', 'good');
  await countQueuedTerms(store);
  const original = await termRows();
  const sums = async (from: string, to: string) => {
    const totals = new Map<string, number>();
    for (const row of (await store.terms.counts('passeport', [{ window: { from, to }, minReviews: 1 }], null))[0]!) {
      const key = `${row.satisfaction} ${row.form}`;
      totals.set(key, (totals.get(key) ?? 0) + row.count);
    }
    return [...totals].map(([key, count]) => `${key}:${count}`).sort();
  };
  const exact = await sums('2026-03-01', '2026-03-15');
  expect(await store.terms.fold('2026-03-15', 300, 5)).toBe(original.length);
  const toDate = (rows: typeof original) => rows.map((row) => ({ ...row, day: '2026-03-00' }));
  expect(await termRows()).toEqual(toDate(original));
  expect(await db.rows('SELECT procedure_id, day FROM term_month_marks')).toEqual([{ procedure_id: 'passeport', day: '2026-03-14' }]);
  // A free-text line inside the month (a short retention) prunes no rare term of its month to date,
  // which also sums days whose text is kept; a line after the month prunes them.
  expect(await store.terms.prune('0000-01-01', '2026-03-11', 5)).toBe(0);
  expect(await termRows()).toEqual(toDate(original));
  // A window holding every day summed reads them; one holding some of them counts those days
  // exactly, from what each review is counted under (« the last 7 days » late in a month).
  expect(await sums('2026-03-01', '2026-03-15')).toEqual(exact);
  expect(await sums('2026-02-20', '2026-03-14')).toEqual(exact);
  expect(await sums('2026-02-20', '2026-03-07')).toEqual([]);
  expect(await sums('2026-03-11', '2026-03-15')).toEqual(['good :1', 'good lent:1', 'good site:1', 'good site lent:1'].sort());
  expect(await sums('2026-03-10', '2026-03-10')).toEqual(exact.filter((row) => row.startsWith('bad ')));
  // Hidden, its terms come off the month to date; restored, they come back on its day, which the
  // next fold sums again.
  await store.reviews.setHidden('passeport', hidden, { reason: 'Nom propre', by: 'admin@example.gouv.fr', at: clock });
  await countQueuedTerms(store);
  const forms = async () => (await termRows()).map((row) => `${row.day} ${row.satisfaction} ${row.form}:${row.count}`).sort();
  expect(await forms()).toEqual(
    ['bad :1', 'bad fermé:1', 'bad guichet:1', 'bad guichet fermé:1', 'good :1', 'good lent:1', 'good site:1', 'good site lent:1']
      .map((row) => `2026-03-00 ${row}`)
      .sort(),
  );
  await store.reviews.setHidden('passeport', hidden, null);
  await countQueuedTerms(store);
  expect(await sums('2026-03-01', '2026-03-15')).toEqual(exact);
  expect(await store.terms.fold('2026-03-15', 300, 5)).toBe(4);
  expect(await termRows()).toEqual(toDate(original));
  // A rebuild from the middle of the month keeps its month to date (its days cannot be told apart);
  // from its first day, every comment is counted again, on its day.
  expect(await store.terms.requeue('2026-03-05')).toEqual({ from: '2026-04-01', queued: 0 });
  expect(await termRows()).toEqual(toDate(original));
  expect(await store.terms.requeue('2026-03-01')).toEqual({ from: '2026-03-01', queued: 3 });
  expect(await termRows()).toEqual([]);
  expect(await db.rows('SELECT * FROM term_month_marks')).toEqual([]);
  await countQueuedTerms(store);
  expect(await termRows()).toEqual(original);
});

test('a review queued again while its older text was being counted stays queued for the new one', async () => {
  const id = await review('guichet fermé');
  const [pending] = await store.terms.pending(10);
  const writes = reviewWrites(store, () => clock);
  await writes.replaceFollowUps((await writes.find(String(id)))!, { comment: 'site lent' });
  await store.terms.count([{ review: pending!, terms: [{ term: 'guichet', form: 'guichet' }] }]);
  expect(await termRows()).toEqual([]);
  await countQueuedTerms(store);
  expect((await termRows()).map((row) => row.term)).toEqual(['', 'lent', 'site', 'site lent']);
});

test('the purge erases what a review was counted under and keeps the counts, but a term under the floor leaves with its text', async () => {
  for (let i = 0; i < 5; i++) await review('guichet fermé');
  for (let i = 0; i < 4; i++) await review('madame Zorglub fermé');
  await countQueuedTerms(store);
  const before = await termRows();
  // 21 days on, in the same month (a closed month is folded): the retention line (20 days) has
  // crossed the reviews' day.
  clock = new Date('2026-03-31T09:00:00Z');
  await purge(store, 20, clock, 5);
  expect(await db.rows('SELECT comment FROM reviews WHERE comment IS NOT NULL')).toEqual([]);
  expect(await db.rows('SELECT * FROM review_terms')).toEqual([]);
  // « fermé » was written 9 times, « guichet » 5: they stay; « zorglub » (4 reviews) goes. The day,
  // closed, is summed into its month to date.
  expect(await termRows()).toEqual(before.filter((row) => !/zorglub|madam/.test(row.term)).map((row) => ({ ...row, day: '2026-03-00' })));
  expect((await termRows()).map((row) => row.term)).toEqual(['', 'ferm', 'guichet', 'guichet ferm']);
});

test('requeueing the days the purge has not reached (rollups rebuild) counts each comment once again, not twice', async () => {
  for (let i = 0; i < 3; i++) await review('guichet fermé', i === 0 ? 'good' : 'bad');
  await review(undefined);
  await countQueuedTerms(store);
  const before = await termRows();
  expect(await store.terms.requeue('2026-03-01')).toEqual({ from: '2026-03-01', queued: 3 });
  expect(await termRows()).toEqual([]);
  expect(await countQueuedTerms(store)).toBe(3);
  expect(await termRows()).toEqual(before);
});

test('`jdma rollups rebuild` recounts the days the purge has not reached, and keeps the counts of earlier ones', async () => {
  // Days relative to the real date: the command line runs on it.
  const today = utcDay(new Date());
  clock = new Date(`${addDays(today, -300)}T09:00:00Z`);
  for (let i = 0; i < 5; i++) await review('guichet fermé');
  await countQueuedTerms(store);
  clock = new Date(`${today}T09:00:00Z`);
  await purge(store, 100, clock, 5);
  clock = new Date(`${addDays(today, -5)}T09:00:00Z`);
  for (let i = 0; i < 2; i++) await review('site lent');
  await countQueuedTerms(store);
  const counted = await termRows();
  expect(counted.map((row) => row.term)).toEqual(['', 'lent', 'site', 'site lent']);
  // The purge folded the days of closed months into their month.
  const months = async () =>
    (await db.rows<{ month: string; term: string; count: number }>('SELECT month, term, count FROM monthly_term_rollups')).sort((a, b) =>
      a.term < b.term ? -1 : 1,
    );
  const folded = await months();
  expect(folded).toEqual(
    ['', 'ferm', 'guichet', 'guichet ferm'].map((term) => ({ month: addDays(today, -300).slice(0, 7), term, count: 5 })),
  );
  await store.close();
  // A lost term row of a stored comment comes back; the erased comments' counts stay as they were.
  await db.exec("DELETE FROM daily_term_rollups WHERE term = 'lent'");
  const result = runCli(['rollups', 'rebuild'], { ...db.env, FREE_TEXT_RETENTION_DAYS: '100' });
  expect(result).toMatchObject({ status: 0, stderr: '' });
  expect(result.stdout).toMatch(/termes recomptés dans 2 commentaires des jours/);
  // No month the line cuts holds folded counts: the recount starts at the line.
  expect(result.stdout).toContain(`depuis le ${addDays(today, 1 - 100)} (les jours d’avant gardent leurs comptes)`);
  store = await db.open();
  expect(await termRows()).toEqual(counted);
  expect(await months()).toEqual(folded);
});

/** A store's counts over a window, every placement, summed per term (minReviews 1): « term:count », sorted. */
async function termTotals(reader: Store, from: string, to: string, placement: string | null = null): Promise<string[]> {
  const totals = new Map<string, number>();
  for (const row of (await reader.terms.counts('passeport', [{ window: { from, to }, minReviews: 1 }], placement))[0]!) {
    totals.set(row.term, (totals.get(row.term) ?? 0) + row.count);
  }
  return [...totals].map(([term, count]) => `${term}:${count}`).sort();
}

test('a collector keeps what it read of the month to date and folded months only while no one changes them, whoever changes them', async () => {
  // Two collectors on one database: `other` reads, `store` writes.
  const other = await db.open();
  try {
    clock = new Date('2026-02-10T09:00:00Z');
    await review('guichet fermé');
    clock = new Date('2026-03-10T09:00:00Z');
    await review('site lent', 'good');
    const hidden = await review('guichet Dupont');
    await countQueuedTerms(store);
    await store.terms.fold('2026-03-15', 300, 1);
    const sums = () => termTotals(other, '2026-02-01', '2026-03-15');
    const all = [':3', 'dupont:1', 'ferm:1', 'guichet:2', 'guichet dupont:1', 'guichet ferm:1', 'lent:1', 'site:1', 'site lent:1'];
    expect(await sums()).toEqual(all.sort());
    // Read once per version: rows changed behind the store's back (no version raised) are not seen…
    await db.exec("DELETE FROM daily_term_rollups WHERE term = 'lent'");
    await db.exec("DELETE FROM monthly_term_rollups WHERE term = 'ferm'");
    expect(await sums()).toEqual(all.sort());
    await db.exec(
      `INSERT INTO daily_term_rollups (procedure_id, day, placement_id, satisfaction, term, form, count)
         VALUES ('passeport', '2026-03-00', 'default', 'good', 'lent', 'lent', 1)`,
    );
    await db.exec(
      `INSERT INTO monthly_term_rollups (procedure_id, month, placement_id, satisfaction, term, form, count)
         VALUES ('passeport', '2026-02', 'default', 'bad', 'ferm', 'fermé', 1)`,
    );
    // …but every write of the store is: a comment hidden comes off the month to date,
    await store.reviews.setHidden('passeport', hidden, { reason: 'Nom propre', by: 'admin@example.gouv.fr', at: clock });
    await countQueuedTerms(store);
    const shown = all.filter((row) => !/dupont/.test(row)).map((row) => (row === ':3' ? ':2' : row === 'guichet:2' ? 'guichet:1' : row));
    expect(await sums()).toEqual(shown.sort());
    // a late day row of February folded into its month,
    await db.exec(
      `INSERT INTO daily_term_rollups (procedure_id, day, placement_id, satisfaction, term, form, count) VALUES
         ('passeport', '2026-02-27', 'default', 'bad', '', '', 1), ('passeport', '2026-02-27', 'default', 'bad', 'ferm', 'fermé', 1)`,
    );
    await store.terms.fold('2026-03-15', 300, 1);
    expect(await sums()).toEqual(shown.map((row) => (row === ':2' ? ':3' : row === 'ferm:1' ? 'ferm:2' : row)).sort());
    // and a rebuild from the 1st of March, then its recount.
    await store.terms.requeue('2026-03-01');
    expect(await sums()).toEqual([':2', 'ferm:2', 'guichet:1', 'guichet ferm:1'].sort());
    await countQueuedTerms(store);
    await store.terms.fold('2026-03-15', 300, 1);
    expect(await sums()).toEqual(shown.map((row) => (row === ':2' ? ':3' : row === 'ferm:1' ? 'ferm:2' : row)).sort());
  } finally {
    await other.close();
  }
});

test('comments of a summed day hidden together come off its late row and its month to date alike', async () => {
  const early = await review('guichet fermé');
  await countQueuedTerms(store);
  await store.terms.fold('2026-03-15', 300, 5);
  // Counted after the fold summed its day: a row of that day again, beside the month to date.
  const late = await review('guichet fermé');
  await countQueuedTerms(store);
  expect((await termRows()).map((row) => row.day)).toEqual([
    '2026-03-00',
    '2026-03-00',
    '2026-03-00',
    '2026-03-00',
    ...Array(4).fill('2026-03-10'),
  ]);
  for (const id of [early, late]) {
    await store.reviews.setHidden('passeport', id, { reason: 'Nom propre', by: 'admin@example.gouv.fr', at: clock });
  }
  await countQueuedTerms(store);
  expect(await termRows()).toEqual([]);
});

test('a collector sees its cached month to date change when the fold sums a late day into it, and when the prune takes its rare terms', async () => {
  const other = await db.open();
  try {
    await review('guichet fermé');
    await countQueuedTerms(store);
    await store.terms.fold('2026-03-15', 300, 5);
    const sums = () => termTotals(other, '2026-03-01', '2026-03-15');
    const first = [':1', 'ferm:1', 'guichet:1', 'guichet ferm:1'].sort();
    expect(await sums()).toEqual(first);
    // Counted after the fold, on the summed day: its own day row, then summed by the next fold.
    await review('site lent');
    await countQueuedTerms(store);
    const both = [':2', 'ferm:1', 'guichet:1', 'guichet ferm:1', 'lent:1', 'site:1', 'site lent:1'].sort();
    expect(await sums()).toEqual(both);
    expect(await store.terms.fold('2026-03-15', 300, 5)).toBe(4);
    expect(await sums()).toEqual(both);
    // A free-text line past the month prunes the terms fewer than 5 reviews wrote, its month to date's too.
    expect(await store.terms.prune('0000-01-01', '2026-04-05', 5)).toBe(6);
    expect(await sums()).toEqual([':2']);
  } finally {
    await other.close();
  }
});

test('the fold writes the month to date summed under the version it raised: a first read takes that row, and any later write sets it aside', async () => {
  clock = new Date('2026-03-10T09:00:00Z');
  await review('guichet fermé');
  const hidden = await review('guichet Dupont');
  await review('site lent', 'good');
  await countQueuedTerms(store);
  await store.terms.fold('2026-03-15', 300, 5);
  const { version } = (await db.rows<{ version: number }>("SELECT version FROM term_versions WHERE procedure_id = 'passeport'"))[0]!;
  const written = await db.rows<{ placement_id: string; day: string; version: number; columns: string }>(
    "SELECT placement_id, day, version, columns FROM term_month_sums WHERE procedure_id = 'passeport' ORDER BY placement_id",
  );
  // Every placement ('') and each: the month to date summed per term, form and answer.
  expect(written.map(({ placement_id, day, version }) => ({ placement_id, day, version }))).toEqual([
    { placement_id: '', day: '2026-03-00', version },
    { placement_id: 'default', day: '2026-03-00', version },
  ]);
  const [, forms, answers, counts] = JSON.parse(written[0]!.columns) as [string[], string[], string[], number[]];
  expect(forms.map((form, i) => `${answers[i]} ${form}:${counts[i]}`).sort()).toEqual(
    ['bad :2', 'bad dupont:1', 'bad fermé:1', 'bad guichet:2', 'bad guichet dupont:1', 'bad guichet fermé:1']
      .concat(['good :1', 'good lent:1', 'good site:1', 'good site lent:1'])
      .sort(),
  );
  // A collector that never read them takes that row, not the day rows: a count put there alone shows.
  const marked = (placement: string) =>
    db.exec(
      `UPDATE term_month_sums SET columns = '[["marqueur"],["marqueur"],["good"],[9]]' WHERE procedure_id = 'passeport' AND placement_id = '${placement}'`,
    );
  await marked('');
  await marked('default');
  const read = (reader: Store, placement: string | null) => termTotals(reader, '2026-03-01', '2026-03-15', placement);
  const first = await db.open();
  try {
    expect(await read(first, null)).toEqual(['marqueur:9']);
    expect(await read(first, 'default')).toEqual(['marqueur:9']);
  } finally {
    await first.close();
  }
  // A hidden comment of a summed day comes off the month to date: its sums go, and reads take the rows.
  await store.reviews.setHidden('passeport', hidden, { reason: 'Nom propre', by: 'admin@example.gouv.fr', at: clock });
  await countQueuedTerms(store);
  expect(await db.rows("SELECT placement_id FROM term_month_sums WHERE procedure_id = 'passeport'")).toEqual([]);
  const second = await db.open();
  try {
    expect(await read(second, null)).toEqual([':2', 'ferm:1', 'guichet:1', 'guichet ferm:1', 'lent:1', 'site:1', 'site lent:1'].sort());
  } finally {
    await second.close();
  }
  // Sums left under an older version (a write that raised it) are never read either.
  await review('site lent', 'good');
  await countQueuedTerms(store);
  await store.terms.fold('2026-03-15', 300, 5);
  await marked('');
  await db.exec("UPDATE term_versions SET version = version + 1 WHERE procedure_id = 'passeport'");
  const third = await db.open();
  try {
    expect(await read(third, null)).toEqual([':3', 'ferm:1', 'guichet:1', 'guichet ferm:1', 'lent:2', 'site:2', 'site lent:2'].sort());
  } finally {
    await third.close();
  }
});

test('what a collector read of the folded months outlives the fold of the month to date, not a write to those months', async () => {
  const other = await db.open();
  try {
    clock = new Date('2026-02-10T09:00:00Z');
    await review('guichet fermé');
    clock = new Date('2026-03-10T09:00:00Z');
    await review('site lent', 'good');
    await countQueuedTerms(store);
    await store.terms.fold('2026-03-15', 300, 1);
    const sums = () => termTotals(other, '2026-02-01', '2026-03-15');
    expect(await sums()).toEqual([':2', 'ferm:1', 'guichet:1', 'guichet ferm:1', 'lent:1', 'site:1', 'site lent:1'].sort());
    // February's row changed behind the store's back (no version raised): the months read stay as read…
    await db.exec("UPDATE monthly_term_rollups SET count = 4 WHERE term = 'guichet'");
    // …when the fold sums a closed day of March into its month to date (that part is read again),
    clock = new Date('2026-03-12T09:00:00Z');
    await review('site lent', 'good');
    await countQueuedTerms(store);
    expect(await store.terms.fold('2026-03-15', 300, 1)).toBe(4);
    expect(await sums()).toEqual([':3', 'ferm:1', 'guichet:1', 'guichet ferm:1', 'lent:2', 'site:2', 'site lent:2'].sort());
    // but not when a write changes the months: a rebuild from March raises their version too.
    await store.terms.requeue('2026-03-01');
    await countQueuedTerms(store);
    await store.terms.fold('2026-03-15', 300, 1);
    expect(await sums()).toEqual([':3', 'ferm:1', 'guichet:4', 'guichet ferm:1', 'lent:2', 'site:2', 'site lent:2'].sort());
  } finally {
    await other.close();
  }
});
