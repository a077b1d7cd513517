// Access requests (SPEC §8): an agent whose address is in a domain the operator allows
// (SIGNUP_DOMAINS) asks to join an entity from the sign-in page; its admins get a mail and accept
// (choosing the role) or refuse on the members page; the agent gets the answer by mail. All audited.
import { withLang } from '../../shared/languages.ts';
import type { Lang } from '../../shared/questionnaire.ts';
import { HttpError } from '../http-errors.ts';
import { accessAcceptedMail, accessRefusedMail, accessRequestMail } from '../mail/mail-templates.ts';
import type { QueueMail } from '../mail/mail-outbox.ts';
import type { Entity, MemberRole, Store } from '../store/store.ts';
import { actorOf, type Caller } from './access.ts';
import type { AuditTrail } from './audit-trail.ts';
import { INVITATION_LINK_MS } from './lifetimes.ts';
import { hashSecret, newSecret } from './secrets.ts';

/** Requests one address may make in a day, whatever the entities: enough to correct a typo, too few to spam admins. */
export const ACCESS_REQUESTS_PER_ADDRESS = 3;
const DAY_MS = 24 * 60 * 60_000;

interface Deps {
  store: Store;
  publicUrl: string;
  queue: QueueMail;
  now: () => Date;
}

/** Whether the address's domain is one of `domains` or a subdomain of one (`a.gouv.fr` is in `gouv.fr`). */
export function signupAllows(domains: readonly string[], email: string): boolean {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return domains.some((allowed) => domain === allowed || domain.endsWith(`.${allowed}`));
}

const folded = (text: string) => text.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('fr');

/**
 * The entity a stranger names by its identifier or its exact name (case and spaces aside). Never
 * by a part of it, and entities are never listed: a directory would tell anyone which entities
 * hold accounts, and a guess that matched several would tell more than a yes or no.
 */
async function entityNamed(store: Store, text: string): Promise<Entity | undefined> {
  const wanted = folded(text);
  return (await store.entities.list()).find((entity) => entity.id === wanted || folded(entity.name) === wanted);
}

/** The language an address chose for its mails, French until it chooses (an agent who asked has not yet). */
const mailLang = async (store: Store, email: string): Promise<Lang> => (await store.members.langOf(email)) ?? 'fr';

export type AccessRequestOutcome = 'requested' | 'unknown_entity' | 'member' | 'pending' | 'too_many';

/**
 * Records the request and mails the entity's admins, each in their language. What it returns is
 * for the tests and the log only: the requester is answered the same page whatever it is.
 */
export async function requestAccess(
  deps: Deps,
  email: string,
  entityText: string,
  /** The form's language: the answer's, unless the agent chooses one once a member. */
  lang: Lang,
): Promise<AccessRequestOutcome> {
  const { store, publicUrl, queue, now } = deps;
  const entity = await entityNamed(store, entityText);
  if (!entity) return 'unknown_entity';
  const members = await store.members.list(entity.id);
  if (members.some((m) => m.email === email)) return 'member';
  const at = now().getTime();
  if ((await store.accessRequests.countRecent(email, at - DAY_MS)) >= ACCESS_REQUESTS_PER_ADDRESS) return 'too_many';
  const id = await store.accessRequests.add({ entityId: entity.id, email, at, lang });
  if (id === undefined) return 'pending';
  await store.audit.add({ entityId: entity.id, at, actor: email, action: 'access_requested', target: email, details: { request: id } });
  for (const admin of members.filter((m) => m.role === 'admin')) {
    const adminLang = await mailLang(store, admin.email);
    const url = `${publicUrl}${withLang(`/espace/entites/${encodeURIComponent(entity.id)}/membres`, adminLang)}#demandes`;
    await queue(admin.email, 'access_request', adminLang, accessRequestMail(adminLang, { entity: entity.name, email, url }));
  }
  return 'requested';
}

interface Admin extends Deps {
  audit: AuditTrail;
  caller: Caller;
  entity: Entity;
}

/**
 * Accepts a pending request with a role (the agent becomes a member, and gets a sign-in link valid
 * 7 days) or refuses it; the agent is told by mail either way. 404 `access_request_not_found` when
 * the entity has no such pending request (another admin answered it first).
 */
export async function decideAccessRequest(
  { store, publicUrl, queue, now, audit, caller, entity }: Admin,
  id: number,
  decision: { accept: MemberRole } | 'refuse',
): Promise<void> {
  const at = now().getTime();
  const status = decision === 'refuse' ? 'refused' : 'accepted';
  const request = await store.accessRequests.decide(entity.id, id, status, actorOf(caller), at);
  if (!request) throw new HttpError(404, 'access_request_not_found', 'No pending access request of this number in this entity.');
  const { email } = request;
  const lang = (await store.members.langOf(email)) ?? request.lang;
  if (decision === 'refuse') {
    await audit(caller, entity.id, 'access_request_refused', email, { request: id });
    await queue(email, 'access_answer', lang, accessRefusedMail(lang, { entity: entity.name }));
    return;
  }
  const role = decision.accept;
  // An address made a member meanwhile (invited by another admin) keeps the role it was given.
  if (!(await store.members.list(entity.id)).some((m) => m.email === email)) {
    await store.members.put({ entityId: entity.id, email, role });
    await audit(caller, entity.id, 'member_added', email, { role, request: id });
  }
  await audit(caller, entity.id, 'access_request_accepted', email, { role, request: id });
  const token = newSecret();
  await store.loginLinks.create({ tokenHash: hashSecret(token), email, expiresAt: at + INVITATION_LINK_MS });
  const url = publicUrl + withLang(`/espace/lien/${token}`, lang);
  await queue(email, 'access_answer', lang, accessAcceptedMail(lang, { entity: entity.name, role, url }));
}
