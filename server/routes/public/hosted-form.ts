import { withEntityLogo } from './entity-logos.ts';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, RouteShorthandOptions } from 'fastify';
import formbody from '@fastify/formbody';
import {
  ADMIN_CHANNELS,
  DEFAULT_PLACEMENT,
  SATISFACTION_ANSWERS,
  SLUG_PATTERN,
  toWidgetLang,
  type HelpChannel,
  type WidgetLang,
  type ReachedAnswer,
  type SatisfactionAnswer,
  type ScaleValue,
} from '../../../shared/questionnaire.ts';
import { emptyDraft, followUpAnswers, type FollowUpDraft } from '../../../shared/follow-up-draft.ts';
import { clientFile, clientFileCache } from '../../pages/client-files.ts';
import { followUpPage, problemPage, ratingPage, thanksPage, type FieldErrors, type Problem } from '../../pages/hosted-form-page.ts';
import { clientKeyOf } from '../../client-key.ts';
import { FORM_KEY, type FormBody, HONEYPOT_FIELD, type HostedFormGuard, one } from '../../hosted-form-guard.ts';
import type { RatingAdmission, RatingRefusal } from '../../rating-admission.ts';
import type { RatingQuota } from '../../rating-quota.ts';
import type { RefusalCounter } from '../../refusal-counter.ts';
import type { ReviewWrites } from '../../review-writes.ts';
import { FollowUpAnswersSchema, HotRatingSchema } from '../../schemas/review-schemas.ts';
import { publishedForm } from './form-config.ts';
import type { Store } from '../../store/store.ts';
import { sendPage } from '../../pages/kit/send-page.ts';
import type { HtmlPage } from '../../pages/html.ts';

// The hosted form (SPEC §5): GET /avis/:procedure?placement=&lang= for links in e-mails and
// letters. Without JavaScript it is two plain HTML forms, exactly the API's two steps: POST stores
// the hot rating (same schema, same store function as POST /api/v1/reviews) and answers with the
// follow-up form, whose POST goes through the API's follow-up schema, token check and 1-hour window.

interface Options {
  store: Store;
  admission: RatingAdmission;
  refusals: RefusalCounter;
  writes: ReviewWrites;
  quota: RatingQuota;
  guard: HostedFormGuard;
  /** Options of every hot-rating route: the one shared rate limit (app.ts). */
  hotRatingRoute: RouteShorthandOptions;
  /** Options of every follow-up route: their own rate limit (app.ts). */
  followUpRoute: RouteShorthandOptions;
}

type ProcedureParams = { procedure: string };

/** A follow-up form may carry a 3,000-character comment, percent-encoded: up to 9 bytes a character. */
const FOLLOW_UP_BODY_LIMIT = 64 * 1024;

const all = (value: string | string[] | undefined): string[] => (value === undefined ? [] : [value].flat());
const scaleOf = (value: string | undefined): ScaleValue | undefined => (value ? (Number(value) as ScaleValue) : undefined);
const satisfactionOf = (value: string | undefined): SatisfactionAnswer | undefined =>
  SATISFACTION_ANSWERS.find((answer) => answer === value);

const langHref =
  (procedureId: string, placement: string) =>
  (lang: WidgetLang): string =>
    `/avis/${procedureId}?${new URLSearchParams({ placement, lang })}`;

/** The form's fields as the widget's draft: the same function then turns both into wire answers. */
export function draftFromForm(body: FormBody): FollowUpDraft {
  const draft = emptyDraft();
  draft.clarity = scaleOf(one(body.clarity));
  draft.help_sought = [...new Set(all(body.help_sought))] as HelpChannel[];
  draft.help_other = one(body.help_other) ?? '';
  draft.comment = one(body.comment) ?? '';
  for (const channel of ADMIN_CHANNELS) {
    const reached = one(body[`reached_${channel}`]);
    if (reached) draft.help_reached[channel] = reached as ReachedAnswer;
    const quality = scaleOf(one(body[`quality_${channel}`]));
    if (quality !== undefined) draft.help_quality[channel] = quality;
  }
  return draft;
}

/** Which field to point the visitor at, for each way the API's follow-up schema can refuse. */
function followUpErrors(issues: readonly { path: PropertyKey[]; code: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = String(issue.path[0]);
    if (field === 'help_sought') errors.help_sought = 'noneAlone';
    else if (field === 'help_other' || field === 'comment') errors[field] = issue.code === 'too_big' ? 'tooLong' : 'invalid';
    else errors.clarity = 'invalid';
  }
  return errors;
}

/** The page a refused rating gets: the same decision as the API's, said to a person. */
const PROBLEMS: Record<RatingRefusal['code'], Problem> = {
  unknown_procedure: 'notFound',
  unknown_placement: 'notFound',
  procedure_archived: 'archived',
  origin_not_allowed: 'forbidden',
};

export async function hostedFormRoutes(
  app: FastifyInstance,
  { store, admission, refusals, writes, quota, guard, hotRatingRoute, followUpRoute }: Options,
): Promise<void> {
  const styles = clientFile('hosted-form.css');
  // HTML forms post form-encoded bodies, nothing else: JSON here is a 415, so every field is a string.
  app.removeAllContentTypeParsers();
  await app.register(formbody);

  // Follow-up forms carry a token: no cache may keep them. The form posts to the collector itself:
  // same-origin, not no-referrer (kit/send-page.ts).
  const send = (reply: FastifyReply, status: number, body: HtmlPage) =>
    sendPage(reply, status, body, { cache: 'no-store', referrer: 'same-origin' });

  /**
   * A link in an e-mail must never turn its reader away: a placement the procedure does not list
   * (a typo, or one not registered yet) is stored under `default`, and counted for the agency.
   */
  const placementOf = async (procedureId: string, placement: string | undefined): Promise<string> =>
    placement && (await store.procedures.access()).hasPlacement(procedureId, placement) ? placement : DEFAULT_PLACEMENT;

  /**
   * The procedure a URL names. Only a slug can be a procedure's id: anything else is not looked up,
   * since PostgreSQL refuses some text outright (a NUL byte is an error there, not a miss).
   */
  const findProcedure = async (id: string) => {
    const procedure = SLUG_PATTERN.test(id) ? await store.procedures.find(id) : undefined;
    return procedure && withEntityLogo(store, procedure);
  };

  // People without JavaScript get a page, not the API's JSON, when the rate limit refuses them.
  app.setErrorHandler((error: { statusCode?: number }, request, reply) => {
    if (error.statusCode === 429) {
      const { procedure } = request.params as Partial<ProcedureParams>;
      const body = (request.body ?? {}) as FormBody;
      refusals.count({
        procedureId: procedure,
        reason: 'rate_limited',
        origin: request.headers.origin,
        placementId: one(body.placement) || DEFAULT_PLACEMENT,
      });
      return send(reply, 429, problemPage(toWidgetLang(one(body.lang)), 'rateLimited'));
    }
    throw error; // every other error keeps the one error shape (http-errors.ts)
  });

  app.get('/hosted-form.css', async (request, reply) =>
    reply
      .type('text/css; charset=utf-8')
      .header('cache-control', clientFileCache('/hosted-form.css', 'hosted-form.css', request.query))
      .send(styles),
  );

  app.get<{ Params: ProcedureParams; Querystring: { placement?: string; lang?: string; satisfaction?: string } }>(
    '/avis/:procedure',
    async (request, reply) => {
      const lang = toWidgetLang(request.query.lang);
      const procedure = await findProcedure(request.params.procedure);
      if (!procedure) return send(reply, 404, problemPage(lang, 'notFound'));
      if (procedure.archivedAt) return send(reply, 410, problemPage(lang, 'archived'));
      // The placement is kept as the link gave it: the rating's POST decides, and counts, once.
      const placement = request.query.placement || DEFAULT_PLACEMENT;
      const formKey = randomUUID();
      // A widget that could not send its rating links here with it (`satisfaction`): it is chosen already.
      const chosen = satisfactionOf(request.query.satisfaction);
      return send(
        reply,
        200,
        ratingPage({
          procedure,
          placement,
          lang,
          formKey,
          signed: await guard.sign(procedure.id, formKey, chosen),
          langHref: langHref(procedure.id, placement),
          chosen,
        }),
      );
    },
  );

  app.post<{ Params: ProcedureParams; Body: FormBody }>('/avis/:procedure', hotRatingRoute, async (request, reply) => {
    const body = request.body ?? {};
    const lang = toWidgetLang(one(body.lang));
    const procedureId = request.params.procedure;
    const asked = one(body.placement);
    const placement = await placementOf(procedureId, asked);
    const origin = request.headers.origin;
    const refusal = await admission.refusal(procedureId, placement, origin);
    if (refusal) {
      refusals.count({ procedureId, reason: refusal.code, origin, placementId: placement });
      return send(reply, refusal.status, problemPage(lang, PROBLEMS[refusal.code]));
    }
    const procedure = await withEntityLogo(store, (await store.procedures.find(procedureId))!);
    const formKey = one(body.form_key) ?? '';
    const chosen = satisfactionOf(one(body.satisfaction));
    /** The rating form again, freshly signed, with what the visitor chose; the same key if it was ours. */
    const again = async (extra: { errors?: FieldErrors; notice?: 'confirm' }) => {
      const key = FORM_KEY.test(formKey) ? formKey : randomUUID();
      const shownPlacement = asked || DEFAULT_PLACEMENT;
      return ratingPage({
        procedure,
        placement: shownPlacement,
        lang,
        formKey: key,
        signed: await guard.sign(procedure.id, key, chosen),
        chosen,
        ...extra,
        langHref: langHref(procedure.id, shownPlacement),
      });
    };
    // Not a person's post (a filled honeypot, no valid signed render time, or sent back faster
    // than anyone reads): a 400, since retrying the same request later would not help, with the
    // form to send again. A person who was too quick, or whose form outlived a restart of the
    // collector, confirms in one click; a script has to load the page and wait every time.
    const renderedAt = one(body.rendered_at) ?? '';
    const notPerson = await guard.refusal(procedure.id, {
      formKey,
      renderedAt,
      signature: one(body.signature) ?? '',
      honeypot: one(body[HONEYPOT_FIELD]) ?? '',
      preset: one(body.preset) ?? '',
      satisfaction: one(body.satisfaction) ?? '',
    });
    if (notPerson) {
      refusals.count({ procedureId, reason: notPerson, origin, placementId: placement });
      return send(reply, 400, await again({ notice: 'confirm' }));
    }
    const rating = HotRatingSchema.safeParse({ procedure: procedure.id, placement, satisfaction: chosen, lang });
    if (!rating.success) return send(reply, 400, await again({ errors: { satisfaction: 'chooseOne' } }));
    // A reload (or a double click) posts the same form again, to this collector or another: the
    // rating is not counted twice. The key is signed, so it is one of ours, and its render time verified.
    if (!(await store.hostedForms.claim(formKey, Number(renderedAt)))) return send(reply, 200, thanksPage(lang, 'alreadyRecorded'));
    const client = clientKeyOf(request);
    if (!quota.claim(client, procedure.id)) {
      await store.hostedForms.release(formKey);
      refusals.count({ procedureId, reason: 'too_many_ratings', origin, placementId: placement });
      reply.header('retry-after', quota.resets().inSeconds);
      return send(reply, 429, problemPage(lang, 'tooManyRatings'));
    }
    if (asked && asked !== placement) refusals.count({ procedureId, reason: 'placement_defaulted', origin, placementId: asked });
    try {
      // The form published now is the one the visitor is given (SPEC §3 "Customisation"): its
      // version is stored with the rating, and its steps and labels make the follow-up page.
      const form = await publishedForm(store, procedure.id, lang);
      const { id: reviewId, token } = await writes.rate(
        {
          procedureId: procedure.id,
          placementId: placement,
          satisfaction: rating.data.satisfaction,
          lang,
          formVersion: form.version,
        },
        'hosted_form',
      );
      if (form.hidden.length > 2) return send(reply, 201, thanksPage(lang));
      return send(reply, 201, followUpPage({ procedure, reviewId, token, lang, draft: emptyDraft(), form }));
    } catch (error) {
      // The write's own error is the one to report. A database lost between the two statements
      // fails this too, and the key stays taken: rare enough to leave.
      await store.hostedForms.release(formKey).catch(() => {});
      quota.release(client, procedure.id);
      throw error;
    }
  });

  app.post<{ Params: ProcedureParams & { review: string }; Body: FormBody }>(
    '/avis/:procedure/:review',
    { ...followUpRoute, bodyLimit: FOLLOW_UP_BODY_LIMIT },
    async (request, reply) => {
      const body = request.body ?? {};
      const lang = toWidgetLang(one(body.lang));
      const procedure = await findProcedure(request.params.procedure);
      const review = await writes.find(request.params.review);
      if (!procedure || !review || review.procedureId !== procedure.id) return send(reply, 404, problemPage(lang, 'notFound'));
      const token = one(body.token) ?? '';
      const refusal = (await admission.originRefusal(procedure.id, request.headers.origin))
        ? 'invalid_token'
        : writes.followUpRefusal(review, token);
      if (refusal === 'invalid_token') return send(reply, 403, problemPage(lang, 'forbidden'));
      if (one(body.action) === 'skip') return send(reply, 200, thanksPage(lang));

      const draft = draftFromForm(body);
      const answers = FollowUpAnswersSchema.safeParse(followUpAnswers(draft));
      if (!answers.success) {
        return send(
          reply,
          400,
          followUpPage({
            procedure,
            reviewId: review.id,
            token,
            lang,
            draft,
            errors: followUpErrors(answers.error.issues),
            form: await publishedForm(store, procedure.id, lang),
          }),
        );
      }
      if (refusal === 'follow_up_expired') return send(reply, 410, thanksPage(lang, 'expired'));
      if (Object.keys(answers.data).length > 0) await writes.replaceFollowUps(review, answers.data);
      return send(reply, 200, thanksPage(lang));
    },
  );
}
