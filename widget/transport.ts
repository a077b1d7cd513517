// How the widget talks to the collector (SPEC §6; no rating lost, SPEC §7): JSON bodies sent as text/plain
// (a CORS "simple request": no preflight), fetch with keepalive (a closing tab still sends); a
// cross-origin fetch carries no cookie by default, and the collector sets none. An unreachable
// collector or a 5xx puts the hot rating in the host page's localStorage; the next page load that
// carries the widget delivers it. A refusal (4xx) is final: the collector's every error reply is
// readable from the page, so a refusal is never mistaken for a network failure and queued.
import type { FollowUpAnswers, HotRating, ReviewCreated } from '../shared/questionnaire.ts';

/** A review the form can follow up: stored (id + token), or still waiting in the page's queue. */
export type ReviewRef = { review: ReviewCreated } | { queued: string };

export interface Transport {
  /**
   * `refused` holds the collector's error code (`origin_not_allowed`, `rate_limited`…), or '' when
   * the rating could neither be sent nor kept for later (a reply without the error shape, storage
   * blocked).
   */
  rate(rating: HotRating): Promise<ReviewRef | { refused: string }>;
  followUp(review: ReviewRef, answers: FollowUpAnswers): Promise<'sent' | 'queued' | 'failed'>;
  /** Delivers what earlier page loads queued for this collector. */
  flush(): Promise<void>;
}

/** A hot rating (with the follow-ups given while it waited) not yet taken by collector `c`. */
export interface QueueEntry {
  c: string;
  /** Its key, for the follow-ups given on the same page. */
  k: string;
  /** Page loads that already failed to deliver it. */
  n: number;
  r: HotRating;
  a?: FollowUpAnswers;
}

export const QUEUE_KEY = 'jdma:queue';
const MAX_QUEUE = 20;
/**
 * An entry is dropped after this many page loads that could not reach the collector: a collector
 * that never comes back (retired, moved) must not cost every later page of the site a request.
 */
export const MAX_ATTEMPTS = 5;

export function createTransport(collector: string, log: (...args: unknown[]) => void): Transport {
  /** The reply's JSON on success; the error code of a refusal (4xx, final); undefined when worth retrying later. */
  const post = async (path: string, body: unknown): Promise<ReviewCreated | string | undefined> => {
    try {
      const response = await fetch(`${collector}/api/v1/reviews${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
        keepalive: true,
      });
      // Awaited here, so that an unreadable body (a proxy page, an aborted reply) lands in the catch:
      // a 2xx or a 5xx without the collector's JSON is worth another try, a 4xx is not.
      const reply = await response.json().catch(() => ({}));
      if (response.ok) return reply.id ? reply : undefined;
      const { code = '', message } = reply.error || {};
      // One line that names the problem and its fix, e.g. `origin_not_allowed: … (jdma origin add …)`.
      log(code ? `${code}: ${message}` : response.status);
      if (response.status < 500) return code;
    } catch (error) {
      log(error);
    }
  };

  // Storage may be disabled, full or hold anything: then the rating is lost, never the host page.
  const read = (): QueueEntry[] => {
    try {
      const entries: unknown = JSON.parse(localStorage.getItem(QUEUE_KEY) || '[]');
      return Array.isArray(entries) ? entries : [];
    } catch {
      return [];
    }
  };
  /** False when the storage refused: the widget must not promise a later delivery then. */
  const write = (entries: QueueEntry[]): boolean => {
    try {
      localStorage.setItem(QUEUE_KEY, JSON.stringify(entries.slice(-MAX_QUEUE)));
      return true;
    } catch (error) {
      return (log(error), false);
    }
  };

  return {
    async rate(rating) {
      const reply = await post('', rating);
      if (typeof reply == 'object') return { review: reply };
      if (reply != null) return { refused: reply };
      const k = `${Math.random()}`;
      return write([...read(), { c: collector, k, n: 0, r: rating }]) ? { queued: k } : { refused: '' };
    },
    async followUp(ref, answers) {
      if ('review' in ref)
        return typeof (await post(`/${ref.review.id}`, { token: ref.review.token, answers })) == 'object' ? 'sent' : 'failed';
      // The rating itself waits in the queue: its follow-ups travel with it.
      write(read().map((entry) => (entry.k == ref.queued ? { ...entry, a: answers } : entry)));
      return 'queued';
    },
    async flush() {
      // Taken out of storage before sending, so that two tabs never deliver the same entry twice.
      const queue = read();
      write(queue.filter((entry) => entry.c != collector));
      for (const entry of queue) {
        if (entry.c != collector || entry.n >= MAX_ATTEMPTS) continue;
        const reply = await post('', entry.r);
        // A refusal is dropped at once, except "too many requests", which a later page load may pass.
        if (reply === undefined || reply == 'rate_limited') write([...read(), { ...entry, n: entry.n + 1 }]);
        else if (typeof reply == 'object' && entry.a) await post(`/${reply.id}`, { token: reply.token, answers: entry.a });
      }
    },
  };
}
