import { expect, test } from 'vitest';
import { clientKey } from '../../server/client-key.ts';

const DAY = 86_400_000;
const noon = Date.UTC(2026, 10, 22, 12);

test('one address gets one key for a whole UTC day, and another key the next day (SPEC §7)', () => {
  const key = clientKey('203.0.113.7', noon);
  expect(clientKey('203.0.113.7', noon - 12 * 3600_000)).toBe(key); // 00:00 the same day
  expect(clientKey('203.0.113.7', noon)).toBe(key);
  expect(clientKey('203.0.113.7', noon + DAY)).not.toBe(key); // the salt rotated
});

test('keys tell addresses apart and do not contain them', () => {
  const a = clientKey('203.0.113.7', noon);
  const b = clientKey('203.0.113.8', noon);
  expect(a).not.toBe(b);
  expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
  expect(a).not.toContain('203');
});
