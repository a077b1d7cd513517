// The agency space's admin pages (SPEC §8): a procedure's settings, an entity's members and keys,
// its audit log. Access is asked of access.ts (a reader's or a key's request is a "not found" page,
// space-pages.ts), and every change is made by the same service as the API's (server/agency/), so
// it is checked and audited the same way. Forms post, then redirect back with a notice (`?fait=…`).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DEFAULT_PLACEMENT, type Lang } from '../../../../shared/questionnaire.ts';
import { requireCaller, requireEntity, requireProcedure } from '../../../agency/access.ts';
import type { AuditTrail } from '../../../agency/audit-trail.ts';
import {
  auditPage,
  changeMemberRole,
  createApiKey,
  type InviteByMail,
  inviteMember,
  removeMember,
  revokeApiKey,
} from '../../../agency/entity-admin.ts';
import { decideAccessRequest } from '../../../agency/access-requests.ts';
import { integrationHealth } from '../../../agency/integration-health.ts';
import { changeProcedure, type ProcedureChange, setProcedureArchived } from '../../../agency/procedure-settings.ts';
import { withLang } from '../../../../shared/languages.ts';
import { type SpacePages, spaceLang } from './space-pages.ts';
import type { Config } from '../../../config.ts';
import { HttpError } from '../../../http-errors.ts';
import { clientFile } from '../../../pages/client-files.ts';
import { archiveForm, inObservatory, parseFormChanges, publishForm, saveFormDraft } from '../../../agency/form-settings.ts';
import { ERROR_CODES } from '../../../error-codes.ts';
import { LOGO_MAX_BYTES, removeEntityLogo, setEntityLogo } from '../../../agency/entity-logo.ts';
import { logoPath } from '../../public/entity-logos.ts';
import { formChunkPath } from '../../public/widget-assets.ts';
import { formLangOf, formSettingsPath, postedLabels } from '../../../pages/space-admin/form-section.ts';
import type { FieldError } from '../../../pages/kit/dsfr.ts';
import { ADMIN_CSS_PATH, ADMIN_JS_PATH } from '../../../pages/space-admin/admin-parts.ts';
import { auditPage as auditLogPage } from '../../../pages/space-admin/audit-page.ts';
import { keyCreatedPage, membersPage, removalPage } from '../../../pages/space-admin/members-pages.ts';
import { settingsPage } from '../../../pages/space-admin/settings-page.ts';
import {
  EntityParamsSchema,
  KeyParamsSchema,
  NewKeySchema,
  NewMemberSchema,
  ProcedureChangeSchema,
  ProcedureParamsSchema,
} from '../../../schemas/agency-schemas.ts';
import type { QueueMail } from '../../../mail/mail-outbox.ts';
import { snippetBlocks } from '../../../snippet.ts';
import type { Store } from '../../../store/store.ts';

interface Options {
  config: Config;
  store: Store;
  now: () => Date;
  audit: AuditTrail;
  pages: SpacePages;
  invite?: InviteByMail | undefined;
  queueMail: QueueMail;
}

/** The health the settings page shows: the last 30 days, as the API's default. */
const HEALTH_DAYS = 30;
const AUDIT_PAGE_SIZE = 50;

const MESSAGES: Record<Lang, Record<string, string>> = {
  fr: {
    title: 'Saisissez un titre de 1 à 200 caractères.',
    product_id: 'Saisissez le numéro de la démarche chez JDMA\u00a0: un entier de 1 à 999\u00a0999.',
    product_id_taken: 'Ce numéro JDMA est déjà celui d’une autre démarche\u00a0: vérifiez-le, ou demandez à l’exploitant du service.',
    contact_url: 'Saisissez une adresse https:// (par exemple https://www.example.gouv.fr/contact), ou rien pour la retirer.',
    origin: 'Saisissez une origine\u00a0: https://nom-de-domaine, sans chemin (par exemple https://www.example.gouv.fr).',
    placement: 'Saisissez un emplacement de 2 à 64 caractères\u00a0: lettres minuscules, chiffres et tirets.',
    defaultPlacement: 'L’emplacement par défaut (default) ne peut pas être retiré\u00a0: les notes sans emplacement y vont.',
    email: 'Saisissez une adresse électronique valide, par exemple prenom.nom@example.gouv.fr.',
    role: 'Choisissez un rôle\u00a0: lecteur ou administrateur.',
    name: 'Saisissez un nom de 1 à 100 caractères, sans barre oblique ni espaces répétées.',
    procedures: 'Cochez des démarches de cette entité, ou aucune pour toutes.',
    member_exists: 'Cette adresse est déjà membre de l’entité\u00a0: changez son rôle dans le tableau.',
    last_admin: 'Une entité garde au moins un administrateur\u00a0: nommez d’abord un autre administrateur.',
    member_not_found: 'Cette adresse n’est pas (ou plus) membre de l’entité.',
    key_exists: 'Une clé active porte déjà ce nom\u00a0: choisissez-en un autre, ou révoquez l’ancienne.',
    key_not_found: 'Aucune clé active ne porte ce nom\u00a0: elle a peut-être déjà été révoquée.',
    query: 'Cette adresse de page est incorrecte.',
    access_request_not_found: 'Cette demande d’accès n’attend plus de réponse\u00a0: un autre administrateur y a peut-être déjà répondu.',
  },
  en: {
    title: 'Type a title of 1 to 200 characters.',
    product_id: 'Type the procedure’s number at JDMA: a whole number from 1 to 999,999.',
    product_id_taken: 'This JDMA number already is another procedure’s: check it, or ask the collector’s operator.',
    contact_url: 'Type an https:// address (for example https://www.example.gouv.fr/contact), or nothing to remove it.',
    origin: 'Type an origin: https://domain-name, without a path (for example https://www.example.gouv.fr).',
    placement: 'Type a placement of 2 to 64 characters: lowercase letters, digits and dashes.',
    defaultPlacement: 'The default placement cannot be removed: ratings without a placement go there.',
    email: 'Type a valid e-mail address, for example firstname.lastname@example.gouv.fr.',
    role: 'Choose a role: reader or admin.',
    name: 'Type a name of 1 to 100 characters, without slashes or repeated spaces.',
    procedures: 'Tick procedures of this entity, or none for all.',
    member_exists: 'This address already is a member of the entity: change their role in the table.',
    last_admin: 'An entity keeps at least one admin: make someone else admin first.',
    member_not_found: 'This address is not (or no longer) a member of the entity.',
    key_exists: 'A live key already has this name: choose another one, or revoke the old one.',
    key_not_found: 'No live key has this name: it may already have been revoked.',
    query: 'This page address is wrong.',
    access_request_not_found: 'This access request no longer waits for an answer: another admin may have answered it already.',
  },
};

/** A form field as sent: one text value, or undefined (missing, or repeated). */
function field(request: FastifyRequest, name: string): string | undefined {
  const value = (request.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** A repeated form field (checkboxes): every value, or undefined when one is not text. */
function fields(request: FastifyRequest, name: string): string[] | undefined {
  const value = (request.body as Record<string, unknown> | undefined)?.[name];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.every((item) => typeof item === 'string') ? (list as string[]) : undefined;
}

const PageQuerySchema = z.object({
  fait: z.string().optional(),
  emplacement: z.string().optional(),
  'langue-formulaire': z.string().optional(),
});
const AuditPageQuerySchema = z.object({
  avant: z
    .string()
    .regex(/^[1-9]\d{0,15}$/)
    .optional(),
});

export async function spaceAdminRoutes(
  app: FastifyInstance,
  { config, store, now, audit, pages, invite, queueMail }: Options,
): Promise<void> {
  const script = clientFile('admin.js');
  const styles = clientFile('admin.css');
  app.get(ADMIN_JS_PATH, async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(script));
  app.get(ADMIN_CSS_PATH, async (_request, reply) => reply.type('text/css; charset=utf-8').send(styles));

  const csrfTokenOf = async (request: FastifyRequest, reply: FastifyReply) => (await pages.account(request, reply))?.csrfToken ?? '';

  // ---- Settings

  /** The procedure of the path, for its admins only (signed out 401, out of scope 404, reader or key 403 → "not found"). */
  const adminProcedure = (request: FastifyRequest) => {
    requireCaller(request);
    const params = ProcedureParamsSchema.safeParse(request.params);
    if (!params.success) throw new HttpError(404, 'not_found', 'No such page.');
    return requireProcedure(store, request, params.data.id, 'admin');
  };

  const sendSettings = async (
    request: FastifyRequest,
    reply: FastifyReply,
    procedure: Awaited<ReturnType<typeof adminProcedure>>,
    state: { status?: number; error?: FieldError } = {},
  ) => {
    const query = PageQuerySchema.safeParse(request.query);
    const asked = query.success ? query.data.emplacement : undefined;
    // The snippet of a placement the procedure has; anything else shows the default one.
    const placement = asked && asked !== DEFAULT_PLACEMENT && procedure.placements.includes(asked) ? asked : undefined;
    const health = await integrationHealth(store, now(), procedure, HEALTH_DAYS);
    const formLang = formLangOf(query.success ? query.data['langue-formulaire'] : undefined);
    const form = {
      draft: await store.forms.draft(procedure.id),
      published: await store.forms.published(procedure.id),
      inObservatory: await inObservatory(store, procedure.id, config.feedMinReviews, now().toISOString().slice(0, 10)),
      formLang,
      chunk: formChunkPath(formLang),
    };
    const page = settingsPage({
      lang: spaceLang(request),
      csrfToken: await csrfTokenOf(request, reply),
      procedure,
      health,
      placement,
      blocks: snippetBlocks(config, procedure.id, placement),
      done: state.status === undefined && query.success ? query.data.fait : undefined,
      error: state.error,
      form,
      contactUrl: await store.problemReports.contactUrl(procedure.id),
    });
    // A form's reply switches language on its page's address, not the form's (which answers POST only).
    const here =
      request.method === 'GET'
        ? request.url
        : withLang(`/espace/demarches/${encodeURIComponent(procedure.id)}/reglages`, spaceLang(request));
    return pages.send(request, reply, { ...page, status: state.status ?? 200, here });
  };

  app.get('/espace/demarches/:id/reglages', async (request, reply) => sendSettings(request, reply, await adminProcedure(request)));

  const settingsDone = (reply: FastifyReply, request: FastifyRequest, procedureId: string, done: string) =>
    reply.redirect(withLang(`/espace/demarches/${encodeURIComponent(procedureId)}/reglages?fait=${done}`, spaceLang(request)), 303);

  /** A settings form: its field becomes the API's change, validated by the API's schema, and applied by its service. */
  const changeForm =
    (formField: string, toChange: (value: string) => unknown, done: string) => async (request: FastifyRequest, reply: FastifyReply) => {
      const procedure = await adminProcedure(request);
      const lang = spaceLang(request);
      const value = field(request, formField);
      const parsed = value === undefined ? undefined : ProcedureChangeSchema.safeParse(toChange(value));
      if (!parsed?.success) {
        const defaultRemoved = formField === 'placement' && value?.trim() === DEFAULT_PLACEMENT;
        const message = MESSAGES[lang][defaultRemoved ? 'defaultPlacement' : formField]!;
        return sendSettings(request, reply, procedure, { status: 400, error: { field: formField, value: value ?? '', message } });
      }
      let changed: boolean;
      try {
        ({ changed } = await changeProcedure(store, audit, requireCaller(request), procedure, parsed.data as ProcedureChange));
      } catch (error) {
        if (!(error instanceof HttpError) || error.code !== 'product_id_taken') throw error;
        const message = MESSAGES[lang].product_id_taken!;
        return sendSettings(request, reply, procedure, { status: 409, error: { field: formField, value: value ?? '', message } });
      }
      return settingsDone(reply, request, procedure.id, changed ? done : 'inchange');
    };
  const base = '/espace/demarches/:id/reglages';
  app.post(
    `${base}/titre`,
    changeForm('title', (title) => ({ title }), 'titre'),
  );
  app.post(
    `${base}/numero-jdma`,
    // Digits only become a number: anything else stays text, which the schema refuses with the field's message.
    changeForm('product_id', (value) => ({ product_id: /^\d{1,7}$/.test(value.trim()) ? Number(value.trim()) : value }), 'numero-jdma'),
  );
  app.post(
    `${base}/contact`,
    changeForm('contact_url', (url) => ({ contact_url: url.trim() === '' ? null : url.trim() }), 'contact'),
  );
  app.post(
    `${base}/origines`,
    changeForm('origin', (origin) => ({ origins: { add: [origin.trim()] } }), 'origine-ajoutee'),
  );
  app.post(
    `${base}/origines/retirer`,
    changeForm('origin', (origin) => ({ origins: { remove: [origin] } }), 'origine-retiree'),
  );
  app.post(
    `${base}/emplacements`,
    changeForm('placement', (p) => ({ placements: { add: [p.trim()] } }), 'emplacement-ajoute'),
  );
  app.post(
    `${base}/emplacements/retirer`,
    changeForm('placement', (p) => ({ placements: { remove: [p] } }), 'emplacement-retire'),
  );
  app.post(
    `${base}/emplacements/test`,
    changeForm('placement', (p) => ({ test_placements: { add: [p] } }), 'emplacement-test'),
  );
  app.post(
    `${base}/emplacements/compter`,
    changeForm('placement', (p) => ({ test_placements: { remove: [p] } }), 'emplacement-compte'),
  );
  // The form (SPEC §3 "Customisation"): a refusal (an indicator step of a procedure the observatory
  // publishes, a label too long) is the settings page again, saying why, with nothing stored.
  const formAction =
    (act: (request: FastifyRequest, procedure: Awaited<ReturnType<typeof adminProcedure>>) => Promise<unknown>, done: string) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const procedure = await adminProcedure(request);
      const lang = spaceLang(request);
      try {
        await act(request, procedure);
      } catch (error) {
        if (!(error instanceof HttpError) || error.statusCode >= 500) throw error;
        const message = `${ERROR_CODES[error.code][lang]}${error.details?.[0] ? ` (${error.details[0].field})` : ''}`;
        return sendSettings(request, reply, procedure, { status: error.statusCode, error: { field: 'hidden', value: '', message } });
      }
      const formLang = formLangOf(field(request, 'lang'));
      return reply.redirect(formSettingsPath(procedure.id, lang, formLang).replace('#', `&fait=${done}#`), 303);
    };
  const rules = { minReviews: config.feedMinReviews, now };
  app.post(
    `${base}/formulaire`,
    formAction(async (request, procedure) => {
      const formLang = formLangOf(field(request, 'lang'));
      const draft = (await store.forms.draft(procedure.id))?.changes ?? { hidden: [], labels: {} };
      const labels = { ...draft.labels, [formLang]: postedLabels(request.body as Record<string, unknown>) };
      const changes = parseFormChanges({ hidden: fields(request, 'hidden') ?? [], labels });
      await saveFormDraft(store, audit, requireCaller(request), procedure, changes, rules);
    }, 'formulaire-enregistre'),
  );
  app.post(
    `${base}/formulaire/publier`,
    formAction((request, procedure) => publishForm(store, audit, requireCaller(request), procedure, rules), 'formulaire-publie'),
  );
  app.post(
    `${base}/formulaire/archiver`,
    formAction((request, procedure) => archiveForm(store, audit, requireCaller(request), procedure, now), 'formulaire-archive'),
  );
  for (const [path, archived, done] of [
    ['archiver', true, 'archivee'],
    ['reactiver', false, 'reactivee'],
  ] as const) {
    app.post(`${base}/${path}`, async (request, reply) => {
      const procedure = await adminProcedure(request);
      const after = await setProcedureArchived(store, audit, requireCaller(request), procedure, archived);
      return settingsDone(
        reply,
        request,
        procedure.id,
        (after.archivedAt !== null) === (procedure.archivedAt !== null) ? 'inchange' : done,
      );
    });
  }

  // ---- Members and keys

  /** The entity of the path, for its admins only, with what its pages show. */
  const adminEntity = async (request: FastifyRequest) => {
    requireCaller(request);
    const params = EntityParamsSchema.safeParse({ entity: (request.params as { entity?: unknown }).entity });
    if (!params.success) throw new HttpError(404, 'not_found', 'No such page.');
    const caller = requireEntity(request, params.data.entity, 'admin');
    const entity = await store.entities.find(params.data.entity);
    if (!entity) throw new HttpError(404, 'entity_not_found', `No entity "${params.data.entity}" is yours.`);
    return { caller, entity, admin: { store, audit, caller, entityId: entity.id, invite } };
  };

  const sendMembers = async (
    request: FastifyRequest,
    reply: FastifyReply,
    entity: { id: string; name: string },
    state: { status?: number; error?: FieldError; failure?: string; form?: { role?: string; procedures?: string[] } } = {},
  ) => {
    const caller = requireCaller(request);
    const query = PageQuerySchema.safeParse(request.query);
    const procedures = (await store.procedures.list()).filter((p) => p.entityId === entity.id);
    const page = membersPage({
      lang: spaceLang(request),
      csrfToken: await csrfTokenOf(request, reply),
      email: caller.kind === 'member' ? caller.email : '',
      entity,
      members: await store.members.list(entity.id),
      requests: await store.accessRequests.pending(entity.id),
      keys: await store.apiKeys.list(entity.id),
      logo: await store.entities.logo(entity.id).then((logo) => logo && logoPath(entity.id, logo.etag)),
      procedures: procedures.map((p) => ({ id: p.id, title: p.title })),
      done: state.status === undefined && query.success ? query.data.fait : undefined,
      failure: state.failure,
      error: state.error,
      form: state.form,
    });
    const here =
      request.method === 'GET' ? request.url : withLang(`/espace/entites/${encodeURIComponent(entity.id)}/membres`, spaceLang(request));
    return pages.send(request, reply, { ...page, status: state.status ?? 200, here });
  };

  /** A refusal the services give a well-formed form (409, or a member or key gone meanwhile): the page, with it said. */
  const refused = (error: unknown): error is HttpError =>
    error instanceof HttpError && ['member_exists', 'last_admin', 'member_not_found', 'key_exists', 'key_not_found'].includes(error.code);

  const membersDone = (reply: FastifyReply, request: FastifyRequest, entityId: string, done: string) =>
    reply.redirect(withLang(`/espace/entites/${encodeURIComponent(entityId)}/membres?fait=${done}`, spaceLang(request)), 303);

  app.get('/espace/entites/:entity/membres', async (request, reply) => sendMembers(request, reply, (await adminEntity(request)).entity));

  // ---- The entity's logo: a file input posts multipart/form-data, which works without script. The
  // platform's FormData reads it (no multipart dependency); the limit leaves room for the form's
  // other fields and the part headers around a logo of LOGO_MAX_BYTES, so that a logo somewhat over
  // it is still read and refused by name (413 logo_too_large).
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: 2 * LOGO_MAX_BYTES },
    async (request: FastifyRequest, body: Buffer) => {
      let form: FormData;
      try {
        form = await new Response(new Uint8Array(body), {
          headers: { 'content-type': String(request.headers['content-type']) },
        }).formData();
      } catch {
        throw new HttpError(400, 'invalid_body', 'This multipart body cannot be read.');
      }
      const fields: Record<string, string | Buffer> = {};
      for (const [name, value] of form) {
        fields[name] = typeof value === 'string' ? value : Buffer.from(await value.arrayBuffer());
      }
      return fields;
    },
  );

  const logoRefused = (error: unknown): error is HttpError =>
    error instanceof HttpError && ['logo_missing', 'logo_too_large', 'logo_type_unsupported'].includes(error.code);

  app.post('/espace/entites/:entity/logo', async (request, reply) => {
    const { entity, caller } = await adminEntity(request);
    const file = (request.body as Record<string, unknown> | undefined)?.logo;
    try {
      await setEntityLogo(store, audit, caller, entity.id, Buffer.isBuffer(file) ? file : undefined, now);
    } catch (error) {
      if (!logoRefused(error)) throw error;
      const label = ERROR_CODES[error.code][spaceLang(request)];
      return sendMembers(request, reply, entity, {
        status: error.statusCode,
        failure: `${label.charAt(0).toUpperCase()}${label.slice(1)}.`,
      });
    }
    return membersDone(reply, request, entity.id, 'logo-enregistre');
  });

  app.post('/espace/entites/:entity/logo/retirer', async (request, reply) => {
    const { entity, caller } = await adminEntity(request);
    await removeEntityLogo(store, audit, caller, entity.id);
    return membersDone(reply, request, entity.id, 'logo-retire');
  });

  app.post('/espace/entites/:entity/membres', async (request, reply) => {
    const { entity, admin } = await adminEntity(request);
    const lang = spaceLang(request);
    const form = { email: field(request, 'email')?.trim(), role: field(request, 'role') };
    const parsed = NewMemberSchema.safeParse(form);
    if (!parsed.success) {
      const wrong = parsed.error.issues[0]?.path[0] === 'role' ? 'role' : 'email';
      return sendMembers(request, reply, entity, {
        status: 400,
        error: { field: wrong, value: form.email ?? '', message: MESSAGES[lang][wrong]! },
        form: { role: form.role ?? 'reader' },
      });
    }
    try {
      await inviteMember(admin, parsed.data.email, parsed.data.role);
    } catch (error) {
      if (!refused(error)) throw error;
      return sendMembers(request, reply, entity, {
        status: error.statusCode,
        error: { field: 'email', value: form.email ?? '', message: MESSAGES[lang][error.code]! },
        form: { role: parsed.data.role },
      });
    }
    return membersDone(reply, request, entity.id, 'membre-invite');
  });

  /** A member named by the form: the API's address rule, or the page again saying what was wrong. */
  const memberOfForm = (request: FastifyRequest) => NewMemberSchema.shape.email.safeParse(field(request, 'email') ?? '');

  app.post('/espace/entites/:entity/membres/role', async (request, reply) => {
    const { entity, admin } = await adminEntity(request);
    const lang = spaceLang(request);
    const email = memberOfForm(request);
    const role = NewMemberSchema.shape.role.safeParse(field(request, 'role'));
    if (!email.success || !role.success) {
      return sendMembers(request, reply, entity, { status: 400, failure: MESSAGES[lang][email.success ? 'role' : 'email'] });
    }
    try {
      await changeMemberRole(admin, email.data, role.data);
    } catch (error) {
      if (!refused(error)) throw error;
      return sendMembers(request, reply, entity, { status: error.statusCode, failure: MESSAGES[lang][error.code] });
    }
    return membersDone(reply, request, entity.id, 'role-change');
  });

  app.post('/espace/entites/:entity/membres/retirer', async (request, reply) => {
    const { entity, admin } = await adminEntity(request);
    const lang = spaceLang(request);
    const email = memberOfForm(request);
    if (!email.success) return sendMembers(request, reply, entity, { status: 400, failure: MESSAGES[lang].email });
    if (field(request, 'confirm') !== 'oui') {
      const page = removalPage(lang, { csrfToken: await csrfTokenOf(request, reply), entity, email: email.data });
      return pages.send(request, reply, { ...page, here: withLang(`/espace/entites/${encodeURIComponent(entity.id)}/membres`, lang) });
    }
    try {
      await removeMember(admin, email.data);
    } catch (error) {
      if (!refused(error)) throw error;
      return sendMembers(request, reply, entity, { status: error.statusCode, failure: MESSAGES[lang][error.code] });
    }
    return membersDone(reply, request, entity.id, 'membre-retire');
  });

  // An access request, answered: the agent is told by mail either way (server/agency/access-requests.ts).
  const RequestParamsSchema = z.object({
    id: z
      .string()
      .regex(/^[1-9]\d{0,14}$/)
      .transform(Number),
  });
  for (const [path, done] of [
    ['accepter', 'demande-acceptee'],
    ['refuser', 'demande-refusee'],
  ] as const) {
    app.post(`/espace/entites/:entity/demandes/:id/${path}`, async (request, reply) => {
      const { caller, entity } = await adminEntity(request);
      const params = RequestParamsSchema.safeParse(request.params);
      if (!params.success) throw new HttpError(404, 'access_request_not_found', 'No such access request.');
      let decision: { accept: 'admin' | 'reader' } | 'refuse' = 'refuse';
      if (path === 'accepter') {
        const role = NewMemberSchema.shape.role.safeParse(field(request, 'role'));
        if (!role.success) return sendMembers(request, reply, entity, { status: 400, failure: MESSAGES[spaceLang(request)].role });
        decision = { accept: role.data };
      }
      const deps = { store, publicUrl: config.publicUrl, queue: queueMail, now, audit, caller, entity };
      try {
        await decideAccessRequest(deps, params.data.id, decision);
      } catch (error) {
        if (!(error instanceof HttpError && error.code === 'access_request_not_found')) throw error;
        return sendMembers(request, reply, entity, { status: 404, failure: MESSAGES[spaceLang(request)].access_request_not_found });
      }
      return membersDone(reply, request, entity.id, done);
    });
  }

  // The key is in this reply only: rendered here (no redirect, nothing in an address), and the
  // agency scope makes every reply no-store, so no cache and no history keeps the page.
  app.post('/espace/entites/:entity/cles', async (request, reply) => {
    const { entity, admin } = await adminEntity(request);
    const lang = spaceLang(request);
    const name = field(request, 'name');
    const chosen = fields(request, 'procedures');
    const parsed = NewKeySchema.safeParse({ name, procedures: chosen && chosen.length > 0 ? chosen : null });
    const form = { procedures: chosen ?? [] };
    if (!parsed.success || !chosen) {
      const wrong = !chosen || parsed.error?.issues[0]?.path[0] === 'procedures' ? 'procedures' : 'name';
      return sendMembers(request, reply, entity, {
        status: 400,
        error: { field: wrong, value: name ?? '', message: MESSAGES[lang][wrong]! },
        form,
      });
    }
    let created: Awaited<ReturnType<typeof createApiKey>>;
    try {
      created = await createApiKey(admin, parsed.data.name, parsed.data.procedures ?? null);
    } catch (error) {
      if (error instanceof HttpError && error.code === 'procedure_not_found') {
        return sendMembers(request, reply, entity, {
          status: 400,
          error: { field: 'procedures', value: name ?? '', message: MESSAGES[lang].procedures! },
          form,
        });
      }
      if (!refused(error)) throw error;
      return sendMembers(request, reply, entity, {
        status: error.statusCode,
        error: { field: 'name', value: name ?? '', message: MESSAGES[lang][error.code]! },
        form,
      });
    }
    const page = keyCreatedPage(lang, { entity, name: created.apiKey.name, key: created.key, publicUrl: config.publicUrl });
    // Its language link leads back to the members page: the key is not shown twice.
    return pages.send(request, reply, {
      ...page,
      status: 201,
      here: withLang(`/espace/entites/${encodeURIComponent(entity.id)}/membres`, lang),
    });
  });

  app.post('/espace/entites/:entity/cles/revoquer', async (request, reply) => {
    const { entity, admin } = await adminEntity(request);
    const lang = spaceLang(request);
    const name = KeyParamsSchema.shape.name.safeParse(field(request, 'name'));
    if (!name.success) return sendMembers(request, reply, entity, { status: 400, failure: MESSAGES[lang].key_not_found });
    try {
      await revokeApiKey(admin, name.data, now());
    } catch (error) {
      if (!refused(error)) throw error;
      return sendMembers(request, reply, entity, { status: error.statusCode, failure: MESSAGES[lang][error.code] });
    }
    return membersDone(reply, request, entity.id, 'cle-revoquee');
  });

  // ---- Audit log

  app.get('/espace/entites/:entity/journal', async (request, reply) => {
    const { entity } = await adminEntity(request);
    const query = AuditPageQuerySchema.safeParse(request.query);
    if (!query.success) throw new HttpError(400, 'invalid_query', MESSAGES[spaceLang(request)].query!);
    const before = query.data.avant === undefined ? undefined : Number(query.data.avant);
    const { entries, nextBefore } = await auditPage(store, entity.id, { before, limit: AUDIT_PAGE_SIZE });
    return pages.send(request, reply, auditLogPage({ lang: spaceLang(request), entity, entries, before, nextBefore }));
  });
}
