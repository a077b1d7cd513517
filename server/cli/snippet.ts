// jdma snippet: the code an agency pastes into its pages for a procedure (and a placement).
import { snippet } from '../snippet.ts';
import { type CommandGroup, PUBLIC_URL_NEEDED, publicUrlUnknown, requireProcedure, slugArg, UsageError } from './command-kit.ts';

export const snippetCommand: CommandGroup = async ({ sub, values, config, store: open }) => {
  if (publicUrlUnknown(config)) throw new UsageError(PUBLIC_URL_NEEDED);
  const id = slugArg(sub, 'identifiant de démarche');
  const procedure = await requireProcedure(await open(), id);
  const placement = values.placement?.[0];
  if (placement !== undefined && !procedure.placements.includes(slugArg(placement, 'emplacement'))) {
    throw new UsageError(`emplacement inconnu « ${placement} » (jdma placement add ${id} ${placement}).`);
  }
  console.log(snippet(config, id, placement));
};
