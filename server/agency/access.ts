// Who may read or change what in the agency API. The authentication hook (authentication.ts) sets
// `request.caller` from a session cookie or an `Authorization: Bearer` key; every agency route then
// asks this module, and nothing else, whether the caller may touch a procedure or an entity.
//
// Out of scope answers 404, never 403, so that nobody learns what another entity has (SPEC §8).
// 403 is kept for "in your scope, but not for your role": a reader or a key asking to change.
import type { FastifyRequest } from 'fastify';
import { SLUG_PATTERN } from '../../shared/questionnaire.ts';
import { HttpError } from '../http-errors.ts';
import type { Procedure, Store } from '../store/store.ts';

export type Role = 'admin' | 'reader';

export type Caller =
  | {
      kind: 'member';
      /** Lower-cased e-mail address: a member is their address in each entity. */
      email: string;
      sessionId: string;
      /** Entity id → role, read at each request: a removed member loses access at once. */
      roles: ReadonlyMap<string, Role>;
    }
  | {
      kind: 'key';
      keyId: number;
      name: string;
      entityId: string;
      /** null: every procedure of the entity. Keys are read-only. */
      procedureIds: readonly string[] | null;
    };

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
}

/** Who a change is written for in the audit log: a caller of the API or the space, or the operator's command line. */
export type Actor = Caller | { kind: 'operator' };

/** The operator at the command line: outside any entity, every rule of the services still holds. */
export const OPERATOR: Actor = { kind: 'operator' };

export type Need = 'read' | 'admin';

export function requireCaller(request: FastifyRequest): Caller {
  if (!request.caller) throw new HttpError(401, 'unauthenticated', 'Sign in, or send an API key as Authorization: Bearer.');
  return request.caller;
}

/** The signed-in member: the space's pages are for members, an API key is not signed in there (401). */
export function requireMember(request: FastifyRequest): Extract<Caller, { kind: 'member' }> {
  const caller = request.caller;
  if (caller?.kind !== 'member') throw new HttpError(401, 'unauthenticated', 'Sign in to the agency space.');
  return caller;
}

/** Whether the caller administers this entity: pages show admin actions to admins only. */
export function isAdminOf(caller: Caller, entityId: string): boolean {
  return caller.kind === 'member' && caller.roles.get(entityId) === 'admin';
}

/** Whether the caller sees this procedure at all (read access). */
export function canSeeProcedure(caller: Caller, procedure: Pick<Procedure, 'id' | 'entityId'>): boolean {
  if (caller.kind === 'key') {
    return caller.entityId === procedure.entityId && (caller.procedureIds === null || caller.procedureIds.includes(procedure.id));
  }
  return caller.roles.has(procedure.entityId);
}

/** Whether the caller sees this entity (read access): a key limited to procedures still belongs to its entity. */
export function canSeeEntity(caller: Caller, entityId: string): boolean {
  return caller.kind === 'key' ? caller.entityId === entityId : caller.roles.has(entityId);
}

/** The procedure, when the caller may `need` it: 401 without a caller, 404 out of scope, 403 when reading is all they may do. */
export async function requireProcedure(store: Store, request: FastifyRequest, procedureId: string, need: Need): Promise<Procedure> {
  const caller = requireCaller(request);
  // An id that is no slug names no procedure: not looked up (PostgreSQL refuses a NUL in text, a 5xx).
  const procedure = SLUG_PATTERN.test(procedureId) ? await store.procedures.find(procedureId) : undefined;
  if (!procedure || !canSeeProcedure(caller, procedure)) throw procedureNotFound(procedureId);
  if (need === 'admin') requireAdminOf(caller, procedure.entityId);
  return procedure;
}

/** The entity, when the caller may `need` it: 401 without a caller, 404 out of scope, 403 for a reader or a key asking to change. */
export function requireEntity(request: FastifyRequest, entityId: string, need: Need): Caller {
  const caller = requireCaller(request);
  if (!canSeeEntity(caller, entityId)) throw new HttpError(404, 'entity_not_found', `No entity "${entityId}" is yours.`);
  if (need === 'admin') requireAdminOf(caller, entityId);
  return caller;
}

function requireAdminOf(caller: Caller, entityId: string): void {
  if (caller.kind === 'key') throw new HttpError(403, 'forbidden', 'API keys are read-only.');
  if (!isAdminOf(caller, entityId)) throw new HttpError(403, 'forbidden', 'Only an admin of this entity may do this.');
}

export const procedureNotFound = (procedureId: string) =>
  new HttpError(404, 'procedure_not_found', `No procedure "${procedureId}" is yours.`);

/** Who did it, as the audit log and the admins read it: the member's address, the key's name, or `operator`. */
export function actorOf(actor: Actor): string {
  return actor.kind === 'member' ? actor.email : actor.kind === 'key' ? `key:${actor.name}` : 'operator';
}
