import { z } from 'zod';

// Every text field a person, an agency or a script sends is built here, so that one rule holds for
// all of them (STYLE rule 2). PostgreSQL refuses a NUL byte in text (the query fails: a 500), and
// SQLite would store it for every reader to cut the text there; a lone surrogate is not text at
// all: UTF-8 cannot carry it, so each engine would store something other than what was sent.

/** A character no stored text may hold: NUL, or a lone surrogate (with the u flag, a whole pair is one code point, out of this range). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is what this pattern is for.
const UNSTORABLE = /[\u0000\uD800-\uDFFF]/u;

/**
 * What a one-line name (a title, an entity's or a key's name, a reason) may not hold besides: the
 * C0 controls (newline and tab included), DEL and the C1 controls, which move a terminal's cursor
 * or break a list line, the line and paragraph separators, and the bidirectional embeddings,
 * overrides and isolates, which make a title read otherwise than it is written.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this pattern is for.
export const CONTROL_CHARACTER = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

const isStorable = (value: string) => !UNSTORABLE.test(value);

/** Free text (a comment, a search): anything but a NUL byte or a lone surrogate. */
export const text = (params?: Parameters<typeof z.string>[0]) =>
  z.string(params).refine(isStorable, 'must not contain a NUL character or a lone surrogate');

/** A one-line name: free text without control characters or bidirectional overrides either. */
export const line = (params?: Parameters<typeof z.string>[0]) =>
  text(params).refine((value) => !CONTROL_CHARACTER.test(value), 'must not contain control characters, line breaks or bidi overrides');
