// How the widget talks to the collector (SPEC §6, issue 3 "Transport"): JSON bodies sent as text/plain
// (a CORS "simple request": no preflight), fetch with keepalive (a closing tab still sends); a
// cross-origin fetch carries no cookie by default, and the collector sets none. An unreachable collector or a 5xx puts the hot rating in the
// host page's localStorage; the next page load that carries the widget delivers it. A 4xx is final.
import type { FollowUpAnswers, HotRating, ReviewCreated } from '../shared/questionnaire.ts';

/** A review the form can follow up: stored (id + token), or still waiting in the page's queue. */
export type ReviewRef = { review: ReviewCreated } | { queued: string };

export interface Transport {
  rate(rating: HotRating): Promise<ReviewRef | { rejected: true }>;
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
 * An entry is dropped after this many failed page loads: a 4xx that the browser hides (a reply
 * without CORS headers) looks exactly like an unreachable collector, and must not be retried for ever.
 */
export const MAX_ATTEMPTS = 5;

export function createTransport(collector: string, log: (...args: unknown[]) => void): Transport {
  /** The reply's JSON on success; false on a 4xx (final); undefined when worth retrying later. */
  const post = async (path: string, body: unknown): Promise<ReviewCreated | false | undefined> => {
    try {
      const response = await fetch(`${collector}/api/v1/reviews${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
        keepalive: true,
      });
      // Awaited here, so that an unreadable body (a proxy page, an aborted reply) lands in the catch.
      if (response.status < 500) return response.ok && (await response.json());
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
      return log(error), false;
    }
  };

  return {
    async rate(rating) {
      const review = await post('', rating);
      if (review) return { review };
      if (review === false) return { rejected: true };
      const k = Math.random().toString(36).slice(2);
      return write([...read(), { c: collector, k, n: 0, r: rating }]) ? { queued: k } : { rejected: true };
    },
    async followUp(ref, answers) {
      if ('review' in ref) return (await post(`/${ref.review.id}`, { token: ref.review.token, answers })) ? 'sent' : 'failed';
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
        const review = await post('', entry.r);
        if (review === undefined) write([...read(), { ...entry, n: entry.n + 1 }]);
        else if (review && entry.a) await post(`/${review.id}`, { token: review.token, answers: entry.a });
      }
    },
  };
}
