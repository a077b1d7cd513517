// jdma purge: now, what the hourly purge erases (server/retention.ts).
import { purge } from '../retention.ts';
import { type CommandGroup, unknownCommand } from './command-kit.ts';

export const purgeCommand: CommandGroup = async ({ sub, rest, config, store: open }) => {
  if (sub !== undefined) throw unknownCommand(['purge', sub, ...rest]);
  const erased = await purge(await open(), config.freeTextRetentionDays, new Date(), config.termMinReviews, Number.POSITIVE_INFINITY);
  console.log(
    `Texte libre effacé dans ${erased.freeText} avis (plus de ${config.freeTextRetentionDays} jours) ; jetons de suivi effacés : ${erased.tokens} ; ` +
      `journal d’audit : ${erased.audit} entrée(s) de plus d’un an ; sessions terminées : ${erased.sessions} ; liens de connexion utilisés ou expirés : ${erased.loginLinks} ; clés de formulaires hébergés périmées : ${erased.formKeys} ; courriels envoyés ou abandonnés de plus de 30 jours : ${erased.mails} ; demandes d’accès traitées de plus de 30 jours : ${erased.accessRequests} ; signalements dont le texte est effacé : ${erased.problemReports}.`,
  );
};
