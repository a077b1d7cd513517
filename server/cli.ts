import { addDays, DAY_MS, utcDay } from '../shared/feed-window.ts';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import { startServer } from './server.ts';
import { migrateData } from './store/migrate-data.ts';
import { openStore } from './store/open-store.ts';
import { purge } from './retention.ts';
import { countQueuedTerms } from './term-counting.ts';
import {
  type MailKind,
  type MemberRole,
  OTHER_KEY,
  type Procedure,
  ProductIdTakenError,
  SchemaTooNewError,
  StorageUnavailableError,
  type Store,
  UnknownEntityError,
} from './store/store.ts';
import { LOGIN_LINK_MS } from './agency/lifetimes.ts';
import { API_KEY_PREFIX, hashSecret, newSecret } from './agency/secrets.ts';
import { DEFAULT_PLACEMENT, SLUG_PATTERN } from '../shared/questionnaire.ts';
import { ensureDemoProcedure } from './demo-procedure.ts';
import { snippet } from './snippet.ts';
import { CONTROL_CHARACTER } from './schemas/text-fields.ts';
import { deliverNow } from './mail/deliver-now.ts';
import { queueLoginLink, SIGN_IN_MAILS_PER_ADDRESS } from './mail/login-link-mail.ts';
import { mailQueue } from './mail/mail-outbox.ts';
import { testMail } from './mail/mail-templates.ts';
import { EDITION_USAGE, editionCommand } from './cli/edition.ts';
import { healthFix, healthTotals, isOtherOrigin, refusalKind } from './agency/integration-health.ts';

// The operator's command line: entities, members, API keys, login links, procedures, origins,
// placements, snippets, integration health. Every failure is one line on stderr and a non-zero
// exit, with nothing written; every change to agency access goes to the audit log as `operator`.
const USAGE = `Usage : jdma <commande>
  entity add <id> --name <nom>        une administration (ministère, agence, opérateur)
  entity list
  member add <entité> <adresse> --role admin|reader   ajoute un membre, ou change son rôle
  member list <entité>
  member remove <entité> <adresse>
  key create <entité> --name <nom> [--procedure <id> …]   clé d’API en lecture, affichée une seule fois
  key list <entité>
  key revoke <entité> <nom>
  login-link <adresse> [--send] [--lang fr|en]   lien de connexion à usage unique, valable 15 minutes, pour un membre ;
                                      avec --send, envoyé par courriel au lieu d’être affiché
  mail test <adresse> [--lang fr|en]  envoie un courriel d’essai (SMTP_URL, sinon un fichier .eml dans le dossier des données)
  mail list [--failed]                les 50 derniers courriels de la file d’envoi (--failed : abandonnés après un jour d’essais)
  procedure add <id> --title <titre> --entity <id d’entité> --origin <https://…> [--origin …] [--placement <id> …]
  procedure list [--json]
  procedure show <id> [--json]        la démarche, ses avis, ses problèmes d’intégration et limites anti-abus (30 jours)
  procedure rename <id> --title <titre> [--entity <id d’entité>]
  procedure archive <id>              plus aucune note acceptée ; retirée du flux, données conservées
  procedure restore <id>
  procedure product-id <id> [<numéro>]  son numéro pour la compatibilité JDMA ; avec un numéro JDMA (1 à 999999), l’enregistre
  origin add|remove <procédure> <https://…>
  placement add|remove <procédure> <emplacement>
  placement test|live <procédure> <emplacement>   emplacement de test : ses avis à venir sont listés, jamais comptés ; live l’y remet
  snippet <procédure> [--placement <emplacement>]
  rollups rebuild                     recalcule les agrégats du flux, et les termes des commentaires des jours que la purge n’a pas atteints
  purge                               efface maintenant ce qu’efface la purge horaire : texte libre trop ancien, jetons
                                      expirés, sessions terminées, liens de connexion utilisés, journal d’audit de plus d’un an,
                                      clés des formulaires hébergés de plus de 24 heures, courriels envoyés de plus de 30 jours
${EDITION_USAGE}
  migrate-data --from <fichier SQLite> --to <postgres://…>   copie une installation SQLite vers PostgreSQL
  serve [--demo]
Configuration par variables d’environnement : PORT, HOST, DATABASE_PATH, PUBLIC_URL, SMTP_URL, MAIL_FROM (voir README).`;

class UsageError extends Error {}

const CONTROL_CHARACTERS = new RegExp(CONTROL_CHARACTER.source, 'gu');
const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A stored text as the terminal shows it: each control character written as an escape (\n, \t,
 * \x1b, \u{202e}), so that no title, name or origin can move the cursor, recolour or clear the
 * operator's terminal, reorder a line, or break a list's one line per row. The API refuses them
 * now, but rows stored before, or by another route, may still hold some.
 */
function printable(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (c) => {
    const code = c.charCodeAt(0);
    return NAMED_ESCAPES[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`);
  });
}

/** A line of output whose interpolated values are printable(); the template's own tabs stay tabs. */
const shown = (parts: TemplateStringsArray, ...values: unknown[]): string =>
  parts.reduce((line, part, i) => line + printable(String(values[i - 1])) + part);

/** JSON for the terminal: JSON.stringify escapes the C0 controls in strings; DEL, C1, separators and bidi controls too. */
const json = (value: unknown): string =>
  JSON.stringify(value, null, 2).replace(/[\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu, (c) => {
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });

/** Arguments with a control character are refused before anything is read or written: they would be stored as typed. */
function refuseControlCharacters(args: readonly string[]): void {
  const wrong = args.find((arg) => CONTROL_CHARACTER.test(arg));
  if (wrong !== undefined) {
    throw new UsageError(
      `argument refusé « ${printable(wrong)} » : il contient un caractère de contrôle (saut de ligne, tabulation, échappement…) ou de direction du texte.`,
    );
  }
}

function slugArg(value: string | undefined, what: string): string {
  if (value === undefined) throw new UsageError(`${what} manquant (voir : jdma --help).`);
  if (!SLUG_PATTERN.test(value)) {
    throw new UsageError(`${what} invalide « ${value} » : minuscules, chiffres et tirets, de 2 à 64 caractères.`);
  }
  return value;
}

/** An allowed origin is scheme://host[:port], nothing more (SPEC §2). */
export function parseOrigin(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {}
  const bare = url && url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
  if (!url || !bare || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(`origine invalide « ${value} » : attendu http(s)://hôte[:port], sans chemin.`);
  }
  return url.origin;
}

// Listening on every interface says nothing of the address that pages and e-mails must name.
const WILDCARD_HOSTS = ['0.0.0.0', '::'];
const PUBLIC_URL_NEEDED =
  'PUBLIC_URL doit être défini : avec HOST=0.0.0.0, le collecteur ne sait pas à quelle adresse les pages le joignent (ex. PUBLIC_URL=https://avis.example.gouv.fr).';

const daysAgo = (days: number): string => new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);

const unknownEntity = (id: string) =>
  new UsageError(`entité inconnue « ${id} » : créez-la d’abord (jdma entity add ${id} --name <nom>) ; voir : jdma entity list.`);

/** The entity an option or argument names by id; an unknown one says how to create it. */
async function requireEntity(store: Store, value: string | undefined, what = 'identifiant d’entité'): Promise<string> {
  if (value === undefined) throw new UsageError(`${what} manquant (voir : jdma --help).`);
  const id = value.trim();
  // Not a slug: most likely an entity's name, as procedures took before entities had ids.
  if (!SLUG_PATTERN.test(id)) {
    throw new UsageError(
      `« ${id} » n’est pas un identifiant d’entité (voir : jdma entity list) ; pour en créer une : jdma entity add <id> --name "${id}".`,
    );
  }
  if (!(await store.entities.find(id))) throw unknownEntity(id);
  return id;
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
function emailArg(value: string | undefined): string {
  if (value === undefined) throw new UsageError('adresse e-mail manquante (voir : jdma --help).');
  if (!EMAIL_PATTERN.test(value) || value.length > 254) throw new UsageError(`adresse e-mail invalide « ${value} ».`);
  return value.toLowerCase();
}

function langArg(value: string | undefined): 'fr' | 'en' {
  if (value === undefined || value === 'fr' || value === 'en') return value ?? 'fr';
  throw new UsageError(`langue invalide « ${value} » : fr ou en.`);
}

/** A mail not delivered yet is said on stderr, with exit status 1: a script sees that the SMTP server refused it. */
function report({ sent, message }: { sent: boolean; message: string }): void {
  if (sent) {
    console.log(message);
    return;
  }
  console.error(`jdma : ${message}`);
  process.exitCode = 1;
}

const MAIL_KINDS: Record<MailKind, string> = {
  login_link: 'lien de connexion',
  invitation: 'invitation',
  test: 'essai',
  access_request: 'demande d’accès',
  access_answer: 'réponse à une demande d’accès',
  new_reviews: 'alerte nouveaux avis',
  integration_broken: 'alerte intégration cassée',
  level_change: 'alerte changement de niveau',
  digest: 'synthèse',
};

const ROLES: Record<MemberRole, string> = { admin: 'administrateur', reader: 'lecteur' };
function roleArg(value: string | undefined): MemberRole {
  if (value === undefined) throw new UsageError('--role est obligatoire : admin ou reader.');
  if (value !== 'admin' && value !== 'reader') throw new UsageError(`rôle invalide « ${value} » : admin ou reader.`);
  return value;
}

function nameArg(value: string | undefined, option: string): string {
  const name = value?.trim();
  if (!name) throw new UsageError(`${option} est obligatoire.`);
  if (name.length > 200) throw new UsageError(`${option} : 200 caractères au plus.`);
  return name;
}

const day = (iso: string | null) => iso?.slice(0, 10) ?? '';

async function requireProcedure(store: Store, id: string): Promise<Procedure> {
  const procedure = await store.procedures.find(id);
  if (procedure) return procedure;
  // A mistyped data-procedure shows up here: say how many ratings it cost.
  const refused = (await store.refusedRatings.since(id, daysAgo(30))).reduce((total, row) => total + row.count, 0);
  const lost = refused > 0 ? ` ; ${refused} note(s) refusée(s) sous cet identifiant en 30 jours` : '';
  throw new UsageError(`démarche inconnue « ${id} »${lost} (voir : jdma procedure list).`);
}

/** The refusal codes of the integration health, as an agency reads them. */
const REASONS: Record<string, string> = {
  origin_not_allowed: 'origine non autorisée',
  unknown_procedure: 'démarche inconnue',
  unknown_placement: 'emplacement inconnu',
  placement_defaulted: 'emplacement inconnu (lien : note enregistrée sous « default »)',
  procedure_archived: 'démarche archivée',
  rate_limited: 'trop d’envois',
  too_many_ratings: 'trop de notes du même client dans la journée',
  honeypot: 'formulaire hébergé rempli par un robot (champ piège)',
  form_too_fast: 'formulaire hébergé renvoyé en moins de 2 secondes (à confirmer)',
  form_signature_invalid: 'formulaire hébergé non signé ou périmé (à confirmer)',
  invalid_body: 'requête invalide',
  invalid_json: 'requête invalide',
  invalid_token: 'jeton invalide',
  follow_up_expired: 'délai de réponse dépassé',
  unknown_review: 'avis inconnu',
  body_too_large: 'requête trop grande',
  unsupported_media_type: 'format de requête refusé',
};

/** The fix an agency can run for a refusal, when there is one. */
function fixFor(procedureId: string, row: { reason: string; origin: string; placementId: string }): string {
  const fix = healthFix(row);
  if (fix?.kind === 'add_origin') return `jdma origin add ${procedureId} ${fix.origin}`;
  if (fix?.kind === 'add_placement') return `jdma placement add ${procedureId} ${fix.placement}`;
  if (fix?.kind === 'restore') return `jdma procedure restore ${procedureId}`;
  return '';
}

/** Lines `show` prints per part of the health; the rest are summed, however many origins a flood invented (all in --json). */
const HEALTH_LINES = 20;

const originWords = (origin: string) => (isOtherOrigin(origin) ? 'd’autres origines' : origin);
const placementWords = (placement: string) =>
  placement === OTHER_KEY
    ? ', d’autres emplacements'
    : placement && placement !== DEFAULT_PLACEMENT
      ? `, emplacement « ${placement} »`
      : '';

/** At most HEALTH_LINES lines, then one that sums the others. */
function capped<T extends { count: number }>(rows: readonly T[], line: (row: T) => string, id: string): string[] {
  const rest = rows.slice(HEALTH_LINES);
  const more = rest.reduce((sum, row) => sum + row.count, 0);
  return [
    ...rows.slice(0, HEALTH_LINES).map(line),
    ...(rest.length > 0 ? [`    … et ${rest.length} autres lignes, ${more} note(s) (jdma procedure show ${id} --json)`] : []),
  ];
}

async function showProcedure(store: Store, procedure: Procedure, asJson: boolean): Promise<void> {
  const reviews = {
    last_7_days: await store.procedures.reviewsSince(procedure.id, daysAgo(6)),
    last_30_days: await store.procedures.reviewsSince(procedure.id, daysAgo(29)),
  };
  const refused = (await store.refusedRatings.since(procedure.id, daysAgo(29))).map((row) => ({ ...row, kind: refusalKind(row.reason) }));
  const tried = await store.refusedRatings.triedFrom(procedure.origins, daysAgo(29));
  const totals = healthTotals(refused);
  if (asJson) {
    return console.log(
      json({
        ...procedure,
        reviews,
        refused_totals_last_30_days: {
          integration_faults: totals.faults,
          anti_abuse_limits: totals.limits,
          stored_with_warning: totals.stored,
        },
        refused_last_30_days: refused,
        unknown_procedures_from_its_origins: tried,
      }),
    );
  }
  const lines = [
    shown`${procedure.id} : ${procedure.title}`,
    shown`  Entité : ${procedure.entity} (${procedure.entityId})`,
    shown`  État : ${procedure.archivedAt ? `archivée le ${procedure.archivedAt.slice(0, 10)} (jdma procedure restore ${procedure.id})` : 'active'}`,
    shown`  Origines autorisées : ${procedure.origins.join(' ') || 'aucune'}`,
    shown`  Emplacements : ${procedure.placements.map((p) => (procedure.testPlacements.includes(p) ? `${p} (test)` : p)).join(' ')}`,
    `  Avis : ${reviews.last_7_days} sur 7 jours, ${reviews.last_30_days} sur 30 jours`,
  ];
  if (refused.length === 0 && tried.length === 0) lines.push('  Notes refusées sur 30 jours : aucune');
  else {
    lines.push(
      `  Notes refusées sur 30 jours : ${totals.faults} par des problèmes d’intégration, ${totals.limits} par les limites anti-abus` +
        (totals.stored > 0 ? ` ; ${totals.stored} enregistrée(s) malgré tout sous « default »` : ''),
    );
    const faults = refused.filter((row) => row.kind !== 'limit');
    if (faults.length > 0) {
      lines.push('  Problèmes d’intégration (à corriger) :');
      lines.push(
        ...capped(
          faults,
          (row) => {
            const where = row.origin ? ` depuis ${originWords(row.origin)}` : '';
            const fix = fixFor(procedure.id, row);
            return shown`    ${row.count} : ${REASONS[row.reason] ?? row.reason}${where}${placementWords(row.placementId)}${fix ? ` (${fix})` : ''}`;
          },
          procedure.id,
        ),
      );
    }
    const limits = new Map<string, number>();
    for (const row of refused) if (row.kind === 'limit') limits.set(row.reason, (limits.get(row.reason) ?? 0) + row.count);
    if (limits.size > 0) {
      lines.push('  Limites anti-abus (pas une erreur des pages) :');
      for (const [reason, count] of limits) lines.push(`    ${count} : ${REASONS[reason] ?? reason}`);
    }
    if (tried.length > 0) {
      lines.push(`  Démarches inconnues visées depuis ses origines (data-procedure mal recopié ? il doit valoir « ${procedure.id} ») :`);
      lines.push(
        ...capped(
          tried,
          (row) =>
            shown`    ${row.count} : ${row.procedureId ? `« ${row.procedureId} »` : 'd’autres identifiants'} depuis ${originWords(row.origin)}`,
          procedure.id,
        ),
      );
    }
  }
  console.log(lines.join('\n'));
}

async function migrateDataCommand(from: string | undefined, to: string | undefined): Promise<void> {
  if (!from || !existsSync(from))
    throw new UsageError(`--from doit nommer un fichier SQLite existant${from ? ` (« ${from} » introuvable)` : ''}.`);
  if (!to || !/^postgres(ql)?:\/\//.test(to))
    throw new UsageError('--to doit être une URL postgres://utilisateur:mot-de-passe@hôte:5432/base.');
  const counts = await migrateData(from, to, (line) => console.log(line));
  const short = counts.filter((c) => c.target < c.source);
  for (const c of counts) console.log(`${c.table.padEnd(18)} ${String(c.source).padStart(10)} → ${String(c.target).padStart(10)}`);
  if (short.length > 0) {
    console.error(`jdma : copie incomplète : ${short.map((c) => `${c.table} (${c.target} sur ${c.source})`).join(', ')}.`);
    process.exit(1);
  }
  console.log('Copie terminée : chaque table de PostgreSQL contient au moins les lignes du fichier SQLite.');
}

async function run(argv: string[]): Promise<void> {
  refuseControlCharacters(argv);
  if (argv[0] === 'edition') return void (process.exitCode = await editionCommand(argv.slice(1)));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      title: { type: 'string' },
      entity: { type: 'string' },
      origin: { type: 'string', multiple: true },
      placement: { type: 'string', multiple: true },
      name: { type: 'string' },
      role: { type: 'string' },
      procedure: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      demo: { type: 'boolean' },
      from: { type: 'string' },
      to: { type: 'string' },
      send: { type: 'boolean' },
      failed: { type: 'boolean' },
      lang: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, sub, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') return console.log(USAGE);
  const config = loadConfig();
  if (command === 'migrate-data') return migrateDataCommand(values.from, values.to);
  if (command === 'serve') {
    const seed = values.demo ? (store: Store) => ensureDemoProcedure(store, config) : undefined;
    if (!config.publicUrlSet && WILDCARD_HOSTS.includes(config.host)) console.warn(`jdma : attention, ${PUBLIC_URL_NEEDED}`);
    // Built beside this file (esbuild.config.mjs): dist/read-worker.js next to dist/cli.js.
    await startServer(config, { handleSignals: true, seed, readWorker: new URL('./read-worker.js', import.meta.url) });
    console.log(`Collecteur prêt : ${config.publicUrl}`);
    return;
  }

  const store = await openStore(config);
  /** The operator's changes, as the entity's admins read them in the audit log. */
  const audit = (entityId: string | null, action: string, target: string, details: Record<string, unknown> = {}) =>
    store.audit.add({ entityId, at: Date.now(), actor: 'operator', action, target, details });
  try {
    const key = `${command} ${sub ?? ''}`.trim();
    switch (key) {
      case 'entity add': {
        const id = slugArg(rest[0], 'identifiant d’entité');
        const name = nameArg(values.name, '--name');
        if (!(await store.entities.add({ id, name }))) throw new UsageError(`l’entité « ${id} » existe déjà (voir : jdma entity list).`);
        await audit(id, 'entity_added', id, { name });
        console.log(`Entité « ${id} » enregistrée : ${name}. Premier administrateur : jdma member add ${id} <adresse> --role admin`);
        return;
      }
      case 'entity list': {
        const entities = await store.entities.list();
        if (values.json) return console.log(json(entities));
        if (entities.length === 0) return console.log('Aucune entité enregistrée (jdma entity add <id> --name <nom>).');
        for (const entity of entities) console.log(shown`${entity.id}\t${entity.name}`);
        return;
      }
      case 'member add': {
        const entityId = await requireEntity(store, rest[0]);
        const email = emailArg(rest[1]);
        const role = roleArg(values.role);
        const previous = (await store.members.rolesOf(email)).get(entityId);
        if (previous === role) return console.log(`${email} est déjà ${ROLES[role]} de « ${entityId} ».`);
        await store.members.put({ entityId, email, role });
        if (previous) {
          await audit(entityId, 'member_role_changed', email, { from: previous, to: role });
          return console.log(`Rôle de ${email} dans « ${entityId} » changé : ${ROLES[previous]} → ${ROLES[role]}.`);
        }
        await audit(entityId, 'member_added', email, { role });
        return console.log(`${email} ajouté à « ${entityId} » comme ${ROLES[role]}. Lien de connexion : jdma login-link ${email}`);
      }
      case 'member list': {
        const entityId = await requireEntity(store, rest[0]);
        const members = await store.members.list(entityId);
        if (values.json) return console.log(json(members));
        if (members.length === 0)
          return console.log(`Aucun membre dans « ${entityId} » (jdma member add ${entityId} <adresse> --role admin).`);
        for (const member of members) console.log(shown`${member.email}\t${member.role}\tdepuis le ${day(member.createdAt)}`);
        return;
      }
      case 'member remove': {
        const entityId = await requireEntity(store, rest[0]);
        const email = emailArg(rest[1]);
        if (!(await store.members.remove(entityId, email))) throw new UsageError(`${email} n’est pas membre de « ${entityId} ».`);
        // As in the space (entity-admin.ts): every session of the address ends, in every entity.
        const ended = await store.sessions.removeAllOf(email);
        await audit(entityId, 'member_removed', email);
        return console.log(`${email} retiré de « ${entityId} » : son accès cesse immédiatement (sessions fermées : ${ended}).`);
      }
      case 'key create': {
        const entityId = await requireEntity(store, rest[0]);
        const name = nameArg(values.name, '--name');
        const procedureIds = values.procedure?.length
          ? [...new Set(values.procedure.map((p) => slugArg(p, 'identifiant de démarche')))]
          : null;
        for (const id of procedureIds ?? []) {
          const procedure = await requireProcedure(store, id);
          if (procedure.entityId !== entityId) throw new UsageError(`la démarche « ${id} » n’appartient pas à « ${entityId} ».`);
        }
        const taken = `une clé « ${name} » est déjà active pour « ${entityId} » (jdma key revoke ${entityId} ${JSON.stringify(name)} pour la remplacer).`;
        if ((await store.apiKeys.list(entityId)).some((k) => k.name === name && k.revokedAt === null)) throw new UsageError(taken);
        const secret = newSecret(API_KEY_PREFIX);
        if (!(await store.apiKeys.add({ entityId, name, hash: hashSecret(secret), procedureIds }))) throw new UsageError(taken);
        await audit(entityId, 'key_created', name, { procedures: procedureIds });
        const scope = procedureIds ? `démarches ${procedureIds.join(', ')}` : 'toutes les démarches de l’entité';
        console.log(`Clé d’API « ${name} » créée pour « ${entityId} » (lecture seule ; ${scope}).`);
        console.log('Elle n’est affichée qu’une fois, ici : conservez-la maintenant (en-tête Authorization: Bearer <clé>).');
        console.log(secret);
        return;
      }
      case 'key list': {
        const entityId = await requireEntity(store, rest[0]);
        const keys = await store.apiKeys.list(entityId);
        if (values.json) return console.log(json(keys));
        if (keys.length === 0) return console.log(`Aucune clé d’API pour « ${entityId} ».`);
        for (const k of keys) {
          const scope = k.procedureIds ? k.procedureIds.join(',') : 'toutes';
          const used = k.lastUsedAt ? `utilisée le ${day(k.lastUsedAt)}` : 'jamais utilisée';
          const state = k.revokedAt ? `révoquée le ${day(k.revokedAt)}` : 'active';
          console.log(shown`${k.name}\t${scope}\tcréée le ${day(k.createdAt)}\t${used}\t${state}`);
        }
        return;
      }
      case 'key revoke': {
        const entityId = await requireEntity(store, rest[0]);
        const name = rest[1];
        if (name === undefined) throw new UsageError('nom de clé manquant (voir : jdma key list <entité>).');
        if (!(await store.apiKeys.revoke(entityId, name, new Date()))) {
          throw new UsageError(`aucune clé active « ${name} » pour « ${entityId} » (voir : jdma key list ${entityId}).`);
        }
        await audit(entityId, 'key_revoked', name);
        return console.log(`Clé d’API « ${name} » de « ${entityId} » révoquée : elle ne donne plus accès à rien.`);
      }
      case 'procedure add': {
        const id = slugArg(rest[0], 'identifiant de démarche');
        if (await store.procedures.find(id)) throw new UsageError(`la démarche « ${id} » existe déjà.`);
        if (!values.title?.trim()) throw new UsageError('--title est obligatoire.');
        if (!values.entity?.trim()) throw new UsageError('--entity est obligatoire (l’identifiant de l’entité, voir : jdma entity list).');
        const entityId = await requireEntity(store, values.entity);
        if (!values.origin?.length) throw new UsageError('au moins une --origin est obligatoire (le site qui intègre le bouton).');
        const origins = values.origin.map(parseOrigin);
        const placements = (values.placement ?? []).map((p) => slugArg(p, 'emplacement'));
        const title = values.title.trim();
        await store.procedures.add({ id, title, entityId, origins, placements });
        await audit(entityId, 'procedure_added', id, { title, origins, placements });
        console.log(`Démarche « ${id} » enregistrée. Pour l’intégrer : jdma snippet ${id}`);
        // The operator may go past the cap its admins meet (procedure-settings.ts), knowingly.
        const count = await store.procedures.countOf(entityId);
        if (count > config.maxProceduresPerEntity) {
          console.warn(
            `jdma : attention, « ${entityId} » a maintenant ${count} démarches, au-delà de MAX_PROCEDURES_PER_ENTITY (${config.maxProceduresPerEntity}) : ses administrateurs ne peuvent plus en créer.`,
          );
        }
        return;
      }
      case 'procedure list': {
        const procedures = await store.procedures.list();
        if (values.json) return console.log(json(procedures));
        if (procedures.length === 0) return console.log('Aucune démarche enregistrée.');
        for (const p of procedures) {
          console.log(
            shown`${p.id}\t${p.title}\t${p.entity}\t${p.origins.join(' ')}\t${p.reviews} avis` + (p.archivedAt ? '\tarchivée' : ''),
          );
        }
        return;
      }
      case 'procedure show': {
        const procedure = await requireProcedure(store, slugArg(rest[0], 'identifiant de démarche'));
        return await showProcedure(store, procedure, values.json ?? false);
      }
      case 'procedure rename': {
        const procedure = await requireProcedure(store, slugArg(rest[0], 'identifiant de démarche'));
        const title = values.title?.trim();
        if (!title) throw new UsageError('--title est obligatoire.');
        if (values.entity !== undefined && !values.entity.trim()) throw new UsageError('--entity ne peut pas être vide.');
        const entityId = values.entity === undefined ? procedure.entityId : await requireEntity(store, values.entity);
        await store.procedures.rename(procedure.id, title, entityId);
        const details = { title: { from: procedure.title, to: title }, entity: { from: procedure.entityId, to: entityId } };
        // A procedure that changes hands is in the log of both entities.
        for (const entity of new Set([procedure.entityId, entityId])) await audit(entity, 'procedure_renamed', procedure.id, details);
        console.log(`Démarche « ${procedure.id} » renommée : ${title}${entityId === procedure.entityId ? '' : ` (entité : ${entityId})`}.`);
        return;
      }
      case 'procedure product-id': {
        const { id, entityId } = await requireProcedure(store, slugArg(rest[0], 'identifiant de démarche'));
        const current = await store.procedures.productIdOf(id);
        if (rest[1] === undefined) return console.log(`Numéro de « ${id} » (compatibilité JDMA) : ${current}.`);
        // Numbers from 1,000,000 up are the ones the collector assigns: only JDMA's range is recorded by hand.
        if (!/^[1-9]\d{0,5}$/.test(rest[1])) throw new UsageError(`numéro JDMA invalide « ${rest[1]} » : un entier de 1 à 999999.`);
        const productId = Number(rest[1]);
        try {
          if (!(await store.procedures.setProductId(id, productId))) return console.log(`« ${id} » porte déjà le numéro ${productId}.`);
        } catch (error) {
          if (error instanceof ProductIdTakenError) {
            throw new UsageError(`le numéro ${productId} est déjà celui de « ${await store.procedures.byProductId(productId)} ».`);
          }
          throw error;
        }
        await audit(entityId, 'procedure_updated', id, { product_id: { from: current, to: productId } });
        return console.log(`« ${id} » répond désormais au numéro JDMA ${productId} (answer.getObservatoireStats).`);
      }
      case 'procedure archive':
      case 'procedure restore': {
        const { id, entityId } = await requireProcedure(store, slugArg(rest[0], 'identifiant de démarche'));
        const archive = sub === 'archive';
        if (!(await store.procedures.setArchived(id, archive))) {
          return console.log(`La démarche « ${id} » est déjà ${archive ? 'archivée' : 'active'}.`);
        }
        await audit(entityId, archive ? 'procedure_archived' : 'procedure_restored', id);
        console.log(
          archive
            ? `Démarche « ${id} » archivée : ses notes sont refusées (410), elle quitte le flux et l’observatoire, ses données sont conservées.`
            : `Démarche « ${id} » réactivée : elle accepte de nouveau les notes.`,
        );
        return;
      }
      case 'origin add':
      case 'origin remove': {
        const { id, entityId } = await requireProcedure(store, slugArg(rest[0], 'identifiant de démarche'));
        if (rest[1] === undefined) throw new UsageError('origine manquante (voir : jdma --help).');
        const origin = parseOrigin(rest[1]);
        if (sub === 'add') {
          if (!(await store.procedures.addOrigin(id, origin))) return console.log(`L’origine ${origin} est déjà autorisée pour « ${id} ».`);
          await audit(entityId, 'procedure_origin_added', id, { origin });
          return console.log(`Origine ${origin} ajoutée à « ${id} ».`);
        }
        if (!(await store.procedures.removeOrigin(id, origin)))
          throw new UsageError(`l’origine ${origin} n’est pas autorisée pour « ${id} ».`);
        await audit(entityId, 'procedure_origin_removed', id, { origin });
        return console.log(`Origine ${origin} retirée de « ${id} » : ses pages ne peuvent plus envoyer de notes.`);
      }
      case 'purge': {
        const erased = await purge(store, config.freeTextRetentionDays, new Date(), config.termMinReviews, Infinity);
        console.log(
          `Texte libre effacé dans ${erased.freeText} avis (plus de ${config.freeTextRetentionDays} jours) ; jetons de suivi effacés : ${erased.tokens} ; ` +
            `journal d’audit : ${erased.audit} entrée(s) de plus d’un an ; sessions terminées : ${erased.sessions} ; liens de connexion utilisés ou expirés : ${erased.loginLinks} ; clés de formulaires hébergés périmées : ${erased.formKeys} ; courriels envoyés ou abandonnés de plus de 30 jours : ${erased.mails} ; demandes d’accès traitées de plus de 30 jours : ${erased.accessRequests}.`,
        );
        return;
      }
      case 'rollups rebuild': {
        // The feed reads rollups only: this recomputes them from the reviews, e.g. after restoring a backup.
        const started = Date.now();
        await store.rollups.rebuild();
        // Term counts are recounted from the days the purge has not reached; earlier days keep theirs (their text is gone).
        await store.terms.requeue(addDays(utcDay(new Date()), 1 - config.freeTextRetentionDays));
        const counted = await countQueuedTerms(store);
        console.log(
          `Agrégats du flux recalculés à partir des avis ; termes recomptés dans ${counted} commentaire(s) des jours que la purge n’a pas atteints (${Date.now() - started} ms).`,
        );
        return;
      }
      case 'placement add':
      case 'placement remove': {
        const { id, entityId } = await requireProcedure(store, slugArg(rest[0], 'identifiant de démarche'));
        const placement = slugArg(rest[1], 'emplacement');
        if (sub === 'add') {
          if (!(await store.procedures.addPlacement(id, placement)))
            return console.log(`L’emplacement « ${placement} » existe déjà pour « ${id} ».`);
          await audit(entityId, 'procedure_placement_added', id, { placement });
          return console.log(`Emplacement « ${placement} » ajouté à « ${id} ».`);
        }
        // Every procedure keeps `default`: it is where ratings without a placement go.
        if (placement === DEFAULT_PLACEMENT) throw new UsageError(`l’emplacement « ${DEFAULT_PLACEMENT} » ne peut pas être retiré.`);
        if (!(await store.procedures.removePlacement(id, placement)))
          throw new UsageError(`« ${id} » n’a pas d’emplacement « ${placement} ».`);
        await audit(entityId, 'procedure_placement_removed', id, { placement });
        return console.log(`Emplacement « ${placement} » retiré de « ${id} » (les avis déjà reçus le gardent).`);
      }
      case 'placement test':
      case 'placement live': {
        const procedure = await requireProcedure(store, slugArg(rest[0], 'identifiant de démarche'));
        const placement = slugArg(rest[1], 'emplacement');
        if (!procedure.placements.includes(placement)) {
          throw new UsageError(
            `« ${procedure.id} » n’a pas d’emplacement « ${placement} » (jdma placement add ${procedure.id} ${placement}).`,
          );
        }
        const test = sub === 'test';
        if (!(await store.procedures.setPlacementTest(procedure.id, placement, test))) {
          return console.log(`L’emplacement « ${placement} » de « ${procedure.id} » est déjà ${test ? 'de test' : 'compté'}.`);
        }
        await audit(procedure.entityId, 'procedure_updated', procedure.id, {
          [test ? 'test_placements_added' : 'test_placements_removed']: [placement],
        });
        return console.log(
          test
            ? `Emplacement « ${placement} » de « ${procedure.id} » marqué de test : ses avis à venir sont listés avec la mention « test », jamais comptés ni publiés.`
            : `Emplacement « ${placement} » de « ${procedure.id} » de nouveau compté : ses avis à venir entrent dans les indicateurs (les avis de test restent de test).`,
        );
      }
    }
    if (command === 'login-link') {
      if (!config.publicUrlSet && WILDCARD_HOSTS.includes(config.host)) throw new UsageError(PUBLIC_URL_NEEDED);
      const email = emailArg(sub);
      if (rest.length > 0) throw new UsageError(`argument en trop « ${rest[0]} » (voir : jdma --help).`);
      const lang = langArg(values.lang);
      const roles = await store.members.rolesOf(email);
      if (roles.size === 0)
        throw new UsageError(`${email} n’est membre d’aucune entité (jdma member add <entité> ${email} --role reader).`);
      if (values.send) {
        const deps = { store, publicUrl: config.publicUrl, queue: mailQueue(store, config.mail, () => new Date()), now: () => new Date() };
        const queued = await queueLoginLink(deps, email, lang, 'operator');
        if (queued.outcome !== 'sent')
          throw new UsageError(`${email} a déjà reçu ${SIGN_IN_MAILS_PER_ADDRESS} liens en 15 minutes : réessayez plus tard.`);
        report(await deliverNow(store, config.mail, queued.mailId, `Lien de connexion pour ${email}`));
        return;
      }
      const token = newSecret();
      await store.loginLinks.create({ tokenHash: hashSecret(token), email, expiresAt: Date.now() + LOGIN_LINK_MS });
      for (const entityId of roles.keys()) await audit(entityId, 'login_link_created', email);
      console.log(`Lien de connexion pour ${email}, valable 15 minutes et une seule fois :`);
      console.log(`${config.publicUrl}/espace/lien/${token}`);
      return;
    }
    if (key === 'mail test') {
      const email = emailArg(rest[0]);
      if (rest.length > 1) throw new UsageError(`argument en trop « ${rest[1]} » (voir : jdma --help).`);
      const lang = langArg(values.lang);
      const mailId = await mailQueue(store, config.mail, () => new Date())(email, 'test', lang, testMail(lang, config.publicUrl));
      report(await deliverNow(store, config.mail, mailId, `Courriel d’essai pour ${email}`));
      return;
    }
    if (key === 'mail list') {
      if (rest.length > 0) throw new UsageError(`argument en trop « ${rest[0]} » (voir : jdma --help).`);
      const mails = await store.mails.list({ status: values.failed ? 'failed' : undefined, limit: 50 });
      if (mails.length === 0) return console.log(values.failed ? 'Aucun courriel abandonné.' : 'Aucun courriel dans la file d’envoi.');
      for (const mail of mails) {
        const when = new Date(mail.sentAt ?? mail.createdAt).toISOString().slice(0, 16).replace('T', ' ');
        const state =
          mail.status === 'sent'
            ? `envoyé le ${when} UTC`
            : mail.status === 'failed'
              ? `abandonné après ${mail.attempts} essai(s) : ${mail.lastError ?? ''}`
              : mail.attempts === 0
                ? 'en attente'
                : `en attente, ${mail.attempts} essai(s), prochain le ${new Date(mail.nextAttemptAt).toISOString().slice(0, 16).replace('T', ' ')} UTC : ${mail.lastError ?? ''}`;
        console.log(shown`${mail.id}	${mail.recipient}	${MAIL_KINDS[mail.kind]}	${state}`);
      }
      return;
    }
    if (command === 'snippet') {
      if (!config.publicUrlSet && WILDCARD_HOSTS.includes(config.host)) throw new UsageError(PUBLIC_URL_NEEDED);
      const id = slugArg(sub, 'identifiant de démarche');
      const procedure = await requireProcedure(store, id);
      const placement = values.placement?.[0];
      if (placement !== undefined && !procedure.placements.includes(slugArg(placement, 'emplacement'))) {
        throw new UsageError(`emplacement inconnu « ${placement} » (jdma placement add ${id} ${placement}).`);
      }
      return console.log(snippet(config, id, placement));
    }
    throw new UsageError(`commande inconnue « ${positionals.join(' ')} » (voir : jdma --help).`);
  } finally {
    await store.close();
  }
}

run(process.argv.slice(2)).catch((error: unknown) => {
  const code = (error as { code?: string }).code;
  // node:util parseArgs speaks English: its two common refusals are said in the CLI's language.
  const option = /'(--?[\w-]+)/.exec((error as Error).message)?.[1] ?? '';
  const message =
    error instanceof SchemaTooNewError
      ? `la base de données est au schéma ${error.found}, plus récent que celui que connaît ce jdma (${error.known}) : mettez jdma à jour avant de l’utiliser.`
      : error instanceof StorageUnavailableError
        ? 'la base de données ne répond pas (vérifiez DATABASE_URL et que PostgreSQL tourne).'
        : code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
          ? `option inconnue « ${option} » (voir : jdma --help).`
          : code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
            ? `valeur manquante ou invalide pour « ${option} » (voir : jdma --help).`
            : error instanceof UnknownEntityError
              ? unknownEntity(error.entityId).message
              : error instanceof UsageError || error instanceof ConfigError || code?.startsWith('ERR_PARSE_ARGS')
                ? (error as Error).message
                : undefined;
  console.error(`jdma : ${message ?? String(error)}`);
  process.exit(message === undefined ? 1 : 2);
});
