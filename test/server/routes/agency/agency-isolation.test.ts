// Nothing an agency does stalls ratings (SPEC §8), on both engines: exports, searches and stats of a
// large procedure, and the retention purge, share the event loop in short slices, and an entity has
// at most two exports under way (the third is refused, and leaves nothing behind).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadXlsxWriter } from '../../../../server/agency/review-export.ts';
import { purge } from '../../../../server/retention.ts';
import { ADMIN_A, type AgencyWorld, agencyWorld, ORIGIN_A } from '../../../helpers/agency-world.ts';
import { seedReviews } from '../../../helpers/seed-reviews.ts';

const REVIEWS = 60_000;
let world: AgencyWorld;
let base: string;
let bearer: { authorization: string };

beforeAll(async () => {
  world = await agencyWorld({ rateLimitPerMinute: 0, ratingsPerClientPerDay: 0 });
  // From 2022-01-01 to 2026-12-01, every fifth review with a comment: the default window (12 months) holds a fifth of them.
  await seedReviews(world.db, { procedureId: 'demarche-a', count: REVIEWS, lastDay: '2026-12-01', days: 1796, commentEvery: 5 });
  await world.store.rollups.rebuild();
  // As `jdma serve` does before it listens (server.ts).
  await loadXlsxWriter();
  base = await world.app.listen({ port: 0, host: '127.0.0.1' });
  bearer = { authorization: `Bearer ${world.keys.all}` };
}, 120_000);
afterAll(async () => world?.close());

const FIVE_YEARS = 'from=2022-01-01&to=2026-12-01';

/**
 * CPU time of this process's main thread, in ms: Linux's scheduler statistics of the thread (in ns),
 * else the process's (which also counts libuv's pool, zlib's compression in it included).
 */
function mainThreadCpu(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  }
}

/**
 * The longest the event loop was held while `work` ran: the gaps between the ticks of a 1 ms timer,
 * each counted only as far as the main thread ran meanwhile (a gap in which the machine ran other
 * processes held nothing of ours: the machine running the tests is shared).
 */
async function longestHold(work: () => Promise<unknown>): Promise<number> {
  let longest = 0;
  let last = performance.now();
  let cpu = mainThreadCpu();
  const ticker = setInterval(() => {
    const now = performance.now();
    const used = mainThreadCpu();
    longest = Math.max(longest, Math.min(now - last, used - cpu));
    last = now;
    cpu = used;
  }, 1);
  try {
    await work();
    // One more tick: a hold at the very end is seen only when the timer next runs.
    await new Promise((resolve) => setTimeout(resolve, 5));
  } finally {
    clearInterval(ticker);
  }
  return longest;
}

/**
 * GETs a URL of the listening collector and reads the whole body as it comes, counting its bytes and
 * line feeds; keeps the text of a short one. (Gathering megabytes here would itself hold the loop.)
 */
async function fetched(
  path: string,
  headers: Record<string, string> = bearer,
): Promise<{ status: number; bytes: number; lines: number; text: string }> {
  const response = await fetch(base + path, { headers });
  let bytes = 0;
  let lines = 0;
  const start: Buffer[] = [];
  for await (const chunk of response.body!) {
    bytes += chunk.length;
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
    if (bytes <= 1 << 20) start.push(Buffer.from(chunk));
  }
  return { status: response.status, bytes, lines, text: bytes <= 1 << 20 ? Buffer.concat(start).toString() : '' };
}

// The bound: far above the 20 ms the slices aim at, far below what one read held before they were
// cut (a CSV of these 60,000 reviews: 300 ms and more; a rare word on the comments page: 100 ms).
const HOLD_BOUND_MS = 50;

test('a large CSV export and XLSX export run without holding the event loop, and carry every review', async () => {
  let csv = { status: 0, bytes: 0, lines: 0 };
  let xlsx = { status: 0, bytes: 0, lines: 0 };
  const held = await longestHold(async () => {
    [csv, xlsx] = await Promise.all([
      fetched(`/api/v1/procedures/demarche-a/reviews.csv?${FIVE_YEARS}`),
      fetched(`/api/v1/procedures/demarche-a/reviews.xlsx?${FIVE_YEARS}`),
    ]);
  });
  expect(csv.status).toBe(200);
  expect(xlsx.status).toBe(200);
  // A header line, then one line per review (no comment holds a line break).
  expect(csv.lines - 1).toBe(REVIEWS);
  expect(xlsx.bytes).toBeGreaterThan(500_000);
  expect(held).toBeLessThan(HOLD_BOUND_MS);
}, 120_000);

test('rare-word searches (API listing, comments page, export) and five years of daily stats run without holding the event loop', async () => {
  const { cookie } = await world.session(ADMIN_A);
  const replies: { status: number; lines: number; text: string }[] = [];
  const held = await longestHold(async () => {
    replies.push(
      ...(await Promise.all([
        fetched(`/api/v1/procedures/demarche-a/reviews?q=introuvable&${FIVE_YEARS}`),
        fetched(`/espace/demarches/demarche-a/avis?q=introuvable&from=2022-01-01&to=2026-12-01`, { cookie }),
        fetched(`/espace/demarches/demarche-a/avis?q=introuvable&from=2022-01-01&to=2026-12-01`, { cookie }),
        fetched(`/api/v1/procedures/demarche-a/stats?interval=day&${FIVE_YEARS}`),
        fetched(`/api/v1/procedures/demarche-a/reviews.csv?q=introuvable&${FIVE_YEARS}`),
      ])),
    );
  });
  expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200, 200, 200]);
  // The search examined its bound of reviews and found nothing, as did the export (its header alone); the stats hold every review.
  expect(replies[4]!.lines).toBe(1);
  expect(JSON.parse(replies[0]!.text)).toEqual({ reviews: [], next_cursor: expect.any(String) });
  const stats = await world.inject({
    method: 'GET',
    url: `/api/v1/procedures/demarche-a/stats?interval=day&${FIVE_YEARS}`,
    headers: bearer,
  });
  expect(stats.json()).toMatchObject({ reviews: REVIEWS, interval: 'day' });
  expect(stats.json().series).toHaveLength(1796);
  expect(held).toBeLessThan(HOLD_BOUND_MS);
}, 120_000);

test('the stats sent in pieces are the same JSON as the stats computed', async () => {
  const stats = await world.inject({
    method: 'GET',
    url: `/api/v1/procedures/demarche-a/stats?interval=week&${FIVE_YEARS}`,
    headers: bearer,
  });
  expect(stats.statusCode).toBe(200);
  expect(stats.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(stats.body).toBe(JSON.stringify(stats.json()));
  expect(stats.json().series[0]).toMatchObject({ from: '2022-01-01', to: '2022-01-02' });
});

test('a third export of one entity at once is refused with 429 export_busy and Retry-After, and writes nothing', async () => {
  const audits = async () =>
    (await world.db.rows<{ n: number }>("SELECT coalesce(sum(count), 0) AS n FROM audit_log WHERE action = 'export'"))[0]!.n;
  const auditsBefore = Number(await audits());
  // Two exports start (the reviews with a comment: a megabyte each), and their bodies are not read yet: both are under way.
  const controllers = [new AbortController(), new AbortController()];
  const running = await Promise.all(
    controllers.map((controller) =>
      fetch(`${base}/api/v1/procedures/demarche-a/reviews.csv?has_comment=true&${FIVE_YEARS}`, {
        headers: bearer,
        signal: controller.signal,
      }),
    ),
  );
  expect(running.map((response) => response.status)).toEqual([200, 200]);
  const { cookie } = await world.session(ADMIN_A);
  const before = await world.db.snapshot();

  // The third, through the space (a member's session) as through a key: the bound is the entity's.
  for (const headers of [bearer, { cookie }]) {
    const third = await fetch(`${base}/api/v1/procedures/demarche-a2/reviews.csv`, { headers });
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('30');
    expect(await third.json()).toEqual({
      error: { code: 'export_busy', message: 'This entity already has 2 exports under way: try again when one has finished.' },
    });
  }
  expect(await world.db.snapshot()).toEqual(before);
  // Another entity's exports are not held up by these.
  const otherEntity = await fetched('/api/v1/procedures/demarche-b/reviews.csv', { authorization: `Bearer ${world.keys.otherEntity}` });
  expect(otherEntity.status).toBe(200);

  // The first is read to its end, the second abandoned: both free their slot.
  const whole = await running[0]!.text();
  expect(whole.split('\r\n').length - 2).toBe(REVIEWS / 5);
  controllers[1]!.abort();
  let next = 0;
  for (let attempt = 0; attempt < 50 && next !== 200; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    next = (await fetched('/api/v1/procedures/demarche-a2/reviews.csv')).status;
  }
  expect(next).toBe(200);
  expect((await fetched('/api/v1/procedures/demarche-a2/reviews.xlsx')).status).toBe(200);
  // The two first, the other entity's, and the two after (identical events of a minute share an entry: counted by its count): the refused ones left no audit entry.
  expect(Number(await audits())).toBe(auditsBefore + 5);
}, 120_000);

test('the purge of a large database erases in slices without holding the event loop', async () => {
  // Every free text is past a one-day retention, a year and more after the world's clock.
  const later = new Date('2027-12-01T00:00:00Z');
  let purged = { freeText: 0, tokens: 0 };
  const held = await longestHold(async () => {
    purged = await purge(world.store, 1, later);
  });
  expect(purged).toMatchObject({ freeText: REVIEWS / 5, tokens: REVIEWS });
  expect(
    await world.db.rows('SELECT id FROM reviews WHERE comment IS NOT NULL OR search_text IS NOT NULL OR length(token_hash) > 0'),
  ).toEqual([]);
  expect(held).toBeLessThan(HOLD_BOUND_MS);
}, 120_000);

test('a rollup rebuild recounts in short transactions without holding the event loop, and counts the ratings taken meanwhile once', async () => {
  type Row = { period: string; placement_id: string; question: string; answer: string; count: number };
  const rollups = async () => ({
    daily: await world.db.rows<Row>(
      "SELECT day AS period, placement_id, question, answer, count FROM daily_rollups WHERE procedure_id = 'demarche-a' ORDER BY 1, 2, 3, 4",
    ),
    monthly: await world.db.rows<Row>(
      "SELECT month AS period, placement_id, question, answer, count FROM monthly_rollups WHERE procedure_id = 'demarche-a' ORDER BY 1, 2, 3, 4",
    ),
  });
  /** The count of good ratings on the default placement in a period. */
  const good = (rows: Row[], period: string) =>
    Number(
      rows.find(
        (row) => row.period === period && row.placement_id === 'default' && row.question === 'satisfaction' && row.answer === 'good',
      )?.count ?? 0,
    );
  const before = await rollups();
  let rated = 0;
  const held = await longestHold(() =>
    Promise.all([
      world.store.rollups.rebuild(),
      (async () => {
        for (let i = 0; i < 40; i++) {
          const reply = await world.inject({
            method: 'POST',
            url: '/api/v1/reviews',
            headers: { 'content-type': 'application/json', origin: ORIGIN_A },
            payload: { procedure: 'demarche-a', placement: 'default', satisfaction: 'good' },
          });
          if (reply.statusCode === 201) rated++;
        }
      })(),
    ]),
  );
  expect(rated).toBe(40);
  const after = await rollups();
  // The only change: those 40 ratings, on the world's day and month.
  expect(good(after.daily, '2026-12-01') - good(before.daily, '2026-12-01')).toBe(40);
  expect(good(after.monthly, '2026-12') - good(before.monthly, '2026-12')).toBe(40);
  const others = (rows: Row[]) =>
    rows.filter((row) => !(row.period.startsWith('2026-12') && row.placement_id === 'default' && row.answer === 'good'));
  expect(others(after.daily)).toEqual(others(before.daily));
  expect(others(after.monthly)).toEqual(others(before.monthly));
  // Rebuilding again from the reviews changes nothing: no rating was lost or counted twice.
  await world.store.rollups.rebuild();
  expect(await rollups()).toEqual(after);
  expect(held).toBeLessThan(HOLD_BOUND_MS);
}, 120_000);
