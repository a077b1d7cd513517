import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import { openStore } from './store/open-store.ts';
import { SchemaTooNewError, StorageUnavailableError, type Store, UnknownEntityError } from './store/store.ts';
import { type CommandGroup, refuseControlCharacters, UsageError, unknownCommand, unknownEntity } from './cli/command-kit.ts';
import { entityCommand } from './cli/entity.ts';
import { formCommand } from './cli/form.ts';
import { keyCommand } from './cli/key.ts';
import { loginLinkCommand } from './cli/login-link.ts';
import { mailCommand } from './cli/mail.ts';
import { memberCommand } from './cli/member.ts';
import { migrateDataCommand } from './cli/migrate-data.ts';
import { originCommand } from './cli/origin.ts';
import { placementCommand } from './cli/placement.ts';
import { procedureCommand } from './cli/procedure.ts';
import { purgeCommand } from './cli/purge.ts';
import { reviewCommand } from './cli/review.ts';
import { rollupsCommand } from './cli/rollups.ts';
import { serveCommand } from './cli/serve.ts';
import { snippetCommand } from './cli/snippet.ts';
import { EDITION_USAGE, editionCommand } from './cli/edition.ts';

// The operator's command line: one group of commands per file in cli/, each going through the
// services of agency/ that the API and the space call (same rules, same audit actions). Every
// failure is one line on stderr and a non-zero exit, with nothing written; every change to agency
// access goes to the audit log as `operator`.
const USAGE = `Usage : jdma <commande>
  entity add <id> --name <nom>        une administration (ministère, agence, opérateur)
  entity list
  entity logo <entité> <fichier>      le logo de ses pages hébergées : PNG ou JPEG, 100 ko au plus
  entity logo-remove <entité>
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
  form show|publish <procédure>       son formulaire (brouillon, version publiée, versions) ; publish publie le brouillon
  origin add|remove <procédure> <https://…>
  placement add|remove <procédure> <emplacement>
  placement test|live <procédure> <emplacement>   emplacement de test : ses avis à venir sont listés, jamais comptés ; live l’y remet
  snippet <procédure> [--placement <emplacement>]
  review hide <procédure> <numéro> --reason <motif>   masque le texte libre d’un avis (ses réponses comptent toujours)
  review restore <procédure> <numéro>                 rétablit le texte libre d’un avis
  rollups rebuild                     recalcule les agrégats du flux, et les termes des commentaires des jours que la purge n’a pas atteints
  purge                               efface maintenant ce qu’efface la purge horaire : texte libre trop ancien, jetons
                                      expirés, sessions terminées, liens de connexion utilisés, journal d’audit de plus d’un an,
                                      clés des formulaires hébergés de plus de 24 heures, courriels envoyés de plus de 30 jours
${EDITION_USAGE}
  migrate-data --from <fichier SQLite> --to <postgres://…>   copie une installation SQLite vers PostgreSQL
  serve [--demo]
Configuration par variables d’environnement : PORT, HOST, DATABASE_PATH, PUBLIC_URL, SMTP_URL, MAIL_FROM (voir README).`;

/** Each command group, by its first word. */
const GROUPS: Record<string, CommandGroup> = {
  entity: entityCommand,
  member: memberCommand,
  key: keyCommand,
  'login-link': loginLinkCommand,
  mail: mailCommand,
  procedure: procedureCommand,
  form: formCommand,
  origin: originCommand,
  placement: placementCommand,
  snippet: snippetCommand,
  review: reviewCommand,
  rollups: rollupsCommand,
  purge: purgeCommand,
  'migrate-data': migrateDataCommand,
  serve: serveCommand,
};

async function run(argv: string[]): Promise<void> {
  refuseControlCharacters(argv);
  // Editions answer with their own exit statuses (already published, quarter not over), for a scheduled run to tell apart.
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
      reason: { type: 'string' },
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
  const group = Object.hasOwn(GROUPS, command) ? GROUPS[command] : undefined;
  if (!group) throw unknownCommand(positionals);
  const config = loadConfig();
  let store: Promise<Store> | undefined;
  try {
    await group({ sub, rest, values, config, store: () => (store ??= openStore(config)) });
  } finally {
    if (store) await (await store).close();
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
