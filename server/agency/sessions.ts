// Members' sessions (SPEC §8): a random secret in a cookie, only its SHA-256 in the store, so a
// session is revoked by deleting its row. Whoever proves an address (one-time link, OpenID Connect)
// calls `start`; the authentication hook calls `resume` on every agency request.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { MemberRole, Session, Store } from '../store/store.ts';
import { SESSION_IDLE_MS, SESSION_MAX_MS } from './lifetimes.ts';
import { hashSecret, newSecret } from './secrets.ts';

/** last_seen is written at most this often: one write per minute of activity, not per request. */
const TOUCH_EVERY_MS = 60 * 1000;

export interface LiveSession {
  session: Session;
  /** The cookie's secret: the CSRF token is derived from it. */
  secret: string;
  roles: Map<string, MemberRole>;
}

export interface AgencySessions {
  /** The cookie's name: `__Host-jdma_session` over https (Secure, Path=/, no Domain), else `jdma_session`. */
  readonly cookieName: string;
  /**
   * Starts a session for an address someone has just proven (login link, OpenID Connect): ends
   * the session of the cookie the browser already holds, if any, sets the new cookie on `reply`
   * and audits `login` in each of the member's entities. False, with nothing stored, when the
   * address is a member of no entity.
   */
  start(request: FastifyRequest, reply: FastifyReply, email: string, via: string): Promise<boolean>;
  /**
   * The live session of the request's cookie, with the member's roles as they are now. An expired
   * session is removed; one whose address lost every membership is not live (removing a member
   * deletes their sessions: entity-admin.ts).
   */
  resume(request: FastifyRequest, reply: FastifyReply): Promise<LiveSession | undefined>;
  /** Ends the request's session (its row deleted, the cookie cleared) and audits `logout`. */
  end(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

export function agencySessions(store: Store, config: Config, now: () => Date): AgencySessions {
  const secure = config.publicUrl.startsWith('https:');
  // The __Host- prefix makes browsers refuse the cookie unless Secure, Path=/ and without Domain:
  // no sibling subdomain can plant or overwrite it. Browsers allow it over https only.
  const cookieName = secure ? '__Host-jdma_session' : 'jdma_session';
  const cookieOptions = { httpOnly: true, sameSite: 'lax', path: '/', secure } as const;
  const liveSessions = new WeakMap<FastifyRequest, LiveSession>();

  const audit = async (email: string, entities: Iterable<string>, action: string, details: Record<string, unknown>) => {
    const at = now().getTime();
    for (const entityId of entities) await store.audit.add({ entityId, at, actor: email, action, target: email, details });
  };

  const resume: AgencySessions['resume'] = async (request, reply) => {
    const known = liveSessions.get(request);
    if (known) return known;
    const secret = request.cookies[cookieName];
    if (!secret) return undefined;
    const idHash = hashSecret(secret);
    const session = await store.sessions.find(idHash);
    if (!session) return undefined;
    const at = now().getTime();
    if (at - session.lastSeenAt > SESSION_IDLE_MS || at - session.createdAt > SESSION_MAX_MS) {
      await store.sessions.remove(idHash);
      reply.clearCookie(cookieName, cookieOptions);
      return undefined;
    }
    const roles = await store.members.rolesOf(session.email);
    if (roles.size === 0) return undefined;
    if (at - session.lastSeenAt >= TOUCH_EVERY_MS) await store.sessions.touch(idHash, at);
    const live = { session, secret, roles };
    liveSessions.set(request, live);
    return live;
  };

  return {
    cookieName,
    resume,
    async start(request, reply, address, via) {
      const email = address.trim().toLowerCase();
      const roles = await store.members.rolesOf(email);
      if (roles.size === 0) return false;
      // The browser's previous session (another address's, or an older one of this address) is
      // deleted, not left alive behind the new cookie for whoever kept a copy of the old one.
      const previous = request.cookies[cookieName];
      if (previous) await store.sessions.remove(hashSecret(previous));
      liveSessions.delete(request);
      const secret = newSecret();
      const at = now().getTime();
      await store.sessions.create({ idHash: hashSecret(secret), email, createdAt: at, lastSeenAt: at });
      await audit(email, roles.keys(), 'login', { via });
      reply.setCookie(cookieName, secret, { ...cookieOptions, maxAge: SESSION_MAX_MS / 1000 });
      return true;
    },
    async end(request, reply) {
      const live = await resume(request, reply);
      if (!live) return;
      await store.sessions.remove(live.session.idHash);
      liveSessions.delete(request);
      reply.clearCookie(cookieName, cookieOptions);
      await audit(live.session.email, live.roles.keys(), 'logout', {});
    },
  };
}

/**
 * The session's CSRF token: an HMAC of the cookie's secret. A page of another site cannot read it
 * (the cookie is HttpOnly, the token is only in our replies), it dies with the session, and
 * checking it needs no storage: the secret arrives with every request in the cookie.
 */
export function csrfTokenOf(secret: string): string {
  return createHmac('sha256', secret).update('jdma csrf').digest('base64url');
}

export function isCsrfTokenValid(secret: string, token: unknown): boolean {
  if (typeof token !== 'string') return false;
  const expected = Buffer.from(csrfTokenOf(secret));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
