// The agency's procedures (SPEC §8): list, create, change, archive/restore, snippet, integration
// health. Access is asked of server/agency/access.ts only: out of scope 404, reader or key 403.
import type { FastifyInstance } from 'fastify';
import { DEFAULT_PLACEMENT } from '../../shared/questionnaire.ts';
import { canSeeProcedure, requireCaller, requireEntity, requireProcedure } from '../agency/access.ts';
import type { AuditTrail } from '../agency/audit-trail.ts';
import type { Config } from '../config.ts';
import { HttpError } from '../http-errors.ts';
import {
  HealthQuerySchema,
  HealthReplySchema,
  NewProcedureSchema,
  ProcedureChangeSchema,
  ProcedureListReplySchema,
  ProcedureParamsSchema,
  ProcedureReplySchema,
  parseRequest,
  SnippetQuerySchema,
  SnippetReplySchema,
} from '../schemas/agency-schemas.ts';
import { errorReply } from '../api-docs.ts';
import { agencyRoute, ENTITY_NOT_FOUND, FORBIDDEN, INVALID_BODY, INVALID_QUERY, PROCEDURE_NOT_FOUND } from '../agency/route-docs.ts';
import type { z } from 'zod';
import { snippet } from '../snippet.ts';
import type { Procedure, RefusalCount, Store } from '../store/store.ts';

interface Options {
  config: Config;
  store: Store;
  now: () => Date;
  audit: AuditTrail;
}

const DAY_MS = 86_400_000;

const TAGS = ['Démarches'] as const;
const params = ProcedureParamsSchema;
const DOCS = {
  list: agencyRoute({
    summary: 'Lister les démarches de mes entités',
    description:
      'Celles que l’appelant voit : toutes celles de ses entités, ou celles de la portée de la clé d’API ; avec leur nombre d’avis.',
    tags: TAGS,
    response: { 200: ProcedureListReplySchema },
  }),
  create: agencyRoute({
    summary: 'Créer une démarche (administrateur de l’entité)',
    tags: TAGS,
    body: NewProcedureSchema,
    response: {
      201: ProcedureReplySchema,
      400: INVALID_BODY,
      403: FORBIDDEN,
      404: ENTITY_NOT_FOUND,
      409: errorReply('Une démarche porte déjà cet identifiant (les identifiants sont uniques sur tout le collecteur)', [
        'procedure_exists',
      ]),
    },
  }),
  show: agencyRoute({
    summary: 'Une démarche',
    tags: TAGS,
    params,
    response: { 200: ProcedureReplySchema, 404: PROCEDURE_NOT_FOUND },
  }),
  change: agencyRoute({
    summary: 'Modifier une démarche : titre, origines et emplacements ajoutés ou retirés (administrateur)',
    description:
      'Les origines et les emplacements changent par `add` et `remove`, jamais en remplaçant la liste : deux administrateurs qui modifient en même temps ne s’annulent pas. L’emplacement `default` ne peut pas être retiré. Seul ce qui a changé est inscrit au journal d’audit.',
    tags: TAGS,
    params,
    body: ProcedureChangeSchema,
    response: { 200: ProcedureReplySchema, 400: INVALID_BODY, 403: FORBIDDEN, 404: PROCEDURE_NOT_FOUND },
  }),
  archive: agencyRoute({
    summary: 'Archiver une démarche : ses notes sont refusées (410), elle quitte le flux ; ses données restent (administrateur)',
    tags: TAGS,
    params,
    response: { 200: ProcedureReplySchema, 403: FORBIDDEN, 404: PROCEDURE_NOT_FOUND },
  }),
  restore: agencyRoute({
    summary: 'Réactiver une démarche archivée (administrateur)',
    tags: TAGS,
    params,
    response: { 200: ProcedureReplySchema, 403: FORBIDDEN, 404: PROCEDURE_NOT_FOUND },
  }),
  snippet: agencyRoute({
    summary: 'Le code à coller pour intégrer la démarche (ce qu’affiche `jdma snippet`)',
    tags: TAGS,
    params,
    querystring: SnippetQuerySchema,
    response: {
      200: SnippetReplySchema,
      400: INVALID_QUERY,
      404: errorReply('Démarche invisible, ou emplacement inconnu de la démarche', [
        'procedure_not_found',
        'not_found',
        'unknown_placement',
      ]),
    },
  }),
  health: agencyRoute({
    summary: 'La santé de l’intégration : les notes refusées par jour, motif, origine et emplacement, avec la requête qui corrige',
    description: 'Les `days` derniers jours (UTC, aujourd’hui compris ; 30 par défaut, 90 au plus : les refus sont gardés 90 jours).',
    tags: TAGS,
    params,
    querystring: HealthQuerySchema,
    response: { 200: HealthReplySchema, 400: INVALID_QUERY, 404: PROCEDURE_NOT_FOUND },
  }),
};

const procedureReply = (p: Procedure): z.infer<typeof ProcedureReplySchema> => ({
  id: p.id,
  title: p.title,
  entity: { id: p.entityId, name: p.entity },
  origins: p.origins,
  placements: p.placements,
  archived_at: p.archivedAt,
});

export async function agencyProcedureRoutes(app: FastifyInstance, { config, store, now, audit }: Options): Promise<void> {
  /** The procedure of the path, when the caller may `need` it (401, 404, 403 otherwise). */
  const procedureOf = (request: Parameters<typeof requireCaller>[0], need: 'read' | 'admin') => {
    requireCaller(request);
    const { id } = parseRequest(ProcedureParamsSchema, request.params, 'params');
    return requireProcedure(store, request, id, need);
  };

  app.get('/api/v1/procedures', { schema: DOCS.list }, async (request) => {
    const caller = requireCaller(request);
    const procedures = (await store.procedures.list()).filter((p) => canSeeProcedure(caller, p));
    return { procedures: procedures.map((p) => ({ ...procedureReply(p), reviews: p.reviews })) };
  });

  app.post('/api/v1/procedures', { schema: DOCS.create }, async (request, reply) => {
    const caller = requireCaller(request);
    const body = parseRequest(NewProcedureSchema, request.body, 'body');
    requireEntity(request, body.entity, 'admin');
    // Procedure ids are global (they are in every page's tag and in the public feed).
    if (await store.procedures.find(body.id)) throw new HttpError(409, 'procedure_exists', `A procedure "${body.id}" already exists.`);
    await store.procedures.add({
      id: body.id,
      title: body.title,
      entityId: body.entity,
      origins: body.origins,
      placements: body.placements ?? [],
    });
    await audit(caller, body.entity, 'procedure_created', body.id, {
      title: body.title,
      origins: body.origins,
      placements: body.placements ?? [],
    });
    const created = await store.procedures.find(body.id);
    return reply.code(201).send(procedureReply(created!));
  });

  app.get('/api/v1/procedures/:id', { schema: DOCS.show }, async (request) => procedureReply(await procedureOf(request, 'read')));

  app.patch('/api/v1/procedures/:id', { schema: DOCS.change }, async (request) => {
    const procedure = await procedureOf(request, 'admin');
    const change = parseRequest(ProcedureChangeSchema, request.body, 'body');
    const id = procedure.id;
    const done: Record<string, unknown> = {};
    if (change.title !== undefined && change.title !== procedure.title) {
      await store.procedures.rename(id, change.title, procedure.entityId);
      done.title = change.title;
    }
    const apply = async (name: string, items: readonly string[] | undefined, write: (item: string) => Promise<boolean>) => {
      const changed: string[] = [];
      for (const item of items ?? []) if (await write(item)) changed.push(item);
      if (changed.length > 0) done[name] = changed;
    };
    await apply('origins_added', change.origins?.add, (origin) => store.procedures.addOrigin(id, origin));
    await apply('origins_removed', change.origins?.remove, (origin) => store.procedures.removeOrigin(id, origin));
    await apply('placements_added', change.placements?.add, (placement) => store.procedures.addPlacement(id, placement));
    await apply('placements_removed', change.placements?.remove, (placement) => store.procedures.removePlacement(id, placement));
    if (Object.keys(done).length > 0) await audit(requireCaller(request), procedure.entityId, 'procedure_updated', id, done);
    return procedureReply((await store.procedures.find(id))!);
  });

  for (const [action, archived] of [
    ['archive', true],
    ['restore', false],
  ] as const) {
    app.post(`/api/v1/procedures/:id/${action}`, { schema: DOCS[action] }, async (request) => {
      const procedure = await procedureOf(request, 'admin');
      if (await store.procedures.setArchived(procedure.id, archived)) {
        await audit(requireCaller(request), procedure.entityId, archived ? 'procedure_archived' : 'procedure_restored', procedure.id);
      }
      return procedureReply((await store.procedures.find(procedure.id))!);
    });
  }

  app.get('/api/v1/procedures/:id/snippet', { schema: DOCS.snippet }, async (request) => {
    const procedure = await procedureOf(request, 'read');
    const { placement } = parseRequest(SnippetQuerySchema, request.query, 'query');
    if (placement !== undefined && !procedure.placements.includes(placement)) {
      throw new HttpError(404, 'unknown_placement', `The procedure has no placement "${placement}".`);
    }
    return { procedure: procedure.id, placement: placement ?? null, snippet: snippet(config, procedure.id, placement) };
  });

  app.get('/api/v1/procedures/:id/health', { schema: DOCS.health }, async (request) => {
    const procedure = await procedureOf(request, 'read');
    const { days } = parseRequest(HealthQuerySchema, request.query, 'query');
    const from = new Date(now().getTime() - (days - 1) * DAY_MS).toISOString().slice(0, 10);
    const rows = await store.refusedRatings.perDay(procedure.id, from);
    return {
      procedure: procedure.id,
      from,
      refused: rows.map((row) => ({
        day: row.day,
        reason: row.reason,
        origin: row.origin,
        placement: row.placementId,
        count: row.count,
        fix: fixFor(procedure.id, row),
      })),
    };
  });
}

/** The request that repairs a refusal, when there is one (the API's form of `jdma procedure show`'s fixes). */
function fixFor(procedureId: string, row: Omit<RefusalCount, 'procedureId'>) {
  const path = `/api/v1/procedures/${procedureId}`;
  if (row.reason === 'origin_not_allowed' && row.origin && row.origin !== 'invalid') {
    return { method: 'PATCH' as const, path, body: { origins: { add: [row.origin] } } };
  }
  if (
    (row.reason === 'unknown_placement' || row.reason === 'placement_defaulted') &&
    row.placementId &&
    row.placementId !== DEFAULT_PLACEMENT
  ) {
    return { method: 'PATCH' as const, path, body: { placements: { add: [row.placementId] } } };
  }
  if (row.reason === 'procedure_archived') return { method: 'POST' as const, path: `${path}/restore` };
  return null;
}
