// @vitest-environment happy-dom
// The widget's transport: what is sent, what is queued, and how each refusal
// is told apart from a network failure; against a scripted fetch and the DOM's localStorage.
// The real collector stopped and restarted is test/e2e/widget-offline.test.ts.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createTransport, MAX_ATTEMPTS, QUEUE_KEY, type QueueEntry } from '../../widget/transport.ts';

const COLLECTOR = 'http://collector.test';
const RATING = { procedure: 'demo', satisfaction: 'good', lang: 'fr' } as const;
const CREATED = { id: 12, token: 'tok', expires_at: '2026-11-22T12:00:00.000Z' };

interface Call {
  url: string;
  init: RequestInit;
}
let calls: Call[];
let replies: (() => Response | Promise<Response>)[];

const reply =
  (status: number, body: unknown = {}) =>
  () =>
    new Response(JSON.stringify(body), { status });
const unreachable = () => Promise.reject(new TypeError('Failed to fetch'));
const queue = (): QueueEntry[] => JSON.parse(localStorage.getItem(QUEUE_KEY) ?? '[]');
const transport = () => createTransport(COLLECTOR, () => {});

beforeEach(() => {
  localStorage.clear();
  calls = [];
  replies = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const next = replies.shift();
    if (!next) throw new Error(`unexpected request to ${url}`);
    return next();
  });
});
afterEach(() => vi.unstubAllGlobals());

test('a rating is one text/plain JSON POST with keepalive: a CORS simple request, kept alive if the tab closes', async () => {
  replies.push(reply(201, CREATED));
  expect(await transport().rate(RATING)).toEqual({ review: CREATED });
  expect(calls).toHaveLength(1);
  const [{ url, init }] = calls as [Call];
  expect(url).toBe(`${COLLECTOR}/api/v1/reviews`);
  expect(init).toMatchObject({ method: 'POST', keepalive: true });
  expect(init.headers).toBeUndefined(); // a string body: the browser sends text/plain;charset=UTF-8
  expect(JSON.parse(init.body as string)).toEqual(RATING);
});

test('a 2xx whose body is not JSON (a proxy page) never rejects: the rating is queued, as for a network failure', async () => {
  replies.push(() => new Response('<html>maintenance</html>', { status: 201 }));
  const outcome = await transport().rate(RATING);
  expect(outcome).toEqual({ queued: expect.any(String) });
  expect(queue()).toHaveLength(1);
});

test('follow-ups go to the review, with its token', async () => {
  replies.push(reply(200, { id: 12 }));
  expect(await transport().followUp({ review: CREATED }, { clarity: 3 })).toBe('sent');
  expect(calls[0]!.url).toBe(`${COLLECTOR}/api/v1/reviews/12`);
  expect(JSON.parse(calls[0]!.init.body as string)).toEqual({ token: 'tok', answers: { clarity: 3 } });
});

describe.each([
  ['unreachable', unreachable],
  ['a 503', reply(503)],
  ['a 500', reply(500)],
])('collector %s', (_name, failure) => {
  test('the rating is queued in localStorage', async () => {
    replies.push(failure);
    const outcome = await transport().rate(RATING);
    expect(outcome).toEqual({ queued: expect.any(String) });
    expect(queue()).toEqual([{ c: COLLECTOR, k: (outcome as { queued: string }).queued, n: 0, r: RATING }]);
  });
});

const REFUSALS = [
  [
    403,
    'origin_not_allowed',
    'https://www.example.gouv.fr is not an origin of procedure "demo" (jdma origin add demo https://www.example.gouv.fr)',
  ],
  [404, 'unknown_procedure', 'No procedure is registered as "demo" (jdma procedure list)'],
  [404, 'unknown_placement', 'Procedure "demo" has no placement "site" (jdma placement add demo site)'],
  [410, 'procedure_archived', 'Procedure "demo" is archived (jdma procedure restore demo)'],
  [429, 'rate_limited', 'Too many requests: try again in a minute.'],
  [400, 'invalid_body', 'The request body does not match the API.'],
] as const;

test.each(REFUSALS)(
  'a %i %s is final: the form gets the code, nothing is queued, the debug console gets code and fix in one line',
  async (status, code, message) => {
    replies.push(reply(status, { error: { code, message } }));
    const logged: unknown[][] = [];
    expect(await createTransport(COLLECTOR, (...args) => logged.push(args)).rate(RATING)).toEqual({ refused: code });
    expect(queue()).toEqual([]);
    expect(logged).toEqual([[`${code}: ${message}`]]);
  },
);

test('a 4xx without the collector’s error shape (a proxy’s page) is still final, with no code to name', async () => {
  replies.push(() => new Response('<html>Forbidden</html>', { status: 403 }));
  expect(await transport().rate(RATING)).toEqual({ refused: '' });
  expect(queue()).toEqual([]);
});

test('follow-ups given while the rating waits in the queue travel with it', async () => {
  replies.push(unreachable);
  const first = transport();
  const outcome = await first.rate(RATING);
  expect(await first.followUp(outcome as { queued: string }, { help_sought: ['none'] })).toBe('queued');
  expect(queue()[0]).toMatchObject({ r: RATING, a: { help_sought: ['none'] } });

  replies.push(reply(201, CREATED), reply(200, { id: 12 }));
  await transport().flush();
  expect(calls.slice(1).map((call) => [call.url, JSON.parse(call.init.body as string)])).toEqual([
    [`${COLLECTOR}/api/v1/reviews`, RATING],
    [`${COLLECTOR}/api/v1/reviews/12`, { token: 'tok', answers: { help_sought: ['none'] } }],
  ]);
  expect(queue()).toEqual([]);
});

test('the next page load delivers the queue exactly once, even when two of them flush', async () => {
  replies.push(unreachable);
  await transport().rate(RATING);
  replies.push(reply(201, CREATED));
  await Promise.all([transport().flush(), transport().flush()]);
  expect(calls).toHaveLength(2);
  expect(queue()).toEqual([]);
});

test('a delivery that cannot reach the collector stays queued, counted; after MAX_ATTEMPTS page loads it is dropped', async () => {
  replies.push(unreachable);
  await transport().rate(RATING);
  for (let load = 1; load <= MAX_ATTEMPTS; load++) {
    replies.push(unreachable);
    await transport().flush();
    expect(queue().map((entry) => entry.n)).toEqual([load]);
  }
  await transport().flush();
  expect(queue()).toEqual([]);
  expect(calls).toHaveLength(1 + MAX_ATTEMPTS);
});

test.each(REFUSALS.filter(([status]) => status != 429))(
  'a queued rating refused on delivery (%i %s) is dropped at once',
  async (status, code, message) => {
    replies.push(unreachable);
    await transport().rate(RATING);
    replies.push(reply(status, { error: { code, message } }));
    await transport().flush();
    expect(queue()).toEqual([]);
    expect(calls).toHaveLength(2);
  },
);

test('a queued rating met by « too many requests » waits for a later page load', async () => {
  replies.push(unreachable);
  await transport().rate(RATING);
  replies.push(reply(429, { error: { code: 'rate_limited', message: 'Too many requests: try again in a minute.' } }));
  await transport().flush();
  expect(queue()).toMatchObject([{ r: RATING, n: 1 }]);
  replies.push(reply(201, CREATED));
  await transport().flush();
  expect(queue()).toEqual([]);
});

test('a follow-up refused (expired, bad token) is reported as failed', async () => {
  replies.push(
    reply(410, { error: { code: 'follow_up_expired', message: 'Follow-up answers are accepted for one hour after the rating.' } }),
  );
  expect(await transport().followUp({ review: CREATED }, { clarity: 3 })).toBe('failed');
});

test('another collector’s queued ratings are left for its own widget', async () => {
  localStorage.setItem(QUEUE_KEY, JSON.stringify([{ c: 'http://other.test', k: 'a', n: 0, r: RATING }]));
  await transport().flush();
  expect(calls).toEqual([]);
  expect(queue()).toHaveLength(1);
});

describe('storage that misbehaves never reaches the host page', () => {
  /** A storage whose `method` throws as browsers do when storage is blocked or full. */
  const fail = (method: 'getItem' | 'setItem', name: string) => () => {
    const storage = {
      getItem: () => null,
      setItem: () => {},
      [method]: () => {
        throw new DOMException(name, name);
      },
    };
    vi.stubGlobal('localStorage', storage);
  };
  test.each([
    ['unreadable', fail('getItem', 'SecurityError'), { queued: expect.any(String) }],
    [
      'disabled or full: the rating cannot wait, the user is offered the hosted form',
      fail('setItem', 'QuotaExceededError'),
      { refused: '' },
    ],
    ['holding garbage', () => localStorage.setItem(QUEUE_KEY, '{"not": "a list"'), { queued: expect.any(String) }],
    ['holding another shape', () => localStorage.setItem(QUEUE_KEY, '{"a": 1}'), { queued: expect.any(String) }],
  ])('storage %s', async (_name, spoil, outcome) => {
    spoil();
    replies.push(unreachable);
    await expect(transport().rate(RATING)).resolves.toEqual(outcome);
    await expect(transport().flush()).resolves.toBeUndefined();
  });
});
