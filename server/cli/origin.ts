// jdma origin add|remove: the sites a procedure accepts ratings from, changed as the API and the
// space's settings change them (changeProcedure: one `procedure_updated` entry when something changed).
import { OPERATOR } from '../agency/access.ts';
import { changeProcedure } from '../agency/procedure-settings.ts';
import { ProcedureChangeSchema } from '../schemas/agency-schemas.ts';
import {
  type CommandGroup,
  operatorAudit,
  parseOrigin,
  refusedAs,
  requireProcedure,
  slugArg,
  UsageError,
  unknownCommand,
  validated,
} from './command-kit.ts';

export const originCommand: CommandGroup = async ({ sub, rest, store: open }) => {
  if (sub !== 'add' && sub !== 'remove') throw unknownCommand(['origin', sub, ...rest]);
  const store = await open();
  const procedure = await requireProcedure(store, slugArg(rest[0], 'identifiant de démarche'));
  if (rest[1] === undefined) throw new UsageError('origine manquante (voir : jdma --help).');
  const origin = parseOrigin(rest[1]);
  const id = procedure.id;
  const change = validated(ProcedureChangeSchema, { origins: { [sub]: [origin] } });
  const { changed } = await refusedAs(changeProcedure(store, operatorAudit(store), OPERATOR, procedure, change));
  if (sub === 'add') {
    return console.log(changed ? `Origine ${origin} ajoutée à « ${id} ».` : `L’origine ${origin} est déjà autorisée pour « ${id} ».`);
  }
  if (!changed) throw new UsageError(`l’origine ${origin} n’est pas autorisée pour « ${id} ».`);
  return console.log(`Origine ${origin} retirée de « ${id} » : ses pages ne peuvent plus envoyer de notes.`);
};
