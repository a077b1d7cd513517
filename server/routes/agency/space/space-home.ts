// The agency space's home (/espace) and a procedure's results page (SPEC §8). Access is asked of
// access.ts; the figures are procedure-stats.ts', the same as the API's /stats for the same query.
import type { FastifyInstance } from 'fastify';
import { resolveWindow, utcDay } from '../../../../shared/feed-window.ts';
import { type Lang, SLUG_PATTERN } from '../../../../shared/questionnaire.ts';
import { canSeeProcedure, isAdminOf, procedureNotFound, requireMember, requireProcedure } from '../../../agency/access.ts';
import { idsTriedFrom, overviewWindows, procedureOverview } from '../../../agency/procedure-overview.ts';
import { procedureStats } from '../../../agency/procedure-stats.ts';
import { type SpacePages, spaceLang } from './space-pages.ts';
import { HttpError } from '../../../http-errors.ts';
import { homePage } from '../../../pages/space-home-pages.ts';
import { problemReportsSection } from '../../../pages/problem-reports-section.ts';
import { resultsPage } from '../../../pages/space-results-page.ts';
import { ResultsQuerySchema } from '../../../schemas/results-query-schema.ts';
import type { Store } from '../../../store/store.ts';

interface Options {
  store: Store;
  now: () => Date;
  pages: SpacePages;
  /** The public observatory's threshold (FEED_MIN_REVIEWS), which the results page explains. */
  minReviews: number;
}

const FIELD_NAMES: Record<Lang, Record<'from' | 'to' | 'placement', string>> = {
  fr: { from: 'La date de début', to: 'La date de fin', placement: 'L’emplacement' },
  en: { from: 'The start date', to: 'The end date', placement: 'The placement' },
};

/** A 400 page in the page's language, naming the field. */
export const badQuery = (lang: Lang, field: 'from' | 'to' | 'placement', problem: 'invalid' | 'order' | 'length') => {
  const name = FIELD_NAMES[lang][field];
  const text = {
    fr: {
      invalid: `${name} n’est pas valide${field === 'placement' ? '' : '\u00a0: choisissez une date du calendrier'}.`,
      order: 'La date de début doit précéder la date de fin.',
      length: 'La période ne peut pas dépasser 5 ans.',
    },
    en: {
      invalid: `${name} is not valid${field === 'placement' ? '' : ': choose a day of the calendar'}.`,
      order: 'The start date must come before the end date.',
      length: 'The period may not exceed 5 years.',
    },
  }[lang][problem];
  return new HttpError(400, 'invalid_query', text);
};

/** The problem reports the results page lists: the rest are in the CSV export. */
const LATEST_REPORTS = 20;

/**
 * The period and placement of the results page's form (`from`, `to`, `placement`), as every page
 * of a procedure that reads a window takes them; a bad one is a 400 page naming the field.
 */
export function resultsQuery(query: unknown, lang: Lang, today: string) {
  const parsed = ResultsQuerySchema.safeParse(query ?? {});
  if (!parsed.success) throw badQuery(lang, parsed.error.issues[0]!.path[0] as 'from' | 'to' | 'placement', 'invalid');
  const window = resolveWindow(parsed.data, today);
  if (Array.isArray(window)) {
    const { from, to = today } = parsed.data;
    throw badQuery(lang, window[0]!.field, from !== undefined && from > to ? 'order' : 'length');
  }
  return { window, placement: parsed.data.placement ?? null };
}

export async function spaceHomeRoutes(app: FastifyInstance, { store, now, pages, minReviews }: Options): Promise<void> {
  app.get('/espace', async (request, reply) => {
    const caller = requireMember(request);
    const today = utcDay(now());
    const procedures = (await store.procedures.list()).filter((procedure) => canSeeProcedure(caller, procedure));
    const entities = [];
    for (const [id, role] of caller.roles) {
      const mine = procedures.filter((procedure) => procedure.entityId === id).sort((a, b) => a.title.localeCompare(b.title, 'fr'));
      entities.push({
        id,
        name: (await store.entities.find(id))?.name ?? id,
        role,
        procedures: await Promise.all(mine.map((procedure) => procedureOverview(store, procedure, today))),
        tried: await idsTriedFrom(store, mine, today),
      });
    }
    entities.sort((a, b) => a.name.localeCompare(b.name, 'fr'));
    const page = homePage(spaceLang(request), { email: caller.email, window: overviewWindows(today).year, entities });
    return pages.send(request, reply, page);
  });

  app.get('/espace/demarches/:id', async (request, reply) => {
    const lang = spaceLang(request);
    const caller = requireMember(request);
    const { id } = request.params as { id: string };
    // What cannot be a procedure id names no procedure, and is not sent to the database (a NUL byte is PostgreSQL's error).
    if (!SLUG_PATTERN.test(id)) throw procedureNotFound(id);
    const procedure = await requireProcedure(store, request, id, 'read');
    const today = utcDay(now());
    const { window, placement } = resultsQuery(request.query, lang, today);
    const stats = (interval: 'month' | 'week') => procedureStats(store, procedure, { window, placement, interval }, today);
    const [monthly, weekly, counts, latest] = await Promise.all([
      stats('month'),
      stats('week'),
      store.problemReports.countsByKind(procedure.id, window.from, window.to),
      store.problemReports.list(procedure.id, window.from, window.to, LATEST_REPORTS),
    ]);
    const page = resultsPage(lang, {
      procedure: {
        ...monthly.procedure,
        archived: procedure.archivedAt !== null,
        placements: procedure.placements,
        testPlacements: procedure.testPlacements,
      },
      isAdmin: isAdminOf(caller, procedure.entityId),
      placement,
      monthly,
      weekly,
      minReviews,
      problems: problemReportsSection(lang, { procedureId: procedure.id, from: window.from, to: window.to, counts, latest }),
    });
    return pages.send(request, reply, page);
  });
}
