import type { Store } from '../store/store.ts';
import { type Actor, actorOf } from './access.ts';

/** Records one change in an entity's audit log (SPEC §8): who (`actorOf`), what, to what. */
export type AuditTrail = (
  actor: Actor,
  entityId: string,
  action: string,
  target: string,
  details?: Record<string, unknown>,
) => Promise<void>;

export function auditTrail(store: Store, now: () => Date): AuditTrail {
  return (actor, entityId, action, target, details = {}) =>
    store.audit.add({ entityId, at: now().getTime(), actor: actorOf(actor), action, target, details });
}
