// What an entity's admin does to its members and API keys, and reads of its audit log (SPEC §8).
// The API's routes and the space's pages both call these: the rules (an entity keeps an admin, a
// key's procedures are the entity's, a name is one live key's) and the audit entries are here only.
import { HttpError } from '../http-errors.ts';
import type { ApiKey, AuditEntry, Member, MemberRole, Store } from '../store/store.ts';
import type { Actor } from './access.ts';
import type { AuditTrail } from './audit-trail.ts';
import { API_KEY_PREFIX, hashSecret, newSecret } from './secrets.ts';

/** Mails the new member an invitation (server/agency/invitation-mail.ts). */
export type InviteByMail = (email: string, entityId: string, role: MemberRole, caller: Actor) => Promise<void>;

interface Admin {
  store: Store;
  audit: AuditTrail;
  caller: Actor;
  entityId: string;
  invite?: InviteByMail | undefined;
}

const memberNotFound = (email: string) => new HttpError(404, 'member_not_found', `${email} is not a member of this entity.`);
const lastAdmin = () => new HttpError(409, 'last_admin', 'An entity keeps at least one admin: make someone else admin first.');

function isLastAdmin(members: readonly Member[], email: string): boolean {
  return !members.some((m) => m.role === 'admin' && m.email !== email);
}

/** Adds a member (409 `member_exists` when the address already is one), and mails them an invitation. */
export async function inviteMember({ store, audit, caller, entityId, invite }: Admin, email: string, role: MemberRole): Promise<Member> {
  const members = await store.members.list(entityId);
  if (members.some((m) => m.email === email))
    throw new HttpError(409, 'member_exists', `${email} is already a member: change their role instead.`);
  await store.members.put({ entityId, email, role });
  await audit(caller, entityId, 'member_added', email, { role });
  await invite?.(email, entityId, role, caller);
  return (await store.members.list(entityId)).find((m) => m.email === email)!;
}

/** Changes a member's role (404 unknown member, 409 `last_admin`); audited when it changed. */
export async function changeMemberRole({ store, audit, caller, entityId }: Admin, email: string, role: MemberRole): Promise<Member> {
  const members = await store.members.list(entityId);
  const member = members.find((m) => m.email === email);
  if (!member) throw memberNotFound(email);
  if (member.role !== role) {
    if (member.role === 'admin' && isLastAdmin(members, member.email)) throw lastAdmin();
    await store.members.put({ entityId, email: member.email, role });
    await audit(caller, entityId, 'member_role_changed', member.email, { from: member.role, to: role });
  }
  return { ...member, role };
}

/**
 * Removes a member, who loses access at once (returns how many sessions ended) (404 unknown member, 409 `last_admin`). Their sessions
 * are deleted, not merely left without a role: re-adding the address later must not bring a stolen
 * or forgotten cookie back to life. Sessions belong to an address, not to an entity, so a member of
 * other entities too is signed out of those as well, and signs in again.
 */
export async function removeMember({ store, audit, caller, entityId }: Admin, email: string): Promise<number> {
  const members = await store.members.list(entityId);
  const member = members.find((m) => m.email === email);
  if (!member) throw memberNotFound(email);
  if (member.role === 'admin' && isLastAdmin(members, member.email)) throw lastAdmin();
  await store.members.remove(entityId, member.email);
  const ended = await store.sessions.removeAllOf(member.email);
  await audit(caller, entityId, 'member_removed', member.email, { role: member.role });
  return ended;
}

/**
 * Creates a read-only key for the entity, or for some of its procedures (null: all). The key itself
 * is returned here once: only its hash is stored (404 a procedure not the entity's, 409 `key_exists`).
 */
export async function createApiKey(
  { store, audit, caller, entityId }: Admin,
  name: string,
  procedureIds: readonly string[] | null,
): Promise<{ apiKey: ApiKey; key: string }> {
  for (const id of procedureIds ?? []) {
    const procedure = await store.procedures.find(id);
    if (procedure?.entityId !== entityId) throw new HttpError(404, 'procedure_not_found', `No procedure "${id}" is yours.`);
  }
  const key = newSecret(API_KEY_PREFIX);
  if (!(await store.apiKeys.add({ entityId, name, hash: hashSecret(key), procedureIds }))) {
    throw new HttpError(409, 'key_exists', `This entity already has a key named "${name}": revoke it or choose another name.`);
  }
  await audit(caller, entityId, 'key_created', name, { procedures: procedureIds });
  const apiKey = (await store.apiKeys.list(entityId)).find((k) => k.name === name && k.revokedAt === null)!;
  return { apiKey, key };
}

/** Revokes the entity's live key of this name: refused from the next request on (404 `key_not_found`). */
export async function revokeApiKey({ store, audit, caller, entityId }: Admin, name: string, at: Date): Promise<void> {
  if (!(await store.apiKeys.revoke(entityId, name, at))) {
    throw new HttpError(404, 'key_not_found', `No live key named "${name}" in this entity.`);
  }
  await audit(caller, entityId, 'key_revoked', name);
}

/** One page of the entity's audit log, newest first, and the `before` of the next (older) page, or null. */
export async function auditPage(
  store: Store,
  entityId: string,
  page: { before?: number | undefined; limit: number },
): Promise<{ entries: AuditEntry[]; nextBefore: number | null }> {
  const entries = await store.audit.list(entityId, page);
  return { entries, nextBefore: entries.length === page.limit ? entries[entries.length - 1]!.id : null };
}
