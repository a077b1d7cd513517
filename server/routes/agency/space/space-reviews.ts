// The comments page of the agency space (SPEC §8): GET /espace/demarches/:id/avis lists a
// procedure's reviews with the API's filters and listing (agency/review-listing.ts), and its forms
// hide or restore a comment through the API's moderation (agency/review-moderation.ts), or check a
// held-back passage through the API's checks (agency/suspect-checks.ts). Access is
// asked of access.ts; refusals become pages (space-pages.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { utcDay } from '../../../../shared/feed-window.ts';
import type { Lang } from '../../../../shared/questionnaire.ts';
import { isAdminOf, requireCaller, requireMember, requireProcedure } from '../../../agency/access.ts';
import { reviewFiltersOf } from '../../../agency/review-listing.ts';
import type { AgencyReads } from '../../../agency/agency-reads.ts';
import { moderateReview } from '../../../agency/review-moderation.ts';
import { checkSuspect, type SuspectVerdict } from '../../../agency/suspect-checks.ts';
import { type TriageRequest, triageReview } from '../../../agency/review-triage.ts';
import { tagSuggestions } from '../../../agency/tag-suggestions.ts';
import { issueDetails } from '../../../schemas/review-schemas.ts';
import { type SpacePages, spaceLang } from './space-pages.ts';
import { type ErrorDetail, HttpError } from '../../../http-errors.ts';
import { type ReviewsForm, reviewsPage } from '../../../pages/reviews-page.ts';
import { encodeCursor, ProcedureParamsSchema, ReviewParamsSchema, SuspectParamsSchema } from '../../../schemas/agency-review-schemas.ts';
import { queryIssueDetails } from '../../../schemas/feed-query-schema.ts';
import {
  HideFormSchema,
  type ReviewsPageQuery,
  ReviewsPageQuerySchema,
  SuggestionFormSchema,
  TriageFormSchema,
} from '../../../schemas/space-review-schemas.ts';
import type { ReviewCursor, Store } from '../../../store/store.ts';

interface Options {
  store: Store;
  reads: AgencyReads;
  now: () => Date;
  pages: SpacePages;
}

/** Reviews per page: enough to read, few enough to take in. */
const PAGE_SIZE = 20;
/**
 * Store pages read at most to fill one page: each examines at most PAGE_SCAN reviews (store/review-records.ts),
 * so a rare search word still answers in bounded time; the page then says the search goes on further back.
 */
const STORE_PAGES = 10;

const pathOf = (procedureId: string) => `/espace/demarches/${encodeURIComponent(procedureId)}/avis`;

/** What the form shows: the query as sent, so that a refused value is there to correct. */
function formOf(query: Record<string, unknown>, valid: ReviewsPageQuery | undefined): ReviewsForm {
  const text = (value: unknown) =>
    typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '';
  const comments = valid?.comments ?? (text(query.comments) || undefined);
  return {
    from: text(query.from),
    to: text(query.to),
    placement: text(query.placement),
    satisfaction: text(query.satisfaction),
    q: text(query.q),
    status: text(query.status),
    tag: text(query.tag),
    marked: text(query.marked),
    onlyWithComment: comments === 'only' || (comments === undefined && query.filters === undefined),
  };
}

/** The page's filters as its links carry them (the language too); a cursor is added where a link needs one. */
function pageSearch(query: ReviewsPageQuery, form: ReviewsForm, lang: Lang, cursor: ReviewCursor | null = null): string {
  const search = new URLSearchParams();
  for (const name of ['from', 'to', 'placement', 'satisfaction', 'q', 'status', 'tag', 'marked'] as const) {
    const value = query[name];
    if (value !== undefined) search.set(name, String(value));
  }
  if (!form.onlyWithComment) search.set('comments', 'all');
  if (cursor) search.set('cursor', encodeCursor(cursor));
  if (lang !== 'fr') search.set('lang', lang);
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/** The same filters for the API's exports (same names, as the export routes take them). */
function exportSearch(query: ReviewsPageQuery, form: ReviewsForm): string {
  const search = new URLSearchParams();
  for (const name of ['from', 'to', 'placement', 'satisfaction'] as const) {
    const value = query[name];
    if (value !== undefined) search.set(name, value);
  }
  if (form.onlyWithComment) search.set('has_comment', 'true');
  for (const name of ['q', 'status', 'tag', 'marked'] as const) {
    const value = query[name];
    if (value !== undefined) search.set(name, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/** After a triage: the page the form was on (its filters, cursor and language), which says so beside the review. */
function backToReview(request: FastifyRequest, reply: FastifyReply, lang: Lang, procedureId: string, reviewId: number) {
  const query = ReviewsPageQuerySchema.safeParse(request.query ?? {});
  const search = new URLSearchParams(
    query.success
      ? pageSearch(query.data, formOf(request.query as Record<string, unknown>, query.data), lang, query.data.cursor ?? null)
      : '',
  );
  if (!query.success && lang !== 'fr') search.set('lang', lang);
  search.set('triaged', String(reviewId));
  return reply.redirect(`${pathOf(procedureId)}?${search}#avis-${reviewId}`, 303);
}

export async function spaceReviewRoutes(app: FastifyInstance, { store, reads, now, pages }: Options): Promise<void> {
  /** The procedure of the path, for a signed-in member who may `need` it (404 otherwise, as a page). */
  const procedureOf = async (request: FastifyRequest, need: 'read' | 'admin') => {
    requireMember(request);
    const params = ProcedureParamsSchema.safeParse({ id: (request.params as { id?: unknown }).id });
    if (!params.success) throw new HttpError(404, 'procedure_not_found', 'No such procedure.');
    return requireProcedure(store, request, params.data.id, need);
  };

  app.get('/espace/demarches/:id/avis', async (request, reply) => {
    const procedure = await procedureOf(request, 'read');
    const lang = spaceLang(request);
    const account = await pages.account(request, reply);
    const rawQuery = (request.query ?? {}) as Record<string, unknown>;
    const parsed = ReviewsPageQuerySchema.safeParse(rawQuery);
    const query = parsed.success ? parsed.data : undefined;
    const form = formOf(rawQuery, query);
    const view = {
      lang,
      procedure,
      isAdmin: isAdminOf(request.caller!, procedure.entityId),
      csrfToken: account?.csrfToken ?? '',
      form,
      tags: await store.tags.list(procedure.entityId),
    };
    const base = pathOf(procedure.id);
    const refused = (problems: ErrorDetail[]) => {
      const here = lang === 'fr' ? '' : `?lang=${lang}`;
      const links = { newest: base + here, older: null, here, csv: '', xlsx: '', excel: '' };
      return pages.send(request, reply, { ...reviewsPage({ ...view, links, problems }), status: 400 });
    };
    if (!query) return refused(queryIssueDetails(parsed.error!));

    let filters: ReturnType<typeof reviewFiltersOf>;
    try {
      filters = reviewFiltersOf({ ...query, has_comment: form.onlyWithComment ? true : undefined }, utcDay(now()));
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 400) return refused(error.details ?? []);
      throw error;
    }
    const after = query.cursor ?? null;
    const listing = await reads.list(procedure.id, filters, { after, limit: PAGE_SIZE, storePages: STORE_PAGES });
    const exports = exportSearch(query, form);
    const apiPath = `/api/v1/procedures/${encodeURIComponent(procedure.id)}/reviews`;
    const doneAction = (['hidden', 'restored', 'confirmed', 'released', 'triaged'] as const).find((action) => query[action] !== undefined);
    const done = doneAction && { action: doneAction, reviewId: query[doneAction]! };
    const page = reviewsPage({
      ...view,
      links: {
        newest: base + pageSearch(query, form, lang),
        older: listing.next && base + pageSearch(query, form, lang, listing.next),
        here: pageSearch(query, form, lang, after),
        csv: `${apiPath}.csv${exports}`,
        xlsx: `${apiPath}.xlsx${exports}`,
        excel: `${apiPath}-excel.csv${exports}`,
      },
      listing: {
        reviews: listing.reviews,
        suggestions: await tagSuggestions(store, procedure.entityId, listing.reviews),
        older: after !== null,
        scanStopped: listing.next !== null && listing.reviews.length < PAGE_SIZE,
        window: { from: filters.from, to: filters.to },
        q: filters.q,
      },
      ...(done && { done }),
    });
    return pages.send(request, reply, page);
  });

  /** Hides (with the form's reason) or restores a comment, then back to the same page, which says so beside the review. */
  const moderation = (action: 'hide' | 'restore') => async (request: FastifyRequest, reply: FastifyReply) => {
    requireMember(request);
    const lang = spaceLang(request);
    const params = ReviewParamsSchema.safeParse(request.params);
    if (!params.success) throw new HttpError(404, 'review_not_found', 'No such review.');
    let query: ReviewsPageQuery | undefined;
    // Asked once access is granted: a reader is told "not found" whatever they sent.
    const reasonOf = () => {
      const parsed = ReviewsPageQuerySchema.safeParse(request.query ?? {});
      if (!parsed.success) {
        throw new HttpError(
          400,
          'invalid_query',
          lang === 'en'
            ? 'This page’s address is not valid: go back to the reviews.'
            : 'L’adresse de cette page n’est pas valable\u00a0: revenez aux avis.',
          queryIssueDetails(parsed.error),
        );
      }
      query = parsed.data;
      if (action === 'restore') return null;
      const body = HideFormSchema.safeParse(request.body ?? {});
      if (!body.success) {
        throw new HttpError(
          400,
          'invalid_body',
          lang === 'en'
            ? 'Say why the comment is hidden, in 500 characters at most.'
            : 'Indiquez pourquoi le commentaire est masqué, en 500 caractères au plus.',
        );
      }
      return body.data.reason;
    };
    // A reader hears "forbidden" before anything about what they sent.
    const procedure = await requireProcedure(store, request, params.data.id, 'admin');
    const review = await moderateReview(store, now, requireCaller(request), {
      procedure,
      reviewId: params.data.reviewId,
      reason: reasonOf(),
    });
    const back = query!;
    const search = new URLSearchParams(pageSearch(back, formOf(request.query as Record<string, unknown>, back), lang, back.cursor ?? null));
    search.set(action === 'hide' ? 'hidden' : 'restored', String(review.id));
    return reply.redirect(`${pathOf(params.data.id)}?${search}#avis-${review.id}`, 303);
  };
  /** Masks a held-back passage for good or publishes it, then back to the same page, which says so beside the review. */
  const check = (verdict: SuspectVerdict) => async (request: FastifyRequest, reply: FastifyReply) => {
    requireMember(request);
    const lang = spaceLang(request);
    const params = SuspectParamsSchema.safeParse(request.params);
    if (!params.success) throw new HttpError(404, 'suspect_not_found', 'No such passage.');
    const query = ReviewsPageQuerySchema.safeParse(request.query ?? {});
    const { id, reviewId, n } = params.data;
    const review = await checkSuspect(store, now, request, { procedureId: id, reviewId, n, verdict });
    // A page address spoilt on the way back costs its filters only: the check is done, and said.
    const search = new URLSearchParams(
      query.success
        ? pageSearch(query.data, formOf(request.query as Record<string, unknown>, query.data), lang, query.data.cursor ?? null)
        : '',
    );
    if (!query.success && lang !== 'fr') search.set('lang', lang);
    search.set(verdict === 'confirm' ? 'confirmed' : 'released', String(review.id));
    return reply.redirect(`${pathOf(id)}?${search}#avis-${review.id}`, 303);
  };
  /**
   * Saves a review's triage form: each mark that differs from the stored one is changed (and audited)
   * through the API's rules (agency/review-triage.ts), then back to the same page, which says so.
   */
  app.post('/espace/demarches/:id/avis/:reviewId/tri', async (request, reply) => {
    requireMember(request);
    const lang = spaceLang(request);
    const params = ReviewParamsSchema.safeParse(request.params);
    if (!params.success) throw new HttpError(404, 'review_not_found', 'No such review.');
    const { id: procedureId, reviewId } = params.data;
    const body = TriageFormSchema.safeParse(request.body ?? {});
    if (!body.success) {
      throw new HttpError(
        400,
        'invalid_body',
        lang === 'en' ? 'This form is not valid: go back to the reviews.' : 'Ce formulaire n’est pas valable\u00a0: revenez aux avis.',
        issueDetails(body.error),
      );
    }
    const form = body.data;
    const apply = (change: TriageRequest) => triageReview(store, now, request, { procedureId, reviewId, change });
    let review = await apply({ status: form.status });
    const wanted = new Set(form.tag);
    const had = new Set(review.tags.map((tag) => tag.id));
    for (const tag of wanted) if (!had.has(tag)) review = await apply({ tag, on: true });
    for (const tag of had) if (!wanted.has(tag)) review = await apply({ tag, on: false });
    if ((form.spam === 'on') !== (review.spam !== null)) review = await apply({ spam: form.spam === 'on' });
    if (form.duplicate) review = await apply({ duplicate: form.duplicate });
    return backToReview(request, reply, lang, procedureId, review.id);
  });
  /** « Appliquer » beside a suggested tag: that one tag set, as the triage form would, then back to the review. */
  app.post('/espace/demarches/:id/avis/:reviewId/suggestion', async (request, reply) => {
    requireMember(request);
    const lang = spaceLang(request);
    const params = ReviewParamsSchema.safeParse(request.params);
    if (!params.success) throw new HttpError(404, 'review_not_found', 'No such review.');
    const body = SuggestionFormSchema.safeParse(request.body ?? {});
    if (!body.success) {
      throw new HttpError(
        400,
        'invalid_body',
        lang === 'en' ? 'This form is not valid: go back to the reviews.' : 'Ce formulaire n’est pas valable\u00a0: revenez aux avis.',
        issueDetails(body.error),
      );
    }
    const { id: procedureId, reviewId } = params.data;
    const review = await triageReview(store, now, request, { procedureId, reviewId, change: { tag: body.data.tag, on: true } });
    return backToReview(request, reply, lang, procedureId, review.id);
  });
  app.post('/espace/demarches/:id/avis/:reviewId/passages/:n/masquer', check('confirm'));
  app.post('/espace/demarches/:id/avis/:reviewId/passages/:n/publier', check('release'));
  app.post('/espace/demarches/:id/avis/:reviewId/masquer', moderation('hide'));
  app.post('/espace/demarches/:id/avis/:reviewId/retablir', moderation('restore'));
}
