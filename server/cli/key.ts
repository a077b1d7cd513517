// jdma key create|list|revoke: an entity's read-only API keys, through the services the API and the
// space call (server/agency/entity-admin.ts).
import { OPERATOR } from '../agency/access.ts';
import { createApiKey, revokeApiKey } from '../agency/entity-admin.ts';
import type { Procedure } from '../store/store.ts';
import {
  type CommandGroup,
  day,
  json,
  nameArg,
  operatorAudit,
  refusedAs,
  requireEntity,
  requireProcedure,
  shown,
  slugArg,
  UsageError,
  unknownCommand,
} from './command-kit.ts';

export const keyCommand: CommandGroup = async ({ sub, rest, values, store: open }) => {
  const store = await open();
  if (sub === 'create') {
    const entityId = await requireEntity(store, rest[0]);
    const name = nameArg(values.name, '--name');
    const procedureIds = values.procedure?.length ? [...new Set(values.procedure.map((p) => slugArg(p, 'identifiant de démarche')))] : null;
    // Looked up first for the message: an unknown id says how many ratings it cost.
    const procedures: Procedure[] = [];
    for (const id of procedureIds ?? []) procedures.push(await requireProcedure(store, id));
    const other = procedures.find((p) => p.entityId !== entityId);
    const admin = { store, audit: operatorAudit(store), caller: OPERATOR, entityId };
    const { key } = await refusedAs(createApiKey(admin, name, procedureIds), {
      procedure_not_found: `la démarche « ${other?.id} » n’appartient pas à « ${entityId} »`,
      key_exists: `une clé « ${name} » est déjà active pour « ${entityId} » (jdma key revoke ${entityId} ${JSON.stringify(name)} pour la remplacer)`,
    });
    const scope = procedureIds ? `démarches ${procedureIds.join(', ')}` : 'toutes les démarches de l’entité';
    console.log(`Clé d’API « ${name} » créée pour « ${entityId} » (lecture seule ; ${scope}).`);
    console.log('Elle n’est affichée qu’une fois, ici : conservez-la maintenant (en-tête Authorization: Bearer <clé>).');
    console.log(key);
    return;
  }
  if (sub === 'list') {
    const entityId = await requireEntity(store, rest[0]);
    const keys = await store.apiKeys.list(entityId);
    if (values.json) return console.log(json(keys));
    if (keys.length === 0) return console.log(`Aucune clé d’API pour « ${entityId} ».`);
    for (const k of keys) {
      const scope = k.procedureIds ? k.procedureIds.join(',') : 'toutes';
      const used = k.lastUsedAt ? `utilisée le ${day(k.lastUsedAt)}` : 'jamais utilisée';
      const state = k.revokedAt ? `révoquée le ${day(k.revokedAt)}` : 'active';
      console.log(shown`${k.name}\t${scope}\tcréée le ${day(k.createdAt)}\t${used}\t${state}`);
    }
    return;
  }
  if (sub === 'revoke') {
    const entityId = await requireEntity(store, rest[0]);
    const name = rest[1];
    if (name === undefined) throw new UsageError('nom de clé manquant (voir : jdma key list <entité>).');
    const admin = { store, audit: operatorAudit(store), caller: OPERATOR, entityId };
    await refusedAs(revokeApiKey(admin, name, new Date()), {
      key_not_found: `aucune clé active « ${name} » pour « ${entityId} » (voir : jdma key list ${entityId})`,
    });
    return console.log(`Clé d’API « ${name} » de « ${entityId} » révoquée : elle ne donne plus accès à rien.`);
  }
  throw unknownCommand(['key', sub, ...rest]);
};
