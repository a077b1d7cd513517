// Digests (README "Mail"): daily, weekly (Monday, the 7 days before) or monthly (the first Monday,
// the month before), per member, computed from the rollups. Decided by the `digests` job row:
// every collector ticks, the one that claims the row does the day's run, and each mail's unique key
// (member and period) keeps a run redone after a lapsed lease from queueing a digest twice.
import { addDays, monthEnd, utcDay } from '../../shared/feed-window.ts';
import type { Level } from '../../shared/indicators.ts';
import type { Lang } from '../../shared/questionnaire.ts';
import { refusalKind } from '../agency/integration-health.ts';
import { procedureRisingTerms } from '../agency/comment-insights.ts';
import { JOB_LEASE_MS } from '../agency/lifetimes.ts';
import { procedureOverview } from '../agency/procedure-overview.ts';
import { procedureStats } from '../agency/procedure-stats.ts';
import { TERM_MIN_REVIEWS_DEFAULT } from '../config.ts';
import { shareEventLoop } from '../event-loop-share.ts';
import { formatDay, formatDayRange, formatMonth } from '../pages/kit/format.ts';
import type { Procedure } from '../store/store.ts';
import { chosenMailer, type NotificationDeps } from './alert-job.ts';
import { type DigestFrequency, everyMemberChoices } from '../agency/mail-preferences.ts';
import { type DigestLine, digestMail } from '../mail/notification-templates.ts';

export interface DigestPeriod {
  frequency: Exclude<DigestFrequency, 'none'>;
  /** Unique per frequency and period: part of each mail's key. */
  key: string;
  from: string;
  to: string;
}

/** The periods whose digests are due on a UTC day: the day before, and on Mondays the week or month before. */
export function duePeriods(today: string): DigestPeriod[] {
  const yesterday = addDays(today, -1);
  const periods: DigestPeriod[] = [{ frequency: 'daily', key: `day:${yesterday}`, from: yesterday, to: yesterday }];
  if (new Date(`${today}T00:00:00Z`).getUTCDay() === 1) {
    periods.push({ frequency: 'weekly', key: `week:${addDays(today, -7)}`, from: addDays(today, -7), to: yesterday });
    if (Number(today.slice(8, 10)) <= 7) {
      const month = addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7);
      periods.push({ frequency: 'monthly', key: `month:${month}`, from: `${month}-01`, to: monthEnd(`${month}-01`) });
    }
  }
  return periods;
}

/** The period in words, after « avis »: « le 6 décembre 2026 », « du 30 nov. au 6 déc. 2026 », « en novembre 2026 ». */
function periodWords(lang: Lang, period: DigestPeriod): string {
  if (period.frequency === 'daily') return lang === 'en' ? `on ${formatDay(lang, period.from)}` : `le ${formatDay(lang, period.from)}`;
  if (period.frequency === 'monthly') return `${lang === 'en' ? 'in' : 'en'} ${formatMonth(lang, period.from.slice(0, 7))}`;
  return `${lang === 'en' ? 'over' : 'sur'} ${formatDayRange(lang, period.from, period.to)}`;
}

/** One run of the digests, if this collector claims the job and today's are not done; resolves with the number queued. */
/** Rising terms a digest names per procedure: the strongest few, the page has the rest. */
const DIGEST_RISING_TERMS = 3;

export function digestJob(deps: NotificationDeps, termMinReviews = TERM_MIN_REVIEWS_DEFAULT): () => Promise<number> {
  const { store, publicUrl, now } = deps;
  const send = chosenMailer(deps);

  const lineOf = async (procedure: Procedure, period: DigestPeriod, today: string): Promise<DigestLine> => {
    const [overview, inPeriod, refusals, rising] = await Promise.all([
      procedureOverview(store, procedure, today),
      procedureStats(store, procedure, { window: { from: period.from, to: period.to }, placement: null, interval: 'month' }, today),
      store.refusedRatings.perDay(procedure.id, period.from),
      // A day is too short for a term to rise against the months before: weekly and monthly digests only.
      period.frequency === 'daily' ? [] : procedureRisingTerms(store, procedure.id, period.to, termMinReviews, DIGEST_RISING_TERMS),
    ]);
    const score = overview.satisfaction.score;
    return {
      procedure: procedure.title,
      reviews: inPeriod.reviews,
      score,
      level: score === null ? null : (overview.satisfaction.level as Level),
      trend: overview.trend.direction,
      refused: refusals
        .filter((row) => row.day <= period.to && refusalKind(row.reason) !== 'stored')
        .reduce((sum, row) => sum + row.count, 0),
      url: `${publicUrl}/espace/demarches/${encodeURIComponent(procedure.id)}`,
      rising: rising.map((term) => term.label),
    };
  };

  return async () => {
    const at = now().getTime();
    const today = utcDay(new Date(at));
    const raw = await store.notifications.claimJob('digests', at, JOB_LEASE_MS);
    if (raw === undefined) return 0;
    const state = JSON.parse(raw) as { doneDay?: string };
    let queued = 0;
    try {
      if (state.doneDay === today) return 0;
      const periods = duePeriods(today);
      const choices = await everyMemberChoices(store);
      const procedures = (await store.procedures.list()).filter((p) => p.archivedAt === null);
      const entities = new Map((await store.entities.list()).map((e) => [e.id, e.name]));
      const langs = await store.members.langs();
      for (const [entityId, members] of choices) {
        const lines = new Map<string, DigestLine[]>();
        for (const [email, choice] of members) {
          const period = periods.find((p) => p.frequency === choice.digest);
          if (!period) continue;
          let entityLines = lines.get(period.key);
          if (!entityLines) {
            entityLines = [];
            for (const procedure of procedures) {
              if (procedure.entityId !== entityId) continue;
              entityLines.push(await lineOf(procedure, period, today));
              // A line reads a year of rollups (several ms on SQLite, synchronous): one per slice.
              await shareEventLoop();
            }
            lines.set(period.key, entityLines);
          }
          const shown = entityLines;
          const id = await send({ entityId, email, lang: langs.get(email) }, 'digest', '', period.key, (lang, links) =>
            digestMail(lang, {
              entity: entities.get(entityId) ?? entityId,
              period: periodWords(lang, period),
              lines: shown,
              home: `${publicUrl}/espace`,
              links,
            }),
          );
          if (id) queued++;
          // Rendering and queueing 10,000 digests holds the thread that takes ratings for tens of seconds:
          // in slices, and a pause after each (1 ms at least, Node's shortest timer) so that every
          // digest's commits leave the database idle a moment for the ratings' (bench:mail).
          await shareEventLoop();
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      }
      state.doneDay = today;
      return queued;
    } finally {
      await store.notifications.releaseJob('digests', JSON.stringify(state));
    }
  };
}
