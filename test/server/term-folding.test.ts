import { afterEach, beforeEach, expect, test } from 'vitest';
import { commentInsights, type CommentInsights } from '../../server/agency/comment-insights.ts';
import { purge, TERM_MONTH_KEEP } from '../../server/retention.ts';
import { type Store, UNSEEN } from '../../server/store/store.ts';
import { addDays } from '../../shared/feed-window.ts';
import { addProcedure } from '../helpers/procedures.ts';
import { testDatabase, type TestDatabase } from '../helpers/test-database.ts';
import { seededRandom, zipf } from '../helpers/seeded-random.ts';

// The hourly purge folds the term counts of days before the previous month into months, keeping the
// TERM_MONTH_KEEP most written terms of each placement × satisfaction (SPEC §8): insights read from
// them must show the terms the exact day counts show, on a corpus that looks like real comments.

let db: TestDatabase;
let store: Store;

beforeEach(async () => {
  db = await testDatabase();
  store = await db.open();
  await addProcedure(store, { id: 'passeport', title: 'Passeport', entity: 'Ministère', origins: [], placements: ['default', 'site'] });
});
afterEach(async () => store.close());

const TODAY = '2026-11-20';
const FIRST = addDays(TODAY, -364);

/**
 * A year of comments, 40 a day: 6 words and 2 bigrams each from Zipf vocabularies; unhappy reviews
 * write « attente » and « guichet ferme » more, happy ones « rapide »; « panne » rises in the last 30
 * days. Written straight into the day rows, as the term tick leaves them.
 */
async function seed(): Promise<void> {
  const next = seededRandom(7);
  const word = zipf(3000, next);
  const bigram = zipf(3000, next);
  const rows = new Map<string, number>();
  const add = (day: string, placement: string, satisfaction: string, term: string) => {
    const key = `${day}|${placement}|${satisfaction}|${term}`;
    rows.set(key, (rows.get(key) ?? 0) + 1);
  };
  for (let d = 0; d < 365; d++) {
    const day = addDays(FIRST, d);
    for (let c = 0; c < 40; c++) {
      const draw = next();
      const satisfaction = draw < 0.55 ? 'good' : draw < 0.75 ? 'medium' : 'bad';
      const placement = next() < 0.4 ? 'site' : 'default';
      const terms = new Set<string>();
      while (terms.size < 6) terms.add(`mot${word()}`);
      for (let b = 0; b < 2; b++) terms.add(`paire${bigram()} b`);
      if (satisfaction === 'bad' && next() < 0.3) terms.add('attente');
      if (satisfaction === 'bad' && next() < 0.15) terms.add('guichet ferme');
      if (satisfaction === 'good' && next() < 0.2) terms.add('rapide');
      if (d >= 335 && next() < 0.1) terms.add('panne');
      add(day, placement, satisfaction, '');
      for (const term of terms) add(day, placement, satisfaction, term);
    }
  }
  const values = [...rows].map(([key, count]) => {
    const [day, placement, satisfaction, term] = key.split('|');
    return `('passeport', '${day}', '${placement}', '${satisfaction}', '${term}', '${term}', ${count})`;
  });
  for (let i = 0; i < values.length; i += 5000) {
    await db.exec(
      `INSERT INTO daily_term_rollups (procedure_id, day, placement_id, satisfaction, term, form, count) VALUES ${values.slice(i, i + 5000).join(', ')}`,
    );
  }
}

/** What an agent sees: the lists' terms, in order. */
const shown = (insights: CommentInsights) => ({
  top: insights.top.map((term) => term.key),
  bad: insights.distinctive.bad.map((term) => term.key),
  good: insights.distinctive.good.map((term) => term.key),
  rising: insights.rising.terms.map((term) => term.key),
});

/** Share of the exact lists' terms the folded lists show too. */
function agreement(exact: ReturnType<typeof shown>, folded: ReturnType<typeof shown>): number {
  let same = 0;
  let all = 0;
  for (const list of ['top', 'bad', 'good', 'rising'] as const) {
    all += exact[list].length;
    same += exact[list].filter((term) => folded[list].includes(term)).length;
  }
  return same / all;
}

test('insights read from folded months show the terms of the exact day counts', { timeout: 120_000 }, async () => {
  await seed();
  const window = { from: FIRST, to: TODAY };
  const exact = await Promise.all([null, 'site'].map((placement) => commentInsights(store, 'passeport', window, placement, 5)));
  const dayRows = (await db.rows<{ n: number }>('SELECT count(*) AS n FROM daily_term_rollups'))[0]!.n;

  // The current month's counts, exactly, per placement, answer and form: every term, and those at
  // least 5 reviews wrote (some of them only with today's).
  const currentMonth = async () =>
    Promise.all(
      [null, 'site', null, 'site'].map(async (placement, i) => {
        const sums = new Map<string, number>();
        const [rows] = await store.terms.counts(
          'passeport',
          [{ window: { from: '2026-11-01', to: TODAY }, minReviews: i < 2 ? 1 : 5 }],
          placement,
        );
        for (const row of rows!)
          sums.set(`${row.satisfaction} ${row.form}`, (sums.get(`${row.satisfaction} ${row.form}`) ?? 0) + row.count);
        return [...sums].sort(([a], [b]) => (a < b ? -1 : 1));
      }),
    );
  const currentBefore = await currentMonth();

  // The hourly purge on the seeded "today" folds every day of the closed months (up to October),
  // and sums the current month's closed days into its month to date (day 2026-11-00).
  await purge(store, 3650, new Date(`${TODAY}T09:00:00Z`), 5);
  expect(await db.rows("SELECT DISTINCT day FROM daily_term_rollups WHERE day < '2026-11-00'")).toEqual([]);
  expect((await db.rows<{ day: string }>('SELECT DISTINCT day FROM daily_term_rollups')).map((row) => row.day).sort()).toEqual([
    '2026-11-00',
    TODAY,
  ]);
  // The month to date holds every term: its counts are the day rows' own.
  expect(await currentMonth()).toEqual(currentBefore);
  const monthRows = (await db.rows<{ n: number }>('SELECT count(*) AS n FROM monthly_term_rollups'))[0]!.n;
  const keptDays = (await db.rows<{ n: number }>('SELECT count(*) AS n FROM daily_term_rollups'))[0]!.n;
  expect(monthRows).toBeLessThanOrEqual(12 * 2 * 3 * (TERM_MONTH_KEEP + 1));
  expect(monthRows + keptDays).toBeLessThan(dayRows / 3);

  const folded = await Promise.all([null, 'site'].map((placement) => commentInsights(store, 'passeport', window, placement, 5)));
  for (const [i, insights] of folded.entries()) {
    const [before, after] = [shown(exact[i]!), shown(insights)];
    // The terms built in are found, by the exact counts and by the folded ones alike.
    for (const lists of [before, after]) {
      expect(lists.bad.slice(0, 2).sort()).toEqual(['attente', 'guichet ferme']);
      expect(lists.good[0]).toBe('rapide');
      expect(lists.rising[0]).toBe('panne');
    }
    // The same terms are shown; near-ties may swap, the folded window's edges being whole months.
    expect([...after.top].sort()).toEqual([...before.top].sort());
    expect(after.rising).toEqual(before.rising);
    // Distinctive terms well past the threshold (|z| ≥ 3) all stay; those near it come and go with
    // the window's edges and the terms the months left out, as noise does.
    const clear = [...exact[i]!.distinctive.bad, ...exact[i]!.distinctive.good]
      .filter((term) => Math.abs(term.z) >= 3)
      .map((term) => term.key);
    expect(clear.filter((key) => !after.bad.includes(key) && !after.good.includes(key))).toEqual([]);
    // Measured: 0.69 and 0.77 of the exact lists' terms (every placement, then « site »), all 20 top
    // and the rising terms among them; what differs is distinctive terms near |z| = 1.96.
    expect(agreement(before, after)).toBeGreaterThanOrEqual(0.65);
  }
});

test('a month is folded once: its late day rows add to it, and `rollups rebuild` keeps a month the line cuts', async () => {
  await db.exec(
    `INSERT INTO daily_term_rollups (procedure_id, day, placement_id, satisfaction, term, form, count) VALUES
       ('passeport', '2026-08-03', 'default', 'bad', '', '', 6), ('passeport', '2026-08-03', 'default', 'bad', 'attente', 'attente', 6),
       ('passeport', '2026-08-20', 'default', 'bad', '', '', 1), ('passeport', '2026-08-20', 'default', 'bad', 'zorglub', 'Zorglub', 1),
       ('passeport', '2026-09-02', 'default', 'bad', '', '', 2), ('passeport', '2026-09-02', 'default', 'bad', 'attente', 'attente', 2)`,
  );
  expect(await store.terms.fold('2026-09-01', 10, 5)).toBe(4);
  // « zorglub », written once in August, is not kept but bounds what a term left out wrote (UNSEEN);
  // « attente » is kept, with the reviews of its month.
  const months = async () =>
    (await db.rows<{ term: string; count: number }>('SELECT month, term, count FROM monthly_term_rollups'))
      .map((row) => JSON.stringify(row))
      .sort();
  expect(await months()).toEqual(
    [
      { month: '2026-08', term: '', count: 7 },
      { month: '2026-08', term: UNSEEN, count: 1 },
      { month: '2026-08', term: 'attente', count: 6 },
    ].map((row) => JSON.stringify(row)),
  );
  await db.exec(
    `INSERT INTO daily_term_rollups (procedure_id, day, placement_id, satisfaction, term, form, count) VALUES
       ('passeport', '2026-08-28', 'default', 'bad', '', '', 5), ('passeport', '2026-08-28', 'default', 'bad', 'attente', 'attente', 5)`,
  );
  expect(await store.terms.fold('2026-09-01', 10, 5)).toBe(2);
  expect(await months()).toEqual(
    [
      { month: '2026-08', term: '', count: 12 },
      { month: '2026-08', term: UNSEEN, count: 1 },
      { month: '2026-08', term: 'attente', count: 11 },
    ].map((row) => JSON.stringify(row)),
  );
  // A window reads the months it holds at least half of, and the day rows.
  const counts = async (from: string, to: string) => {
    const sums = new Map<string, number>();
    for (const row of (await store.terms.counts('passeport', [{ window: { from, to }, minReviews: 5 }], null))[0]!) {
      sums.set(row.term, (sums.get(row.term) ?? 0) + row.count);
    }
    return [...sums].map(([term, count]) => `${term}:${count}`).sort();
  };
  expect(await counts('2026-08-10', '2026-09-30')).toEqual([`${UNSEEN}:1`, ':14', 'attente:13'].sort());
  expect(await counts('2026-08-20', '2026-09-30')).toEqual([':2']);
  // The rebuild from mid-August leaves August as it is and recounts from September.
  await store.terms.requeue('2026-08-15');
  expect(await months()).toHaveLength(3);
  expect(await db.rows('SELECT day FROM daily_term_rollups')).toEqual([]);
});

test('the fold shares the event loop: it gives a turn to others every few hundred day rows', { timeout: 120_000 }, async () => {
  await seed();
  // A timer's ticks during the fold: one per turn of the event loop at most. A fold holding it for
  // a month's statement at a time gives about one a month (11 here).
  let turns = 0;
  const timer = setInterval(() => turns++, 1);
  const folded = await store.terms.fold('2026-10-01', TERM_MONTH_KEEP, 5);
  clearInterval(timer);
  expect(folded).toBeGreaterThan(80_000);
  expect(turns).toBeGreaterThan(folded / 2000);
});
