// The agency's procedures (SPEC §8): list, create, change, archive/restore, snippet, integration
// health. Access is asked of server/agency/access.ts only: out of scope 404, reader or key 403.
import type { FastifyInstance } from 'fastify';
import { canSeeProcedure, requireCaller, requireEntity, requireProcedure } from '../../../agency/access.ts';
import type { AuditTrail } from '../../../agency/audit-trail.ts';
import { type HealthFix, integrationHealth } from '../../../agency/integration-health.ts';
import { changeProcedure, createProcedure, setProcedureArchived } from '../../../agency/procedure-settings.ts';
import type { Config } from '../../../config.ts';
import { HttpError } from '../../../http-errors.ts';
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
} from '../../../schemas/agency-schemas.ts';
import { errorReply } from '../../../api-docs.ts';
import { agencyRoute, ENTITY_NOT_FOUND, FORBIDDEN, INVALID_BODY, INVALID_QUERY, PROCEDURE_NOT_FOUND } from '../../../agency/route-docs.ts';
import type { z } from 'zod';
import { snippet } from '../../../snippet.ts';
import type { Procedure, Store } from '../../../store/store.ts';

interface Options {
  config: Config;
  store: Store;
  now: () => Date;
  audit: AuditTrail;
}

const TAGS = ['Démarches'] as const;
const params = ProcedureParamsSchema;
const DOCS = {
  list: agencyRoute({
    summary: 'Lister les démarches de mes entités',
    description:
      'Celles que l’appelant voit\u00a0: toutes celles de ses entités, ou celles de la portée de la clé d’API\u00a0; avec leur nombre d’avis.',
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
      409: errorReply(
        'Une démarche porte déjà cet identifiant (les identifiants sont uniques sur tout le collecteur), ou l’entité a déjà `MAX_PROCEDURES_PER_ENTITY` démarches, archivées comprises (200 par défaut\u00a0; l’exploitant peut en ajouter avec `jdma procedure add`)',
        ['procedure_exists', 'procedure_limit_reached'],
      ),
    },
  }),
  show: agencyRoute({
    summary: 'Une démarche',
    tags: TAGS,
    params,
    response: { 200: ProcedureReplySchema, 404: PROCEDURE_NOT_FOUND },
  }),
  change: agencyRoute({
    summary:
      'Modifier une démarche\u00a0: titre, origines et emplacements ajoutés ou retirés, emplacements de test, numéro JDMA (administrateur)',
    description:
      'Les origines et les emplacements changent par `add` et `remove`, jamais en remplaçant la liste\u00a0: deux administrateurs qui modifient en même temps ne s’annulent pas. L’emplacement `default` ne peut pas être retiré. `test_placements` marque des emplacements de la démarche comme de test (`add`) ou non (`remove`)\u00a0: les avis donnés ensuite sur un emplacement de test sont enregistrés et listés avec la mention «\u00a0test\u00a0», jamais comptés (indicateurs, flux, observatoire). `product_id` enregistre le numéro de la démarche chez JDMA (1 à 999999)\u00a0: la chaîne de l’observatoire, qui appelle `answer.getObservatoireStats` avec ce numéro, la trouve sans changer sa liste\u00a0; un numéro déjà pris par une autre démarche est refusé (409), sans rien changer. Seul ce qui a changé est inscrit au journal d’audit.',
    tags: TAGS,
    params,
    body: ProcedureChangeSchema,
    response: {
      200: ProcedureReplySchema,
      400: INVALID_BODY,
      403: FORBIDDEN,
      404: errorReply('Démarche invisible, ou emplacement de test inconnu de la démarche', ['procedure_not_found', 'unknown_placement']),
      409: errorReply('Numéro JDMA déjà celui d’une autre démarche\u00a0: rien n’a changé', ['product_id_taken']),
    },
  }),
  archive: agencyRoute({
    summary: 'Archiver une démarche\u00a0: ses notes sont refusées (410), elle quitte le flux\u00a0; ses données restent (administrateur)',
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
    summary: 'La santé de l’intégration\u00a0: les notes refusées par jour, motif, origine et emplacement, avec la requête qui corrige',
    description:
      'Les `days` derniers jours (UTC, aujourd’hui compris\u00a0; 30 par défaut, 90 au plus\u00a0: les refus sont gardés 90 jours). Chaque refus a sa nature (`kind`)\u00a0: `fault`, un problème d’intégration\u00a0; `limit`, une limite anti-abus (pas une erreur des pages)\u00a0; `stored`, une note enregistrée malgré tout (avertissement). `unknown_procedures`\u00a0: les identifiants de démarche inconnus envoyés depuis les origines de la démarche (`id` null\u00a0: les autres, au-delà de la limite du jour). L’origine `*` regroupe les autres origines, l’emplacement `*` les autres emplacements.',
    tags: TAGS,
    params,
    querystring: HealthQuerySchema,
    response: { 200: HealthReplySchema, 400: INVALID_QUERY, 404: PROCEDURE_NOT_FOUND },
  }),
};

/** The procedure as every route here replies it; its contact page lives with the problem reports. */
const procedureReply = (p: Procedure, contactUrl: string | null): z.infer<typeof ProcedureReplySchema> => ({
  id: p.id,
  title: p.title,
  entity: { id: p.entityId, name: p.entity },
  origins: p.origins,
  placements: p.placements,
  test_placements: p.testPlacements,
  archived_at: p.archivedAt,
  product_id: p.productId,
  contact_url: contactUrl,
});

export async function agencyProcedureRoutes(app: FastifyInstance, { config, store, now, audit }: Options): Promise<void> {
  const withContact = async (p: Procedure) => procedureReply(p, await store.problemReports.contactUrl(p.id));
  /** The procedure of the path, when the caller may `need` it (401, 404, 403 otherwise). */
  const procedureOf = (request: Parameters<typeof requireCaller>[0], need: 'read' | 'admin') => {
    requireCaller(request);
    const { id } = parseRequest(ProcedureParamsSchema, request.params, 'params');
    return requireProcedure(store, request, id, need);
  };

  app.get('/api/v1/procedures', { schema: DOCS.list }, async (request) => {
    const caller = requireCaller(request);
    const procedures = (await store.procedures.list()).filter((p) => canSeeProcedure(caller, p));
    return { procedures: await Promise.all(procedures.map(async (p) => ({ ...(await withContact(p)), reviews: p.reviews }))) };
  });

  app.post('/api/v1/procedures', { schema: DOCS.create }, async (request, reply) => {
    const caller = requireCaller(request);
    const body = parseRequest(NewProcedureSchema, request.body, 'body');
    requireEntity(request, body.entity, 'admin');
    const created = await createProcedure(store, audit, caller, body, config.maxProceduresPerEntity);
    return reply.code(201).send(procedureReply(created, null));
  });

  app.get('/api/v1/procedures/:id', { schema: DOCS.show }, async (request) => withContact(await procedureOf(request, 'read')));

  app.patch('/api/v1/procedures/:id', { schema: DOCS.change }, async (request) => {
    const procedure = await procedureOf(request, 'admin');
    const change = parseRequest(ProcedureChangeSchema, request.body, 'body');
    return withContact((await changeProcedure(store, audit, requireCaller(request), procedure, change)).procedure);
  });

  for (const [action, archived] of [
    ['archive', true],
    ['restore', false],
  ] as const) {
    app.post(`/api/v1/procedures/:id/${action}`, { schema: DOCS[action] }, async (request) => {
      const procedure = await procedureOf(request, 'admin');
      return withContact(await setProcedureArchived(store, audit, requireCaller(request), procedure, archived));
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
    const { from, rows, totals, tried } = await integrationHealth(store, now(), procedure, days);
    return {
      procedure: procedure.id,
      from,
      totals: { integration_faults: totals.faults, anti_abuse_limits: totals.limits, stored_with_warning: totals.stored },
      refused: rows.map((row) => ({
        day: row.day,
        reason: row.reason,
        kind: row.kind,
        origin: row.origin,
        placement: row.placementId,
        count: row.count,
        fix: fixRequest(procedure.id, row.fix),
      })),
      unknown_procedures: tried.map((row) => ({ id: row.procedureId || null, origin: row.origin, count: row.count })),
    };
  });
}

/** The request that applies a fix (the API's form of `jdma procedure show`'s fixes). */
function fixRequest(procedureId: string, fix: HealthFix | null) {
  const path = `/api/v1/procedures/${procedureId}`;
  if (fix?.kind === 'add_origin') return { method: 'PATCH' as const, path, body: { origins: { add: [fix.origin] } } };
  if (fix?.kind === 'add_placement') return { method: 'PATCH' as const, path, body: { placements: { add: [fix.placement] } } };
  if (fix?.kind === 'restore') return { method: 'POST' as const, path: `${path}/restore` };
  return null;
}
