import { DAY_MS } from '../shared/feed-window.ts';
import { HttpError } from './http-errors.ts';

/**
 * How many ratings one client gave each procedure today, so that nobody can move a procedure's
 * published score alone: past the limit, their ratings of that procedure are refused until the
 * next UTC day. A client is an address, and a public access point (a France Services desk, a
 * library) puts dozens of people on one: the limit sits above their day (config.ts), and thousands
 * a day are a script, whatever the rate limit per minute lets through.
 *
 * In memory, keyed by the daily-salted client key and the procedure, and forgotten at the UTC day
 * change, with the salt: no address is ever kept, and yesterday's keys mean nothing to anyone. Each
 * collector process counts alone: with several instances behind a load balancer, one client may
 * give up to the limit times the number of instances.
 */

/**
 * Past this many (client, procedure) pairs in a day (some 50 to 80 MB), new pairs go uncounted: memory
 * stays bounded. Only a client with that many addresses gets there, and per-address limits do not
 * hold such a client back anyway; the rate limit still applies to each address.
 */
const MAX_PAIRS = 500_000;

export type RatingQuota = ReturnType<typeof ratingQuota>;

export function ratingQuota(perDay: number, now: () => Date, maxPairs = MAX_PAIRS) {
  let day = -1;
  const given = new Map<string, number>();

  const today = (): number => {
    const current = Math.floor(now().getTime() / DAY_MS);
    if (current !== day) {
      day = current;
      given.clear();
    }
    return current;
  };

  return {
    /**
     * Counts one rating of this procedure by this client, or returns false when the client has
     * already given `perDay` today. Call `release` if the rating is then not stored after all.
     */
    claim(clientKey: string, procedureId: string): boolean {
      if (perDay === 0) return true;
      today();
      const pair = `${clientKey}\n${procedureId}`;
      const count = given.get(pair) ?? 0;
      if (count >= perDay) return false;
      if (count > 0 || given.size < maxPairs) given.set(pair, count + 1);
      return true;
    },

    release(clientKey: string, procedureId: string): void {
      if (perDay === 0) return;
      const pair = `${clientKey}\n${procedureId}`;
      const count = given.get(pair);
      if (count !== undefined) given.set(pair, count - 1);
    },

    /** When the count starts again (the next UTC midnight), and the seconds until then. */
    resets(): { at: Date; inSeconds: number } {
      const at = (today() + 1) * DAY_MS;
      return { at: new Date(at), inSeconds: Math.max(1, Math.ceil((at - now().getTime()) / 1000)) };
    },
  };
}

/** The refusal of a rating past the daily limit, with the seconds until it resets (Retry-After). */
export function tooManyRatings(quota: RatingQuota, procedureId: string): { error: HttpError; retryAfter: number } {
  const { at: resetsAt, inSeconds: retryAfter } = quota.resets();
  return {
    error: new HttpError(
      429,
      'too_many_ratings',
      `This connection has already rated procedure "${procedureId}" as often as one client may in a day: ` +
        `its ratings of it are accepted again from ${resetsAt.toISOString()} (midnight UTC).`,
    ),
    retryAfter,
  };
}
