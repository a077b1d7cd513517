import { DAY_MS } from '../shared/feed-window.ts';
import { hash, randomBytes } from 'node:crypto';
import { isIPv6 } from 'node:net';
import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Config } from './config.ts';

// SPEC §7: where a per-client key is needed, a keyed hash with a salt that rotates daily and is
// then forgotten. The salt lives only in memory: yesterday's keys cannot be recomputed by anyone.
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
export const clientKeyOf = (request: FastifyRequest): string => (request.clientKey ||= clientKey(clientNetwork(request.ip)));

/**
 * What one client is, given its address: an IPv4 address whole; an IPv6 address by its /64, since
 * a subscriber gets a /64 at least and its hosts pick any address inside it (keyed per address, one
 * person would hold 2^64 limits); an IPv4-mapped IPv6 address (a dual-stack socket) as its IPv4.
 */
export function clientNetwork(address: string): string {
  const bare = address.split('%')[0]!; // a link-local zone (fe80::1%eth0) is not part of the address
  if (!isIPv6(bare)) return address;
  // The URL parser writes an IPv6 address in one form: lower-case hex groups, at most one "::",
  // an embedded IPv4 address as two groups.
  const [head = '', tail = ''] = new URL(`http://[${bare}]/`).hostname.slice(1, -1).split('::');
  const left = hexGroups(head);
  const right = hexGroups(tail);
  const groups = [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  if (groups.slice(0, 6).join() === '0,0,0,0,0,65535') {
    return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

const hexGroups = (part: string): number[] => (part ? part.split(':').map((group) => Number.parseInt(group, 16)) : []);

/**
 * Fastify's trustProxy for TRUST_PROXY. A count of proxies becomes proxy-addr's trust function "the
 * socket and the next count - 1 hops are proxies": Fastify (since 5.12.1) reads a number as "trust
 * no proxy", so behind a PaaS router every client would share the router's address and one limit.
 * A count is right only where the collector is reachable through its proxies alone (a PaaS); the
 * client it finds is the address the last proxy saw, whatever a client wrote left of it.
 */
export function proxyTrust(trustProxy: Config['trustProxy']): FastifyServerOptions['trustProxy'] {
  if (typeof trustProxy !== 'number') return trustProxy;
  const hops = trustProxy;
  return (_address: string, hop: number) => hop < hops;
}
