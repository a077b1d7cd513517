import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { publishEdition } from '../edition-publishing.ts';
import { openStore } from '../store/open-store.ts';

// `jdma edition publish --quarter 2026-Q3`: freezes a quarter's edition (SPEC §6 "Editions").
// Each refusal has its own exit status, so that a scheduled run can tell "already done" (4) from a
// mistake (2) or a run too early (3); nothing is stored on any of them.

export const EDITION_USAGE = `  edition publish --quarter <AAAA-Qn>   fige l’édition d’un trimestre terminé (2026-Q3) : JSON, CSV et format d’impact`;

/** Exit statuses of `jdma edition publish`. */
export const EDITION_EXIT = { published: 0, usage: 2, notOver: 3, alreadyPublished: 4 } as const;

export async function editionCommand(args: readonly string[], now: () => Date = () => new Date()): Promise<number> {
  let quarter: string | undefined;
  let sub: string | undefined;
  try {
    const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: { quarter: { type: 'string' } } });
    quarter = values.quarter;
    sub = positionals[0];
    if (positionals.length > 1) sub = undefined;
  } catch {
    sub = undefined;
  }
  if (sub !== 'publish' || quarter === undefined) {
    console.error(`jdma : usage :\n${EDITION_USAGE}`);
    return EDITION_EXIT.usage;
  }
  const config = loadConfig();
  const store = await openStore(config);
  try {
    const result = await publishEdition(store, { minReviews: config.feedMinReviews, now: now() }, quarter);
    switch (result.outcome) {
      case 'malformed':
        console.error(`jdma : trimestre invalide « ${quarter} » : année, tiret, Q et le numéro du trimestre, par exemple 2026-Q3.`);
        return EDITION_EXIT.usage;
      case 'not_over':
        console.error(`jdma : le trimestre ${quarter} n’est pas terminé (dernier jour : ${result.endsOn}, UTC) : rien n’a été publié.`);
        return EDITION_EXIT.notOver;
      case 'already_published':
        console.error(
          `jdma : l’édition ${quarter} est déjà publiée (le ${new Date(result.publishedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC) ; une édition ne change plus.`,
        );
        return EDITION_EXIT.alreadyPublished;
      case 'published': {
        const { edition } = result;
        console.log(
          `Édition ${quarter} publiée : fenêtre du ${edition.windowFrom} au ${edition.windowTo}, seuil ${edition.minReviews} avis, ` +
            `${edition.json.length} octets en JSON, ${edition.csv.length} en CSV, ${edition.impactCsv.length} au format d’impact.\n` +
            `${config.publicUrl}/api/v1/editions/${quarter}`,
        );
        return EDITION_EXIT.published;
      }
    }
  } finally {
    await store.close();
  }
}
