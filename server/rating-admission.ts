import type { Config } from './config.ts';
import type { ProcedureAccess, Store } from './store/store.ts';

export interface RatingRefusal {
  status: 403 | 404 | 410;
  code: 'unknown_procedure' | 'procedure_archived' | 'origin_not_allowed' | 'unknown_placement';
  /** Names the mistake and the command that fixes it: the widget prints it in the console under data-debug. */
  message: string;
}

export type RatingAdmission = ReturnType<typeof ratingAdmission>;

/**
 * The one place that decides whether a hot rating is admitted, for the API and the hosted form
 * alike: the procedure exists and is not archived, the page's origin is the collector's own or one
 * the procedure lists, the placement is registered. `origin` undefined is a request that is not a
 * browser's cross-site one (scripts, servers, a same-origin GET form), and is let through.
 */
export function ratingAdmission(store: Store, config: Config) {
  const own = new Set(config.ownOrigins);
  const originRefusalIn = (access: ProcedureAccess, procedureId: string, origin: string | undefined): RatingRefusal | null =>
    origin === undefined || own.has(origin) || access.isOriginAllowed(procedureId, origin)
      ? null
      : {
          status: 403,
          code: 'origin_not_allowed',
          message: `${origin} is not an origin of procedure "${procedureId}" (jdma origin add ${procedureId} ${origin}).`,
        };

  return {
    /** Why a page of this origin may not post for this procedure (ratings and follow-ups alike), or null. */
    originRefusal: async (procedureId: string, origin: string | undefined): Promise<RatingRefusal | null> =>
      originRefusalIn(await store.procedures.access(), procedureId, origin),

    async refusal(procedureId: string, placementId: string, origin: string | undefined): Promise<RatingRefusal | null> {
      const access = await store.procedures.access();
      if (!access.exists(procedureId)) {
        return { status: 404, code: 'unknown_procedure', message: `No procedure is registered as "${procedureId}" (jdma procedure list).` };
      }
      if (access.isArchived(procedureId)) {
        return {
          status: 410,
          code: 'procedure_archived',
          message: `Procedure "${procedureId}" is archived (jdma procedure restore ${procedureId}).`,
        };
      }
      const wrongOrigin = originRefusalIn(access, procedureId, origin);
      if (wrongOrigin) return wrongOrigin;
      if (!access.hasPlacement(procedureId, placementId)) {
        return {
          status: 404,
          code: 'unknown_placement',
          message: `Procedure "${procedureId}" has no placement "${placementId}" (jdma placement add ${procedureId} ${placementId}).`,
        };
      }
      return null;
    },
  };
}
