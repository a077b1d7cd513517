import { hash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

// SPEC §7: where a per-client key is needed, a keyed hash with a salt that rotates daily and is
// then forgotten. The salt lives only in memory: yesterday's keys cannot be recomputed by anyone.
const DAY_MS = 86_400_000;
let salt = { day: -1, key: '' };

export function clientKey(address: string, now: number = Date.now()): string {
  const day = Math.floor(now / DAY_MS); // the UTC day
  if (salt.day !== day) salt = { day, key: randomBytes(32).toString('hex') };
  // SHA-256 over a secret 256-bit salt and the address: without the salt nobody can test an address
  // against a key (the IPv4 space is small), and the keys are never shown, so an HMAC's extra pass
  // buys nothing here; it runs on every rating, hence the one-shot hash() (measured with npm run bench).
  return hash('sha256', salt.key + address, 'base64url').slice(0, 22);
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The client's daily-salted key, once computed ('' until then): see clientKeyOf. */
    clientKey: string;
  }
}

/**
 * The request's client key, hashed at most once per request: the rate limits and the daily
 * rating quota all ask for it. Needs `app.decorateRequest('clientKey', '')` (app.ts).
 */
export const clientKeyOf = (request: FastifyRequest): string => (request.clientKey ||= clientKey(request.ip));
