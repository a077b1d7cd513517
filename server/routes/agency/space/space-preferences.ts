// A member's mail preferences and the one-click unsubscribe link (README "Mail"):
//   GET  /espace/preferences      every entity of the member, one form each
//   POST /espace/preferences      one entity's choices (CSRF like every form of the space), audited
//   GET  /espace/desabonnement    what the link would stop, and a button: a GET changes nothing,
//                                 since mail scanners follow links
//   POST /espace/desabonnement    RFC 8058: stops that one kind, without a session, audited
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireMember } from '../../../agency/access.ts';
import type { AuditTrail } from '../../../agency/audit-trail.ts';
import { HttpError, errorBody } from '../../../http-errors.ts';
import { type DigestFrequency, DIGEST_FREQUENCIES, choicesOf, saveChoices, unsubscribe } from '../../../agency/mail-preferences.ts';
import { type UnsubscribeTarget, verifyUnsubscribeToken } from '../../../mail/unsubscribe-token.ts';
import {
  type EntityPreferences,
  PREFERENCES_TEXTS,
  preferencesPage,
  unsubscribeConfirmPage,
  unsubscribedPage,
  unsubscribeWhat,
} from '../../../pages/space-admin/preferences-pages.ts';
import type { Store } from '../../../store/store.ts';
import { type SpacePages, spaceLang } from './space-pages.ts';
import { withLang } from '../../../../shared/languages.ts';

interface Options {
  store: Store;
  now: () => Date;
  audit: AuditTrail;
  pages: SpacePages;
}

const DoneQuerySchema = z.object({ fait: z.enum(['enregistre', 'inchange']).optional() });

/** A form field as sent: one text value, or undefined (missing, or repeated). */
const field = (request: FastifyRequest, name: string): string | undefined => {
  const value = (request.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
};

/** A repeated field (checkboxes): every value, or undefined when one is not text. */
const fields = (request: FastifyRequest, name: string): string[] | undefined => {
  const value = (request.body as Record<string, unknown> | undefined)?.[name];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.every((item) => typeof item === 'string') ? (list as string[]) : undefined;
};

const UNSUBSCRIBE_PATH = '/espace/desabonnement';

export async function spacePreferenceRoutes(app: FastifyInstance, { store, now, audit, pages }: Options): Promise<void> {
  const entitiesOf = async (caller: ReturnType<typeof requireMember>): Promise<EntityPreferences[]> => {
    const procedures = await store.procedures.list();
    const result: EntityPreferences[] = [];
    for (const [entityId, role] of caller.roles) {
      const entity = await store.entities.find(entityId);
      if (!entity) continue;
      result.push({
        entity,
        role,
        procedures: procedures.filter((p) => p.entityId === entityId && p.archivedAt === null).map((p) => ({ id: p.id, title: p.title })),
        choices: choicesOf(await store.notifications.preferencesOf(entityId, caller.email), role),
      });
    }
    return result.sort((a, b) => a.entity.name.localeCompare(b.entity.name, 'fr'));
  };

  const send = async (
    request: FastifyRequest,
    reply: FastifyReply,
    state: { status?: number; entityId?: string; message?: string } = {},
  ) => {
    const caller = requireMember(request);
    const query = DoneQuerySchema.safeParse(request.query);
    const done = state.status === undefined && query.success ? query.data.fait : undefined;
    const page = preferencesPage({
      lang: spaceLang(request),
      csrfToken: (await pages.account(request, reply))?.csrfToken ?? '',
      entities: await entitiesOf(caller),
      done: done === 'enregistre' ? 'saved' : done === 'inchange' ? 'unchanged' : undefined,
      error: state.entityId && state.message ? { entityId: state.entityId, message: state.message } : undefined,
    });
    return pages.send(request, reply, {
      ...page,
      status: state.status ?? 200,
      here: request.method === 'GET' ? request.url : withLang('/espace/preferences', spaceLang(request)),
    });
  };

  app.get('/espace/preferences', async (request, reply) => send(request, reply));

  app.post('/espace/preferences', async (request, reply) => {
    const caller = requireMember(request);
    const lang = spaceLang(request);
    const t = PREFERENCES_TEXTS[lang];
    const entityId = field(request, 'entity');
    const role = entityId === undefined ? undefined : caller.roles.get(entityId);
    // Another entity's form, or none: as the other pages answer what is not the caller's.
    if (entityId === undefined || role === undefined) throw new HttpError(404, 'entity_not_found', 'No such entity is yours.');
    const digest = field(request, 'digest');
    if (!(DIGEST_FREQUENCIES as readonly (string | undefined)[]).includes(digest)) {
      return send(request, reply, { status: 400, entityId, message: t.badDigest });
    }
    const ids = new Set((await store.procedures.list()).filter((p) => p.entityId === entityId && p.archivedAt === null).map((p) => p.id));
    const chosen = fields(request, 'new_reviews');
    if (!chosen?.every((id) => ids.has(id))) return send(request, reply, { status: 400, entityId, message: t.badProcedure });
    const flag = (name: string) => field(request, name) === 'on';
    const changed = await saveChoices(
      { store, audit },
      caller,
      entityId,
      {
        newReviews: new Set(chosen),
        integrationBroken: flag('integration_broken'),
        levelChange: flag('level_change'),
        digest: digest as DigestFrequency,
      },
      [...ids],
    );
    return reply.redirect(withLang(`/espace/preferences?fait=${changed ? 'enregistre' : 'inchange'}`, lang), 303);
  });

  // ---- One-click unsubscribe: the link's token is its only proof, so no session and no CSRF token.

  const QuerySchema = z.object({ t: z.string().max(2000), lang: z.string().optional() });
  const targetOf = async (request: FastifyRequest): Promise<UnsubscribeTarget | undefined> => {
    const query = QuerySchema.safeParse(request.query);
    return query.success ? verifyUnsubscribeToken(await store.notifications.signingKey(), query.data.t) : undefined;
  };
  const describe = async (request: FastifyRequest, target: UnsubscribeTarget) => {
    const lang = spaceLang(request);
    const entity = (await store.entities.find(target.entityId))?.name ?? target.entityId;
    const procedure = target.procedureId && ((await store.procedures.find(target.procedureId))?.title ?? target.procedureId);
    return { what: unsubscribeWhat(lang, target.kind, procedure || ''), entity };
  };
  const INVALID = 'This unsubscribe link is incomplete or was not made by this service: use the link of the mail itself.';

  app.get(UNSUBSCRIBE_PATH, async (request, reply) => {
    const target = await targetOf(request);
    if (!target) throw new HttpError(400, 'unsubscribe_invalid', PREFERENCES_TEXTS[spaceLang(request)].invalidLink);
    const page = unsubscribeConfirmPage(spaceLang(request), { ...(await describe(request, target)), action: request.url });
    return pages.send(request, reply, page);
  });

  app.post(UNSUBSCRIBE_PATH, { config: { csrf: false } }, async (request, reply) => {
    const target = await targetOf(request);
    // A mail client posts without reading the reply: the one error shape, not a page.
    if (!target) return reply.code(400).send(errorBody('unsubscribe_invalid', INVALID));
    await unsubscribe(store, now().getTime(), target);
    return pages.send(request, reply, unsubscribedPage(spaceLang(request), await describe(request, target)));
  });
}
