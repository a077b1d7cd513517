// A procedure's form in the agency API (SPEC §3 "Customisation"): read it, save its draft, publish
// the draft as a numbered version, archive the published one. The rules are server/agency/form-settings.ts's.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { requireCaller, requireProcedure } from '../../../agency/access.ts';
import type { AuditTrail } from '../../../agency/audit-trail.ts';
import { archiveForm, inObservatory, parseFormChanges, publishForm, saveFormDraft } from '../../../agency/form-settings.ts';
import { agencyRoute, FORBIDDEN, PROCEDURE_NOT_FOUND } from '../../../agency/route-docs.ts';
import { errorReply } from '../../../api-docs.ts';
import type { Config } from '../../../config.ts';
import { parseRequest, ProcedureParamsSchema } from '../../../schemas/agency-schemas.ts';
import { FormChangesSchema, FormReplySchema } from '../../../schemas/form-schemas.ts';
import type { Store } from '../../../store/store.ts';

interface Options {
  config: Config;
  store: Store;
  now: () => Date;
  audit: AuditTrail;
}

const TAGS = ['Démarches'] as const;
const params = ProcedureParamsSchema;
const iso = (ms: number) => new Date(ms).toISOString();
const INDICATOR_STEP = errorReply(
  'La démarche est publiée dans l’observatoire (numéro de produit JDMA, ou assez d’avis sur 12 mois)\u00a0: les étapes `clarity` et `help`, qui servent à ses indicateurs, restent',
  ['indicator_step_required'],
);

const DOCS = {
  show: agencyRoute({
    summary: 'Le formulaire de la démarche\u00a0: brouillon, version publiée, versions passées',
    tags: TAGS,
    params,
    response: { 200: FormReplySchema, 404: PROCEDURE_NOT_FOUND },
  }),
  draft: agencyRoute({
    summary: 'Enregistrer le brouillon du formulaire\u00a0: étapes masquées, libellés par langue (administrateur)',
    description:
      'Les étapes facultatives `clarity`, `help` et `comment` peuvent être masquées\u00a0; une question ou une réponse peut être renommée par langue (150 caractères au plus), par son chemin (`clarity.question`, `help_sought.answers.phone`…). La question de satisfaction et ses trois réponses ne changent jamais (400 `satisfaction_locked`). Le brouillon ne change rien pour les usagers avant sa publication.',
    tags: TAGS,
    params,
    body: FormChangesSchema,
    response: {
      200: FormReplySchema,
      400: errorReply('Brouillon invalide, ou qui touche à la question de satisfaction', ['invalid_body', 'satisfaction_locked']),
      403: FORBIDDEN,
      404: PROCEDURE_NOT_FOUND,
      409: INDICATOR_STEP,
    },
  }),
  publish: agencyRoute({
    summary: 'Publier le brouillon comme nouvelle version numérotée\u00a0; la précédente est archivée (administrateur)',
    tags: TAGS,
    params,
    response: {
      200: FormReplySchema,
      403: FORBIDDEN,
      404: PROCEDURE_NOT_FOUND,
      409: errorReply('Pas de brouillon, ou une étape d’indicateur masquée d’une démarche de l’observatoire', [
        'form_draft_missing',
        'indicator_step_required',
      ]),
    },
  }),
  archive: agencyRoute({
    summary: 'Archiver la version publiée\u00a0: le formulaire par défaut est de nouveau montré (administrateur)',
    tags: TAGS,
    params,
    response: { 200: FormReplySchema, 403: FORBIDDEN, 404: PROCEDURE_NOT_FOUND },
  }),
};

export async function agencyFormRoutes(app: FastifyInstance, { config, store, now, audit }: Options): Promise<void> {
  const rules = { minReviews: config.feedMinReviews, now };
  const procedureOf = (request: FastifyRequest, need: 'read' | 'admin') => {
    requireCaller(request);
    const { id } = parseRequest(ProcedureParamsSchema, request.params, 'params');
    return requireProcedure(store, request, id, need);
  };
  const reply = async (procedureId: string): Promise<z.infer<typeof FormReplySchema>> => {
    const [draft, versions] = await Promise.all([store.forms.draft(procedureId), store.forms.versions(procedureId)]);
    const published = versions.find((v) => v.archivedAt === null);
    return {
      draft: draft ? { ...draft.changes, updated_at: iso(draft.updatedAt), updated_by: draft.updatedBy } : null,
      published: published
        ? {
            ...published.changes,
            version: published.version,
            published_at: iso(published.publishedAt),
            published_by: published.publishedBy,
          }
        : null,
      versions: versions.map((v) => ({
        version: v.version,
        published_at: iso(v.publishedAt),
        archived_at: v.archivedAt === null ? null : iso(v.archivedAt),
      })),
      in_observatory: await inObservatory(store, procedureId, config.feedMinReviews, now().toISOString().slice(0, 10)),
    };
  };

  app.get('/api/v1/procedures/:id/form', { schema: DOCS.show }, async (request) => reply((await procedureOf(request, 'read')).id));

  app.put('/api/v1/procedures/:id/form/draft', { schema: DOCS.draft }, async (request) => {
    const procedure = await procedureOf(request, 'admin');
    await saveFormDraft(store, audit, requireCaller(request), procedure, parseFormChanges(request.body), rules);
    return reply(procedure.id);
  });

  app.post('/api/v1/procedures/:id/form/publish', { schema: DOCS.publish }, async (request) => {
    const procedure = await procedureOf(request, 'admin');
    await publishForm(store, audit, requireCaller(request), procedure, rules);
    return reply(procedure.id);
  });

  app.post('/api/v1/procedures/:id/form/archive', { schema: DOCS.archive }, async (request) => {
    const procedure = await procedureOf(request, 'admin');
    await archiveForm(store, audit, requireCaller(request), procedure, now);
    return reply(procedure.id);
  });
}
