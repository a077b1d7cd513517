import { describe, expect, test } from 'vitest';
import { addMonths, isDay, monthsOf, resolveWindow, windowStart } from '../../shared/feed-window.ts';

describe('days are real UTC calendar days written YYYY-MM-DD', () => {
  test.each([
    ['2026-11-22', true],
    ['2024-02-29', true],
    ['2026-02-29', false],
    ['2026-02-30', false],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['22/11/2026', false],
    ['2026-11-22T00:00:00Z', false],
    ['', false],
  ])('%j → %s', (value, valid) => expect(isDay(value)).toBe(valid));
});

describe('the default window is the rolling 12 months ending today (SPEC §4)', () => {
  test.each([
    ['2026-11-22', '2025-11-23'], // SPEC §6 example
    ['2026-12-31', '2026-01-01'],
    ['2026-03-31', '2025-04-01'],
    ['2028-02-29', '2027-03-01'], // no 2027-02-29: clamped to the 28th, then the next day
  ])('ending %s → from %s', (to, from) => {
    expect(resolveWindow({}, to)).toEqual({ from, to });
  });

  test('only "to" given: the 12 months ending then', () => {
    expect(resolveWindow({ to: '2026-06-30' }, '2026-11-22')).toEqual({ from: '2025-07-01', to: '2026-06-30' });
  });

  test('only "from" given: from then to today', () => {
    expect(resolveWindow({ from: '2026-01-01' }, '2026-11-22')).toEqual({ from: '2026-01-01', to: '2026-11-22' });
  });

  test('a one-day window is allowed', () => {
    expect(resolveWindow({ from: '2026-05-05', to: '2026-05-05' }, '2026-11-22')).toEqual({ from: '2026-05-05', to: '2026-05-05' });
  });
});

describe('window problems', () => {
  test.each([
    ['inverted range', { from: '2026-02-01', to: '2026-01-31' }, 'from'],
    ['from after the default to (today)', { from: '2026-12-01' }, 'from'],
    ['to before the default from', { to: '2020-01-01', from: '2020-01-02' }, 'from'],
    ['one day over 5 years', { from: '2021-11-22', to: '2026-11-22' }, 'from'],
  ])('%s', (_name, query, field) => {
    const problems = resolveWindow(query, '2026-11-22');
    expect(Array.isArray(problems) && problems.map((p) => p.field)).toEqual([field]);
  });

  test('exactly 5 years is allowed', () => {
    expect(resolveWindow({ from: '2021-11-23', to: '2026-11-22' }, '2026-11-22')).toEqual({ from: '2021-11-23', to: '2026-11-22' });
  });
});

test('months are shifted with the day clamped to the shorter month', () => {
  expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
  expect(addMonths('2026-01-31', 13)).toBe('2027-02-28');
  expect(windowStart('2026-11-22', 60)).toBe('2021-11-23');
});

test('a window touches every month from its first to its last day', () => {
  expect(monthsOf({ from: '2025-11-23', to: '2026-02-01' })).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  expect(monthsOf({ from: '2026-05-05', to: '2026-05-06' })).toEqual(['2026-05']);
  // The last day the query accepts: the month after it is written "+010000-01".
  expect(monthsOf({ from: '9999-11-15', to: '9999-12-31' })).toEqual(['9999-11', '9999-12']);
  expect(monthsOf({ from: '0999-12-01', to: '1000-01-01' })).toEqual(['0999-12', '1000-01']);
});
