import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import { startServer } from './server.ts';
import { openStore, type Store } from './store/open-store.ts';
import { SLUG_PATTERN } from '../shared/questionnaire.ts';
import { ensureDemoProcedure } from './demo-procedure.ts';
import { snippet } from './snippet.ts';

// The agencies' command line (issue 2). Every failure is one line on stderr and a non-zero exit.
const USAGE = `Usage : jdma <commande>
  procedure add <id> --title <titre> --entity <entité> --origin <https://…> [--origin …] [--placement <id> …]
  procedure list [--json]
  origin add <procédure> <https://…>
  placement add <procédure> <emplacement>
  snippet <procédure> [--placement <emplacement>]
  rollups rebuild
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

function requireProcedure(store: Store, id: string): void {
  if (!store.procedures.exists(id)) throw new UsageError(`démarche inconnue « ${id} » (voir : jdma procedure list).`);
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
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, sub, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') return console.log(USAGE);
  const config = loadConfig();
  if (command === 'serve') {
    const seed = values.demo ? (store: Store) => ensureDemoProcedure(store, config) : undefined;
    await startServer(config, { handleSignals: true, seed });
    console.log(`Collecteur prêt : ${config.publicUrl}`);
    return;
  }

  const store = openStore(config.databasePath);
  try {
    const key = `${command} ${sub ?? ''}`.trim();
    switch (key) {
      case 'procedure add': {
        const id = slugArg(rest[0], 'identifiant de démarche');
        if (store.procedures.exists(id)) throw new UsageError(`la démarche « ${id} » existe déjà.`);
        if (!values.title?.trim()) throw new UsageError('--title est obligatoire.');
        if (!values.entity?.trim()) throw new UsageError('--entity est obligatoire.');
        if (!values.origin?.length) throw new UsageError('au moins une --origin est obligatoire (le site qui intègre le bouton).');
        const origins = values.origin.map(parseOrigin);
        const placements = (values.placement ?? []).map((p) => slugArg(p, 'emplacement'));
        store.procedures.add({ id, title: values.title.trim(), entity: values.entity.trim(), origins, placements });
        console.log(`Démarche « ${id} » enregistrée. Pour l’intégrer : jdma snippet ${id}`);
        return;
      }
      case 'procedure list': {
        const procedures = store.procedures.list();
        if (values.json) return console.log(JSON.stringify(procedures, null, 2));
        if (procedures.length === 0) return console.log('Aucune démarche enregistrée.');
        for (const p of procedures) {
          console.log(`${p.id}\t${p.title}\t${p.entity}\t${p.origins.join(' ')}\t${p.reviews} avis`);
        }
        return;
      }
      case 'origin add': {
        const id = slugArg(rest[0], 'identifiant de démarche');
        requireProcedure(store, id);
        if (rest[1] === undefined) throw new UsageError('origine manquante (voir : jdma --help).');
        store.procedures.addOrigin(id, parseOrigin(rest[1]));
        console.log(`Origine ajoutée à « ${id} ».`);
        return;
      }
      case 'rollups rebuild': {
        // Issue 4: recomputes the feed's counts from the reviews, e.g. after restoring a backup.
        const started = Date.now();
        store.rollups.rebuild();
        console.log(`Agrégats du flux recalculés à partir des avis (${Date.now() - started} ms).`);
        return;
      }
      case 'placement add': {
        const id = slugArg(rest[0], 'identifiant de démarche');
        requireProcedure(store, id);
        const placement = slugArg(rest[1], 'emplacement');
        store.procedures.addPlacement(id, placement);
        console.log(`Emplacement « ${placement} » ajouté à « ${id} ».`);
        return;
      }
    }
    if (command === 'snippet') {
      const id = slugArg(sub, 'identifiant de démarche');
      requireProcedure(store, id);
      const placement = values.placement?.[0];
      if (placement !== undefined && !store.procedures.hasPlacement(id, slugArg(placement, 'emplacement'))) {
        throw new UsageError(`emplacement inconnu « ${placement} » (jdma placement add ${id} ${placement}).`);
      }
      return console.log(snippet(config, id, placement));
    }
    throw new UsageError(`commande inconnue « ${positionals.join(' ')} » (voir : jdma --help).`);
  } finally {
    store.close();
  }
}

run(process.argv.slice(2)).catch((error: unknown) => {
  const code = (error as { code?: string }).code;
  // node:util parseArgs speaks English: its two common refusals are said in the CLI's language.
  const option = /'(--?[\w-]+)/.exec((error as Error).message)?.[1] ?? '';
  const message =
    code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? `option inconnue « ${option} » (voir : jdma --help).`
    : code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' ? `valeur manquante ou invalide pour « ${option} » (voir : jdma --help).`
    : error instanceof UsageError || error instanceof ConfigError || code?.startsWith('ERR_PARSE_ARGS') ? (error as Error).message
    : undefined;
  console.error(`jdma : ${message ?? String(error)}`);
  process.exit(message === undefined ? 1 : 2);
});
