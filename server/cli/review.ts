// jdma review hide|restore: a review's free text taken out of lists, search and exports, or put
// back, as an admin does it in the API or the space's comments (moderateReview, same audit actions).
import { OPERATOR } from '../agency/access.ts';
import { moderateReview } from '../agency/review-moderation.ts';
import { HideBodySchema } from '../schemas/agency-review-schemas.ts';
import { type CommandGroup, refusedAs, requireProcedure, slugArg, UsageError, unknownCommand, validated } from './command-kit.ts';

export const reviewCommand: CommandGroup = async ({ sub, rest, values, store: open }) => {
  if (sub !== 'hide' && sub !== 'restore') throw unknownCommand(['review', sub, ...rest]);
  const store = await open();
  const procedure = await requireProcedure(store, slugArg(rest[0], 'identifiant de démarche'));
  if (rest[1] === undefined || !/^[1-9]\d{0,15}$/.test(rest[1])) {
    throw new UsageError(`numéro d’avis ${rest[1] === undefined ? 'manquant' : `invalide « ${rest[1]} »`} (voir : jdma --help).`);
  }
  const reviewId = Number(rest[1]);
  if (sub === 'hide' && !values.reason?.trim()) throw new UsageError('--reason est obligatoire : pourquoi le texte est masqué.');
  const reason = sub === 'hide' ? validated(HideBodySchema, { reason: values.reason }).reason : null;
  const review = await refusedAs(
    moderateReview(store, () => new Date(), OPERATOR, { procedure, reviewId, reason }),
    {
      review_not_found: `« ${procedure.id} » n’a pas d’avis ${reviewId}`,
    },
  );
  console.log(
    review.hidden
      ? `Texte de l’avis ${reviewId} de « ${procedure.id} » masqué : il quitte les listes, la recherche et les exports (ses réponses comptent toujours).`
      : `Texte de l’avis ${reviewId} de « ${procedure.id} » rétabli.`,
  );
};
