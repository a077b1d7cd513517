// An entity's members and API keys, and its audit log: admins only (SPEC §8). Access is asked of
// server/agency/access.ts only: another entity's is a 404, a reader's or a key's request a 403.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { requireCaller, requireEntity } from '../../../agency/access.ts';
import type { AuditTrail } from '../../../agency/audit-trail.ts';
import { LOGO_MAX_BYTES, removeEntityLogo, setEntityLogo } from '../../../agency/entity-logo.ts';
import {
  auditPage,
  changeMemberRole,
  createApiKey,
  type InviteByMail,
  inviteMember,
  removeMember,
  revokeApiKey,
} from '../../../agency/entity-admin.ts';
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
} from '../../../schemas/agency-schemas.ts';
import { errorReply, noBody } from '../../../api-docs.ts';
import { agencyRoute, ENTITY_NOT_FOUND, FORBIDDEN, INVALID_BODY, INVALID_QUERY } from '../../../agency/route-docs.ts';
import type { ApiKey, Member, Store } from '../../../store/store.ts';
import { HttpError } from '../../../http-errors.ts';

interface Options {
  store: Store;
  now: () => Date;
  audit: AuditTrail;
  invite?: InviteByMail | undefined;
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
    summary: 'Ajouter un membre\u00a0: une adresse électronique et son rôle (administrateur)',
    tags: ADMIN,
    params: EntityParamsSchema,
    body: NewMemberSchema,
    response: {
      201: MemberReplySchema,
      400: INVALID_BODY,
      403: FORBIDDEN,
      404: ENTITY_NOT_FOUND,
      409: errorReply('Déjà membre\u00a0: changez son rôle', ['member_exists']),
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
    summary: 'Retirer un membre\u00a0: il perd l’accès à sa requête suivante (administrateur)',
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
    description: 'La clé (`jdma_…`) n’apparaît que dans cette réponse\u00a0: seule son empreinte est gardée.',
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
    summary: 'Révoquer une clé d’API\u00a0: refusée dès la requête suivante (administrateur)',
    tags: ADMIN,
    params: KeyParamsSchema,
    response: {
      204: noBody('Clé révoquée'),
      403: FORBIDDEN,
      404: errorReply('Entité invisible, ou aucune clé active de ce nom', ['entity_not_found', 'not_found', 'key_not_found']),
    },
  }),
  setLogo: agencyRoute({
    summary: 'Enregistrer le logo de l’entité, montré sur ses pages hébergées (administrateur)',
    description:
      'Le corps est l’image elle-même, `Content-Type: image/png` ou `image/jpeg`\u00a0: reconnue par ses premiers octets, jamais par le type annoncé, de 100\u00a0000 octets au plus. Remplace le logo précédent\u00a0; inscrit au journal d’audit (`entity_logo_set`).',
    tags: ADMIN,
    params: EntityParamsSchema,
    response: {
      204: noBody('Logo enregistré'),
      400: errorReply('Corps vide', ['logo_missing']),
      403: FORBIDDEN,
      404: ENTITY_NOT_FOUND,
      413: errorReply('Image de plus de 100\u00a0000 octets', ['logo_too_large', 'body_too_large']),
      415: errorReply('Ni un PNG ni un JPEG', ['logo_type_unsupported', 'unsupported_media_type']),
    },
  }),
  removeLogo: agencyRoute({
    summary: 'Retirer le logo de l’entité (administrateur)',
    description: 'Inscrit au journal d’audit (`entity_logo_removed`) quand il y en avait un\u00a0; sans logo, rien ne change.',
    tags: ADMIN,
    params: EntityParamsSchema,
    response: { 204: noBody('Logo retiré, ou aucun à retirer'), 403: FORBIDDEN, 404: ENTITY_NOT_FOUND },
  }),
  audit: agencyRoute({
    summary: 'Le journal d’audit d’une entité, du plus récent au plus ancien (administrateur\u00a0; gardé un an)',
    description:
      'Connexions, procédures, membres, clés, exports et modération\u00a0: qui, quand, quoi. Page suivante\u00a0: `before` = `next_before`.',
    tags: ADMIN,
    querystring: AuditQuerySchema,
    response: { 200: AuditReplySchema, 400: INVALID_QUERY, 403: FORBIDDEN, 404: ENTITY_NOT_FOUND },
  }),
};

export async function agencyEntityRoutes(app: FastifyInstance, { store, now, audit, invite }: Options): Promise<void> {
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
    const added = await inviteMember({ store, audit, caller, entityId: params.entity, invite }, email, role);
    return reply.code(201).send(memberReply(added));
  });

  app.patch('/api/v1/entities/:entity/members/:email', { schema: DOCS.changeRole }, async (request) => {
    const { params, caller } = entityOf(request, MemberParamsSchema);
    const { role } = parseRequest(MemberChangeSchema, request.body, 'body');
    return memberReply(await changeMemberRole({ store, audit, caller, entityId: params.entity }, params.email, role));
  });

  app.delete('/api/v1/entities/:entity/members/:email', { schema: DOCS.remove }, async (request, reply) => {
    const { params, caller } = entityOf(request, MemberParamsSchema);
    await removeMember({ store, audit, caller, entityId: params.entity }, params.email);
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
    const { apiKey, key } = await createApiKey({ store, audit, caller, entityId: params.entity }, body.name, body.procedures ?? null);
    return reply.code(201).send({ ...keyReply(apiKey), key });
  });

  app.delete('/api/v1/entities/:entity/keys/:name', { schema: DOCS.revokeKey }, async (request, reply) => {
    const { params, caller } = entityOf(request, KeyParamsSchema);
    await revokeApiKey({ store, audit, caller, entityId: params.entity }, params.name, now());
    return reply.code(204).send();
  });

  // ---- Logo: the body is the image, read as bytes up to twice the limit so that a logo somewhat
  // over it is still refused by name (413 logo_too_large); its type is told by its bytes.

  app.addContentTypeParser(['image/png', 'image/jpeg'], { parseAs: 'buffer', bodyLimit: 2 * LOGO_MAX_BYTES }, (_request, body, done) =>
    done(null, body),
  );

  app.put('/api/v1/entities/:entity/logo', { schema: DOCS.setLogo }, async (request, reply) => {
    const { params, caller } = entityOf(request, EntityParamsSchema);
    const bytes = Buffer.isBuffer(request.body) ? request.body : undefined;
    if (!bytes && request.body !== undefined && request.body !== null) {
      throw new HttpError(415, 'logo_type_unsupported', 'Send the image itself, as image/png or image/jpeg.');
    }
    await setEntityLogo(store, audit, caller, params.entity, bytes, now);
    return reply.code(204).send();
  });

  app.delete('/api/v1/entities/:entity/logo', { schema: DOCS.removeLogo }, async (request, reply) => {
    const { params, caller } = entityOf(request, EntityParamsSchema);
    await removeEntityLogo(store, audit, caller, params.entity);
    return reply.code(204).send();
  });

  // ---- Audit log

  app.get('/api/v1/audit', { schema: DOCS.audit }, async (request) => {
    requireCaller(request);
    const query = parseRequest(AuditQuerySchema, request.query, 'query');
    requireEntity(request, query.entity, 'admin');
    const { entries, nextBefore } = await auditPage(store, query.entity, { before: query.before, limit: query.limit });
    return {
      entries: entries.map((e) => ({
        id: e.id,
        at: new Date(e.at).toISOString(),
        actor: e.actor,
        action: e.action,
        target: e.target,
        details: e.details,
        count: e.count,
      })),
      next_before: nextBefore,
    };
  });
}
