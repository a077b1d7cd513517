import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { findDsfr } from '../../server/find-dsfr.ts';
import { OBSERVATOIRE_STATS_PATH } from '../../server/routes/public/observatoire-stats.ts';
import { buildApp } from '../../server/app.ts';
import { testConfig } from '../../server/config.ts';
import type { Store } from '../../server/store/store.ts';
import { formBody, formFields } from '../helpers/hosted-form.ts';
import { testDatabase, type TestDatabase } from '../helpers/test-database.ts';
import { addProcedure } from '../helpers/procedures.ts';
import { API_KEY_PREFIX, hashSecret, newSecret } from '../../server/agency/secrets.ts';

// Generated requests against every route of the collector: malformed and deeply nested JSON, wrong
// types, huge numbers, unicode edge cases, prototype keys, odd content types, ids, query strings and
// headers. Whatever arrives, the collector must answer without a 5xx, every error that is not a page
// must be in the one error shape, and a request it refuses must write nothing: every table is
// compared before and after each batch of requests that were all refused.
//
// Seeded: FUZZ_SEED replays a run exactly (the seed is printed); FUZZ_CASES runs more on demand.

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_130);
const CASES = Number(process.env.FUZZ_CASES ?? 10_000);
const BATCH = 100;

const COLLECTOR = 'http://127.0.0.1:8080';
const AGENCY = 'https://passeport.example.gouv.fr';
const ELSEWHERE = 'https://evil.example.com';
const METRICS_TOKEN = 'fuzz-metrics-token-0123456789';

/** mulberry32: small, fast, and the same sequence on every machine for a given seed. */
class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }
}

// ---- Nasty values.
const VALID_WORDS = new Set(['good', 'medium', 'bad', 'fr', 'en', 'site', 'default', 'demande-passeport', 'autre-demarche']);
const STRINGS = [
  '',
  ' ',
  'good',
  'GOOD',
  'good ',
  'bad\u0000',
  '\u0000',
  '\uD800',
  '\uDFFF',
  'a\uD83D',
  '\u202Eevil\u202C',
  'مرحبا بالعالم',
  '\u200B',
  '\u200Dx\u200C',
  '\uFEFFgood',
  'e\u0301\u0301\u0301',
  '😀'.repeat(40),
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  '../../etc/passwd',
  '..%2F..%2F',
  '%00',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '"; DROP TABLE reviews; --',
  'x'.repeat(3001),
  'demande-passeport',
  'autre-demarche',
  'site',
  'default',
  'fr',
  'en',
  'null',
  'undefined',
  'NaN',
  '1e400',
  '\r\n',
  'A'.repeat(65),
  'ab',
  'a-',
  '\u{10FFFF}',
  '\uFFFE',
];
const NUMBERS = [0, -0, -1, 1, 3, 5, 6, 3.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 5e-324];
/** Number literals JSON.stringify cannot produce: out of range, too precise, or not JSON at all. */
const RAW_NUMBERS = [
  '1e400',
  '-1e400',
  '123456789012345678901234567890',
  '0.0000000000000000000000000001',
  '1E+2',
  '-0.0',
  '01',
  '0x10',
  'NaN',
  'Infinity',
  '.5',
];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', '__defineGetter__', 'toString', 'valueOf'];

function nastyValue(r: Random, depth = 0): unknown {
  const kind = r.int(depth > 3 ? 4 : 7);
  if (kind === 0) return r.pick(STRINGS);
  if (kind === 1) return r.pick(NUMBERS);
  if (kind === 2) return r.pick([true, false, null]);
  if (kind === 3) return r.pick(STRINGS).slice(0, 10);
  if (kind === 4) return Array.from({ length: r.int(4) }, () => nastyValue(r, depth + 1));
  if (kind === 5) return nastyObject(r, depth + 1);
  return nested(r.int(200) + 1, r.pick(STRINGS));
}

function nastyObject(r: Random, depth = 0): Record<string, unknown> {
  // A null-prototype object, so that a key named __proto__ is an own property and gets serialised.
  const object: Record<string, unknown> = Object.create(null);
  for (let i = r.int(4); i > 0; i--) object[r.chance(0.3) ? r.pick(PROTO_KEYS) : r.pick(STRINGS).slice(0, 20)] = nastyValue(r, depth + 1);
  return object;
}

const nested = (depth: number, leaf: unknown): unknown => {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

/** A value that is never valid where a slug or an enum word is expected. */
function wrongValue(r: Random): unknown {
  for (;;) {
    const value = nastyValue(r);
    if (typeof value !== 'string' || !VALID_WORDS.has(value)) return value;
  }
}

/** JSON text with a raw number literal where a field's value goes. */
const withRawNumber = (r: Random, fields: Record<string, unknown>, field: string) =>
  JSON.stringify({ ...fields, [field]: '@@RAW@@' }).replace('"@@RAW@@"', r.pick(RAW_NUMBERS));

/** STRINGS that encodeURIComponent takes (no lone surrogate): form fields. */
const WELL_FORMED = STRINGS.filter((value) => !/[\uD800-\uDFFF]/.test(value));

const MALFORMED = [
  '',
  ' ',
  '{',
  '}',
  '{"procedure":',
  'null',
  'true',
  '0',
  '[]',
  '[{}]',
  '"good"',
  '{"a":1,}',
  "{'procedure':'demande-passeport'}",
  '{"procedure":"demande-passeport","satisfaction":"good"}{"x":1}',
  '{"procedure":"demande-passeport","satisfaction":"good"',
  'NaN',
  'undefined',
  '{"__proto__":{"polluted":true},"procedure":"demande-passeport","satisfaction":"good"}',
  '{"constructor":{"prototype":{"polluted":true}},"procedure":"demande-passeport","satisfaction":"good"}',
  '{"procedure":"demande-passeport","satisfaction":"good","answers":{"__proto__":{"x":1}}}',
  '{"procedure":"demande-passeport","satisfaction":"\\ud800"}',
  '{"procedure":"demande-\\u0000passeport","satisfaction":"good"}',
  '{"procedure":"demande-passeport","satisfaction":"good" /* comment */}',
  '\u0000',
];

/** Bodies that are not even text: invalid UTF-8, UTF-16, a BOM, or over the 16 KiB limit. */
function oddBytes(r: Random, json: string): Buffer {
  switch (r.int(6)) {
    case 0:
      return Buffer.from([0x7b, 0xff, 0xfe, 0x22, 0xc0, 0xae, 0x7d]);
    case 1:
      return Buffer.from(json, 'utf16le');
    case 2:
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]);
    case 3:
      return Buffer.from(json.replace('demande', 'de\u00e9mande'), 'latin1');
    case 4:
      return Buffer.from(json + ' '.repeat(17 * 1024));
    default:
      return Buffer.from(`${'['.repeat(6000)}${']'.repeat(6000)}`);
  }
}

const deepJson = (r: Random) => {
  const depth = r.int(7000) + 100;
  return r.chance(0.5) ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
};

// ---- Headers, ids, queries.
const CONTENT_TYPES = [
  'application/json',
  'text/plain',
  'text/plain;charset=UTF-8',
  'text/plain; charset=utf-16',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/json;;;',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'text/html',
  'application/merge-patch+json',
  'application/json; charset="unknown"',
  '*/*',
  'text/',
  '',
];
const ORIGINS = [
  AGENCY,
  COLLECTOR,
  ELSEWHERE,
  'null',
  '',
  'http://127.0.0.1:8080/',
  'https://passeport.example.gouv.fr.evil.com',
  'HTTPS://PASSEPORT.EXAMPLE.GOUV.FR',
  'file://',
  `https://${'a'.repeat(8000)}.example`,
  'https://xn--80ak6aa92e.com',
  '\u00e9t\u00e9.fr',
];
const ACCEPTS = ['text/html', 'application/json', '*/*', 'text/html;q=0.1, application/json;q=0.9', 'image/*', ';;;', 'text/html;q=abc'];
const IDS = [
  '-1',
  '0',
  '00',
  '1e3',
  '1.5',
  '9'.repeat(30),
  '9007199254740993',
  '9999999999999999',
  'abc',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  '%00',
  '%C0%AE',
  '%ZZ',
  '1%3BDROP',
  '%201',
  '%E2%80%AE1',
  '%F0%9F%98%80',
  '%uD800',
  '..',
  'a'.repeat(300),
];
const SLUGS = [
  'demande-passeport',
  'autre-demarche',
  'archivee',
  'inconnue',
  'UPPER',
  'a',
  '%00',
  '%2F',
  '..',
  '%E2%80%8B',
  'x'.repeat(70),
  '__proto__',
  'constructor',
];
const QUERY_KEYS = [
  'procedure',
  'entity',
  'placement',
  'from',
  'to',
  'lang',
  'theme',
  'scale',
  'satisfaction',
  '__proto__',
  'constructor',
  'x',
];
const QUERY_VALUES = [
  '',
  'demande-passeport',
  'demande-passeport,autre-demarche',
  'en',
  'fr',
  'dark',
  '2',
  '2026-11-22',
  '2026-13-45',
  '1900-01-01',
  '9999-12-31',
  'good',
  '%',
  '%ZZ',
  '%00',
  '%E2%80%AE',
  'a,,b',
  ',',
  'x'.repeat(2000),
];

/** Percent-encodes the UTF-8 bytes of any text, lone surrogates included (encodeURIComponent throws on them). */
const percent = (text: string): string => [...Buffer.from(text)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

function oddQuery(r: Random): string {
  const r0 = r.int(10);
  if (r0 === 0) return '';
  if (r0 === 1)
    return r.pick(['?', '?&&&', '?=', '?=x', '?a=%', '?procedure[]=demande-passeport', '?procedure[0]=a&procedure[1]=b', '?%00=%00']);
  const parts = Array.from({ length: r.int(4) + 1 }, () => {
    const key = r.chance(0.1) ? `${r.pick(QUERY_KEYS)}[]` : r.pick(QUERY_KEYS);
    const value = r.pick(QUERY_VALUES);
    return `${key}=${value.includes('%') ? value : percent(value)}`;
  });
  if (r.chance(0.3)) parts.push(parts[0]!); // a repeated key
  return `?${parts.join('&')}`;
}

/** The JDMA drop-in's ?input=: superjson around odd products and dates, or something else entirely. */
function trpcQuery(r: Random): string {
  if (r.chance(0.2)) return oddQuery(r);
  const value = () => r.pick<unknown>([1_000_000, 999, -1, 0, 1.5, 2 ** 60, '1000000', null, [], {}, true, r.pick(STRINGS)]);
  const json: Record<string, unknown> = { product_id: value() };
  if (r.chance(0.6))
    json.start_date = r.pick<unknown>(['1730419200000', '2025-11-01', '2026-02-30', '9000000000000000', '', -1, r.pick(STRINGS)]);
  if (r.chance(0.6)) json.end_date = r.pick<unknown>(['1761955199999', '2026-10-31', '999999999999999', 'x', null, r.pick(STRINGS)]);
  if (r.chance(0.2)) json.form_id = value();
  const input = r.chance(0.8) ? JSON.stringify(r.chance(0.9) ? { json } : json) : r.pick(['{', '"json"', '{"json":null}', '[]']);
  return `?input=${r.chance(0.9) ? percent(input) : input}`;
}

function oddHeaders(r: Random): Record<string, string> {
  const headers: Record<string, string> = {};
  if (r.chance(0.5)) headers.origin = r.pick(ORIGINS);
  if (r.chance(0.4)) headers.accept = r.pick(ACCEPTS);
  if (r.chance(0.2))
    headers['x-forwarded-for'] = r.pick(['203.0.113.7', '::1', 'garbage', '1.1.1.1, 2.2.2.2', '', '999.999.999.999', '[::1]:80']);
  if (r.chance(0.1)) headers['if-none-match'] = r.pick(['*', 'W/"x"', '"', ',,,', 'W/']);
  if (r.chance(0.1)) headers['accept-encoding'] = r.pick(['br', 'gzip', 'identity;q=0', '*', 'br;q=abc']);
  if (r.chance(0.05)) headers['x-huge'] = 'h'.repeat(8000);
  if (r.chance(0.05)) headers.cookie = `session=${'c'.repeat(2000)}`;
  if (r.chance(0.05)) headers.authorization = r.pick(['Bearer', `Bearer ${METRICS_TOKEN}x`, 'Basic Zm9vOmJhcg==', '']);
  return headers;
}

// ---- The requests, one generator per route.
interface Seeded {
  fresh: { id: number; token: string }[];
  expired: { id: number; token: string };
  elsewhere: { id: number; token: string };
  form: Record<string, string>;
  /** An admin of an entity that owns no procedure, signed in, and a key of that entity. */
  agency: { cookie: string; csrf: string; key: string };
}

type Case = InjectOptions & { method: string; url: string; route: string };

const RATING = { procedure: 'demande-passeport', placement: 'site', satisfaction: 'good', lang: 'fr' };

/** A rating body with at least one defect that makes it invalid, sometimes more. */
function badRating(r: Random): string | Buffer {
  const kind = r.int(10);
  if (kind === 0) return r.pick(MALFORMED);
  if (kind === 1) return deepJson(r);
  // Odd bytes around a rating that is wrong anyway: a BOM or latin-1 alone may still be read as valid.
  if (kind === 2) return oddBytes(r, JSON.stringify({ ...RATING, satisfaction: 'excellent' }));
  if (kind === 3) return withRawNumber(r, RATING, r.pick(['satisfaction', 'procedure', 'lang', 'placement']));
  const body: Record<string, unknown> = Object.assign(Object.create(null), RATING);
  for (let defects = r.int(3) + 1; defects > 0; defects--) {
    const defect = r.int(4);
    if (defect === 0) delete body[r.pick(['procedure', 'satisfaction'])];
    else if (defect === 1) body[r.pick(PROTO_KEYS.concat(['extra', 'answers', 'token']))] = nastyValue(r);
    else body[r.pick(['procedure', 'placement', 'satisfaction', 'lang', 'form_version'])] = wrongValue(r);
  }
  return JSON.stringify(r.chance(0.1) ? [body] : body);
}

const VALID_ANSWERS = {
  clarity: 4,
  help_sought: ['phone', 'other'],
  help_other: 'un forum',
  help_reached: { phone: 'yes' },
  help_quality: { phone: 5 },
};

function badAnswers(r: Random): unknown {
  const answers: Record<string, unknown> = Object.assign(Object.create(null), VALID_ANSWERS);
  switch (r.int(8)) {
    case 0:
      answers.clarity = r.pick([0, 6, 3.5, '4', null, -1, 1e308, [4]]);
      break;
    case 1:
      answers.help_sought = r.pick([['none', 'phone'], ['phone', 'phone'], [], 'phone', [null], ['__proto__']]);
      break;
    case 2:
      answers.help_sought = ['phone']; // help_other without "other"
      break;
    case 3:
      answers.help_reached = { chat: 'yes', phone: 'yes' }; // chat not sought
      break;
    case 4:
      answers.comment = r.chance(0.5) ? 'x'.repeat(3001) : nastyValue(r, 2);
      if (typeof answers.comment === 'string' && answers.comment.length <= 3000) answers.unknown = 1;
      break;
    case 5:
      answers[r.pick(PROTO_KEYS)] = nastyObject(r);
      break;
    case 6:
      return nastyValue(r);
    default:
      answers.help_quality = { phone: r.pick([0, 6, '5', null]) };
  }
  return answers;
}

/** A follow-up that cannot be accepted: a wrong token, an expired or unknown review, or bad answers. */
function badFollowUp(r: Random, seeded: Seeded): { id: string; body: string | Buffer } {
  const target = r.pick(seeded.fresh);
  const kind = r.int(7);
  if (kind === 0) return { id: r.pick(IDS), body: JSON.stringify({ token: target.token, answers: VALID_ANSWERS }) };
  if (kind === 1) return { id: String(seeded.expired.id), body: JSON.stringify({ token: seeded.expired.token, answers: VALID_ANSWERS }) };
  if (kind === 2) {
    const token = r.pick([
      target.token.slice(1),
      `${target.token}x`,
      '',
      'x'.repeat(257),
      nastyValue(r),
      seeded.fresh[0]!.token.toUpperCase(),
    ]);
    return { id: String(target.id), body: JSON.stringify({ token, answers: VALID_ANSWERS }) };
  }
  if (kind === 3) return { id: String(target.id), body: r.chance(0.5) ? r.pick(MALFORMED) : deepJson(r) };
  if (kind === 4) return { id: String(target.id), body: oddBytes(r, JSON.stringify({ token: target.token, answers: { clarity: 9 } })) };
  if (kind === 5)
    return { id: String(target.id), body: JSON.stringify({ token: target.token, answers: VALID_ANSWERS, [r.pick(PROTO_KEYS)]: 1 }) };
  return { id: String(target.id), body: JSON.stringify({ token: target.token, answers: badAnswers(r) }) };
}

/** A hosted rating form post that cannot be accepted: not signed, a honeypot, a wrong procedure or choice. */
function badRatingForm(r: Random, seeded: Seeded): { procedure: string; body: string } {
  const fields: Record<string, string | string[]> = { ...seeded.form, satisfaction: 'good' };
  const kind = r.int(6);
  if (kind === 0) fields.website = r.pick(['http://spam.example', 'x', ' ']);
  else if (kind === 1) fields.signature = r.pick(['', 'AAAA', `${seeded.form.signature}x`, '%00']);
  else if (kind === 2) fields.rendered_at = r.pick(['', '0', '-1', '1e3', String(Number(seeded.form.rendered_at) + 1), '9'.repeat(20)]);
  else if (kind === 3) fields.satisfaction = r.pick(['', 'GOOD', 'excellent', '\u0000', '__proto__']);
  else if (kind === 4) fields.form_key = r.pick(['', 'not-a-uuid', '00000000-0000-0000-0000-000000000000']);
  else return { procedure: r.pick(SLUGS.filter((s) => s !== 'demande-passeport')), body: formBody(fields) };
  if (r.chance(0.3)) fields[r.pick(PROTO_KEYS)] = r.pick(STRINGS);
  if (r.chance(0.2)) fields.satisfaction = [String(fields.satisfaction), 'bad'];
  if (r.chance(0.2)) fields.placement = r.pick(STRINGS);
  return { procedure: 'demande-passeport', body: formBody(fields) };
}

function badFollowUpForm(r: Random, seeded: Seeded): { path: string; body: string } {
  const target = r.pick(seeded.fresh);
  const fields: Record<string, string | string[]> = { token: target.token, lang: r.pick(['fr', 'en', 'xx']) };
  const kind = r.int(5);
  if (kind === 0) fields.token = r.pick(['', 'x', target.token.slice(2)]);
  else if (kind === 1)
    return { path: `/avis/demande-passeport/${seeded.expired.id}`, body: formBody({ token: seeded.expired.token, clarity: '4' }) };
  else if (kind === 2) return { path: `/avis/${r.pick(SLUGS)}/${r.pick(IDS)}`, body: formBody(fields) };
  else if (kind === 3) return { path: `/avis/autre-demarche/${target.id}`, body: formBody(fields) };
  fields.clarity = r.pick(['0', '6', '3.5', 'abc', '']);
  fields.help_sought = r.pick([
    ['none', 'phone'],
    ['phone', 'phone', 'none'],
  ]);
  if (r.chance(0.5)) fields.comment = r.pick(['x'.repeat(3001), '\u0000\uD800']);
  if (fields.clarity === '' && r.chance(0.5)) fields.token = 'wrong';
  return { path: `/avis/demande-passeport/${target.id}`, body: formBody(fields) };
}

/**
 * Who calls an agency route: nobody, forged credentials, or real ones (an admin's session, with or
 * without its CSRF token, or a read-only key). The admin's entity owns no procedure, and every body
 * is a wrong one, so that each request is refused; logout never gets the token, not to end the session.
 */
function agencyCredentials(r: Random, seeded: Seeded, mayChange: boolean): Record<string, string> {
  const { cookie, csrf, key } = seeded.agency;
  switch (r.int(6)) {
    case 0:
      return {};
    case 1:
      return {
        authorization: r.pick(['Bearer', 'Bearer jdma_', `Bearer jdma_${'A'.repeat(43)}`, 'Basic YTpi', `Bearer ${key} `, 'bearer x']),
      };
    case 2:
      return { cookie: `jdma_session=${r.pick(['', 'x', 'A'.repeat(43), '%00', '"q"', `${cookie.slice(13)}x`])}` };
    case 3:
      return { cookie, 'x-csrf-token': r.pick(['', 'x', `${csrf}x`, csrf.toUpperCase()]) };
    case 4:
      return mayChange ? { cookie, 'x-csrf-token': csrf } : { cookie };
    default:
      return { authorization: `Bearer ${key}` };
  }
}

const agencyBody = (r: Random) => (r.chance(0.5) ? r.pick(MALFORMED) : r.chance(0.5) ? deepJson(r) : badRating(r));
const segment = (r: Random) => r.pick(SLUGS.concat(IDS, ['fuzz-entite', 'admin@fuzz.example.gouv.fr', 'cle-fuzz%20x']));

/** A request to an agency route: `path` with its parameters filled, the caller's credentials, a wrong body when it takes one. */
function agencyRequest(method: string, path: string, withBody = false, mayChange = true) {
  return (r: Random, seeded: Seeded): Omit<Case, 'route'> => ({
    method,
    url: path.replace(/:[A-Za-z]+/g, () => segment(r)) + (method === 'GET' ? oddQuery(r) : ''),
    headers: {
      ...agencyCredentials(r, seeded, mayChange),
      ...(withBody ? { 'content-type': r.chance(0.8) ? 'application/json' : r.pick(CONTENT_TYPES) } : {}),
    },
    ...(withBody ? { payload: agencyBody(r) } : {}),
  });
}

/**
 * A form of the space's admin pages, as a browser would post it but always with a wrong value:
 * the fuzz admin's entity owns no procedure, and every member or key form either names a wrong
 * value, the entity's last admin, an existing member, or no live key, so that nothing is accepted.
 */
function spaceForm(path: string) {
  return (r: Random, seeded: Seeded): Omit<Case, 'route'> => {
    const fields: Record<string, string> = {
      title: r.pick(['', ' ', 'x'.repeat(201), 'Titre']),
      origin: r.pick(['', 'javascript:alert(1)', 'https://a.example.fr/x', 'ftp://a', '%00', 'https://a.example.fr']),
      placement: r.pick(['', 'A B', 'default', 'site', '\u0000']),
      email: r.pick(['', 'pas-une-adresse', 'admin@fuzz.example.gouv.fr', `${'x'.repeat(250)}@a.fr`]),
      role: r.pick(['', 'owner', 'ADMIN', 'lecteur']),
      name: r.pick(['', 'a/b', 'x'.repeat(101), 'a  b']),
      procedures: r.pick(['NOPE', 'demande-passeport', '']),
    };
    if (r.chance(0.3)) fields._csrf = seeded.agency.csrf;
    // Without `confirm`, removing a member only asks (a 200 page): always sent, to be refused.
    const form = new URLSearchParams([...Object.entries(fields).filter(() => r.chance(0.7)), ['confirm', 'oui']]).toString();
    const made = agencyRequest('POST', path)(r, seeded);
    return {
      ...made,
      headers: { ...made.headers, 'content-type': r.chance(0.8) ? 'application/x-www-form-urlencoded' : r.pick(CONTENT_TYPES) },
      payload: r.chance(0.8) ? form : agencyBody(r),
    };
  };
}

const jsonContentType = (r: Random) => (r.chance(0.7) ? r.pick(['text/plain;charset=UTF-8', 'application/json']) : r.pick(CONTENT_TYPES));

/** Every route of the collector (as printRoutes names it) and how to make a request to it. */
const TARGETS: Record<string, (r: Random, seeded: Seeded) => Omit<Case, 'route'>> = {
  'POST /api/v1/reviews': (r) => ({
    method: 'POST',
    url: '/api/v1/reviews',
    headers: { 'content-type': jsonContentType(r) },
    payload: badRating(r),
  }),
  'POST /api/v1/reviews/:id': (r, seeded) => {
    const { id, body } = badFollowUp(r, seeded);
    return { method: 'POST', url: `/api/v1/reviews/${id}`, headers: { 'content-type': jsonContentType(r) }, payload: body };
  },
  'OPTIONS /api/v1/reviews': () => ({ method: 'OPTIONS', url: '/api/v1/reviews' }),
  'POST /api/v1/problem-reports': (r) => ({
    method: 'POST',
    url: '/api/v1/problem-reports',
    headers: { 'content-type': jsonContentType(r) },
    payload: r.chance(0.3)
      ? badRating(r)
      : JSON.stringify({
          procedure: r.pick(SLUGS),
          kind: r.pick(['technical', 'own_situation', 'suggestion', 'complaint', '__proto__']),
          ...(r.chance(0.6) && { text: r.pick(STRINGS) }),
          ...(r.chance(0.2) && { [r.pick(PROTO_KEYS)]: r.pick(STRINGS) }),
        }),
  }),
  'OPTIONS /api/v1/problem-reports': () => ({ method: 'OPTIONS', url: '/api/v1/problem-reports' }),
  'OPTIONS /api/v1/reviews/:id': (r) => ({ method: 'OPTIONS', url: `/api/v1/reviews/${r.pick(IDS)}` }),
  'GET /api/v1/feed': (r) => ({ method: 'GET', url: `/api/v1/feed${oddQuery(r)}` }),
  'GET /api/v1/feed.csv': (r) => ({ method: 'GET', url: `/api/v1/feed.csv${oddQuery(r)}` }),
  'GET /api/v1/feed/schema.json': (r) => ({ method: 'GET', url: `/api/v1/feed/schema.json${oddQuery(r)}` }),
  'GET /api/v1/forms/:procedure': (r) => ({ method: 'GET', url: `/api/v1/forms/${segment(r)}${oddQuery(r)}` }),
  'GET /api/v1/openapi.json': (r) => ({ method: 'GET', url: `/api/v1/openapi.json${oddQuery(r)}` }),
  'GET /api/v1/feed.tableschema.json': (r) => ({ method: 'GET', url: `/api/v1/feed.tableschema.json${oddQuery(r)}` }),
  'GET /api/v1/datapackage.json': (r) => ({ method: 'GET', url: `/api/v1/datapackage.json${oddQuery(r)}` }),
  'GET /api/v1/editions': (r) => ({ method: 'GET', url: `/api/v1/editions${oddQuery(r)}` }),
  'GET /api/v1/editions/:edition': (r) => ({
    method: 'GET',
    url: `/api/v1/editions/${r.pick(['2026-Q3', '2026-Q3.csv', '2026-Q3.impact.csv', '2026-Q5', '2026-Q3.xml', segment(r)])}${oddQuery(r)}`,
  }),
  'GET /api/trpc/answer.getObservatoireStats': (r) => ({ method: 'GET', url: `${OBSERVATOIRE_STATS_PATH}${trpcQuery(r)}` }),
  'GET /api/docs': (r) => ({ method: 'GET', url: `/api/docs${oddQuery(r)}` }),
  'GET /api/docs/:group': (r) => ({ method: 'GET', url: `/api/docs/${r.pick(['avis', 'tri', 'schemas', segment(r)])}${oddQuery(r)}` }),
  'GET /avis/:procedure': (r) => ({ method: 'GET', url: `/avis/${r.pick(SLUGS)}${oddQuery(r)}` }),
  'POST /avis/:procedure': (r, seeded) => {
    const { procedure, body } = badRatingForm(r, seeded);
    const contentType = r.chance(0.8) ? 'application/x-www-form-urlencoded' : r.pick(CONTENT_TYPES);
    return {
      method: 'POST',
      url: `/avis/${procedure}`,
      headers: { 'content-type': contentType },
      payload: r.chance(0.1) ? badRating(r) : body,
    };
  },
  'GET /probleme/:procedure': (r) => ({ method: 'GET', url: `/probleme/${r.pick(SLUGS)}${oddQuery(r)}` }),
  'POST /probleme/:procedure': (r, seeded) => {
    const { procedure, body } = badRatingForm(r, seeded);
    const extra = formBody({ kind: r.pick(['technical', 'own_situation', 'suggestion', '', 'x']), text: r.pick(STRINGS) });
    return {
      method: 'POST',
      url: `/probleme/${procedure}`,
      headers: { 'content-type': r.chance(0.8) ? 'application/x-www-form-urlencoded' : r.pick(CONTENT_TYPES) },
      payload: `${body}&${extra}`,
    };
  },
  'POST /avis/:procedure/:review': (r, seeded) => {
    const { path, body } = badFollowUpForm(r, seeded);
    return { method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: body };
  },
  'GET /observatoire': (r) => ({ method: 'GET', url: `/observatoire${oddQuery(r)}` }),
  'GET /observatoire/:procedure': (r) => ({ method: 'GET', url: `/observatoire/${r.pick(SLUGS.concat(IDS))}${oddQuery(r)}` }),
  'GET /observatoire.css': () => ({ method: 'GET', url: '/observatoire.css' }),
  'GET /button.svg': (r) => ({ method: 'GET', url: `/button.svg${oddQuery(r)}` }),
  'GET /logos/:entity': (r) => ({ method: 'GET', url: `/logos/${r.pick(SLUGS.concat(IDS, ['ministere-a']))}${oddQuery(r)}` }),
  'GET /button.png': (r) => ({
    method: 'GET',
    url: `/button.png${r.chance(0.3) ? r.pick(['?scale=2', '?theme=dark&lang=en', '?scale=3']) : oddQuery(r)}`,
  }),
  'GET /widget.js': (r) => ({ method: 'GET', url: `/widget.js${oddQuery(r)}` }),
  'GET /widget/:file': (r) => ({
    method: 'GET',
    url: `/widget/${r.pick(IDS.concat(['form-fr.js', '..%2Fwidget.js', '%2E%2E%2F%2E%2E%2Fpackage.json']))}`,
  }),
  'GET /confidentialite': (r) => ({ method: 'GET', url: `/confidentialite${oddQuery(r)}` }),
  'GET /accessibilite': (r) => ({ method: 'GET', url: `/accessibilite${oddQuery(r)}` }),
  'GET /demo': (r) => ({
    method: 'GET',
    url: `/demo${oddQuery(r)}`,
    headers: r.chance(0.3) ? { host: r.pick(['localhost:8080', 'evil.example', '[::1]', '']) } : {},
  }),
  'GET /demo/hostile': () => ({ method: 'GET', url: '/demo/hostile' }),
  'GET /demo/hostile.css': () => ({ method: 'GET', url: '/demo/hostile.css' }),
  'GET /demo/demo.js': () => ({ method: 'GET', url: '/demo/demo.js' }),
  'GET /healthz': (r) => ({ method: 'GET', url: `/healthz${oddQuery(r)}` }),
  'GET /metrics': (r) => ({
    method: 'GET',
    url: '/metrics',
    headers: r.chance(0.2)
      ? { authorization: `Bearer ${METRICS_TOKEN}` }
      : { authorization: r.pick(['', 'Bearer', `Bearer ${METRICS_TOKEN} `, '\u00e9']) },
  }),
  'GET /api/v1/me': agencyRequest('GET', '/api/v1/me'),
  'POST /api/v1/logout': agencyRequest('POST', '/api/v1/logout', false, false),
  'GET /api/v1/procedures': agencyRequest('GET', '/api/v1/procedures'),
  'POST /api/v1/procedures': agencyRequest('POST', '/api/v1/procedures', true),
  'GET /api/v1/procedures/:id': agencyRequest('GET', '/api/v1/procedures/:id'),
  'PATCH /api/v1/procedures/:id': agencyRequest('PATCH', '/api/v1/procedures/:id', true),
  'POST /api/v1/procedures/:id/archive': agencyRequest('POST', '/api/v1/procedures/:id/archive'),
  'POST /api/v1/procedures/:id/restore': agencyRequest('POST', '/api/v1/procedures/:id/restore'),
  'GET /api/v1/procedures/:id/snippet': agencyRequest('GET', '/api/v1/procedures/:id/snippet'),
  'GET /api/v1/procedures/:id/health': agencyRequest('GET', '/api/v1/procedures/:id/health'),
  'GET /api/v1/procedures/:id/form': agencyRequest('GET', '/api/v1/procedures/:id/form'),
  'PUT /api/v1/procedures/:id/form/draft': agencyRequest('PUT', '/api/v1/procedures/:id/form/draft', true),
  'POST /api/v1/procedures/:id/form/publish': agencyRequest('POST', '/api/v1/procedures/:id/form/publish'),
  'POST /api/v1/procedures/:id/form/archive': agencyRequest('POST', '/api/v1/procedures/:id/form/archive'),
  'GET /api/v1/entities/:entity/members': agencyRequest('GET', '/api/v1/entities/:entity/members'),
  'POST /api/v1/entities/:entity/members': agencyRequest('POST', '/api/v1/entities/:entity/members', true),
  'PATCH /api/v1/entities/:entity/members/:email': agencyRequest('PATCH', '/api/v1/entities/:entity/members/:email', true),
  'DELETE /api/v1/entities/:entity/members/:email': agencyRequest('DELETE', '/api/v1/entities/:entity/members/:email'),
  'GET /api/v1/entities/:entity/keys': agencyRequest('GET', '/api/v1/entities/:entity/keys'),
  'POST /api/v1/entities/:entity/keys': agencyRequest('POST', '/api/v1/entities/:entity/keys', true),
  'DELETE /api/v1/entities/:entity/keys/:name': agencyRequest('DELETE', '/api/v1/entities/:entity/keys/:name'),
  'PUT /api/v1/entities/:entity/logo': agencyRequest('PUT', '/api/v1/entities/:entity/logo', true),
  'DELETE /api/v1/entities/:entity/logo': agencyRequest('DELETE', '/api/v1/entities/:entity/logo'),
  'GET /api/v1/audit': agencyRequest('GET', '/api/v1/audit'),
  'GET /api/v1/procedures/:id/stats': agencyRequest('GET', '/api/v1/procedures/:id/stats'),
  'GET /api/v1/procedures/:id/insights': agencyRequest('GET', '/api/v1/procedures/:id/insights'),
  'GET /api/v1/procedures/:id/reviews': agencyRequest('GET', '/api/v1/procedures/:id/reviews'),
  'GET /api/v1/procedures/:id/reviews.csv': agencyRequest('GET', '/api/v1/procedures/:id/reviews.csv'),
  'GET /api/v1/procedures/:id/problem-reports': agencyRequest('GET', '/api/v1/procedures/:id/problem-reports'),
  'GET /api/v1/procedures/:id/problem-reports.csv': agencyRequest('GET', '/api/v1/procedures/:id/problem-reports.csv'),
  'GET /api/v1/procedures/:id/reviews.xlsx': agencyRequest('GET', '/api/v1/procedures/:id/reviews.xlsx'),
  'GET /api/v1/procedures/:id/reviews-excel.csv': agencyRequest('GET', '/api/v1/procedures/:id/reviews-excel.csv'),
  'POST /api/v1/procedures/:id/reviews/:reviewId/hide': agencyRequest('POST', '/api/v1/procedures/:id/reviews/:reviewId/hide', true),
  'POST /api/v1/procedures/:id/reviews/:reviewId/restore': agencyRequest('POST', '/api/v1/procedures/:id/reviews/:reviewId/restore'),
  'POST /api/v1/procedures/:id/reviews/:reviewId/suspects/:n/confirm': agencyRequest(
    'POST',
    '/api/v1/procedures/:id/reviews/:reviewId/suspects/:n/confirm',
  ),
  'POST /api/v1/procedures/:id/reviews/:reviewId/suspects/:n/release': agencyRequest(
    'POST',
    '/api/v1/procedures/:id/reviews/:reviewId/suspects/:n/release',
  ),
  'POST /api/v1/procedures/:id/reviews/:reviewId/triage': agencyRequest('POST', '/api/v1/procedures/:id/reviews/:reviewId/triage', true),
  'GET /api/v1/entities/:entity/tags': agencyRequest('GET', '/api/v1/entities/:entity/tags'),
  'GET /api/v1/comparisons': agencyRequest('GET', '/api/v1/comparisons'),
  'POST /api/v1/entities/:entity/tags': agencyRequest('POST', '/api/v1/entities/:entity/tags', true),
  'PATCH /api/v1/entities/:entity/tags/:tagId': agencyRequest('PATCH', '/api/v1/entities/:entity/tags/:tagId', true),
  'DELETE /api/v1/entities/:entity/tags/:tagId': agencyRequest('DELETE', '/api/v1/entities/:entity/tags/:tagId'),
  // The design system's files (routes/public/dsfr-assets.ts), served under their version's folder.
  'GET /*': (r) => ({
    method: 'GET',
    url: `${findDsfr()!.base}${r.pick(['dsfr.min.css', 'nope.css', '..%2f..%2fcli.js', '%2e%2e/%2e%2e/package.json', 'fonts/Marianne-Bold.woff2', ''])}`,
  }),
  'GET /espace': agencyRequest('GET', '/espace'),
  'GET /espace/demarches/:id': agencyRequest('GET', '/espace/demarches/:id'),
  'GET /espace/admin.js': () => ({ method: 'GET', url: '/espace/admin.js' }),
  'GET /espace/admin.css': () => ({ method: 'GET', url: '/espace/admin.css' }),
  'GET /espace/demarches/:id/reglages': agencyRequest('GET', '/espace/demarches/:id/reglages'),
  'POST /espace/demarches/:id/reglages/titre': spaceForm('/espace/demarches/:id/reglages/titre'),
  'POST /espace/demarches/:id/reglages/numero-jdma': spaceForm('/espace/demarches/:id/reglages/numero-jdma'),
  'POST /espace/demarches/:id/reglages/contact': spaceForm('/espace/demarches/:id/reglages/contact'),
  'POST /espace/demarches/:id/reglages/origines': spaceForm('/espace/demarches/:id/reglages/origines'),
  'POST /espace/demarches/:id/reglages/origines/retirer': spaceForm('/espace/demarches/:id/reglages/origines/retirer'),
  'POST /espace/demarches/:id/reglages/emplacements': spaceForm('/espace/demarches/:id/reglages/emplacements'),
  'POST /espace/demarches/:id/reglages/emplacements/retirer': spaceForm('/espace/demarches/:id/reglages/emplacements/retirer'),
  'POST /espace/demarches/:id/reglages/emplacements/test': spaceForm('/espace/demarches/:id/reglages/emplacements/test'),
  'POST /espace/demarches/:id/reglages/emplacements/compter': spaceForm('/espace/demarches/:id/reglages/emplacements/compter'),
  'POST /espace/demarches/:id/reglages/formulaire': spaceForm('/espace/demarches/:id/reglages/formulaire'),
  'POST /espace/demarches/:id/reglages/formulaire/publier': spaceForm('/espace/demarches/:id/reglages/formulaire/publier'),
  'POST /espace/demarches/:id/reglages/formulaire/archiver': spaceForm('/espace/demarches/:id/reglages/formulaire/archiver'),
  'POST /espace/demarches/:id/reglages/archiver': spaceForm('/espace/demarches/:id/reglages/archiver'),
  'POST /espace/demarches/:id/reglages/reactiver': spaceForm('/espace/demarches/:id/reglages/reactiver'),
  'GET /espace/entites/:entity/membres': agencyRequest('GET', '/espace/entites/:entity/membres'),
  'POST /espace/entites/:entity/membres': spaceForm('/espace/entites/:entity/membres'),
  'POST /espace/entites/:entity/membres/role': spaceForm('/espace/entites/:entity/membres/role'),
  'POST /espace/entites/:entity/membres/retirer': spaceForm('/espace/entites/:entity/membres/retirer'),
  'POST /espace/entites/:entity/cles': spaceForm('/espace/entites/:entity/cles'),
  'POST /espace/entites/:entity/cles/revoquer': spaceForm('/espace/entites/:entity/cles/revoquer'),
  'POST /espace/entites/:entity/logo': (r, seeded) => {
    const made = spaceForm('/espace/entites/:entity/logo')(r, seeded);
    if (r.chance(0.5)) return made;
    // A file as a browser posts it, or a multipart body broken in one of its parts.
    const boundary = r.pick(['x', '----jdma', '']);
    const file = r.pick(['\x89PNG\r\n\x1a\n', 'GIF89a', '', '\xff\xd8\xff'.padEnd(120_000, 'x')]);
    const csrf = r.chance(0.5) ? `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${seeded.agency.csrf}\r\n` : '';
    const part = `--${boundary}\r\nContent-Disposition: form-data; name="logo"; filename="l.png"\r\nContent-Type: image/png\r\n\r\n${file}\r\n`;
    return {
      ...made,
      headers: { ...made.headers, 'content-type': `multipart/form-data${boundary ? `; boundary=${boundary}` : ''}` },
      payload: r.chance(0.8) ? `${csrf}${part}--${boundary}--\r\n` : r.pick(MALFORMED),
    };
  },
  'POST /espace/entites/:entity/logo/retirer': spaceForm('/espace/entites/:entity/logo/retirer'),
  'GET /espace/entites/:entity/journal': agencyRequest('GET', '/espace/entites/:entity/journal'),
  'GET /espace/lien/:token': agencyRequest('GET', '/espace/lien/:token'),
  'POST /espace/lien/:token': (r, seeded) => ({
    ...agencyRequest('POST', '/espace/lien/:token')(r, seeded),
    headers: { 'content-type': r.pick(['application/x-www-form-urlencoded', ...CONTENT_TYPES]) },
    payload: r.chance(0.5) ? '' : r.pick(MALFORMED),
  }),
  'GET /espace/preferences': agencyRequest('GET', '/espace/preferences'),
  // Without an `entity` the fuzz admin belongs to, every preferences form is refused.
  'POST /espace/preferences': spaceForm('/espace/preferences'),
  // Unsubscribe links the collector never signed: refused (400 unsubscribe_invalid), nothing changed.
  'GET /espace/desabonnement': (r) => ({
    method: 'GET',
    url: `/espace/desabonnement${r.chance(0.5) ? `?t=${encodeURIComponent(r.pick(WELL_FORMED))}.${r.pick(['', 'AAAA'])}` : oddQuery(r)}`,
  }),
  'POST /espace/desabonnement': (r) => ({
    method: 'POST',
    url: `/espace/desabonnement${r.chance(0.5) ? `?t=${encodeURIComponent(r.pick(WELL_FORMED))}.${r.pick(['', 'AAAA'])}` : oddQuery(r)}`,
    headers: { 'content-type': r.pick(['application/x-www-form-urlencoded', ...CONTENT_TYPES]) },
    payload: r.chance(0.5) ? 'List-Unsubscribe=One-Click' : r.pick(MALFORMED),
  }),
  'GET /espace/connexion': (r) => ({ method: 'GET', url: `/espace/connexion${oddQuery(r)}` }),
  // Sign-in by e-mail: what is not one address is refused (400 page); a stranger's address is answered and stores nothing.
  'POST /espace/connexion': (r) => ({
    method: 'POST',
    url: `/espace/connexion${oddQuery(r)}`,
    headers: { 'content-type': r.pick(['application/x-www-form-urlencoded', ...CONTENT_TYPES]) },
    payload: r.chance(0.5)
      ? `email=${encodeURIComponent(r.pick([...WELL_FORMED, 'inconnu@example.gouv.fr', 'a@b', 'x@y.fr,z@y.fr', `${'a'.repeat(300)}@x.fr`]))}`
      : r.pick(MALFORMED),
  }),
  'POST /espace/entites/:entity/demandes/:id/accepter': spaceForm('/espace/entites/:entity/demandes/:id/accepter'),
  'POST /espace/entites/:entity/demandes/:id/refuser': spaceForm('/espace/entites/:entity/demandes/:id/refuser'),
  'GET /espace/entites/:entity/demarches/nouvelle': agencyRequest('GET', '/espace/entites/:entity/demarches/nouvelle'),
  // The fuzz form has no `id` field: a procedure is never created, every post is refused.
  'POST /espace/entites/:entity/demarches': spaceForm('/espace/entites/:entity/demarches'),
  'GET /espace/compte': agencyRequest('GET', '/espace/compte'),
  // Never fr or en: a language set would be a write the next refused case's snapshot sees.
  'POST /espace/compte/langue': (r, seeded) => ({
    ...agencyRequest('POST', '/espace/compte/langue')(r, seeded),
    headers: { ...agencyCredentials(r, seeded, true), 'content-type': r.pick(['application/x-www-form-urlencoded', ...CONTENT_TYPES]) },
    payload: r.chance(0.8)
      ? `_csrf=${encodeURIComponent(seeded.agency.csrf)}&lang=${r.pick(['', 'de', 'EN', '%00', 'fr%00'])}`
      : r.pick(MALFORMED),
  }),
  'GET /espace/connexion/demande': (r) => ({ method: 'GET', url: `/espace/connexion/demande${oddQuery(r)}` }),
  // Never an address of the allowed domain: a request taken would be recorded after its reply, under a later case's snapshot.
  'POST /espace/connexion/demande': (r) => ({
    method: 'POST',
    url: `/espace/connexion/demande${oddQuery(r)}`,
    headers: { 'content-type': r.pick(['application/x-www-form-urlencoded', ...CONTENT_TYPES]) },
    payload: r.chance(0.8)
      ? `email=${encodeURIComponent(r.pick([...WELL_FORMED, 'inconnu@example.gouv.fr', 'a@b', `${'a'.repeat(300)}@x.fr`]))}&entity=${encodeURIComponent(r.pick([...WELL_FORMED, 'fuzz-entite', '']))}`
      : r.pick(MALFORMED),
  }),
  'POST /espace/deconnexion': (r, seeded) => ({
    ...agencyRequest('POST', '/espace/deconnexion', false, false)(r, seeded),
    payload: r.chance(0.5) ? `_csrf=${r.pick(['', 'x', encodeURIComponent(seeded.agency.csrf.slice(1))])}` : r.pick(MALFORMED),
  }),
  'GET /espace/demarches/:id/avis': agencyRequest('GET', '/espace/demarches/:id/avis'),
  'GET /espace/demarches/:id/comparer': agencyRequest('GET', '/espace/demarches/:id/comparer'),
  'GET /espace/demarches/:id/analyse': agencyRequest('GET', '/espace/demarches/:id/analyse'),
  'POST /espace/demarches/:id/avis/:reviewId/masquer': (r, seeded) => ({
    ...agencyRequest('POST', '/espace/demarches/:id/avis/:review/masquer')(r, seeded),
    headers: { ...agencyCredentials(r, seeded, true), 'content-type': r.pick(['application/x-www-form-urlencoded', ...CONTENT_TYPES]) },
    payload: r.chance(0.5) ? `_csrf=${encodeURIComponent(seeded.agency.csrf)}&reason=${r.pick(['', 'x', '%00'])}` : r.pick(MALFORMED),
  }),
  'POST /espace/demarches/:id/avis/:reviewId/retablir': (r, seeded) => ({
    ...agencyRequest('POST', '/espace/demarches/:id/avis/:review/retablir')(r, seeded),
    headers: { ...agencyCredentials(r, seeded, true), 'content-type': 'application/x-www-form-urlencoded' },
    payload: r.chance(0.5) ? `_csrf=${encodeURIComponent(seeded.agency.csrf)}` : r.pick(MALFORMED),
  }),
  'POST /espace/demarches/:id/avis/:reviewId/passages/:n/masquer': (r, seeded) => ({
    ...agencyRequest('POST', '/espace/demarches/:id/avis/:review/passages/:n/masquer')(r, seeded),
    headers: { ...agencyCredentials(r, seeded, true), 'content-type': 'application/x-www-form-urlencoded' },
    payload: r.chance(0.5) ? `_csrf=${encodeURIComponent(seeded.agency.csrf)}` : r.pick(MALFORMED),
  }),
  'POST /espace/demarches/:id/avis/:reviewId/passages/:n/publier': (r, seeded) => ({
    ...agencyRequest('POST', '/espace/demarches/:id/avis/:review/passages/:n/publier')(r, seeded),
    headers: { ...agencyCredentials(r, seeded, true), 'content-type': 'application/x-www-form-urlencoded' },
    payload: r.chance(0.5) ? `_csrf=${encodeURIComponent(seeded.agency.csrf)}` : r.pick(MALFORMED),
  }),
  'POST /espace/demarches/:id/avis/:reviewId/tri': (r, seeded) => ({
    ...agencyRequest('POST', '/espace/demarches/:id/avis/:review/tri')(r, seeded),
    headers: { ...agencyCredentials(r, seeded, true), 'content-type': 'application/x-www-form-urlencoded' },
    payload: r.chance(0.5)
      ? `_csrf=${encodeURIComponent(seeded.agency.csrf)}&status=${r.pick(['', 'seen', 'x'])}&tag=${r.pick(['', '1', '0', 'x'])}&duplicate=${r.pick(['', 'confirmed', 'z'])}`
      : r.pick(MALFORMED),
  }),
  'POST /espace/demarches/:id/avis/:reviewId/suggestion': (r, seeded) => ({
    ...agencyRequest('POST', '/espace/demarches/:id/avis/:review/suggestion')(r, seeded),
    headers: { ...agencyCredentials(r, seeded, true), 'content-type': 'application/x-www-form-urlencoded' },
    payload: r.chance(0.5) ? `_csrf=${encodeURIComponent(seeded.agency.csrf)}&tag=${r.pick(['', '1', '0', 'x', '-1'])}` : r.pick(MALFORMED),
  }),
  'GET /': (r) => ({ method: 'GET', url: `/${oddQuery(r)}` }),
  'GET /pages.css': () => ({ method: 'GET', url: '/pages.css' }),
  'GET /hosted-form.css': () => ({ method: 'GET', url: '/hosted-form.css' }),
  'GET /favicon.ico': () => ({ method: 'GET', url: '/favicon.ico' }),
  'OPTIONS *': (r) => ({
    method: 'OPTIONS',
    url: r.pick(['/api/v1/feed', '/anything', '/avis/demande-passeport', `/${r.pick(IDS)}`]),
    headers: { 'access-control-request-method': r.pick(['GET', 'POST', 'DELETE', '']) },
  }),
  // Unknown addresses and methods: the not-found reply, a page or the error shape.
  unknown: (r) => ({
    method: r.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'GET']),
    url: r.pick([
      '/api/v1/reviewz',
      '/api/v2/reviews',
      '/api/v1/reviews/1/2',
      '/.env',
      '/%2e%2e/%2e%2e/etc/passwd',
      '//',
      '/avis',
      '/%ZZ',
      `/${r.pick(STRINGS.slice(0, 20)).replace(/[^\x21-\x7e]/gu, percent)}`,
      '/observatoire/a/b',
    ]),
    headers: { 'content-type': r.pick(CONTENT_TYPES) },
    payload: r.chance(0.5) ? badRating(r) : undefined,
  }),
};

function generate(r: Random, seeded: Seeded): Case {
  const route = r.pick(Object.keys(TARGETS));
  const made = TARGETS[route]!(r, seeded);
  const headers: Record<string, string> = { ...oddHeaders(r), ...(made.headers as Record<string, string> | undefined) };
  if (headers['content-type'] === '') delete headers['content-type'];
  // Every GET route also answers HEAD: sent now and then, with the same URL.
  const method = made.method === 'GET' && r.chance(0.1) ? 'HEAD' : made.method;
  return { ...made, method, headers, route: route === 'unknown' ? route : `${method} ${route.slice(route.indexOf(' ') + 1)}` };
}

// ---- The checks of each reply.
function problems(c: Case, reply: LightMyRequestResponse): string[] {
  const found: string[] = [];
  if (reply.statusCode >= 500) found.push(`status ${reply.statusCode}`);
  const type = String(reply.headers['content-type'] ?? '');
  if (type.startsWith('text/html')) {
    if (!reply.headers['content-security-policy']) found.push('an HTML page without Content-Security-Policy');
    // The API answers JSON, but for its reference pages, /api/docs and /api/docs/{group}, which are for people.
    if (/^\/api\/(?!docs(\/[^/?]*)?(\?|$))/.test(c.url)) found.push('an HTML page from the JSON API');
  } else if (reply.statusCode >= 400) {
    if (!type.startsWith('application/json')) found.push(`an error as ${type || 'no content type'}`);
    else if (c.method !== 'HEAD') {
      // The JDMA drop-in answers its refusals in tRPC's shape, as the clients written for JDMA read them.
      const trpc = /^\/api\/trpc\/answer\.getObservatoireStats(\?|$)/.test(c.url) && reply.statusCode < 500;
      const shape = trpc ? trpcErrorShapeProblem(reply.body) : errorShapeProblem(reply.body);
      if (shape) found.push(shape);
    }
  }
  return found;
}

function errorShapeProblem(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'an error body that is not JSON';
  }
  const outer = parsed as { error?: { code?: unknown; message?: unknown; details?: unknown } };
  const error = outer?.error;
  if (!error || Object.keys(outer).length !== 1) return `not the error shape: ${body.slice(0, 200)}`;
  const keys = Object.keys(error).sort().join(',');
  if (keys !== 'code,message' && keys !== 'code,details,message') return `error keys ${keys}`;
  if (typeof error.code !== 'string' || typeof error.message !== 'string') return 'code or message not a string';
  if (error.details !== undefined) {
    const ok =
      Array.isArray(error.details) &&
      error.details.every((d: { field?: unknown; message?: unknown }) => typeof d.field === 'string' && typeof d.message === 'string');
    if (!ok) return `details not [{field, message}]: ${JSON.stringify(error.details).slice(0, 200)}`;
  }
  return undefined;
}

function trpcErrorShapeProblem(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'an error body that is not JSON';
  }
  const error = (parsed as { error?: { json?: { message?: unknown; code?: unknown; data?: { code?: unknown; httpStatus?: unknown } } } })
    .error?.json;
  if (typeof error?.message !== 'string' || typeof error.code !== 'number' || typeof error.data?.code !== 'string') {
    return `not tRPC's error shape: ${body.slice(0, 200)}`;
  }
  return undefined;
}

// ---- The run.
let db: TestDatabase;
let store: Store;
let app: FastifyInstance;
let clock = new Date('2026-11-22T10:00:00Z');
const seeded: Seeded = {
  fresh: [],
  expired: { id: 0, token: '' },
  elsewhere: { id: 0, token: '' },
  form: {},
  agency: { cookie: '', csrf: '', key: '' },
};

async function rate(procedure: string, origin: string): Promise<{ id: number; token: string }> {
  const reply = await app.inject({
    method: 'POST',
    url: '/api/v1/reviews',
    headers: { 'content-type': 'application/json', origin },
    payload: { procedure, satisfaction: 'medium' },
  });
  expect(reply.statusCode).toBe(201);
  return reply.json();
}

beforeAll(async () => {
  db = await testDatabase();
  store = await db.open();
  app = await buildApp({
    config: testConfig({
      ...db.options,
      publicUrl: COLLECTOR,
      // The limits would turn most requests into 429s before they reach what is fuzzed.
      rateLimitPerMinute: 0,
      agencyRateLimitPerMinute: 0,
      ratingsPerClientPerDay: 0,
      metricsToken: METRICS_TOKEN,
      trustProxy: 1,
      signupDomains: ['fuzz.example.gouv.fr'],
    }),
    store,
    now: () => clock,
    // Alerts and digests are written by the collector's own tick, not by a request: the refusals this
    // test sends would make an « intégration cassée » mail to the controls' admin mid-batch.
    notificationTickMs: 2 ** 31 - 1,
  });
  await addProcedure(store, {
    id: 'demande-passeport',
    title: 'Demande de passeport',
    entity: 'Ministère de l’Intérieur',
    origins: [AGENCY],
    placements: ['site'],
  });
  await addProcedure(store, { id: 'autre-demarche', title: 'Autre', entity: 'Autre', origins: [ELSEWHERE] });
  await addProcedure(store, { id: 'archivee', title: 'Archivée', entity: 'Autre', origins: [AGENCY] });
  await store.procedures.setArchived('archivee', true);
  // One review whose hour is over at fuzzing time, then fresh ones (one with answers, so that
  // review_answers and the rollups hold rows that a wrongly accepted follow-up would change).
  seeded.expired = await rate('demande-passeport', AGENCY);
  clock = new Date(clock.getTime() + 70 * 60_000);
  for (let i = 0; i < 3; i++) seeded.fresh.push(await rate('demande-passeport', AGENCY));
  seeded.elsewhere = await rate('autre-demarche', ELSEWHERE);
  const followUp = await app.inject({
    method: 'POST',
    url: `/api/v1/reviews/${seeded.fresh[0]!.id}`,
    headers: { 'content-type': 'application/json', origin: AGENCY },
    payload: { token: seeded.fresh[0]!.token, answers: { ...VALID_ANSWERS, comment: 'Très clair.' } },
  });
  expect(followUp.statusCode).toBe(200);
  // A rating form really shown, and old enough to be a person's: only a defect added by the fuzzer refuses it.
  const page = await app.inject({ url: '/avis/demande-passeport?placement=site' });
  seeded.form = formFields(page.body).fields;
  clock = new Date(clock.getTime() + 60_000);
  // The agency routes' callers: their session and key are used once now, so that fuzzing them
  // writes no last-use time (written at most once a minute, and the clock stands still).
  await store.entities.add({ id: 'fuzz-entite', name: 'Entité du fuzz' });
  await store.members.put({ entityId: 'fuzz-entite', email: 'admin@fuzz.example.gouv.fr', role: 'admin' });
  const key = newSecret(API_KEY_PREFIX);
  await store.apiKeys.add({ entityId: 'fuzz-entite', name: 'cle-fuzz', hash: hashSecret(key), procedureIds: null });
  const secret = newSecret();
  await store.sessions.create({
    idHash: hashSecret(secret),
    email: 'admin@fuzz.example.gouv.fr',
    createdAt: clock.getTime(),
    lastSeenAt: clock.getTime(),
  });
  const cookie = `jdma_session=${secret}`;
  const me = await app.inject({ url: '/api/v1/me', headers: { cookie } });
  expect((await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(200);
  seeded.agency = { cookie, csrf: me.json().csrf_token, key };
});

afterAll(async () => {
  await app?.close();
  await store?.close();
});

test(`${CASES} generated requests against every route: no 5xx, one error shape, no write by a refused request`, {
  timeout: 600_000,
}, async () => {
  console.log(`fuzz: seed ${SEED}, ${CASES} cases on ${db.engine} (replay with FUZZ_SEED=${SEED} FUZZ_CASES=${CASES})`);
  const started = Date.now();
  const r = new Random(SEED);
  const failures: string[] = [];
  const hits = new Map<string, number>();
  let compared = 0;
  let uncompared = 0;
  let before = await db.snapshot();
  for (let done = 0; done < CASES; ) {
    let accepted = 0;
    const size = Math.min(BATCH, CASES - done);
    for (let i = 0; i < size; i++, done++) {
      const c = generate(r, seeded);
      hits.set(c.route, (hits.get(c.route) ?? 0) + 1);
      const reply = await app.inject(c);
      if (c.method === 'POST' && reply.statusCode < 300) accepted++;
      for (const problem of problems(c, reply)) {
        failures.push(
          `case ${done} ${c.method} ${c.url.slice(0, 120)} → ${reply.statusCode}: ${problem}; payload ${String(c.payload).slice(0, 160)}`,
        );
      }
    }
    const after = await db.snapshot();
    // A request accepted by chance (2xx) may write: that batch's tables are not compared.
    if (accepted > 0) uncompared++;
    else {
      compared++;
      if (JSON.stringify(after) !== JSON.stringify(before)) {
        expect.soft(after, `batch ending at case ${done} (seed ${SEED}) wrote rows though every request was refused`).toEqual(before);
      }
    }
    before = after;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `fuzz: ${CASES} cases in ${seconds} s on ${db.engine}; ${compared} batches compared, ${uncompared} with a request accepted by chance`,
  );

  expect(failures.slice(0, 20), `seed ${SEED}`).toEqual([]);
  // Every route the app has was fuzzed (HEAD and OPTIONS included).
  const routes = routesOf(app.printRoutes({ commonPrefix: false }));
  expect(routes.filter((route) => !hits.has(route))).toEqual([]);
  expect(hits.get('unknown')).toBeGreaterThan(0);
  // The cases are built to be refused: nearly every batch's tables must have been compared.
  expect(compared).toBeGreaterThanOrEqual(Math.ceil((CASES / BATCH) * 0.9));
});

// ---- The forged-header family: what a client may write in the headers proxies use, odd, huge,
// repeated, IPv6 or garbage. The collector trusts one proxy hop here (TRUST_PROXY=1), so that these
// headers reach the code that reads them (the client's address, the host and protocol of pages).
const FORGED_ADDRESSES = [
  '203.0.113.7',
  '2001:db8::1',
  '[2001:db8::1]:443',
  '::ffff:10.0.0.1',
  'fe80::1%eth0',
  '::',
  '0.0.0.0',
  '127.1',
  '0x7f000001',
  '999.999.999.999',
  '1.2.3.4:80',
  'unknown',
  '_hidden',
  'garbage',
  '',
  ' ',
  '\u00e9t\u00e9',
  'a'.repeat(4000),
];
const FORWARDED = [
  'for=192.0.2.60;proto=http;by=203.0.113.43',
  'for="[2001:db8:cafe::17]:4711"',
  'for=unknown, for=_hidden',
  'for=198.51.100.17;host=evil.example;proto=javascript',
  ';;;,,,',
  'for=',
  '=',
  `for=${'x'.repeat(6000)}`,
];
const FORGED_HOSTS = [
  'evil.example.com',
  '127.0.0.1:8080',
  'localhost:99999',
  '[::1]:8080',
  '[::1',
  'user:pass@127.0.0.1:8080',
  '127.0.0.1:8080/chemin',
  'h\u00f4te.fr',
  'a b',
  '..',
  '',
  `${'a'.repeat(6000)}.example`,
];

/** X-Forwarded-For as a client forges it: one entry or hundreds, odd separators, or the header sent several times. */
function forgedForwardedFor(r: Random): string | string[] {
  const entries = Array.from({ length: r.chance(0.2) ? r.int(500) + 1 : r.int(4) + 1 }, () => r.pick(FORGED_ADDRESSES));
  if (r.chance(0.15)) return entries.slice(0, 5);
  return entries.join(r.pick([', ', ',', ' , ', ',,']));
}

function forgedHeaders(r: Random): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  if (r.chance(0.8)) headers['x-forwarded-for'] = forgedForwardedFor(r);
  if (r.chance(0.4)) headers.forwarded = r.pick(FORWARDED);
  if (r.chance(0.4)) headers['x-real-ip'] = r.pick(FORGED_ADDRESSES);
  if (r.chance(0.4)) headers.host = r.pick(FORGED_HOSTS);
  if (r.chance(0.3)) headers['x-forwarded-host'] = r.pick(FORGED_HOSTS);
  if (r.chance(0.3)) headers['x-forwarded-proto'] = r.pick(['https', 'http', 'ftp', 'javascript', '', 'https, http', 'HTTPS']);
  if (r.chance(0.5)) headers.origin = r.pick([...ORIGINS, `http://${r.pick(FORGED_HOSTS)}`, r.pick(FORGED_ADDRESSES)]);
  return headers;
}

test(`${Math.ceil(CASES / 5)} requests with forged X-Forwarded-For, Forwarded, X-Real-IP, Host and Origin: no 5xx, one error shape, no write by a refused request`, {
  timeout: 600_000,
}, async () => {
  const r = new Random(SEED + 1);
  const failures: string[] = [];
  let compared = 0;
  let before = await db.snapshot();
  for (let done = 0; done < Math.ceil(CASES / 5); ) {
    let accepted = 0;
    for (let i = 0; i < BATCH; i++, done++) {
      const generated = generate(r, seeded);
      const c = { ...generated, headers: { ...generated.headers, ...forgedHeaders(r) } };
      const reply = await app.inject(c);
      if (c.method === 'POST' && reply.statusCode < 300) accepted++;
      for (const problem of problems(c, reply)) {
        failures.push(
          `case ${done} ${c.method} ${c.url.slice(0, 120)} → ${reply.statusCode}: ${problem}; headers ${JSON.stringify(c.headers).slice(0, 300)}`,
        );
      }
    }
    const after = await db.snapshot();
    if (accepted === 0) {
      compared++;
      expect
        .soft(after, `forged headers: batch ending at case ${done} (seed ${SEED + 1}) wrote rows though every request was refused`)
        .toEqual(before);
    }
    before = after;
  }
  expect(failures.slice(0, 20), `seed ${SEED + 1}`).toEqual([]);
  expect(compared).toBeGreaterThanOrEqual(Math.ceil((CASES / 5 / BATCH) * 0.9));
});

/** "METHOD /path" for every route in Fastify's printRoutes tree. */
function routesOf(tree: string): string[] {
  const paths: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+) \(([^)]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const parent = depth === 0 ? '' : paths[depth - 1]!;
    const segment = match[2]!;
    paths[depth] = parent.endsWith('/') || /^[/.*-]/.test(segment) ? parent + segment : `${parent}/${segment}`;
    for (const method of match[3]!.split(', ')) routes.push(`${method} ${paths[depth]}`);
  }
  return routes;
}

test('the requests this suite once answered wrongly, kept as they were found', async () => {
  // The router's own refusals, before any route: once in a JSON shape of Fastify's.
  const badUrl = await app.inject({ url: '/widget/%ZZ' });
  expect([badUrl.statusCode, badUrl.json()]).toEqual([400, { error: { code: 'invalid_url', message: expect.any(String) } }]);
  const longParam = await app.inject({ url: `/observatoire/${'a'.repeat(150)}` });
  expect([longParam.statusCode, longParam.json()]).toEqual([414, { error: { code: 'url_too_long', message: expect.any(String) } }]);
  // An OPTIONS that is not a full preflight: once a text/plain 400.
  const options = await app.inject({ method: 'OPTIONS', url: '/api/v1/feed' });
  expect(options.statusCode).toBe(204);
  // A NUL byte in a procedure's id: once a 500 on PostgreSQL, which refuses it in a query.
  for (const request of [
    { method: 'GET', url: '/avis/%00' },
    { method: 'POST', url: '/avis/%00/1', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'token=x' },
    // The agency space's pages, signed in: the id reached the store unchecked (access.ts).
    { method: 'GET', url: '/espace/demarches/%00', headers: { cookie: seeded.agency.cookie } },
    { method: 'GET', url: '/espace/demarches/%00/avis', headers: { cookie: seeded.agency.cookie } },
  ] as const) {
    const reply = await app.inject(request);
    expect([reply.statusCode, reply.headers['content-type']]).toEqual([404, 'text/html; charset=utf-8']);
  }
  // A window ending in December 9999: once an endless loop (feed-window.ts, monthsOf).
  expect((await app.inject({ url: '/api/v1/feed.csv?to=9999-12-31' })).statusCode).toBe(200);
});

// ---- Control characters in every text field. Self-contained: its own entity, procedure, members,
// session and key, made after the runs above, so that every agency route is reached past
// authentication and each request is valid but for one field. That field gets, in turn, a NUL
// byte, C0 and C1 controls, bidi overrides and isolates, line separators and lone surrogates:
// PostgreSQL once answered a NUL byte with a 500, and a title with an escape sequence reached the
// operator's terminal. A refused request must change nothing; a JSON body holding a NUL byte or a
// lone surrogate must be refused (free text may keep a line break, a name may not).

const CONTROL_VALUES = [
  '\u0000',
  '\u0001',
  '\u001b[2J',
  '\n',
  '\r',
  '\t',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u202e',
  '\u2067',
  '\u2028',
  '\uD800',
  '\uDFFF',
];
/** Characters no stored text may hold: a JSON body carrying one in any field is refused. */
const UNSTORABLE = ['\u0000', '\uD800', '\uDFFF'];

/** Every string leaf of a value, as a path, and the value with that leaf changed. */
function textLeaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((item, i) => textLeaves(item, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => textLeaves(item, [...path, key]));
  return [];
}
function withLeaf(value: unknown, path: (string | number)[], change: (text: string) => string): unknown {
  if (path.length === 0) return change(value as string);
  const copy = structuredClone(value) as Record<string | number, unknown>;
  copy[path[0]!] = withLeaf(copy[path[0]!], path.slice(1), change);
  return copy;
}
/** The control inside the text, after its first character: a field otherwise valid, never merely empty. */
const spiked = (control: string) => (text: string) => `${text.slice(0, 1)}${control}${text.slice(1)}`;
const query = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([key, value]) => `${key}=${percent(value)}`)
    .join('&');

test('control characters, NUL bytes and lone surrogates in every text field: no 5xx, one error shape, no write by a refusal', {
  timeout: 600_000,
}, async () => {
  const ORIGIN = 'https://controles.example.fr';
  const ADMIN = 'admin@controles.example.gouv.fr';
  await store.entities.add({ id: 'fuzz-controles', name: 'Entité des contrôles' });
  await store.procedures.add({ id: 'controles', title: 'Contrôles', entityId: 'fuzz-controles', origins: [ORIGIN], placements: ['site'] });
  await store.members.put({ entityId: 'fuzz-controles', email: ADMIN, role: 'admin' });
  await store.members.put({ entityId: 'fuzz-controles', email: 'lecteur@controles.example.gouv.fr', role: 'reader' });
  const rated = await rate('controles', ORIGIN);
  const answers = { help_sought: ['other'], help_other: 'un forum', comment: 'Très clair.' };
  const followed = await app.inject({
    method: 'POST',
    url: `/api/v1/reviews/${rated.id}`,
    headers: { 'content-type': 'application/json', origin: ORIGIN },
    payload: { token: rated.token, answers },
  });
  expect(followed.statusCode).toBe(200);
  const ratingForm = formFields((await app.inject({ url: '/avis/controles?placement=site' })).body).fields;
  // The rating form must be older than a person's fastest answer; the session and key are made
  // after, so that the rest of the run, with the clock standing still, writes no last-use time.
  clock = new Date(clock.getTime() + 5_000);
  const secret = newSecret();
  await store.sessions.create({ idHash: hashSecret(secret), email: ADMIN, createdAt: clock.getTime(), lastSeenAt: clock.getTime() });
  const cookie = `jdma_session=${secret}`;
  const key = newSecret(API_KEY_PREFIX);
  await store.apiKeys.add({ entityId: 'fuzz-controles', name: 'cle-controles', hash: hashSecret(key), procedureIds: null });
  expect((await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(200);
  const csrf = (await app.inject({ url: '/api/v1/me', headers: { cookie } })).json().csrf_token as string;

  const session = { cookie, 'x-csrf-token': csrf };
  const bearer = { authorization: `Bearer ${key}` };
  const procedure = '/api/v1/procedures/controles';
  const space = '/espace/demarches/controles';
  const members = '/espace/entites/fuzz-controles';
  const reviewQuery = { q: 'clair', placement: 'site', satisfaction: 'medium', has_comment: 'true', from: '2026-11-01', to: '2026-11-22' };
  type Target = { method: string; url: string; headers: Record<string, string>; kind: 'json' | 'query' | 'form' | 'path'; fields: unknown };
  const targets: Target[] = [
    {
      method: 'POST',
      url: '/api/v1/reviews',
      headers: { origin: ORIGIN },
      kind: 'json',
      fields: { procedure: 'controles', placement: 'site', satisfaction: 'good', lang: 'fr' },
    },
    {
      method: 'POST',
      url: `/api/v1/reviews/${rated.id}`,
      headers: { origin: ORIGIN },
      kind: 'json',
      fields: { token: rated.token, answers },
    },
    {
      method: 'POST',
      url: '/api/v1/procedures',
      headers: session,
      kind: 'json',
      fields: {
        id: 'nouvelle',
        title: 'Nouvelle démarche',
        entity: 'fuzz-controles',
        origins: ['https://nouvelle.example.fr'],
        placements: ['guichet'],
      },
    },
    {
      method: 'PATCH',
      url: procedure,
      headers: session,
      kind: 'json',
      fields: {
        title: 'Contrôles',
        origins: { add: ['https://autre.example.fr'], remove: ['https://absente.example.fr'] },
        placements: { add: ['guichet'], remove: ['absent'] },
      },
    },
    {
      method: 'POST',
      url: '/api/v1/entities/fuzz-controles/members',
      headers: session,
      kind: 'json',
      fields: { email: 'nouveau@controles.example.gouv.fr', role: 'reader' },
    },
    { method: 'PATCH', url: `/api/v1/entities/fuzz-controles/members/${ADMIN}`, headers: session, kind: 'json', fields: { role: 'admin' } },
    {
      method: 'POST',
      url: '/api/v1/entities/fuzz-controles/keys',
      headers: session,
      kind: 'json',
      fields: { name: 'tableau de bord', procedures: ['controles'] },
    },
    { method: 'POST', url: `${procedure}/reviews/${rated.id}/hide`, headers: session, kind: 'json', fields: { reason: 'Injurieux' } },
    {
      method: 'GET',
      url: '/api/v1/feed',
      headers: {},
      kind: 'query',
      fields: { procedure: 'controles', entity: 'Entité des contrôles', placement: 'site', from: '2026-11-01', to: '2026-11-22' },
    },
    { method: 'GET', url: '/api/v1/feed.csv', headers: {}, kind: 'query', fields: { entity: 'Entité des contrôles' } },
    { method: 'GET', url: `${procedure}/reviews`, headers: bearer, kind: 'query', fields: { ...reviewQuery, limit: '10' } },
    { method: 'GET', url: `${procedure}/reviews.csv`, headers: bearer, kind: 'query', fields: reviewQuery },
    { method: 'GET', url: `${procedure}/reviews.xlsx`, headers: bearer, kind: 'query', fields: { q: 'clair' } },
    {
      method: 'GET',
      url: `${procedure}/stats`,
      headers: bearer,
      kind: 'query',
      fields: { from: '2026-11-01', placement: 'site', interval: 'week' },
    },
    { method: 'GET', url: `${procedure}/insights`, headers: bearer, kind: 'query', fields: { from: '2026-11-01', placement: 'site' } },
    { method: 'GET', url: `${procedure}/snippet`, headers: session, kind: 'query', fields: { placement: 'site' } },
    { method: 'GET', url: `${procedure}/health`, headers: session, kind: 'query', fields: { days: '7' } },
    { method: 'GET', url: '/api/v1/audit', headers: session, kind: 'query', fields: { entity: 'fuzz-controles', limit: '10' } },
    {
      method: 'GET',
      url: `${space}/avis`,
      headers: { cookie },
      kind: 'query',
      fields: { ...reviewQuery, comments: 'all', filters: '1', lang: 'fr' },
    },
    { method: 'GET', url: space, headers: { cookie }, kind: 'query', fields: { from: '2026-11-01', to: '2026-11-22', placement: 'site' } },
    { method: 'GET', url: `${space}/reglages`, headers: { cookie }, kind: 'query', fields: { fait: 'titre', emplacement: 'site' } },
    { method: 'GET', url: `${members}/journal`, headers: { cookie }, kind: 'query', fields: { avant: '5' } },
    { method: 'GET', url: '/avis/controles', headers: {}, kind: 'query', fields: { placement: 'site', satisfaction: 'good', lang: 'fr' } },
    { method: 'DELETE', url: '/api/v1/entities/fuzz-controles/keys/', headers: session, kind: 'path', fields: 'inexistante' },
    {
      method: 'DELETE',
      url: '/api/v1/entities/fuzz-controles/members/',
      headers: session,
      kind: 'path',
      fields: 'personne@controles.example.gouv.fr',
    },
    { method: 'GET', url: '/api/v1/procedures/', headers: bearer, kind: 'path', fields: 'controles' },
    { method: 'GET', url: '/observatoire/', headers: {}, kind: 'path', fields: 'controles' },
    { method: 'POST', url: `${space}/reglages/titre`, headers: { cookie }, kind: 'form', fields: { _csrf: csrf, title: 'Contrôles' } },
    {
      method: 'POST',
      url: `${space}/reglages/origines`,
      headers: { cookie },
      kind: 'form',
      fields: { _csrf: csrf, origin: 'https://autre.example.fr' },
    },
    {
      method: 'POST',
      url: `${space}/reglages/origines/retirer`,
      headers: { cookie },
      kind: 'form',
      fields: { _csrf: csrf, origin: 'https://absente.example.fr' },
    },
    {
      method: 'POST',
      url: `${space}/reglages/emplacements`,
      headers: { cookie },
      kind: 'form',
      fields: { _csrf: csrf, placement: 'guichet' },
    },
    {
      method: 'POST',
      url: `${space}/reglages/emplacements/retirer`,
      headers: { cookie },
      kind: 'form',
      fields: { _csrf: csrf, placement: 'absent' },
    },
    {
      method: 'POST',
      url: `${space}/reglages/emplacements/test`,
      headers: { cookie },
      kind: 'form',
      fields: { _csrf: csrf, placement: 'absent' },
    },
    {
      method: 'POST',
      url: `${space}/reglages/emplacements/compter`,
      headers: { cookie },
      kind: 'form',
      fields: { _csrf: csrf, placement: 'absent' },
    },
    {
      method: 'POST',
      url: `${space}/reglages/numero-jdma`,
      headers: { cookie },
      kind: 'form',
      fields: { _csrf: csrf, product_id: '0' },
    },
    {
      method: 'POST',
      url: `${members}/membres`,
      headers: { cookie },
      kind: 'form',
      fields: { _csrf: csrf, email: 'nouveau@controles.example.gouv.fr', role: 'reader' },
    },
    {
      method: 'POST',
      url: `${members}/membres/role`,
      headers: { cookie },
      kind: 'form',
      fields: { _csrf: csrf, email: ADMIN, role: 'admin' },
    },
    {
      method: 'POST',
      url: `${members}/membres/retirer`,
      headers: { cookie },
      kind: 'form',
      fields: { _csrf: csrf, email: 'personne@controles.example.gouv.fr', confirm: 'oui' },
    },
    {
      method: 'POST',
      url: `${members}/cles`,
      headers: { cookie },
      kind: 'form',
      fields: { _csrf: csrf, name: 'tableau', procedures: 'controles' },
    },
    { method: 'POST', url: `${members}/cles/revoquer`, headers: { cookie }, kind: 'form', fields: { _csrf: csrf, name: 'inexistante' } },
    {
      method: 'POST',
      url: `${space}/avis/${rated.id}/masquer`,
      headers: { cookie },
      kind: 'form',
      fields: { _csrf: csrf, reason: 'Injurieux' },
    },
    { method: 'POST', url: '/avis/controles', headers: {}, kind: 'form', fields: { ...ratingForm, satisfaction: 'good' } },
    {
      method: 'POST',
      url: `/avis/controles/${rated.id}`,
      headers: {},
      kind: 'form',
      fields: { token: rated.token, lang: 'fr', clarity: '4', help_sought: 'other', help_other: 'un forum', comment: 'Très clair.' },
    },
  ];

  const failures: string[] = [];
  let compared = 0;
  let sent = 0;
  let before = await db.snapshot();
  for (const target of targets) {
    const leaves = target.kind === 'path' ? [[]] : textLeaves(target.fields);
    for (const leaf of leaves) {
      let accepted = false;
      for (const control of CONTROL_VALUES) {
        const fields = withLeaf(target.fields, leaf, spiked(control));
        const c: Case = {
          method: target.method,
          route: `${target.method} ${target.url}`,
          url:
            target.kind === 'path'
              ? target.url + percent(fields as string)
              : target.kind === 'query'
                ? `${target.url}?${query(fields as Record<string, string>)}`
                : target.url,
          headers: {
            ...target.headers,
            ...(target.kind === 'json' ? { 'content-type': 'application/json' } : {}),
            ...(target.kind === 'form' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          },
          ...(target.kind === 'json' ? { payload: JSON.stringify(fields) } : {}),
          ...(target.kind === 'form' ? { payload: formBody(fields as Record<string, string>) } : {}),
        };
        const reply = await app.inject(c);
        sent++;
        const where = `${c.method} ${target.url} ${leaf.join('.')} with ${JSON.stringify(control)} → ${reply.statusCode}`;
        for (const problem of problems(c, reply)) failures.push(`${where}: ${problem}`);
        if (target.kind === 'json' && UNSTORABLE.includes(control) && reply.statusCode < 400) failures.push(`${where}: accepted`);
        // An accepted change writes, and so does an export (the audit log has it).
        if (reply.statusCode < 400 && (c.method !== 'GET' || /\/reviews\.(csv|xlsx)$/.test(target.url))) accepted = true;
      }
      const after = await db.snapshot();
      // A field where some control is allowed (a line break in a comment) may write: not compared.
      if (!accepted) {
        compared++;
        if (JSON.stringify(after) !== JSON.stringify(before))
          failures.push(`${target.method} ${target.url} ${leaf.join('.')}: refused, yet wrote`);
      }
      before = after;
    }
  }
  console.log(
    `fuzz: control characters: ${sent} requests to ${targets.length} routes' text fields on ${db.engine}; ${compared} fields compared`,
  );
  expect(failures.slice(0, 20)).toEqual([]);
  expect(compared).toBeGreaterThan(50);
});
