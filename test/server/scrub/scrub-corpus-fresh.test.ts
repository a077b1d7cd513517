import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { FRESH_CATEGORIES, FRESH_CORPUS, FRESH_TRAP_KINDS } from '../../fixtures/scrub-corpus-fresh.js';

// The fresh corpus is data for the scrubber's bench: these checks keep its shape honest (size,
// proportions, labels that point at real text). They do not run the scrubber.
const share = (predicate: (item: (typeof FRESH_CORPUS)[number]) => boolean) => FRESH_CORPUS.filter(predicate).length / FRESH_CORPUS.length;

describe('the fresh labelled corpus', () => {
  test('holds at least 1,000 comments, none written twice', () => {
    expect(FRESH_CORPUS.length).toBeGreaterThanOrEqual(1000);
    expect(new Set(FRESH_CORPUS.map((item) => item.text)).size).toBe(FRESH_CORPUS.length);
  });

  test('at least 40 % carry personal data and at least 30 % are clean sentences built as traps', () => {
    expect(share((item) => item.kind === 'pii')).toBeGreaterThanOrEqual(0.4);
    expect(share((item) => item.kind === 'trap')).toBeGreaterThanOrEqual(0.3);
  });

  test('about 70 % French and 30 % English', () => {
    const french = share((item) => item.lang === 'fr');
    expect(french).toBeGreaterThanOrEqual(0.65);
    expect(french).toBeLessThanOrEqual(0.75);
    expect(french + share((item) => item.lang === 'en')).toBe(1);
  });

  test('a comment with personal data lists its spans; a clean one lists none', () => {
    for (const item of FRESH_CORPUS) {
      if (item.kind === 'pii') expect(item.spans.length, item.text).toBeGreaterThan(0);
      else expect(item.spans, item.text).toEqual([]);
      if (item.kind === 'trap') expect(FRESH_TRAP_KINDS, item.text).toContain(item.trap);
      else expect(item.trap, item.text).toBeUndefined();
    }
  });

  test('every span is a non-empty substring of its comment, in a known category', () => {
    for (const item of FRESH_CORPUS) {
      for (const span of item.spans) {
        expect(span.text.trim().length, item.text).toBeGreaterThan(0);
        expect(item.text, span.text).toContain(span.text);
        expect(FRESH_CATEGORIES, span.text).toContain(span.category);
      }
    }
  });

  test('every category is represented in both languages, by at least 15 comments', () => {
    for (const category of FRESH_CATEGORIES) {
      const items = FRESH_CORPUS.filter((item) => item.spans.some((span) => span.category === category));
      expect(items.length, category).toBeGreaterThanOrEqual(15);
      expect(new Set(items.map((item) => item.lang)).size, category).toBe(2);
    }
  });

  test('its note gives the size the corpus has', () => {
    const note = readFileSync('test/fixtures/scrub-corpus-fresh.md', 'utf8');
    expect(note).toContain(`\`FRESH_CORPUS\`: ${FRESH_CORPUS.length.toLocaleString('en-US')} labelled`);
  });

  test('every kind of trap is represented', () => {
    for (const kind of FRESH_TRAP_KINDS) {
      expect(
        FRESH_CORPUS.some((item) => item.trap === kind),
        kind,
      ).toBe(true);
    }
  });
});
