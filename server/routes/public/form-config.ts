// GET /api/v1/forms/:procedure: the form the widget and the hosted form show (SPEC §3
// "Customisation"), the published version's steps and labels in one language, or the default form.
// The widget's form chunk asks for it when it loads, from any origin; it falls back to the default
// form when this fails, so a page never loses its button to it.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DEFAULT_FORM, type FormConfig } from '../../../shared/form-config.ts';
import { SLUG_PATTERN, type WidgetLang } from '../../../shared/questionnaire.ts';
import { apiRoute, errorReply, noBody, PUBLIC, STORAGE_UNAVAILABLE } from '../../api-docs.ts';
import { HttpError } from '../../http-errors.ts';
import { parseRequest } from '../../schemas/agency-schemas.ts';
import { FormConfigQuerySchema, FormConfigReplySchema } from '../../schemas/form-schemas.ts';
import type { Store } from '../../store/store.ts';
import { matchesEtag } from './feed.ts';

const ParamsSchema = z.strictObject({ procedure: z.string().regex(SLUG_PATTERN) });

const schema = apiRoute({
  summary: 'Le formulaire publié d’une démarche, dans une langue (ce que le widget affiche)',
  description:
    'Les étapes masquées et les libellés de la version publiée dans la langue demandée (`lang`, `fr` par défaut)\u00a0; `version` null et rien de changé quand la démarche n’a pas publié de formulaire. Le widget envoie `version` avec la note (`form_version`). CORS ouvert\u00a0; `Cache-Control: public, max-age=60` et un ETag faible (`If-None-Match` → 304).',
  tags: ['Avis'],
  security: PUBLIC,
  params: ParamsSchema,
  querystring: FormConfigQuerySchema,
  everyReplyHeaders: ['Access-Control-Allow-Origin'],
  replyHeaders: { 200: ['ETag', 'Cache-Control'], 304: ['ETag', 'Cache-Control'] },
  response: {
    200: FormConfigReplySchema,
    304: noBody('Non modifié depuis l’ETag donné dans If-None-Match'),
    400: errorReply('Langue inconnue, ou paramètre inconnu', ['invalid_query']),
    404: errorReply('Démarche inconnue', ['unknown_procedure', 'not_found']),
    503: STORAGE_UNAVAILABLE,
  },
});

/** The form a procedure shows in a language: its published version's steps and labels, or the default form. */
export async function publishedForm(store: Store, procedureId: string, lang: WidgetLang): Promise<FormConfig> {
  const published = await store.forms.published(procedureId);
  return published
    ? { version: published.version, hidden: published.changes.hidden, labels: published.changes.labels[lang] ?? {} }
    : DEFAULT_FORM;
}

export async function formConfigRoutes(app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  app.get('/api/v1/forms/:procedure', { schema }, async (request, reply) => {
    const { procedure } = parseRequest(ParamsSchema, request.params, 'params');
    const { lang } = parseRequest(FormConfigQuerySchema, request.query, 'query');
    // Asked at every page view that loads the widget: the procedure is checked in memory, as ratings are.
    if (!(await store.procedures.access()).exists(procedure)) throw new HttpError(404, 'unknown_procedure', `No procedure "${procedure}".`);
    const body = JSON.stringify(await publishedForm(store, procedure, lang));
    const etag = `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    reply.header('cache-control', 'public, max-age=60').header('etag', etag);
    if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
    return reply.type('application/json; charset=utf-8').send(body);
  });
}
