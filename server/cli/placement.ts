// jdma placement add|remove|test|live: a procedure's placements, and which of them are test ones,
// changed as the API and the space's settings change them (changeProcedure, `procedure_updated`).
import { DEFAULT_PLACEMENT } from '../../shared/questionnaire.ts';
import { OPERATOR } from '../agency/access.ts';
import { changeProcedure } from '../agency/procedure-settings.ts';
import { ProcedureChangeSchema } from '../schemas/agency-schemas.ts';
import {
  type CommandGroup,
  operatorAudit,
  refusedAs,
  requireProcedure,
  slugArg,
  UsageError,
  unknownCommand,
  validated,
} from './command-kit.ts';

export const placementCommand: CommandGroup = async ({ sub, rest, store: open }) => {
  if (sub !== 'add' && sub !== 'remove' && sub !== 'test' && sub !== 'live') throw unknownCommand(['placement', sub, ...rest]);
  const store = await open();
  const procedure = await requireProcedure(store, slugArg(rest[0], 'identifiant de démarche'));
  const placement = slugArg(rest[1], 'emplacement');
  const id = procedure.id;
  // Every procedure keeps `default`: it is where ratings without a placement go.
  if (sub === 'remove' && placement === DEFAULT_PLACEMENT) {
    throw new UsageError(`l’emplacement par défaut (${DEFAULT_PLACEMENT}) ne peut pas être retiré.`);
  }
  const change = validated(
    ProcedureChangeSchema,
    sub === 'add' || sub === 'remove'
      ? { placements: { [sub]: [placement] } }
      : { test_placements: { [sub === 'test' ? 'add' : 'remove']: [placement] } },
  );
  const { changed } = await refusedAs(changeProcedure(store, operatorAudit(store), OPERATOR, procedure, change), {
    unknown_placement: `« ${id} » n’a pas d’emplacement « ${placement} » (jdma placement add ${id} ${placement})`,
  });
  switch (sub) {
    case 'add':
      return console.log(
        changed ? `Emplacement « ${placement} » ajouté à « ${id} ».` : `L’emplacement « ${placement} » existe déjà pour « ${id} ».`,
      );
    case 'remove':
      if (!changed) throw new UsageError(`« ${id} » n’a pas d’emplacement « ${placement} ».`);
      return console.log(`Emplacement « ${placement} » retiré de « ${id} » (les avis déjà reçus le gardent).`);
    case 'test':
      if (!changed) return console.log(`L’emplacement « ${placement} » de « ${id} » est déjà de test.`);
      return console.log(
        `Emplacement « ${placement} » de « ${id} » marqué de test : ses avis à venir sont listés avec la mention « test », jamais comptés ni publiés.`,
      );
    case 'live':
      if (!changed) return console.log(`L’emplacement « ${placement} » de « ${id} » est déjà compté.`);
      return console.log(
        `Emplacement « ${placement} » de « ${id} » de nouveau compté : ses avis à venir entrent dans les indicateurs (les avis de test restent de test).`,
      );
  }
};
