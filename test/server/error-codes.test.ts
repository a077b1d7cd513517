import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { ERROR_CODES } from '../../server/error-codes.ts';

// The registry of error codes (server/error-codes.ts) against the sources: every code a route,
// a service or the error handlers can answer is in it, at the status the registry gives it, and
// the registry holds no code that nothing answers. The OpenAPI lists are checked in openapi.test.ts.

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

interface Use {
  file: string;
  code: string;
  status?: number;
}

/** Every code the sources hand to an error helper, with the status written beside it when there is one. */
function codesAnswered(): Use[] {
  const uses: Use[] = [];
  for (const file of sources('server')) {
    if (file === join('server', 'error-codes.ts')) continue;
    const text = readFileSync(file, 'utf8');
    const found = (pattern: RegExp, withStatus: boolean) => {
      for (const match of text.matchAll(pattern)) {
        uses.push(withStatus ? { file, status: Number(match[1]), code: match[2]! } : { file, code: match[1]! });
      }
    };
    // new HttpError(404, 'not_found', …), over one line or several.
    found(/new HttpError\(\s*(\d{3}),\s*'([a-z_]+)'/g, true);
    // A refusal handed on as an object: { status: 404, code: 'unknown_procedure', … }.
    found(/status: (\d{3}),\s*code: '([a-z_]+)'/g, true);
    // The error handlers' tables (http-errors.ts), whose status comes from the registry; elsewhere
    // `{ code: 'custom', message }` is a zod issue, not a reply.
    if (file === join('server', 'http-errors.ts')) found(/\{ code: '([a-z_]+)', message:/g, false);
    found(/byCode\(\s*'([a-z_]+)'/g, false);
    found(/errorBody\(\s*'([a-z_]+)'/g, false);
    // The OpenAPI lists: errorReply('…', ['a', 'b']).
    for (const match of text.matchAll(/errorReply\(\s*(?:'(?:[^'\\]|\\.)*'|`[^`]*`)\s*,\s*\[([^\]]*)\]/g)) {
      for (const code of match[1]!.matchAll(/'([a-z_]+)'/g)) uses.push({ file, code: code[1]! });
    }
  }
  return uses;
}

test('every code the sources answer with is in the registry, at its status', () => {
  const uses = codesAnswered();
  // The scan reads what it should: the helpers are called at dozens of places.
  expect(uses.filter((use) => use.status !== undefined).length).toBeGreaterThan(30);
  expect(
    uses.filter((use) => !(use.code in ERROR_CODES)).map((use) => `${use.file}: ${use.code}`),
    'codes missing from server/error-codes.ts',
  ).toEqual([]);
  expect(
    uses
      .filter((use) => use.status !== undefined && ERROR_CODES[use.code as keyof typeof ERROR_CODES]?.status !== use.status)
      .map((use) => `${use.file}: ${use.code} at ${use.status}`),
    'codes answered at another status than the registry’s',
  ).toEqual([]);
});

test('the registry holds no code that nothing answers', () => {
  const answered = new Set(codesAnswered().map((use) => use.code));
  expect(Object.keys(ERROR_CODES).filter((code) => !answered.has(code))).toEqual([]);
});

test('each code has its French and English labels', () => {
  for (const [code, entry] of Object.entries(ERROR_CODES)) {
    expect(entry.fr.trim(), code).not.toBe('');
    expect(entry.en.trim(), code).not.toBe('');
    expect(entry.status, code).toBeGreaterThanOrEqual(400);
  }
});
