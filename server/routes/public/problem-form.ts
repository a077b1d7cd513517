// The hosted problem form (SPEC §3 "Signaler un problème"): GET /probleme/:procedure?placement=&lang=
// for links in e-mails and pages without JavaScript, and its POST, through the admission, guard,
// one-time form key, daily quota and write of the rating form and the API (problem-report-writes.ts).
import { withEntityLogo } from './entity-logos.ts';
import { randomUUID } from 'node:crypto';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, RouteShorthandOptions } from 'fastify';
import { isProblemKind, PROBLEM_TEXT_MAX, TEXT_KINDS } from '../../../shared/problem-report.ts';
import { DEFAULT_PLACEMENT, SLUG_PATTERN, toWidgetLang, type WidgetLang } from '../../../shared/questionnaire.ts';
import { clientKeyOf } from '../../client-key.ts';
import { FORM_KEY, type FormBody, HONEYPOT_FIELD, type HostedFormGuard, one } from '../../hosted-form-guard.ts';
import { problemPage, type Problem } from '../../pages/hosted-form-page.ts';
import type { HtmlPage } from '../../pages/html.ts';
import { sendPage } from '../../pages/kit/send-page.ts';
import { problemFormPage, problemThanksPage, type ProblemFieldError } from '../../pages/problem-form-page.ts';
import type { ProblemReportWrites } from '../../problem-report-writes.ts';
import type { RatingAdmission, RatingRefusal } from '../../rating-admission.ts';
import type { RatingQuota } from '../../rating-quota.ts';
import type { RefusalCounter } from '../../refusal-counter.ts';
import type { Store } from '../../store/store.ts';

interface Options {
  store: Store;
  admission: RatingAdmission;
  refusals: RefusalCounter;
  reports: ProblemReportWrites;
  quota: RatingQuota;
  guard: HostedFormGuard;
  /** Options of every hot-rating route: the one shared rate limit (app.ts). */
  hotRatingRoute: RouteShorthandOptions;
}

type ProcedureParams = { procedure: string };

/** A 3,000-character text, percent-encoded: up to 9 bytes a character. */
const BODY_LIMIT = 64 * 1024;

const PROBLEMS: Record<RatingRefusal['code'], Problem> = {
  unknown_procedure: 'notFound',
  unknown_placement: 'notFound',
  procedure_archived: 'archived',
  origin_not_allowed: 'forbidden',
};

export async function problemFormRoutes(
  app: FastifyInstance,
  { store, admission, refusals, reports, quota, guard, hotRatingRoute }: Options,
): Promise<void> {
  // HTML forms post form-encoded bodies, nothing else: every field is a string.
  app.removeAllContentTypeParsers();
  await app.register(formbody, { bodyLimit: BODY_LIMIT });

  // As the rating form's: no-referrer would make browsers send `Origin: null` on the POST.
  const send = (reply: FastifyReply, status: number, body: HtmlPage) =>
    sendPage(reply, status, body, { cache: 'no-store', referrer: 'same-origin' });

  const langHref = (procedureId: string, placement: string) => (lang: WidgetLang) =>
    `/probleme/${procedureId}?${new URLSearchParams({ placement, lang })}`;
  const findProcedure = async (id: string) => {
    const procedure = SLUG_PATTERN.test(id) ? await store.procedures.find(id) : undefined;
    return procedure && withEntityLogo(store, procedure);
  };

  app.setErrorHandler((error: { statusCode?: number }, request, reply) => {
    if (error.statusCode === 429) {
      const body = (request.body ?? {}) as FormBody;
      refusals.count({
        procedureId: (request.params as Partial<ProcedureParams>).procedure,
        reason: 'rate_limited',
        origin: request.headers.origin,
        placementId: one(body.placement) || DEFAULT_PLACEMENT,
      });
      return send(reply, 429, problemPage(toWidgetLang(one(body.lang)), 'rateLimited'));
    }
    throw error;
  });

  app.get<{ Params: ProcedureParams; Querystring: { placement?: string; lang?: string } }>(
    '/probleme/:procedure',
    async (request, reply) => {
      const lang = toWidgetLang(request.query.lang);
      const procedure = await findProcedure(request.params.procedure);
      if (!procedure) return send(reply, 404, problemPage(lang, 'notFound'));
      if (procedure.archivedAt) return send(reply, 410, problemPage(lang, 'archived'));
      const placement = request.query.placement || DEFAULT_PLACEMENT;
      const formKey = randomUUID();
      return send(
        reply,
        200,
        problemFormPage({
          procedure,
          placement,
          lang,
          formKey,
          signed: await guard.sign(procedure.id, formKey, undefined),
          contactUrl: await store.problemReports.contactUrl(procedure.id),
          langHref: langHref(procedure.id, placement),
        }),
      );
    },
  );

  app.post<{ Params: ProcedureParams; Body: FormBody }>('/probleme/:procedure', hotRatingRoute, async (request, reply) => {
    const body = request.body ?? {};
    const lang = toWidgetLang(one(body.lang));
    const procedureId = request.params.procedure;
    const asked = one(body.placement);
    // As the rating form: a placement the procedure does not list (a link's typo) is stored under `default`.
    const placement = asked && (await store.procedures.access()).hasPlacement(procedureId, asked) ? asked : DEFAULT_PLACEMENT;
    const origin = request.headers.origin;
    const refusal = await admission.refusal(procedureId, placement, origin);
    if (refusal) {
      refusals.count({ procedureId, reason: refusal.code, origin, placementId: placement });
      return send(reply, refusal.status, problemPage(lang, PROBLEMS[refusal.code]));
    }
    const procedure = await withEntityLogo(store, (await store.procedures.find(procedureId))!);
    const contactUrl = await store.problemReports.contactUrl(procedure.id);
    const formKey = one(body.form_key) ?? '';
    const kindField = one(body.kind);
    const kind = isProblemKind(kindField) ? kindField : undefined;
    // « My own situation » collects nothing of the person's case: a text sent with it is dropped here.
    const text = kind && TEXT_KINDS.includes(kind) ? (one(body.text) ?? '').trim() : '';
    const again = async (extra: { error?: ProblemFieldError; notice?: 'confirm' }) => {
      const key = FORM_KEY.test(formKey) ? formKey : randomUUID();
      const shown = asked || DEFAULT_PLACEMENT;
      return problemFormPage({
        procedure,
        placement: shown,
        lang,
        formKey: key,
        signed: await guard.sign(procedure.id, key, undefined),
        contactUrl,
        langHref: langHref(procedure.id, shown),
        kind,
        text: one(body.text) ?? '',
        ...extra,
      });
    };
    const renderedAt = one(body.rendered_at) ?? '';
    const notPerson = await guard.refusal(procedure.id, {
      formKey,
      renderedAt,
      signature: one(body.signature) ?? '',
      honeypot: one(body[HONEYPOT_FIELD]) ?? '',
      preset: '',
      satisfaction: '',
    });
    if (notPerson) {
      refusals.count({ procedureId, reason: notPerson, origin, placementId: placement });
      return send(reply, 400, await again({ notice: 'confirm' }));
    }
    if (!kind) return send(reply, 400, await again({ error: 'kind' }));
    if (TEXT_KINDS.includes(kind) && (text === '' || text.length > PROBLEM_TEXT_MAX || text.includes('\u0000'))) {
      return send(reply, 400, await again({ error: 'text' }));
    }
    // A reload posts the same form again: the report is not stored twice.
    if (!(await store.hostedForms.claim(formKey, Number(renderedAt))))
      return send(reply, 200, problemThanksPage(lang, procedure, kind, contactUrl));
    const client = clientKeyOf(request);
    if (!quota.claim(client, procedure.id)) {
      await store.hostedForms.release(formKey);
      refusals.count({ procedureId, reason: 'too_many_ratings', origin, placementId: placement });
      reply.header('retry-after', quota.resets().inSeconds);
      return send(reply, 429, problemPage(lang, 'tooManyRatings'));
    }
    try {
      await reports.report({ procedureId: procedure.id, placementId: placement, kind, text: text || null, lang });
    } catch (error) {
      await store.hostedForms.release(formKey).catch(() => {});
      quota.release(client, procedure.id);
      throw error;
    }
    return send(reply, 201, problemThanksPage(lang, procedure, kind, contactUrl));
  });
}
