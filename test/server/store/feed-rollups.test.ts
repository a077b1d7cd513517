import { describe, expect, test } from 'vitest';
import { FeedBuilder } from '../../../server/feed-builder.ts';
import { answerRows, planWindow } from '../../../server/store/rollup-math.ts';
import type { Store } from '../../../server/store/store.ts';
import { computeIndicators, emptyWindowCounts } from '../../../shared/indicators.ts';
import { addDays, type FeedWindow } from '../../../shared/feed-window.ts';
import { ADMIN_CHANNELS, HELP_CHANNELS, SATISFACTION_ANSWERS, type FollowUpAnswers } from '../../../shared/questionnaire.ts';
import { runCli } from '../../helpers/cli-process.ts';
import { testDatabase, type TestDatabase } from '../../helpers/test-database.ts';
import { addProcedure } from '../../helpers/procedures.ts';
import { seededRandom } from '../../helpers/seeded-random.ts';

// The rollups are what the feed reads, so they must always equal what the reviews say.

const PROCEDURES = ['alpha', 'beta', 'gamma'];
const PLACEMENTS = ['default', 'site', 'email'];
const FIRST_DAY = '2024-11-01';
const TODAY = '2026-11-22';

function randomAnswers(next: () => number): FollowUpAnswers {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const answers: FollowUpAnswers = {};
  if (next() < 0.6) answers.clarity = pick([1, 2, 3, 4, 5] as const);
  if (next() < 0.5) {
    if (next() < 0.4) answers.help_sought = ['none'];
    else {
      const channels = HELP_CHANNELS.filter((c) => c !== 'none' && next() < 0.3);
      answers.help_sought = channels.length ? channels : ['phone'];
      for (const channel of answers.help_sought.filter((c) => (ADMIN_CHANNELS as readonly string[]).includes(c))) {
        if (next() < 0.8) {
          const reached = next() < 0.7 ? 'yes' : 'no';
          (answers.help_reached ??= {})[channel as (typeof ADMIN_CHANNELS)[number]] = reached;
          if (reached === 'yes' && next() < 0.8)
            (answers.help_quality ??= {})[channel as (typeof ADMIN_CHANNELS)[number]] = pick([1, 2, 3, 4, 5] as const);
        }
      }
    }
  }
  if (next() < 0.2) answers.comment = 'texte libre';
  return answers;
}

interface Written {
  procedure: string;
  placement: string;
  day: string;
  satisfaction: string;
  answers: FollowUpAnswers;
}

/** A random workload through the store's own write functions: ratings, follow-ups, replaced follow-ups. */
async function randomWorkload(store: Store, seed: number, reviews: number): Promise<Written[]> {
  const next = seededRandom(seed);
  for (const id of PROCEDURES) {
    if (!(await store.procedures.find(id)))
      await addProcedure(store, { id, title: id, entity: 'E', origins: ['https://a.fr'], placements: ['site', 'email'] });
  }
  const written: Written[] = [];
  const ids: number[] = [];
  for (let i = 0; i < reviews; i++) {
    const day = addDays(FIRST_DAY, Math.floor(next() * 752));
    const review: Written = {
      procedure: PROCEDURES[Math.floor(next() * PROCEDURES.length)]!,
      placement: PLACEMENTS[Math.floor(next() * PLACEMENTS.length)]!,
      day,
      satisfaction: SATISFACTION_ANSWERS[Math.floor(next() * 3)]!,
      answers: {},
    };
    const id = await store.reviews.create({
      procedureId: review.procedure,
      placementId: review.placement,
      satisfaction: review.satisfaction as 'good',
      lang: 'fr',
      tokenHash: Buffer.alloc(32),
      createdAt: new Date(`${day}T08:00:00Z`),
    });
    written.push(review);
    ids.push(id);
    // Follow-ups, sometimes replaced (even by an empty set), sometimes on an earlier review.
    for (let k = 0; k < 3 && next() < 0.5; k++) {
      const target = next() < 0.8 ? written.length - 1 : Math.floor(next() * written.length);
      const answers = randomAnswers(next);
      await store.reviews.replaceFollowUps(ids[target]!, answers, new Date());
      written[target]!.answers = answers;
    }
  }
  return written;
}

const rollupTables = async (db: TestDatabase) => ({
  daily: await db.rows('SELECT * FROM daily_rollups ORDER BY procedure_id, day, placement_id, question, answer'),
  monthly: await db.rows('SELECT * FROM monthly_rollups ORDER BY procedure_id, month, placement_id, question, answer'),
});

describe('rollups agree with the reviews', () => {
  test('after a random workload of ratings and replaced follow-ups, rebuilding from the reviews changes nothing', async () => {
    const db = await testDatabase();
    const store = await db.open();
    await randomWorkload(store, 42, 3000);
    const maintained = await rollupTables(db);
    expect(maintained.daily.length).toBeGreaterThan(1000);
    await store.rollups.rebuild();
    expect(await rollupTables(db)).toEqual(maintained);
    await store.close();
  });

  test('the feed over random windows and placements equals the method applied to the reviews themselves', async () => {
    const store = await (await testDatabase()).open();
    const written = await randomWorkload(store, 7, 2000);
    const next = seededRandom(99);
    const feeds = new FeedBuilder(store, { minReviews: 1, now: () => new Date(`${TODAY}T12:00:00Z`) });
    for (let i = 0; i < 60; i++) {
      const from = addDays(FIRST_DAY, Math.floor(next() * 760) - 5);
      const to = next() < 0.2 ? from : addDays(from, Math.floor(next() * 400));
      const placement = next() < 0.3 ? PLACEMENTS[Math.floor(next() * 3)] : undefined;
      const window: FeedWindow = { from, to };
      const { built } = await feeds.build({ window, placement });
      for (const id of PROCEDURES) {
        const counts = emptyWindowCounts();
        for (const r of written) {
          if (r.procedure !== id || r.day < from || r.day > to || (placement && r.placement !== placement)) continue;
          counts.satisfaction[r.satisfaction as 'good']++;
          for (const row of answerRows(r.answers)) {
            if (row.question === 'help_sought') continue;
            const table = row.question === 'help_reached' ? counts.help_reached : counts[row.question];
            (table as Record<string, number>)[row.answer]!++;
          }
          if (r.answers.help_sought) counts.autonomy[r.answers.help_sought[0] === 'none' ? 'none' : 'sought']++;
        }
        const entry = built!.feed.procedures.find((p) => p.id === id);
        // A list holds only the procedures with a review in the window (and placement).
        const rated = counts.satisfaction.good + counts.satisfaction.medium + counts.satisfaction.bad;
        expect(entry !== undefined, `${id} ${from}..${to} ${placement ?? ''} listed`).toBe(rated > 0);
        if (!entry) continue;
        expect(entry.indicators, `${id} ${from}..${to} ${placement ?? ''}`).toEqual(computeIndicators(counts, 1));
        expect(entry.trend.reduce((sum, point) => sum + point.reviews, 0)).toBe(entry.reviews);
      }
    }
    await store.close();
  });

  test('`jdma rollups rebuild` recomputes lost or damaged rollups from the reviews', async () => {
    const db = await testDatabase();
    const store = await db.open();
    await randomWorkload(store, 3, 500);
    await store.close();
    const maintained = await rollupTables(db);
    await db.exec(
      "DELETE FROM daily_rollups WHERE procedure_id = 'alpha'; UPDATE monthly_rollups SET count = count + 5; DELETE FROM rollup_versions",
    );

    const result = runCli(['rollups', 'rebuild'], db.env);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toMatch(/Agrégats du flux recalculés/);
    expect(await rollupTables(db)).toEqual(maintained);
    expect((await db.rows<{ version: number }>('SELECT version FROM rollup_versions')).every((row) => row.version > 0)).toBe(true);
  });
});

describe('a window is read as whole months plus or minus the days at its ends', () => {
  test.each([
    // The default window ending today: 8 days of November 2025, then 12 months; November 2026 has no day after today.
    [
      { from: '2025-11-23', to: '2026-11-22' },
      '2026-11-22',
      {
        months: { from: '2025-12', to: '2026-11' },
        days: [
          { from: '2025-11-23', to: '2025-11-30', sign: 1 },
          { from: '2026-11-23', to: '2026-11-30', sign: -1 },
        ],
      },
    ],
    // In the past, a partial month is read as its days when they are fewer than the days left out.
    [
      { from: '2026-01-03', to: '2026-03-05' },
      '2026-11-22',
      {
        months: { from: '2026-01', to: '2026-02' },
        days: [
          { from: '2026-01-01', to: '2026-01-02', sign: -1 },
          { from: '2026-03-01', to: '2026-03-05', sign: 1 },
        ],
      },
    ],
    // Whole months only.
    [{ from: '2026-01-01', to: '2026-03-31' }, '2026-11-22', { months: { from: '2026-01', to: '2026-03' }, days: [] }],
    // Within one month.
    [{ from: '2026-05-10', to: '2026-05-12' }, '2026-11-22', { months: null, days: [{ from: '2026-05-10', to: '2026-05-12', sign: 1 }] }],
    [
      { from: '2026-05-02', to: '2026-05-30' },
      '2026-11-22',
      {
        months: { from: '2026-05', to: '2026-05' },
        days: [
          { from: '2026-05-01', to: '2026-05-01', sign: -1 },
          { from: '2026-05-31', to: '2026-05-31', sign: -1 },
        ],
      },
    ],
  ])('%j (today %s)', (window, today, plan) => {
    expect(planWindow(window, today)).toEqual(plan);
  });
});
