// Self-service in the agency space (SPEC §8): an entity's admin creates a procedure without the
// operator, then lands on its settings page, which shows its snippet.
//   GET  /espace/entites/:entity/demarches/nouvelle  the form
//   POST /espace/entites/:entity/demarches           created: 303 to its settings; refused: the form again
// The API's schema and service (createProcedure) check it, cap it and audit it, as for POST /api/v1/procedures.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { withLang } from '../../../../shared/languages.ts';
import { requireCaller, requireEntity } from '../../../agency/access.ts';
import type { AuditTrail } from '../../../agency/audit-trail.ts';
import { createProcedure } from '../../../agency/procedure-settings.ts';
import type { Config } from '../../../config.ts';
import { HttpError } from '../../../http-errors.ts';
import type { FieldError } from '../../../pages/kit/dsfr.ts';
import { N, newProcedurePage, type NewProcedureView } from '../../../pages/space-admin/new-procedure-page.ts';
import { EntityParamsSchema, NewProcedureSchema } from '../../../schemas/agency-schemas.ts';
import type { Store } from '../../../store/store.ts';
import { type SpacePages, spaceLang } from './space-pages.ts';

interface Options {
  config: Config;
  store: Store;
  audit: AuditTrail;
  pages: SpacePages;
}

const FIELDS = ['id', 'title', 'origins', 'placements'] as const;
type Form = Record<(typeof FIELDS)[number], string>;

/** One value per line (or separated by spaces or commas, as pasted from a list), without empties. */
const lines = (text: string) => text.split(/[\s,]+/).filter((line) => line !== '');

export async function spaceNewProcedureRoutes(app: FastifyInstance, { config, store, audit, pages }: Options): Promise<void> {
  /** The entity of the path, for its admins only (others: the "not found" page). */
  const adminEntity = async (request: FastifyRequest) => {
    requireCaller(request);
    const params = EntityParamsSchema.safeParse(request.params);
    if (!params.success) throw new HttpError(404, 'not_found', 'No such page.');
    const caller = requireEntity(request, params.data.entity, 'admin');
    const entity = await store.entities.find(params.data.entity);
    if (!entity) throw new HttpError(404, 'entity_not_found', `No entity "${params.data.entity}" is yours.`);
    return { caller, entity };
  };

  const send = async (request: FastifyRequest, reply: FastifyReply, view: Omit<NewProcedureView, 'lang' | 'csrfToken'>, status = 200) => {
    const lang = spaceLang(request);
    const csrfToken = (await pages.account(request, reply))?.csrfToken ?? '';
    const page = newProcedurePage({ ...view, lang, csrfToken });
    const here = withLang(`/espace/entites/${encodeURIComponent(view.entity.id)}/demarches/nouvelle`, lang);
    return pages.send(request, reply, { ...page, status, here });
  };

  app.get('/espace/entites/:entity/demarches/nouvelle', async (request, reply) =>
    send(request, reply, { entity: (await adminEntity(request)).entity }),
  );

  app.post('/espace/entites/:entity/demarches', async (request, reply) => {
    const { caller, entity } = await adminEntity(request);
    const lang = spaceLang(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const form = Object.fromEntries(
      FIELDS.map((name) => [name, typeof body[name] === 'string' ? body[name].slice(0, 10_000) : '']),
    ) as Form;
    const parsed = NewProcedureSchema.safeParse({
      id: form.id.trim(),
      title: form.title,
      entity: entity.id,
      origins: lines(form.origins),
      placements: lines(form.placements),
    });
    const refuse = (status: number, error: FieldError | undefined, failure?: string) =>
      send(request, reply, { entity, form, error, failure }, status);
    if (!parsed.success) {
      const wrong = FIELDS.find((name) => name === parsed.error.issues[0]?.path[0]) ?? 'id';
      return refuse(400, { field: wrong, value: form[wrong], message: N[lang].errors[wrong] });
    }
    try {
      await createProcedure(store, audit, caller, parsed.data, config.maxProceduresPerEntity);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      if (error.code === 'procedure_exists') return refuse(409, { field: 'id', value: form.id, message: N[lang].errors.procedure_exists });
      if (error.code === 'procedure_limit_reached') {
        return refuse(409, undefined, N[lang].errors.procedure_limit_reached(config.maxProceduresPerEntity));
      }
      throw error;
    }
    return reply.redirect(withLang(`/espace/demarches/${encodeURIComponent(parsed.data.id)}/reglages?fait=creee`, lang), 303);
  });
}
