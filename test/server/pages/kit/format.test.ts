import { describe, expect, test } from 'vitest';
import { formatDay, formatDayRange, formatTime } from '../../../../server/pages/kit/format.ts';

// Intl puts thin or non-breaking spaces around a range's dash and inside a date, by engine version: compared as plain spaces.
const plain = (text: string) => text.replace(/\s/g, ' ');

describe('French writes the first of a month « 1er »', () => {
  test.each([
    ['a day in words', formatDay('fr', '2026-12-01'), '1er décembre 2026'],
    ['a short day', formatDayRange('fr', '2026-12-01', '2026-12-01'), '1er déc. 2026'],
    ['a week that starts on the first', formatDayRange('fr', '2026-06-01', '2026-06-07'), '1er–7 juin 2026'],
    ['a week that ends on the first', formatDayRange('fr', '2026-11-26', '2026-12-01'), '26 nov. – 1er déc. 2026'],
    ['the 11th and the 21st stay cardinal', formatDayRange('fr', '2026-12-11', '2026-12-21'), '11–21 déc. 2026'],
    ['an instant, Paris time', formatTime('fr', '2026-12-01T09:30:00Z'), '1er déc. 2026, 10:30'],
  ])('%s', (_, written, expected) => {
    expect(plain(written)).toBe(expected);
  });

  test('English keeps the cardinal', () => {
    expect(formatDay('en', '2026-12-01')).toBe('1\u00a0December 2026');
    expect(plain(formatDayRange('en', '2026-06-01', '2026-06-07'))).toBe('1 – 7 Jun 2026');
  });
});
