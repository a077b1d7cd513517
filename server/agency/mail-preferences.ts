// Which mails a member gets beyond sign-in and invitations (README "Mail"): alerts are chosen
// (opt-in), except that an entity's admins get « intégration cassée » until they turn it off, and
// the digest is off until a frequency is chosen. Stored per member (an address in an entity), the
// new-review alert per procedure; a member changes them on /espace/preferences or stops one kind
// with the link every such mail carries, and either change is audited.
import type { Caller } from './access.ts';
import type { AuditTrail } from './audit-trail.ts';
import type { MailPreference, MemberRole, PreferenceKind, Store } from '../store/store.ts';

/** none, or daily; weekly on Mondays; monthly on a month's first Monday. */
export const DIGEST_FREQUENCIES = ['none', 'daily', 'weekly', 'monthly'] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

export interface MemberChoices {
  /** The procedures whose new reviews the member is told of. */
  newReviews: Set<string>;
  integrationBroken: boolean;
  levelChange: boolean;
  digest: DigestFrequency;
}

/** A member's choices: what is stored, and the defaults for what is not. */
export function choicesOf(stored: readonly Pick<MailPreference, 'kind' | 'procedureId' | 'value'>[], role: MemberRole): MemberChoices {
  const choices: MemberChoices = { newReviews: new Set(), integrationBroken: role === 'admin', levelChange: false, digest: 'none' };
  for (const row of stored) {
    if (row.kind === 'new_reviews' && row.value === 'on') choices.newReviews.add(row.procedureId);
    else if (row.kind === 'integration_broken') choices.integrationBroken = row.value === 'on';
    else if (row.kind === 'level_change') choices.levelChange = row.value === 'on';
    else if (row.kind === 'digest' && (DIGEST_FREQUENCIES as readonly string[]).includes(row.value))
      choices.digest = row.value as DigestFrequency;
  }
  return choices;
}

/** Every member's choices, by entity then address: what the alert and digest jobs read once per run. */
export async function everyMemberChoices(store: Store): Promise<Map<string, Map<string, MemberChoices>>> {
  const stored = new Map<string, MailPreference[]>();
  for (const row of await store.notifications.allPreferences()) {
    const key = `${row.entityId}\n${row.email}`;
    let rows = stored.get(key);
    if (!rows) stored.set(key, (rows = []));
    rows.push(row);
  }
  const result = new Map<string, Map<string, MemberChoices>>();
  for (const entity of await store.entities.list()) {
    const members = new Map<string, MemberChoices>();
    for (const member of await store.members.list(entity.id)) {
      members.set(member.email, choicesOf(stored.get(`${entity.id}\n${member.email}`) ?? [], member.role));
    }
    result.set(entity.id, members);
  }
  return result;
}

/** The rows that store `choices` in full, every procedure of the entity named on or off. */
function rowsOf(entityId: string, email: string, choices: MemberChoices, procedureIds: readonly string[]): MailPreference[] {
  const row = (kind: PreferenceKind, value: string, procedureId = ''): MailPreference => ({ entityId, email, kind, procedureId, value });
  return [
    ...procedureIds.map((id) => row('new_reviews', choices.newReviews.has(id) ? 'on' : 'off', id)),
    row('integration_broken', choices.integrationBroken ? 'on' : 'off'),
    row('level_change', choices.levelChange ? 'on' : 'off'),
    row('digest', choices.digest),
  ];
}

/** Saves a member's choices from the preferences page; audited when anything changed. Resolves with whether it did. */
export async function saveChoices(
  deps: { store: Store; audit: AuditTrail },
  caller: Extract<Caller, { kind: 'member' }>,
  entityId: string,
  choices: MemberChoices,
  procedureIds: readonly string[],
): Promise<boolean> {
  const changed = await deps.store.notifications.setPreferences(rowsOf(entityId, caller.email, choices, procedureIds));
  if (changed === 0) return false;
  await deps.audit(caller, entityId, 'mail_preferences_changed', caller.email, {
    new_reviews: [...choices.newReviews].sort(),
    integration_broken: choices.integrationBroken,
    level_change: choices.levelChange,
    digest: choices.digest,
  });
  return true;
}

/**
 * Stops one kind of mail for a member, as its unsubscribe link asks, without a session; audited
 * with the member's address as actor. Resolves with whether it changed anything.
 */
export async function unsubscribe(
  store: Store,
  at: number,
  target: { entityId: string; email: string; kind: PreferenceKind; procedureId: string },
): Promise<boolean> {
  const value = target.kind === 'digest' ? 'none' : 'off';
  const procedureId = target.kind === 'new_reviews' ? target.procedureId : '';
  const changed = await store.notifications.setPreferences([{ ...target, procedureId, value }]);
  if (changed === 0) return false;
  await store.audit.add({
    entityId: target.entityId,
    at,
    actor: target.email,
    action: 'mail_unsubscribed',
    target: target.email,
    details: { kind: target.kind, ...(procedureId && { procedure: procedureId }) },
  });
  return true;
}
