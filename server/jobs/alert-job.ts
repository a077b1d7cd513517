// Alerts to members who chose them (README "Mail"), decided by one leased row, never by a timer
// each collector runs alone: every collector ticks, the one that claims the `alerts` job row does
// the run, and each mail has a unique key, so that a run redone after a lapsed lease queues nothing
// twice. Nothing here runs in a rating's request: new reviews are read from the reviews table by id,
// past the last id the previous run saw.
//   new reviews   a window opens at the first new review, each new one extends it by the window,
//                 and it closes (the mail goes) at the latest `max` after the first
//   integration   fault refusals of a procedure in the last hour at or above the threshold, none
//                 the day before; once a day at most
//   level change  the last 30 days' satisfaction is at another level than at the last check, with
//                 at least the documented number of reviews
import { addDays, utcDay } from '../../shared/feed-window.ts';
import type { Level } from '../../shared/indicators.ts';
import type { Lang } from '../../shared/questionnaire.ts';
import { healthFix, refusalKind } from '../agency/integration-health.ts';
import { JOB_LEASE_MS } from '../agency/lifetimes.ts';
import { procedureStats } from '../agency/procedure-stats.ts';
import type { PreferenceKind, Procedure, Store } from '../store/store.ts';
import { type MemberChoices, everyMemberChoices } from '../agency/mail-preferences.ts';
import type { QueueMail } from '../mail/mail-outbox.ts';
import { integrationBrokenMail, levelChangeMail, newReviewsMail } from '../mail/notification-templates.ts';
import { unsubscribeToken } from '../mail/unsubscribe-token.ts';

export interface AlertSettings {
  /** ALERT_WINDOW_SECONDS: quiet time after the last new review before the alert goes. */
  windowMs: number;
  /** ALERT_MAX_SECONDS: the latest the alert goes after the first new review. */
  maxMs: number;
  /** ALERT_BROKEN_MIN_REFUSALS: fault refusals in an hour that make « intégration cassée ». */
  brokenMinRefusals: number;
  /** ALERT_LEVEL_MIN_REVIEWS: reviews over the last 30 days for a level to count. */
  levelMinReviews: number;
}

/** The levels are checked this often: a 30-day satisfaction does not move by the minute. */
const LEVEL_CHECK_MS = 60 * 60 * 1000;
const LEVEL_DAYS = 30;
const HOUR_MS = 60 * 60 * 1000;
/** « In an hour » is measured to within this. */
const MARK_MS = 5 * 60 * 1000;

interface Window {
  firstId: number;
  lastId: number;
  firstAt: number;
  lastAt: number;
}

interface AlertState {
  lastReviewId?: number;
  windows?: Record<string, Window>;
  /** The day each procedure's « intégration cassée » went, so that it goes once a day at most. */
  broken?: Record<string, string>;
  /**
   * Today's fault refusals of each procedure as the runs saw them, [time, count], back to the newest
   * one at least an hour old: refusals are counted per day, and these marks make « in an hour ».
   */
  refusalMarks?: Record<string, [number, number][]>;
  levels?: Record<string, Level>;
  levelsCheckedAt?: number;
}

export interface NotificationDeps {
  store: Store;
  queue: QueueMail;
  publicUrl: string;
  now: () => Date;
}

/** Queues one chosen mail to a member, with its unsubscribe link; `key` makes it unique. */
export function chosenMailer(deps: NotificationDeps) {
  const { store, queue, publicUrl } = deps;
  let signingKey: Buffer | undefined;
  return async (
    /** `lang` when the caller read every member's at once (digests); otherwise it is read here. */
    member: { entityId: string; email: string; lang?: Lang | undefined },
    kind: PreferenceKind,
    procedureId: string,
    key: string,
    make: (lang: Lang, links: { unsubscribe: string; preferences: string }) => Parameters<QueueMail>[3],
  ): Promise<number> => {
    signingKey ??= await store.notifications.signingKey();
    // The language the member chose on « Mon compte »; French, the service's, until they choose.
    const lang: Lang = ('lang' in member ? member.lang : await store.members.langOf(member.email)) ?? 'fr';
    const token = unsubscribeToken(signingKey, {
      entityId: member.entityId,
      email: member.email,
      kind,
      procedureId: kind === 'new_reviews' ? procedureId : '',
    });
    const unsubscribe = `${publicUrl}/espace/desabonnement?t=${token}`;
    const content = make(lang, { unsubscribe, preferences: `${publicUrl}/espace/preferences` });
    return queue(member.email, kind, lang, content, {
      listUnsubscribe: unsubscribe,
      dedupeKey: `${kind}:${member.entityId}:${member.email}:${key}`,
    });
  };
}

/** Members of the procedure's entity who chose this alert. */
function subscribers(
  choices: Map<string, Map<string, MemberChoices>>,
  procedure: Procedure,
  wants: (choice: MemberChoices) => boolean,
): { entityId: string; email: string }[] {
  const members = choices.get(procedure.entityId) ?? new Map<string, MemberChoices>();
  return [...members].filter(([, choice]) => wants(choice)).map(([email]) => ({ entityId: procedure.entityId, email }));
}

/** One run of the alerts, if this collector claims the job; resolves with the number of mails queued. */
export function alertJob(deps: NotificationDeps, settings: AlertSettings): () => Promise<number> {
  const { store, publicUrl, now } = deps;
  const send = chosenMailer(deps);
  const procedureUrl = (id: string, page = '') => `${publicUrl}/espace/demarches/${encodeURIComponent(id)}${page}`;

  return async () => {
    const at = now().getTime();
    const raw = await store.notifications.claimJob('alerts', at, JOB_LEASE_MS);
    if (raw === undefined) return 0;
    const state = JSON.parse(raw) as AlertState;
    let queued = 0;
    try {
      const windows = (state.windows ??= {});
      // The first run starts from the reviews there are: no alert for the past.
      if (state.lastReviewId === undefined) state.lastReviewId = await store.notifications.lastReviewId();
      else {
        for (const fresh of await store.notifications.newReviews(state.lastReviewId)) {
          const open = windows[fresh.procedureId];
          windows[fresh.procedureId] = open
            ? { ...open, lastId: fresh.lastId, lastAt: Math.max(open.lastAt, fresh.lastAt) }
            : { firstId: fresh.firstId, lastId: fresh.lastId, firstAt: fresh.firstAt, lastAt: fresh.lastAt };
          state.lastReviewId = Math.max(state.lastReviewId, fresh.lastId);
        }
      }
      const due = Object.entries(windows).filter(([, w]) => at >= w.lastAt + settings.windowMs || at >= w.firstAt + settings.maxMs);
      const today = utcDay(new Date(at));
      const checkLevels = state.levelsCheckedAt === undefined || at - state.levelsCheckedAt >= LEVEL_CHECK_MS;
      const [refusedToday, refusedYesterday] = await Promise.all([
        store.notifications.refusalsOn(today),
        store.notifications.refusalsOn(addDays(today, -1)),
      ]);
      const faults = (rows: typeof refusedToday) => rows.filter((row) => refusalKind(row.reason) === 'fault');
      const yesterdayFaults = new Set(faults(refusedYesterday).map((row) => row.procedureId));
      const todayFaults = new Map<string, typeof refusedToday>();
      for (const row of faults(refusedToday)) todayFaults.set(row.procedureId, [...(todayFaults.get(row.procedureId) ?? []), row]);
      // Refusals in the last hour: today's count less the count of the newest mark an hour old or
      // more (none: the procedure was first seen refusing within the hour, so all of today's count).
      const marks: Record<string, [number, number][]> = {};
      const broken: [string, typeof refusedToday][] = [];
      for (const [id, rows] of todayFaults) {
        const total = rows.reduce((sum, row) => sum + row.count, 0);
        const seen = (state.refusalMarks?.[id] ?? []).filter(([markedAt]) => utcDay(new Date(markedAt)) === today);
        const hourAgo = seen.filter(([markedAt]) => markedAt <= at - HOUR_MS).at(-1);
        const inHour = total - (hourAgo?.[1] ?? 0);
        const kept = seen.filter(([markedAt]) => markedAt >= (hourAgo?.[0] ?? 0));
        // A mark every MARK_MS at most: the state stays a dozen marks per procedure, not one per tick.
        marks[id] = kept.length > 0 && at - kept.at(-1)![0] < MARK_MS ? kept : [...kept, [at, total]];
        if (!yesterdayFaults.has(id) && state.broken?.[id] !== today && inHour >= settings.brokenMinRefusals) broken.push([id, rows]);
      }
      state.refusalMarks = marks;
      if (due.length === 0 && broken.length === 0 && !checkLevels) return 0;

      const choices = await everyMemberChoices(store);
      const procedures = new Map((await store.procedures.list()).map((p) => [p.id, p]));

      for (const [procedureId, w] of due) {
        delete windows[procedureId];
        const procedure = procedures.get(procedureId);
        if (!procedure) continue;
        const counts = await store.notifications.reviewCounts(procedureId, w.firstId, w.lastId);
        for (const member of subscribers(choices, procedure, (c) => c.newReviews.has(procedureId))) {
          const id = await send(member, 'new_reviews', procedureId, `${procedureId}:${w.firstId}`, (lang, links) =>
            newReviewsMail(lang, { procedure: procedure.title, ...counts, url: procedureUrl(procedureId, '/avis'), links }),
          );
          if (id) queued++;
        }
      }

      state.broken = Object.fromEntries(Object.entries(state.broken ?? {}).filter(([, day]) => day === today));
      for (const [procedureId, rows] of broken) {
        state.broken[procedureId] = today;
        const procedure = procedures.get(procedureId);
        if (!procedure) continue;
        const main = rows[0]!;
        const refused = rows.reduce((sum, row) => sum + row.count, 0);
        // The settings page holds the one-click fix, when the main refusal has one.
        const url = procedureUrl(procedureId, healthFix(main) ? '/reglages#sante' : '/reglages');
        for (const member of subscribers(choices, procedure, (c) => c.integrationBroken)) {
          const id = await send(member, 'integration_broken', procedureId, `${procedureId}:${today}`, (lang, links) =>
            integrationBrokenMail(lang, { procedure: procedure.title, refused, reason: main.reason, origin: main.origin, url, links }),
          );
          if (id) queued++;
        }
      }

      if (checkLevels) {
        state.levelsCheckedAt = at;
        const levels: Record<string, Level> = {};
        const window = { from: addDays(today, -(LEVEL_DAYS - 1)), to: today };
        for (const procedure of procedures.values()) {
          const watchers = subscribers(choices, procedure, (c) => c.levelChange);
          if (procedure.archivedAt !== null || watchers.length === 0) continue;
          const stats = await procedureStats(store, procedure, { window, placement: null, interval: 'month' }, today);
          const satisfaction = stats.indicators.satisfaction;
          const before = state.levels?.[procedure.id];
          const level =
            stats.reviews >= settings.levelMinReviews && satisfaction.score !== null ? (satisfaction.level as Level) : undefined;
          // Too few reviews now: the last level stands, so that a quiet week is not a change.
          if (level === undefined) {
            if (before) levels[procedure.id] = before;
            continue;
          }
          levels[procedure.id] = level;
          if (before === undefined || before === level) continue;
          for (const member of watchers) {
            const id = await send(member, 'level_change', procedure.id, `${procedure.id}:${today}:${level}`, (lang, links) =>
              levelChangeMail(lang, {
                procedure: procedure.title,
                from: before,
                to: level,
                score: satisfaction.score!,
                reviews: stats.reviews,
                url: procedureUrl(procedure.id),
                links,
              }),
            );
            if (id) queued++;
          }
        }
        state.levels = levels;
      }
      return queued;
    } finally {
      await store.notifications.releaseJob('alerts', JSON.stringify(state));
    }
  };
}
