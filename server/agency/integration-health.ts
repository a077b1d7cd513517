// The integration health (SPEC §8): a procedure's refused rating attempts per day, reason, origin
// and placement, told apart by what the agency can do about them (its integration's faults, with
// the change that repairs each, against the anti-abuse limits that protect the service), and the
// unknown procedure ids its pages' origins sent. The API's health route, the space's settings page
// and home, and `jdma procedure show` all read it here.
import { DAY_MS } from '../../shared/feed-window.ts';
import { DEFAULT_PLACEMENT, type Lang } from '../../shared/questionnaire.ts';
import { OTHER_KEY, type Procedure, type RefusalCount, type Store } from '../store/store.ts';

/**
 * `fault`: the integration's, with a fix when there is one (an origin, a placement, a procedure
 * id, an archived procedure, a malformed request); `limit`: the service's anti-abuse limits and
 * the follow-ups' rules (a rate limit, a daily cap, a robot, an expired or forged follow-up), which
 * no page of the agency caused; `stored`: a rating that was stored all the same (a hosted-form link
 * with a placement the procedure lacks, stored under `default`), a warning.
 */
export type RefusalKind = 'fault' | 'limit' | 'stored';

const LIMITS: ReadonlySet<string> = new Set([
  'rate_limited',
  'too_many_ratings',
  'honeypot',
  'form_too_fast',
  'form_signature_invalid',
  'invalid_token',
  'unknown_review',
  'follow_up_expired',
]);

export function refusalKind(reason: string): RefusalKind {
  if (reason === 'placement_defaulted') return 'stored';
  return LIMITS.has(reason) ? 'limit' : 'fault';
}

/** Whether an origin key is « autres origines »: past the day's limit, or not a readable origin (`invalid` in rows before the limit). */
export const isOtherOrigin = (origin: string): boolean => origin === OTHER_KEY || origin === 'invalid';

/** What repairs a refusal: allow its origin, add its placement, or restore the procedure. */
export type HealthFix = { kind: 'add_origin'; origin: string } | { kind: 'add_placement'; placement: string } | { kind: 'restore' };

export type HealthRow = Omit<RefusalCount, 'procedureId'> & { kind: RefusalKind; fix: HealthFix | null };

/** Attempts under an unknown procedure id from one origin; `procedureId` '' sums the ids past the day's limit. */
export interface TriedId {
  procedureId: string;
  origin: string;
  count: number;
}

export interface HealthTotals {
  faults: number;
  limits: number;
  stored: number;
}

/** The fix of one refusal, or null when none is the agency's to make (a rate limit, a robot…). */
export function healthFix(row: Pick<RefusalCount, 'reason' | 'origin' | 'placementId'>): HealthFix | null {
  if (row.reason === 'origin_not_allowed' && row.origin && !isOtherOrigin(row.origin)) return { kind: 'add_origin', origin: row.origin };
  if (
    (row.reason === 'unknown_placement' || row.reason === 'placement_defaulted') &&
    row.placementId &&
    row.placementId !== OTHER_KEY &&
    row.placementId !== DEFAULT_PLACEMENT
  ) {
    return { kind: 'add_placement', placement: row.placementId };
  }
  if (row.reason === 'procedure_archived') return { kind: 'restore' };
  return null;
}

/** Whether the procedure, as it is now, still needs this fix: refusals are counted for 90 days after it is made. */
export function fixPending(procedure: Procedure, fix: HealthFix): boolean {
  if (fix.kind === 'add_origin') return !procedure.origins.includes(fix.origin);
  if (fix.kind === 'add_placement') return !procedure.placements.includes(fix.placement);
  return procedure.archivedAt !== null;
}

export function healthTotals(rows: readonly Pick<RefusalCount, 'reason' | 'count'>[]): HealthTotals {
  const totals = { faults: 0, limits: 0, stored: 0 };
  for (const row of rows) {
    const kind = refusalKind(row.reason);
    totals[kind === 'fault' ? 'faults' : kind === 'limit' ? 'limits' : 'stored'] += row.count;
  }
  return totals;
}

/** The first UTC day of the last `days` days, today included. */
export const healthFrom = (now: Date, days: number): string => new Date(now.getTime() - (days - 1) * DAY_MS).toISOString().slice(0, 10);

/**
 * The last `days` UTC days, today included: the first day, one row per day, reason, origin and
 * placement, newest first, their totals per kind, and the unknown ids the procedure's origins sent.
 */
export async function integrationHealth(
  store: Store,
  now: Date,
  procedure: Procedure,
  days: number,
): Promise<{ from: string; rows: HealthRow[]; totals: HealthTotals; tried: TriedId[] }> {
  const from = healthFrom(now, days);
  const [rows, tried] = await Promise.all([
    store.refusedRatings.perDay(procedure.id, from),
    store.refusedRatings.triedFrom(procedure.origins, from),
  ]);
  return {
    from,
    rows: rows.map((row) => ({ ...row, kind: refusalKind(row.reason), fix: healthFix(row) })),
    totals: healthTotals(rows),
    tried,
  };
}

/** The fixes still to make, with how many ratings each would have saved, most first. */
export function pendingFixes(procedure: Procedure, rows: readonly HealthRow[]): { fix: HealthFix; count: number }[] {
  const byFix = new Map<string, { fix: HealthFix; count: number }>();
  for (const row of rows) {
    if (!row.fix || !fixPending(procedure, row.fix)) continue;
    const key = JSON.stringify(row.fix);
    const seen = byFix.get(key);
    if (seen) seen.count += row.count;
    else byFix.set(key, { fix: row.fix, count: row.count });
  }
  return [...byFix.values()].sort((a, b) => b.count - a.count);
}

/** One-click fixes offered per kind (origins, placements): the most frequent. The rest are in the table; a flood of invented origins must not become a page of buttons. */
export const FIXES_SHOWN = 3;

/** The pending fixes worth a button: the FIXES_SHOWN most frequent origins and placements, and a restore. */
export function topFixes(procedure: Procedure, rows: readonly HealthRow[]): { fix: HealthFix; count: number }[] {
  const shown = { add_origin: 0, add_placement: 0, restore: 0 };
  return pendingFixes(procedure, rows).filter(({ fix }) => ++shown[fix.kind] <= FIXES_SHOWN);
}

/** Rows of one kind summed over the days, with the last day each was seen, most first. */
export function summedRows(rows: readonly HealthRow[], kinds: readonly RefusalKind[]): (Omit<HealthRow, 'day'> & { lastDay: string })[] {
  const byKey = new Map<string, Omit<HealthRow, 'day'> & { lastDay: string }>();
  for (const row of rows) {
    if (!kinds.includes(row.kind)) continue;
    const key = `${row.reason}\n${row.origin}\n${row.placementId}`;
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { ...row, lastDay: row.day });
    else {
      seen.count += row.count;
      if (row.day > seen.lastDay) seen.lastDay = row.day;
    }
  }
  return [...byKey.values()].sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
}

/** Each refusal reason as an agency reads it: the space's settings page and `jdma procedure show` alike. */
export const REFUSAL_LABELS: Record<Lang, Record<string, string>> = {
  fr: {
    origin_not_allowed: 'origine non autorisée',
    unknown_placement: 'emplacement inconnu',
    placement_defaulted: 'emplacement inconnu (note enregistrée sous l’emplacement par défaut)',
    procedure_archived: 'démarche archivée',
    rate_limited: 'trop d’envois depuis une même connexion',
    too_many_ratings: 'trop de notes du même client dans la journée',
    honeypot: 'formulaire hébergé rempli par un robot',
    form_too_fast: 'formulaire hébergé renvoyé en moins de 2 secondes',
    form_signature_invalid: 'formulaire hébergé non signé ou périmé',
    invalid_body: 'requête invalide',
    invalid_json: 'requête invalide',
    body_too_large: 'requête trop grande',
    unsupported_media_type: 'format de requête refusé',
    unknown_procedure: 'démarche inconnue',
    invalid_token: 'réponses facultatives avec un jeton invalide',
    unknown_review: 'réponses facultatives à un avis inconnu',
    follow_up_expired: 'réponses facultatives envoyées après le délai d’une heure',
  },
  en: {
    origin_not_allowed: 'origin not allowed',
    unknown_placement: 'unknown placement',
    placement_defaulted: 'unknown placement (rating stored under the default placement)',
    procedure_archived: 'procedure archived',
    rate_limited: 'too many ratings from one connection',
    too_many_ratings: 'too many ratings from one client in a day',
    honeypot: 'hosted form filled in by a robot',
    form_too_fast: 'hosted form sent back in under 2 seconds',
    form_signature_invalid: 'hosted form unsigned or expired',
    invalid_body: 'invalid request',
    invalid_json: 'invalid request',
    body_too_large: 'request too large',
    unsupported_media_type: 'request format refused',
    unknown_procedure: 'unknown procedure',
    invalid_token: 'follow-up with an invalid token',
    unknown_review: 'follow-up of an unknown review',
    follow_up_expired: 'follow-up sent after its one hour',
  },
};
