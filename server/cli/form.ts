// jdma form show|publish: a procedure's form (SPEC §3 "Customisation") as its admins see it in the
// space, and its draft published through the service the API calls (form-settings.ts): the same
// refusals, the same `form_published` audit entry, written as `operator`.
import { OPERATOR } from '../agency/access.ts';
import { publishForm } from '../agency/form-settings.ts';
import type { FormChanges } from '../store/store.ts';
import { type CommandGroup, noMore, operatorAudit, refusedAs, requireProcedure, shown, slugArg, unknownCommand } from './command-kit.ts';

const at = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The hidden steps and every label, one line each, indented under their heading. */
function changesLines({ hidden, labels }: FormChanges): string[] {
  const lines = [`  étapes masquées : ${hidden.length ? hidden.join(', ') : 'aucune'}`];
  for (const [lang, paths] of Object.entries(labels)) {
    for (const [path, text] of Object.entries(paths ?? {})) lines.push(shown`  ${lang}\t${path}\t« ${text} »`);
  }
  return lines;
}

export const formCommand: CommandGroup = async ({ sub, rest, config, store: open }) => {
  if (sub !== 'show' && sub !== 'publish') throw unknownCommand(['form', sub, ...rest]);
  const id = slugArg(rest[0], 'identifiant de démarche');
  noMore(rest, 1);
  const store = await open();
  const procedure = await requireProcedure(store, id);

  if (sub === 'publish') {
    const version = await refusedAs(
      publishForm(store, operatorAudit(store), OPERATOR, procedure, { minReviews: config.feedMinReviews, now: () => new Date() }),
      {
        form_draft_missing: `« ${id} » n’a pas de brouillon de formulaire (les administrateurs l’enregistrent dans l’espace, page Réglages)`,
        indicator_step_required: `l’observatoire publie « ${id} » : le brouillon masque une étape dont ses indicateurs ont besoin (seul le commentaire peut être masqué)`,
      },
    );
    return console.log(`Formulaire de « ${id} » publié en version ${version} : le widget et le formulaire hébergé le montrent désormais.`);
  }

  const [draft, versions] = await Promise.all([store.forms.draft(id), store.forms.versions(id)]);
  const published = versions.find((v) => v.archivedAt === null);
  const lines = [
    draft ? shown`Brouillon (enregistré le ${at(draft.updatedAt)} par ${draft.updatedBy}) :` : 'Brouillon : aucun.',
    ...(draft ? changesLines(draft.changes) : []),
    published
      ? shown`Version publiée : ${published.version} (le ${at(published.publishedAt)} par ${published.publishedBy}) :`
      : 'Version publiée : aucune, le formulaire par défaut est montré.',
    ...(published ? changesLines(published.changes) : []),
    versions.length ? 'Versions :' : 'Versions : aucune.',
    ...versions.map(
      (v) => `  ${v.version}\tpubliée le ${at(v.publishedAt)}\t${v.archivedAt === null ? 'en ligne' : `archivée le ${at(v.archivedAt)}`}`,
    ),
  ];
  console.log(lines.join('\n'));
};
