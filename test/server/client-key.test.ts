import { expect, test } from 'vitest';
import { clientKey, clientNetwork } from '../../server/client-key.ts';

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

test.each([
  ['203.0.113.7', '203.0.113.7'],
  ['::ffff:203.0.113.7', '203.0.113.7'],
  ['::FFFF:cb00:7107', '203.0.113.7'],
  ['2001:db8:aa:bb:1::1', '2001:db8:aa:bb::/64'],
  ['2001:0DB8:00aa:00bb:ffff:ffff:ffff:ffff', '2001:db8:aa:bb::/64'],
  ['2001:db8::1', '2001:db8:0:0::/64'],
  ['::1', '0:0:0:0::/64'],
  ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ['64:ff9b::198.51.100.1', '64:ff9b:0:0::/64'],
  ['garbage', 'garbage'],
])('the client of %s is %s (IPv6 by its /64, IPv4-mapped as IPv4)', (address, network) => {
  expect(clientNetwork(address)).toBe(network);
});
