// An entity's members and API keys, and its audit log: admins only (SPEC §8). Access is asked of
// server/agency/access.ts only: another entity's is a 404, a reader's or a key's request a 403.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { requireCaller, requireEntity } from '../agency/access.ts';
import type { AuditTrail } from '../agency/audit-trail.ts';
import { API_KEY_PREFIX, hashSecret, newSecret } from '../agency/secrets.ts';
import { HttpError } from '../http-errors.ts';
import {
  AuditQuerySchema,
  AuditReplySchema,
  EntityParamsSchema,
  KeyListReplySchema,
  KeyParamsSchema,
  MemberChangeSchema,
  MemberListReplySchema,
  MemberParamsSchema,
  MemberReplySchema,
  NewKeyReplySchema,
  NewKeySchema,
  NewMemberSchema,
  parseRequest,
} from '../schemas/agency-schemas.ts';
import { errorReply, noBody } from '../api-docs.ts';
import { agencyRoute, ENTITY_NOT_FOUND, FORBIDDEN, INVALID_BODY, INVALID_QUERY } from '../agency/route-docs.ts';
import type { ApiKey, Member, Store } from '../store/store.ts';

interface Options {
  store: Store;
  now: () => Date;
  audit: AuditTrail;
}

const memberReply = (m: Member) => ({ email: m.email, role: m.role, created_at: m.createdAt });
const keyReply = (k: ApiKey) => ({
  name: k.name,
  procedures: k.procedureIds,
  created_at: k.createdAt,
  revoked_at: k.revokedAt,
  last_used_at: k.lastUsedAt,
});

const ADMIN = ['Administration'] as const;
const MEMBER_NOT_FOUND = errorReply('Entité invisible, ou adresse qui n’en est pas membre', [
  'entity_not_found',
  'not_found',
  'member_not_found',
]);
const LAST_ADMIN = errorReply('Une entité garde au moins un administrateur', ['last_admin']);
const DOCS = {
  members: agencyRoute({
    summary: 'Les membres d’une entité (administrateur)',
    tags: ADMIN,
    params: EntityParamsSchema,
    response: { 200: MemberListReplySchema, 403: FORBIDDEN, 404: ENTITY_NOT_FOUND },
  }),
  invite: agencyRoute({
    summary: 'Ajouter un membre : une adresse e-mail et son rôle (administrateur)',
    tags: ADMIN,
    params: EntityParamsSchema,
    body: NewMemberSchema,
    response: {
      201: MemberReplySchema,
      400: INVALID_BODY,
      403: FORBIDDEN,
      404: ENTITY_NOT_FOUND,
      409: errorReply('Déjà membre : changez son rôle', ['member_exists']),
    },
  }),
  changeRole: agencyRoute({
    summary: 'Changer le rôle d’un membre (administrateur)',
    tags: ADMIN,
    params: MemberParamsSchema,
    body: MemberChangeSchema,
    response: { 200: MemberReplySchema, 400: INVALID_BODY, 403: FORBIDDEN, 404: MEMBER_NOT_FOUND, 409: LAST_ADMIN },
  }),
  remove: agencyRoute({
    summary: 'Retirer un membre : il perd l’accès à sa requête suivante (administrateur)',
    tags: ADMIN,
    params: MemberParamsSchema,
    response: { 204: noBody('Membre retiré'), 403: FORBIDDEN, 404: MEMBER_NOT_FOUND, 409: LAST_ADMIN },
  }),
  keys: agencyRoute({
    summary: 'Les clés d’API d’une entité, révoquées comprises, sans leur secret (administrateur)',
    tags: ADMIN,
    params: EntityParamsSchema,
    response: { 200: KeyListReplySchema, 403: FORBIDDEN, 404: ENTITY_NOT_FOUND },
  }),
  createKey: agencyRoute({
    summary: 'Créer une clé d’API en lecture seule, pour toute l’entité ou quelques démarches (administrateur)',
    description: 'La clé (`jdma_…`) n’apparaît que dans cette réponse : seule son empreinte est gardée.',
    tags: ADMIN,
    params: EntityParamsSchema,
    body: NewKeySchema,
    response: {
      201: NewKeyReplySchema,
      400: INVALID_BODY,
      403: FORBIDDEN,
      404: errorReply('Entité invisible, ou démarche qui n’est pas de l’entité', ['entity_not_found', 'not_found', 'procedure_not_found']),
      409: errorReply('L’entité a déjà une clé active de ce nom', ['key_exists']),
    },
  }),
  revokeKey: agencyRoute({
    summary: 'Révoquer une clé d’API : refusée dès la requête suivante (administrateur)',
    tags: ADMIN,
    params: KeyParamsSchema,
    response: {
      204: noBody('Clé révoquée'),
      403: FORBIDDEN,
      404: errorReply('Entité invisible, ou aucune clé active de ce nom', ['entity_not_found', 'not_found', 'key_not_found']),
    },
  }),
  audit: agencyRoute({
    summary: 'Le journal d’audit d’une entité, du plus récent au plus ancien (administrateur ; gardé un an)',
    description:
      'Connexions, procédures, membres, clés, exports et modération : qui, quand, quoi. Page suivante : `before` = `next_before`.',
    tags: ADMIN,
    querystring: AuditQuerySchema,
    response: { 200: AuditReplySchema, 400: INVALID_QUERY, 403: FORBIDDEN, 404: ENTITY_NOT_FOUND },
  }),
};

const memberNotFound = (email: string) => new HttpError(404, 'member_not_found', `${email} is not a member of this entity.`);
const lastAdmin = () => new HttpError(409, 'last_admin', 'An entity keeps at least one admin: make someone else admin first.');

export async function agencyEntityRoutes(app: FastifyInstance, { store, now, audit }: Options): Promise<void> {
  /** The path's entity (and the rest of the path), when the caller may `need` it (401, 404, 403 otherwise). */
  const entityOf = <T extends z.ZodType<{ entity: string }>>(request: FastifyRequest, schema: T) => {
    requireCaller(request);
    const params: z.infer<T> = parseRequest(schema, request.params, 'params');
    return { params, caller: requireEntity(request, params.entity, 'admin') };
  };

  // ---- Members

  app.get('/api/v1/entities/:entity/members', { schema: DOCS.members }, async (request) => {
    const { params } = entityOf(request, EntityParamsSchema);
    return { members: (await store.members.list(params.entity)).map(memberReply) };
  });

  app.post('/api/v1/entities/:entity/members', { schema: DOCS.invite }, async (request, reply) => {
    const { params, caller } = entityOf(request, EntityParamsSchema);
    const { email, role } = parseRequest(NewMemberSchema, request.body, 'body');
    const members = await store.members.list(params.entity);
    if (members.some((m) => m.email === email))
      throw new HttpError(409, 'member_exists', `${email} is already a member: change their role instead.`);
    await store.members.put({ entityId: params.entity, email, role });
    await audit(caller, params.entity, 'member_added', email, { role });
    const added = (await store.members.list(params.entity)).find((m) => m.email === email)!;
    return reply.code(201).send(memberReply(added));
  });

  app.patch('/api/v1/entities/:entity/members/:email', { schema: DOCS.changeRole }, async (request) => {
    const { params, caller } = entityOf(request, MemberParamsSchema);
    const { role } = parseRequest(MemberChangeSchema, request.body, 'body');
    const members = await store.members.list(params.entity);
    const member = members.find((m) => m.email === params.email);
    if (!member) throw memberNotFound(params.email);
    if (member.role !== role) {
      if (member.role === 'admin' && isLastAdmin(members, member.email)) throw lastAdmin();
      await store.members.put({ entityId: params.entity, email: member.email, role });
      await audit(caller, params.entity, 'member_role_changed', member.email, { from: member.role, to: role });
    }
    return memberReply({ ...member, role });
  });

  app.delete('/api/v1/entities/:entity/members/:email', { schema: DOCS.remove }, async (request, reply) => {
    const { params, caller } = entityOf(request, MemberParamsSchema);
    const members = await store.members.list(params.entity);
    const member = members.find((m) => m.email === params.email);
    if (!member) throw memberNotFound(params.email);
    if (member.role === 'admin' && isLastAdmin(members, member.email)) throw lastAdmin();
    await store.members.remove(params.entity, member.email);
    await audit(caller, params.entity, 'member_removed', member.email, { role: member.role });
    return reply.code(204).send();
  });

  // ---- API keys

  app.get('/api/v1/entities/:entity/keys', { schema: DOCS.keys }, async (request) => {
    const { params } = entityOf(request, EntityParamsSchema);
    return { keys: (await store.apiKeys.list(params.entity)).map(keyReply) };
  });

  app.post('/api/v1/entities/:entity/keys', { schema: DOCS.createKey }, async (request, reply) => {
    const { params, caller } = entityOf(request, EntityParamsSchema);
    const body = parseRequest(NewKeySchema, request.body, 'body');
    const procedureIds = body.procedures ?? null;
    for (const id of procedureIds ?? []) {
      const procedure = await store.procedures.find(id);
      if (procedure?.entityId !== params.entity) throw new HttpError(404, 'procedure_not_found', `No procedure "${id}" is yours.`);
    }
    const key = newSecret(API_KEY_PREFIX);
    if (!(await store.apiKeys.add({ entityId: params.entity, name: body.name, hash: hashSecret(key), procedureIds }))) {
      throw new HttpError(409, 'key_exists', `This entity already has a key named "${body.name}": revoke it or choose another name.`);
    }
    await audit(caller, params.entity, 'key_created', body.name, { procedures: procedureIds });
    const created = (await store.apiKeys.list(params.entity)).find((k) => k.name === body.name && k.revokedAt === null)!;
    return reply.code(201).send({ ...keyReply(created), key });
  });

  app.delete('/api/v1/entities/:entity/keys/:name', { schema: DOCS.revokeKey }, async (request, reply) => {
    const { params, caller } = entityOf(request, KeyParamsSchema);
    if (!(await store.apiKeys.revoke(params.entity, params.name, now()))) {
      throw new HttpError(404, 'key_not_found', `No live key named "${params.name}" in this entity.`);
    }
    await audit(caller, params.entity, 'key_revoked', params.name);
    return reply.code(204).send();
  });

  // ---- Audit log

  app.get('/api/v1/audit', { schema: DOCS.audit }, async (request) => {
    requireCaller(request);
    const query = parseRequest(AuditQuerySchema, request.query, 'query');
    requireEntity(request, query.entity, 'admin');
    const entries = await store.audit.list(query.entity, { before: query.before, limit: query.limit });
    return {
      entries: entries.map((e) => ({
        id: e.id,
        at: new Date(e.at).toISOString(),
        actor: e.actor,
        action: e.action,
        target: e.target,
        details: e.details,
      })),
      next_before: entries.length === query.limit ? entries[entries.length - 1]!.id : null,
    };
  });
}

function isLastAdmin(members: readonly Member[], email: string): boolean {
  return !members.some((m) => m.role === 'admin' && m.email !== email);
}
