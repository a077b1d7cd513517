import { afterAll, expect, test } from 'vitest';
import { FeedBuilder } from '../../server/feed-builder.ts';
import { testDatabase } from '../helpers/test-database.ts';
import { addProcedure } from '../helpers/procedures.ts';

const store = await (await testDatabase()).open();
afterAll(() => store.close());

test('the default window stays cached however many custom windows clients ask for', async () => {
  for (const id of ['passeport', 'impots', 'carte-grise']) await addProcedure(store, { id, title: id, entity: 'État', origins: [] });
  const now = new Date('2026-11-22T10:00:00Z');
  const feeds = new FeedBuilder(store, { minReviews: 100, now: () => now });
  let reads = 0;
  const monthCounts = store.rollups.monthCounts;
  store.rollups.monthCounts = (...args) => (reads++, monthCounts(...args));

  // Asked for by id: a list would leave these procedures out, none of them having a review.
  const defaultWindow = { window: { from: '2025-11-23', to: '2026-11-22' }, procedures: ['passeport', 'impots', 'carte-grise'] };
  await feeds.build(defaultWindow);
  expect(reads).toBe(3); // one read per procedure

  for (let day = 1; day <= 20; day++) await feeds.build({ window: { from: `2026-01-${String(day).padStart(2, '0')}`, to: '2026-06-30' } });
  reads = 0;
  await feeds.build({ ...defaultWindow, procedures: ['passeport', 'impots'] }); // another selection: not a cached whole feed
  expect(reads).toBe(0);
});
