// The integration health under adversity (SPEC §7, §8), through the app on both engines: what
// anonymous clients write stays bounded however many origins, placements and procedure ids they
// invent, the pages and `jdma procedure show` that read it stay small, and a mistyped
// data-procedure reaches the entity whose registered origin sent it.
import { afterEach, describe, expect, test } from 'vitest';
import { MAX_DISTINCT_KEYS_PER_DAY } from '../../../server/refusal-counter.ts';
import { ADMIN_A, ADMIN_B, type AgencyWorld, agencyWorld, ORIGIN_A } from '../../helpers/agency-world.ts';
import { runCli } from '../../helpers/cli-process.ts';
import { postRatingForm } from '../../helpers/hosted-form.ts';

const worlds: AgencyWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

/** The world with no rate limit in the way: each request is refused for what it is, not for its rate. */
async function newWorld(): Promise<AgencyWorld> {
  const w = await agencyWorld({ rateLimitPerMinute: 1_000_000, ratingsPerClientPerDay: 1_000_000 });
  worlds.push(w);
  return w;
}

const SETTINGS = '/espace/demarches/demarche-a/reglages';

/** Posts `count` ratings, `request(i)` giving each its procedure, placement and origin, 100 at a time. */
async function flood(w: AgencyWorld, count: number, request: (i: number) => { procedure: string; placement?: string; origin: string }) {
  for (let start = 0; start < count; start += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, count - start) }, async (_, k) => {
        const { origin, ...body } = request(start + k);
        const reply = await w.inject({
          method: 'POST',
          url: '/api/v1/reviews',
          headers: { 'content-type': 'text/plain', origin },
          payload: JSON.stringify({ ...body, satisfaction: 'good' }),
        });
        expect(reply.statusCode).toBeGreaterThanOrEqual(400);
        expect(reply.statusCode).toBeLessThan(500);
      }),
    );
  }
}

/** Waits until the counter's writes (once a second) hold `total` refused attempts. */
async function counted(w: AgencyWorld, total: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const [sum] = await w.db.rows<{ n: number | null }>('SELECT CAST(sum(count) AS INTEGER) AS n FROM refused_ratings');
    if (Number(sum?.n) === total) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`refused_ratings never summed to ${total}`);
}

const rowsOf = (w: AgencyWorld, procedureId: string) =>
  w.db.rows<{ reason: string; origin: string; placement_id: string; count: number }>(
    'SELECT reason, origin, placement_id, count FROM refused_ratings WHERE procedure_id = ? ORDER BY count DESC, origin',
    procedureId,
  );

describe('a flood of refusals', () => {
  test('10,000 refusals from distinct origins: 21 rows, the total kept, the settings page and jdma procedure show under 100 KB, 3 one-click fixes', async () => {
    const w = await newWorld();
    // The real copy of the site sends a third of them; 9,999 invented origins and placements the rest.
    await flood(w, 10_000, (i) =>
      i % 3 === 0
        ? { procedure: 'demarche-a', origin: 'https://copie.example.gouv.fr' }
        : { procedure: 'demarche-a', placement: `emplacement-${i}`, origin: `https://site-${i}.example.org` },
    );
    await counted(w, 10_000);
    const rows = await rowsOf(w, 'demarche-a');
    expect(rows.reduce((sum, row) => sum + Number(row.count), 0)).toBe(10_000);
    // Each origin of its own within the day's limit, the rest under « autres » (`*`), whatever order the writes came in.
    const origins = new Set(rows.map((row) => row.origin));
    expect(origins.size).toBe(MAX_DISTINCT_KEYS_PER_DAY + 1);
    expect(origins).toContain('*');
    expect(new Set(rows.map((row) => row.placement_id)).size).toBeLessThanOrEqual(MAX_DISTINCT_KEYS_PER_DAY + 1);
    expect(rows.length).toBeLessThanOrEqual(2 * (MAX_DISTINCT_KEYS_PER_DAY + 1));
    expect(rows.find((row) => row.origin === 'https://copie.example.gouv.fr')).toMatchObject({ reason: 'origin_not_allowed' });

    const { cookie } = await w.session(ADMIN_A);
    const page = await w.inject({ method: 'GET', url: SETTINGS, headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(Buffer.byteLength(page.body)).toBeLessThan(100_000);
    expect(page.body.match(/>Ajouter cette origine</g)).toHaveLength(3);
    expect(page.body).toMatch(/3\s334 notes refusées depuis https:\/\/copie\.example\.gouv\.fr/);
    expect(page.body).toContain('autres origines');
    expect(page.body).toMatch(/Problèmes d’intégration\u00a0: 10\s000 notes refusées\./);

    const show = runCli(['procedure', 'show', 'demarche-a'], w.db.env);
    expect(show.status).toBe(0);
    expect(Buffer.byteLength(show.stdout)).toBeLessThan(100_000);
    expect(show.stdout).toContain('Notes refusées sur 30 jours : 10000 par des problèmes d’intégration, 0 par les limites anti-abus');
    expect(show.stdout).toContain(
      '3334 : origine non autorisée depuis https://copie.example.gouv.fr (jdma origin add demarche-a https://copie.example.gouv.fr)',
    );
    expect(show.stdout).toContain('d’autres origines');
    expect(show.stdout).toMatch(/… et \d+ autres lignes, \d+ note\(s\) \(jdma procedure show demarche-a --json\)/);
    const json = runCli(['procedure', 'show', 'demarche-a', '--json'], w.db.env);
    expect(Buffer.byteLength(json.stdout)).toBeLessThan(100_000);
    expect(JSON.parse(json.stdout).refused_totals_last_30_days).toEqual({
      integration_faults: 10_000,
      anti_abuse_limits: 0,
      stored_with_warning: 0,
    });
  });

  test('invented procedure ids are kept only under unknown_procedure, at most 20 a day per origin, and nothing else is written', async () => {
    const w = await newWorld();
    await flood(w, 300, (i) => ({ procedure: `invente-${i}`, origin: i % 2 ? ORIGIN_A : `https://site-${i}.example.org` }));
    await counted(w, 300);
    const rows = await w.db.rows<{ procedure_id: string; origin: string; count: number }>(
      "SELECT procedure_id, origin, count FROM refused_ratings WHERE reason = 'unknown_procedure'",
    );
    expect(rows.reduce((sum, row) => sum + Number(row.count), 0)).toBe(300);
    // From the registered origin: 20 ids of their own, the others summed under ''.
    const fromA = rows.filter((row) => row.origin === ORIGIN_A);
    expect(fromA.filter((row) => row.procedure_id !== '')).toHaveLength(MAX_DISTINCT_KEYS_PER_DAY);
    expect(fromA.find((row) => row.procedure_id === '')?.count).toBe(150 - MAX_DISTINCT_KEYS_PER_DAY);
    // From origins nobody registered: one origin key (`*`), and 20 ids.
    const elsewhere = rows.filter((row) => row.origin !== ORIGIN_A);
    expect(new Set(elsewhere.map((row) => row.origin))).toEqual(new Set(['*']));
    expect(elsewhere.filter((row) => row.procedure_id !== '')).toHaveLength(MAX_DISTINCT_KEYS_PER_DAY);
    expect(await w.db.rows("SELECT * FROM refused_ratings WHERE reason <> 'unknown_procedure'")).toEqual([]);
  });

  test('a limit refusal under an invented id is counted under no procedure, not under the id', async () => {
    const w = await agencyWorld({ rateLimitPerMinute: 1 });
    worlds.push(w);
    await flood(w, 50, (i) => ({ procedure: `invente-${i}`, origin: `https://site-${i}.example.org` }));
    await counted(w, 50);
    const rows = await w.db.rows<{ procedure_id: string; reason: string; origin: string }>(
      'SELECT procedure_id, reason, origin FROM refused_ratings ORDER BY reason',
    );
    expect(rows.filter((row) => row.reason === 'rate_limited').every((row) => row.procedure_id === '')).toBe(true);
    expect(new Set(rows.map((row) => row.procedure_id)).size).toBeLessThanOrEqual(2);
  });
  test('two collectors writing at once keep the limit: 20 origins of their own, not 20 each', async () => {
    const w = await newWorld();
    const other = await w.db.open();
    try {
      const day = w.clock.now.toISOString().slice(0, 10);
      const counts = (from: number) =>
        Array.from({ length: MAX_DISTINCT_KEYS_PER_DAY }, (_, i) => ({
          procedureId: 'demarche-a',
          day,
          reason: 'origin_not_allowed',
          origin: `https://site-${from + i}.example.org`,
          placementId: 'default',
          count: 1,
        }));
      await Promise.all([
        w.store.refusedRatings.add(counts(0), day, MAX_DISTINCT_KEYS_PER_DAY),
        other.refusedRatings.add(counts(100), day, MAX_DISTINCT_KEYS_PER_DAY),
      ]);
    } finally {
      await other.close();
    }
    const rows = await rowsOf(w, 'demarche-a');
    expect(rows.reduce((sum, row) => sum + Number(row.count), 0)).toBe(2 * MAX_DISTINCT_KEYS_PER_DAY);
    expect(rows.filter((row) => row.origin !== '*')).toHaveLength(MAX_DISTINCT_KEYS_PER_DAY);
    expect(rows.find((row) => row.origin === '*')?.count).toBe(MAX_DISTINCT_KEYS_PER_DAY);
  });
});

describe('a mistyped data-procedure', () => {
  test('reaches the home of the entity whose registered origin sent it, and the health of the procedures of that origin', async () => {
    const w = await newWorld();
    await flood(w, 12, () => ({ procedure: 'demarche-aa', origin: ORIGIN_A }));
    // The same typo from a site nobody registered is nobody's to see but the operator's.
    await flood(w, 5, () => ({ procedure: 'demarche-aa', origin: 'https://ailleurs.example.org' }));
    await counted(w, 17);

    const home = async (email: string, lang = '') => {
      const { cookie } = await w.session(email);
      const reply = await w.inject({ method: 'GET', url: `/espace${lang}`, headers: { cookie } });
      expect(reply.statusCode).toBe(200);
      return reply.body;
    };
    const a = await home(ADMIN_A);
    const entityA = a.slice(a.indexOf('<h2 id="entite-ministere-a">'));
    expect(entityA).toContain('Des pages de vos sites envoient des notes à une démarche inconnue (12 ces 30 derniers jours)');
    expect(entityA).toContain(`«\u00a0demarche-aa\u00a0» depuis ${ORIGIN_A}\u00a0: 12`);
    expect(await home(ADMIN_A, '?lang=en')).toContain(`“demarche-aa” from ${ORIGIN_A}: 12`);
    expect(await home(ADMIN_B)).not.toContain('demarche-aa');

    const { cookie } = await w.session(ADMIN_A);
    for (const procedure of ['demarche-a', 'demarche-a2']) {
      const settings = await w.inject({ method: 'GET', url: `/espace/demarches/${procedure}/reglages`, headers: { cookie } });
      expect(settings.body).toContain(
        `12 notes refusées depuis les origines de cette démarche à une démarche inconnue\u00a0: l’attribut data-procedure de ces pages est sans doute mal recopié\u00a0; il doit valoir «\u00a0${procedure}\u00a0».`,
      );
      expect(settings.body).toContain(`<td>demarche-aa</td><td>${ORIGIN_A}</td><td>12</td>`);
    }
    const health = await w.inject({ method: 'GET', url: '/api/v1/procedures/demarche-a/health', headers: { cookie } });
    expect(health.json().unknown_procedures).toEqual([{ id: 'demarche-aa', origin: ORIGIN_A, count: 12 }]);
    const show = runCli(['procedure', 'show', 'demarche-a'], w.db.env);
    expect(show.stdout).toContain(`12 : « demarche-aa » depuis ${ORIGIN_A}`);
    // The operator still finds every attempt under the typo.
    expect(runCli(['procedure', 'show', 'demarche-aa'], w.db.env).stderr).toContain('17 note(s) refusée(s) sous cet identifiant');
  });

  test('many ids tried: the home names 5 and sums the rest', async () => {
    const w = await newWorld();
    await flood(w, 30, (i) => ({ procedure: `demarche-${String.fromCharCode(97 + (i % 26))}${i}`, origin: ORIGIN_A }));
    await counted(w, 30);
    const { cookie } = await w.session(ADMIN_A);
    const body = (await w.inject({ method: 'GET', url: '/espace', headers: { cookie } })).body;
    const list = body.slice(body.indexOf('Des pages de vos sites'), body.indexOf('Comparez-le'));
    expect(list.match(/<li>/g)).toHaveLength(6);
    expect(list).toContain(`d’autres identifiants depuis ${ORIGIN_A}\u00a0: ${30 - MAX_DISTINCT_KEYS_PER_DAY}`);
    expect(list).toContain('et 16 autres notes');
  });
});

describe('the home tells faults from limits', () => {
  test('a hosted-form rating stored under « default » for an unknown placement is a warning, not a refused rating', async () => {
    const w = await newWorld();
    const clock = { advance: (ms: number) => (w.clock.now = new Date(w.clock.now.getTime() + ms)) };
    const reply = await postRatingForm(w.app, clock, '/avis/demarche-a?placement=lettre', { satisfaction: 'good' });
    expect(reply.statusCode).toBe(201);
    expect(await w.db.rows("SELECT placement_id FROM reviews WHERE procedure_id = 'demarche-a'")).toEqual([{ placement_id: 'default' }]);
    await counted(w, 1);
    const { cookie } = await w.session(ADMIN_A);
    const health = await w.inject({ method: 'GET', url: '/api/v1/procedures/demarche-a/health', headers: { cookie } });
    expect(health.json().totals).toEqual({ integration_faults: 0, anti_abuse_limits: 0, stored_with_warning: 1 });
    const body = (await w.inject({ method: 'GET', url: '/espace', headers: { cookie } })).body;
    const card = body.slice(body.indexOf('>Démarche A</a>'), body.indexOf('>Démarche A2</a>'));
    expect(card).toContain('1 note enregistrée sous l’emplacement par défaut (default) ces 30 derniers jours');
    expect(card).not.toContain('refusée');
    expect(runCli(['procedure', 'show', 'demarche-a'], w.db.env).stdout).toContain(
      'Notes refusées sur 30 jours : 0 par des problèmes d’intégration, 0 par les limites anti-abus ; 1 enregistrée(s) malgré tout sous l’emplacement par défaut (default)',
    );
  });

  test('limits and a stored rating are no longer « refused ratings: pages cannot send »', async () => {
    const w = await newWorld();
    const today = w.clock.now.toISOString().slice(0, 10);
    const row = { procedureId: 'demarche-a', day: today, origin: ORIGIN_A, placementId: 'default' };
    await w.store.refusedRatings.add(
      [
        { ...row, reason: 'rate_limited', count: 10 },
        { ...row, reason: 'too_many_ratings', count: 2 },
        { ...row, reason: 'placement_defaulted', origin: '', placementId: 'lettre', count: 1 },
        { ...row, reason: 'origin_not_allowed', origin: 'https://copie.example.gouv.fr', count: 1 },
      ],
      today,
      MAX_DISTINCT_KEYS_PER_DAY,
    );
    const { cookie } = await w.session(ADMIN_A);
    const body = (await w.inject({ method: 'GET', url: '/espace', headers: { cookie } })).body;
    const card = body.slice(body.indexOf('>Démarche A</a>'), body.indexOf('>Démarche A2</a>'));
    expect(card).toContain('1 note refusée ces 30 derniers jours par un problème d’intégration');
    expect(card).toContain('1 note enregistrée sous l’emplacement par défaut (default) ces 30 derniers jours');
    expect(card).toContain('Limites anti-abus\u00a0: 12 envois refusés ces 30 derniers jours');
    expect(card).not.toContain('14 notes refusées');
    // Limits alone are no warning.
    const a2 = body.slice(body.indexOf('>Démarche A2</a>'));
    expect(a2).not.toContain('fr-alert');
  });
});
