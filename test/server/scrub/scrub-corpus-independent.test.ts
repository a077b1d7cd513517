// The independent corpus's own integrity (test/fixtures/scrub-corpus-independent.ts): every labelled
// item is really in its sentence, the checksummed numbers carry valid keys, and the counts stay above
// the minimums the corpus was written to. It does not run the scrubber: that is the measurement's job.
import { describe, expect, test } from 'vitest';
import { INDEPENDENT_CORPUS, type IndependentCategory } from '../../fixtures/scrub-corpus-independent.ts';

const CATEGORIES: readonly IndependentCategory[] = [
  'email',
  'phone',
  'nir',
  'iban',
  'card',
  'tax_number',
  'passport',
  'ip',
  'plate',
  'birth_date',
  'name',
  'address',
  'file_number',
  'handle',
];
const MINIMUM: Record<IndependentCategory, number> = {
  email: 40,
  phone: 40,
  nir: 40,
  iban: 40,
  card: 40,
  tax_number: 40,
  passport: 40,
  ip: 40,
  plate: 40,
  birth_date: 40,
  name: 80,
  address: 80,
  file_number: 80,
  handle: 40,
};

/** Fullwidth forms folded, zero-width spaces and soft hyphens dropped, then only letters and digits, upper case. */
const compact = (s: string): string =>
  s
    .normalize('NFKC')
    .replace(/[\u200B\u00AD]/g, '')
    .replace(/[^0-9A-Za-z]/g, '')
    .toUpperCase();

const mod97 = (digits: string): number => Number(BigInt(digits) % 97n);

function validNir(item: string): boolean {
  const n = compact(item);
  const m = /^([12]\d{4}(?:\d{2}|2A|2B)\d{6})(\d{2})$/.exec(n);
  if (!m) return false;
  const body = m[1]!.replace('2A', '19').replace('2B', '18');
  return 97 - mod97(body) === Number(m[2]);
}

function validIban(item: string): boolean {
  const n = compact(item);
  if (!/^[A-Z]{2}\d{2}[0-9A-Z]{10,30}$/.test(n)) return false;
  const moved = (n.slice(4) + n.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  return mod97(moved) === 1;
}

/** A bare French RIB: bank (5), branch (5), account (11), key (2); the words around the numbers are ignored. */
function validRib(item: string): boolean {
  const digits = (item.normalize('NFKC').match(/\d+/g) ?? []).join('');
  if (digits.length !== 23) return false;
  const [bank, branch, account, key] = [digits.slice(0, 5), digits.slice(5, 10), digits.slice(10, 21), digits.slice(21)];
  const sum = 89n * BigInt(bank) + 15n * BigInt(branch) + 3n * BigInt(account);
  return 97 - Number(sum % 97n) === Number(key);
}

function validLuhn(item: string): boolean {
  const n = compact(item);
  if (!/^\d{13,19}$/.test(n)) return false;
  let sum = 0;
  [...n].reverse().forEach((ch, i) => {
    let v = Number(ch);
    if (i % 2 === 1) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
    sum += v;
  });
  return sum % 10 === 0;
}

describe('the independent scrubbing corpus', () => {
  test('every item is an exact substring of its sentence, and clean sentences carry no item', () => {
    for (const s of INDEPENDENT_CORPUS) {
      for (const [, item] of s.items) expect(s.text, `${JSON.stringify(item)} not in ${JSON.stringify(s.text)}`).toContain(item);
      for (const [, item] of s.items) expect(item.trim().length).toBeGreaterThan(0);
      if (s.trap !== undefined) expect(s.items, s.text).toEqual([]);
    }
  });

  test('no sentence appears twice', () => {
    const texts = INDEPENDENT_CORPUS.map((s) => s.text);
    expect(new Set(texts).size).toBe(texts.length);
  });

  test('NIR, IBAN, RIB and card numbers carry valid keys (Corsica 2A/2B included)', () => {
    const items = INDEPENDENT_CORPUS.flatMap((s) => s.items);
    for (const [category, item] of items) {
      if (category === 'nir') expect(validNir(item), item).toBe(true);
      if (category === 'iban') expect(validIban(item) || validRib(item), item).toBe(true);
      if (category === 'card') expect(validLuhn(item), item).toBe(true);
      if (category === 'tax_number') expect(compact(item), item).toMatch(/^[0-3]\d{12}$/);
    }
    const nirs = items.filter(([c]) => c === 'nir').map(([, i]) => compact(i));
    expect(nirs.some((n) => n.includes('2A'))).toBe(true);
    expect(nirs.some((n) => n.includes('2B'))).toBe(true);
  });

  test('counts stay above the minimums it was written to', () => {
    const total = INDEPENDENT_CORPUS.length;
    const withData = INDEPENDENT_CORPUS.filter((s) => s.items.length > 0).length;
    const traps = INDEPENDENT_CORPUS.filter((s) => s.trap !== undefined).length;
    const english = INDEPENDENT_CORPUS.filter((s) => s.lang === 'en').length;
    expect(total).toBeGreaterThanOrEqual(1100);
    expect(withData / total).toBeGreaterThanOrEqual(0.45);
    expect(traps / total).toBeGreaterThanOrEqual(0.33);
    expect(english / total).toBeGreaterThanOrEqual(0.15);
    expect(english / total).toBeLessThanOrEqual(0.25);
    for (const category of CATEGORIES) {
      const sentences = INDEPENDENT_CORPUS.filter((s) => s.items.some(([c]) => c === category)).length;
      expect(sentences, category).toBeGreaterThanOrEqual(MINIMUM[category]);
    }
  });

  test('obfuscations are represented: zero-width spaces, soft hyphens and fullwidth forms inside items', () => {
    const items = INDEPENDENT_CORPUS.flatMap((s) => s.items.map(([, item]) => item));
    expect(items.filter((i) => i.includes('\u200B')).length).toBeGreaterThanOrEqual(10);
    expect(items.filter((i) => i.includes('\u00AD')).length).toBeGreaterThanOrEqual(8);
    expect(items.filter((i) => /[\uFF01-\uFF5E]/.test(i)).length).toBeGreaterThanOrEqual(10);
  });
});
