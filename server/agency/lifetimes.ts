// How long agency credentials and their traces live (SPEC §8): the sign-in code checks them, the
// hourly purge (retention.ts) forgets what has outlived them.
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** A session ends after this long without a request… */
export const SESSION_IDLE_MS = 8 * HOUR_MS;
/** …and this long after sign-in, however busy. */
export const SESSION_MAX_MS = 7 * DAY_MS;
/** A one-time login link (`jdma login-link`) is valid this long, once. */
export const LOGIN_LINK_MS = 15 * MINUTE_MS;
/** The sign-in link of an invitation, mailed when an admin adds a member, is valid this long, once. */
export const INVITATION_LINK_MS = 7 * DAY_MS;
/** Sent and given-up mails stay in the outbox (recipient, subject, error; never the body) this long, for `jdma mail list`. */
export const MAIL_KEEP_MS = 30 * DAY_MS;
/** An access request once answered (its address, the entity, the answer) is kept this long; the audit log keeps what happened. */
export const ACCESS_REQUEST_KEEP_MS = 30 * DAY_MS;
/** The audit log keeps a year. */
export const AUDIT_KEEP_MS = 365 * DAY_MS;
/** A leased job's run (alerts, digests, tag models): longer than a run takes, short enough that a dead collector's run is soon redone. */
export const JOB_LEASE_MS = 5 * MINUTE_MS;
