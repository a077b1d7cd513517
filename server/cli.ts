import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import { startServer } from './server.ts';
import { migrateData } from './store/migrate-data.ts';
import { openStore } from './store/open-store.ts';
import { purge } from './retention.ts';
import { SchemaTooNewError, StorageUnavailableError, type Procedure, type Store } from './store/store.ts';
import { DEFAULT_PLACEMENT, SLUG_PATTERN } from '../shared/questionnaire.ts';
import { ensureDemoProcedure } from './demo-procedure.ts';
import { snippet } from './snippet.ts';

// The agencies' command line: procedures, origins, placements, snippets, integration health. Every failure is one line on stderr and a non-zero exit.
const USAGE = `Usage : jdma <commande>
  procedure add <id> --title <titre> --entity <entité> --origin <https://…> [--origin …] [--placement <id> …]
  procedure list [--json]
  procedure show <id> [--json]        la démarche, ses avis et les notes refusées (30 jours)
  procedure rename <id> --title <titre> [--entity <entité>]
  procedure archive <id>              plus aucune note acceptée ; retirée du flux, données conservées
  procedure restore <id>
  origin add|remove <procédure> <https://…>
  placement add|remove <procédure> <emplacement>
  snippet <procédure> [--placement <emplacement>]
  rollups rebuild
  purge                               efface maintenant le texte libre trop ancien et les jetons expirés
  migrate-data --from <fichier SQLite> --to <postgres://…>   copie une installation SQLite vers PostgreSQL
  serve [--demo]
Configuration par variables d’environnement : PORT, HOST, DATABASE_PATH, PUBLIC_URL (voir README).`;

class UsageError extends Error {}

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

const DAY_MS = 86_400_000;
const daysAgo = (days: number): string => new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);

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
  if (row.reason === 'origin_not_allowed' && row.origin && row.origin !== 'invalid') return `jdma origin add ${procedureId} ${row.origin}`;
  if ((row.reason === 'unknown_placement' || row.reason === 'placement_defaulted') && row.placementId) {
    return `jdma placement add ${procedureId} ${row.placementId}`;
  }
  if (row.reason === 'procedure_archived') return `jdma procedure restore ${procedureId}`;
  return '';
}

async function showProcedure(store: Store, procedure: Procedure, json: boolean): Promise<void> {
  const reviews = {
    last_7_days: await store.procedures.reviewsSince(procedure.id, daysAgo(6)),
    last_30_days: await store.procedures.reviewsSince(procedure.id, daysAgo(29)),
  };
  const refused = await store.refusedRatings.since(procedure.id, daysAgo(29));
  if (json) return console.log(JSON.stringify({ ...procedure, reviews, refused_last_30_days: refused }, null, 2));
  const lines = [
    `${procedure.id} : ${procedure.title}`,
    `  Entité : ${procedure.entity}`,
    `  État : ${procedure.archivedAt ? `archivée le ${procedure.archivedAt.slice(0, 10)} (jdma procedure restore ${procedure.id})` : 'active'}`,
    `  Origines autorisées : ${procedure.origins.join(' ') || 'aucune'}`,
    `  Emplacements : ${procedure.placements.join(' ')}`,
    `  Avis : ${reviews.last_7_days} sur 7 jours, ${reviews.last_30_days} sur 30 jours`,
  ];
  if (refused.length === 0) lines.push('  Notes refusées sur 30 jours : aucune');
  else {
    lines.push('  Notes refusées sur 30 jours :');
    for (const row of refused) {
      const where = row.origin ? ` depuis ${row.origin === 'invalid' ? 'une origine illisible' : row.origin}` : '';
      const placement = row.placementId && row.placementId !== 'default' ? `, emplacement « ${row.placementId} »` : '';
      const fix = fixFor(procedure.id, row);
      lines.push(`    ${row.count} : ${REASONS[row.reason] ?? row.reason}${where}${placement}${fix ? ` (${fix})` : ''}`);
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
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      title: { type: 'string' },
      entity: { type: 'string' },
      origin: { type: 'string', multiple: true },
      placement: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      demo: { type: 'boolean' },
      from: { type: 'string' },
      to: { type: 'string' },
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
    await startServer(config, { handleSignals: true, seed });
    console.log(`Collecteur prêt : ${config.publicUrl}`);
    return;
  }

  const store = await openStore(config);
  try {
    const key = `${command} ${sub ?? ''}`.trim();
    switch (key) {
      case 'procedure add': {
        const id = slugArg(rest[0], 'identifiant de démarche');
        if (await store.procedures.find(id)) throw new UsageError(`la démarche « ${id} » existe déjà.`);
        if (!values.title?.trim()) throw new UsageError('--title est obligatoire.');
        if (!values.entity?.trim()) throw new UsageError('--entity est obligatoire.');
        if (!values.origin?.length) throw new UsageError('au moins une --origin est obligatoire (le site qui intègre le bouton).');
        const origins = values.origin.map(parseOrigin);
        const placements = (values.placement ?? []).map((p) => slugArg(p, 'emplacement'));
        await store.procedures.add({ id, title: values.title.trim(), entityId: values.entity.trim(), origins, placements });
        console.log(`Démarche « ${id} » enregistrée. Pour l’intégrer : jdma snippet ${id}`);
        return;
      }
      case 'procedure list': {
        const procedures = await store.procedures.list();
        if (values.json) return console.log(JSON.stringify(procedures, null, 2));
        if (procedures.length === 0) return console.log('Aucune démarche enregistrée.');
        for (const p of procedures) {
          console.log(`${p.id}\t${p.title}\t${p.entity}\t${p.origins.join(' ')}\t${p.reviews} avis${p.archivedAt ? '\tarchivée' : ''}`);
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
        await store.procedures.rename(procedure.id, title, values.entity?.trim() ?? procedure.entityId);
        console.log(`Démarche « ${procedure.id} » renommée : ${title}.`);
        return;
      }
      case 'procedure archive':
      case 'procedure restore': {
        const { id } = await requireProcedure(store, slugArg(rest[0], 'identifiant de démarche'));
        const archive = sub === 'archive';
        if (!(await store.procedures.setArchived(id, archive))) {
          return console.log(`La démarche « ${id} » est déjà ${archive ? 'archivée' : 'active'}.`);
        }
        console.log(
          archive
            ? `Démarche « ${id} » archivée : ses notes sont refusées (410), elle quitte le flux et l’observatoire, ses données sont conservées.`
            : `Démarche « ${id} » réactivée : elle accepte de nouveau les notes.`,
        );
        return;
      }
      case 'origin add':
      case 'origin remove': {
        const { id } = await requireProcedure(store, slugArg(rest[0], 'identifiant de démarche'));
        if (rest[1] === undefined) throw new UsageError('origine manquante (voir : jdma --help).');
        const origin = parseOrigin(rest[1]);
        if (sub === 'add') {
          if (!(await store.procedures.addOrigin(id, origin))) return console.log(`L’origine ${origin} est déjà autorisée pour « ${id} ».`);
          return console.log(`Origine ${origin} ajoutée à « ${id} ».`);
        }
        if (!(await store.procedures.removeOrigin(id, origin)))
          throw new UsageError(`l’origine ${origin} n’est pas autorisée pour « ${id} ».`);
        return console.log(`Origine ${origin} retirée de « ${id} » : ses pages ne peuvent plus envoyer de notes.`);
      }
      case 'purge': {
        const erased = await purge(store, config.freeTextRetentionDays, new Date());
        console.log(
          `Texte libre effacé dans ${erased.freeText} avis (plus de ${config.freeTextRetentionDays} jours) ; jetons de suivi effacés : ${erased.tokens}.`,
        );
        return;
      }
      case 'rollups rebuild': {
        // The feed reads rollups only: this recomputes them from the reviews, e.g. after restoring a backup.
        const started = Date.now();
        await store.rollups.rebuild();
        console.log(`Agrégats du flux recalculés à partir des avis (${Date.now() - started} ms).`);
        return;
      }
      case 'placement add':
      case 'placement remove': {
        const { id } = await requireProcedure(store, slugArg(rest[0], 'identifiant de démarche'));
        const placement = slugArg(rest[1], 'emplacement');
        if (sub === 'add') {
          if (!(await store.procedures.addPlacement(id, placement)))
            return console.log(`L’emplacement « ${placement} » existe déjà pour « ${id} ».`);
          return console.log(`Emplacement « ${placement} » ajouté à « ${id} ».`);
        }
        // Every procedure keeps `default`: it is where ratings without a placement go.
        if (placement === DEFAULT_PLACEMENT) throw new UsageError(`l’emplacement « ${DEFAULT_PLACEMENT} » ne peut pas être retiré.`);
        if (!(await store.procedures.removePlacement(id, placement)))
          throw new UsageError(`« ${id} » n’a pas d’emplacement « ${placement} ».`);
        return console.log(`Emplacement « ${placement} » retiré de « ${id} » (les avis déjà reçus le gardent).`);
      }
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
            : error instanceof UsageError || error instanceof ConfigError || code?.startsWith('ERR_PARSE_ARGS')
              ? (error as Error).message
              : undefined;
  console.error(`jdma : ${message ?? String(error)}`);
  process.exit(message === undefined ? 1 : 2);
});
