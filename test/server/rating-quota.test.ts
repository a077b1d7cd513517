import { expect, test } from 'vitest';
import { ratingQuota } from '../../server/rating-quota.ts';

// The daily count of ratings per client and procedure, on its own clock.

let clock = new Date('2026-11-22T23:59:58Z');
const now = () => clock;

test('a client may give each procedure `perDay` ratings a UTC day; other clients and procedures are counted apart', () => {
  const quota = ratingQuota(2, now);
  expect([quota.claim('client-a', 'passeport'), quota.claim('client-a', 'passeport'), quota.claim('client-a', 'passeport')]).toEqual([
    true,
    true,
    false,
  ]);
  expect(quota.claim('client-a', 'carte-grise')).toBe(true);
  expect(quota.claim('client-b', 'passeport')).toBe(true);
  expect(quota.resets()).toEqual({ at: new Date('2026-11-23T00:00:00Z'), inSeconds: 2 });
  clock = new Date('2026-11-23T00:00:00Z');
  expect(quota.claim('client-a', 'passeport')).toBe(true); // a new day: forgotten
});

test('a rating that was not stored after all is given back', () => {
  const quota = ratingQuota(1, now);
  expect(quota.claim('client-a', 'passeport')).toBe(true);
  quota.release('client-a', 'passeport');
  expect(quota.claim('client-a', 'passeport')).toBe(true);
  expect(quota.claim('client-a', 'passeport')).toBe(false);
});

test('0 turns the count off', () => {
  const quota = ratingQuota(0, now);
  for (let i = 0; i < 100; i++) expect(quota.claim('client-a', 'passeport')).toBe(true);
});

test('past its bound, new pairs go uncounted while pairs already counted still are', () => {
  const quota = ratingQuota(1, now, 2);
  quota.claim('client-a', 'passeport');
  quota.claim('client-b', 'passeport');
  expect([quota.claim('client-c', 'passeport'), quota.claim('client-c', 'passeport')]).toEqual([true, true]);
  expect(quota.claim('client-a', 'passeport')).toBe(false);
});
