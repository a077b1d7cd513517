// jdma rollups rebuild: the feed's rollups recomputed from the reviews (e.g. after restoring a
// backup), and the comment terms of the days the purge has not reached.
import { addDays, utcDay } from '../../shared/feed-window.ts';
import { countQueuedTerms } from '../term-counting.ts';
import { type CommandGroup, unknownCommand } from './command-kit.ts';

export const rollupsCommand: CommandGroup = async ({ sub, rest, config, store: open }) => {
  if (sub !== 'rebuild') throw unknownCommand(['rollups', sub, ...rest]);
  const store = await open();
  const started = Date.now();
  await store.rollups.rebuild();
  // Term counts are recounted from the days the purge has not reached; earlier days keep theirs (their text is gone).
  const { from } = await store.terms.requeue(addDays(utcDay(new Date()), 1 - config.freeTextRetentionDays));
  const counted = await countQueuedTerms(store);
  // French puts 0 and 1 in the singular.
  const comments = `${counted} ${counted < 2 ? 'commentaire' : 'commentaires'}`;
  // The day it started from: a month the retention line cuts keeps its counts, so that the recount
  // may start later than the line.
  console.log(
    `Agrégats du flux recalculés à partir des avis ; termes recomptés dans ${comments} des jours que la purge n’a pas atteints, depuis le ${from} (les jours d’avant gardent leurs comptes) (${Date.now() - started} ms).`,
  );
};
