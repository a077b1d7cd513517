// jdma entity add|list|logo|logo-remove: the administrations. Only the operator creates one (no admin
// exists before it); the logo goes through the service the space and the API call.
import { readFile, stat } from 'node:fs/promises';
import { OPERATOR } from '../agency/access.ts';
import { LOGO_MAX_BYTES, removeEntityLogo, setEntityLogo } from '../agency/entity-logo.ts';
import {
  auditAsOperator,
  type CommandGroup,
  json,
  nameArg,
  noMore,
  operatorAudit,
  refusedAs,
  requireEntity,
  shown,
  slugArg,
  UsageError,
  unknownCommand,
} from './command-kit.ts';

export const entityCommand: CommandGroup = async ({ sub, rest, values, store: open }) => {
  const store = await open();
  if (sub === 'add') {
    const id = slugArg(rest[0], 'identifiant d’entité');
    const name = nameArg(values.name, '--name');
    if (!(await store.entities.add({ id, name }))) throw new UsageError(`l’entité « ${id} » existe déjà (voir : jdma entity list).`);
    await auditAsOperator(store, id, 'entity_added', id, { name });
    return console.log(`Entité « ${id} » enregistrée : ${name}. Premier administrateur : jdma member add ${id} <adresse> --role admin`);
  }
  if (sub === 'list') {
    const entities = await store.entities.list();
    if (values.json) return console.log(json(entities));
    if (entities.length === 0) return console.log('Aucune entité enregistrée (jdma entity add <id> --name <nom>).');
    for (const entity of entities) console.log(shown`${entity.id}\t${entity.name}`);
    return;
  }
  if (sub === 'logo') {
    const entityId = await requireEntity(store, rest[0]);
    const file = rest[1];
    if (!file) throw new UsageError('fichier manquant : jdma entity logo <entité> <fichier PNG ou JPEG>.');
    noMore(rest, 2);
    // Its size first: a wrong path to a large file is refused without reading it into memory.
    const size = (await stat(file).catch(() => undefined))?.size ?? 0;
    if (size > LOGO_MAX_BYTES)
      throw new UsageError(`« ${file} » : logo trop lourd (${size} octets, ${LOGO_MAX_BYTES} au plus) (logo_too_large).`);
    const bytes = await readFile(file).catch(() => {
      throw new UsageError(`fichier illisible « ${file} ».`);
    });
    await refusedAs(setEntityLogo(store, operatorAudit(store), OPERATOR, entityId, bytes, () => new Date()));
    return console.log(`Logo de « ${entityId} » enregistré (${bytes.length} octets) : ses pages hébergées le montrent.`);
  }
  if (sub === 'logo-remove') {
    const entityId = await requireEntity(store, rest[0]);
    noMore(rest, 1);
    const removed = await removeEntityLogo(store, operatorAudit(store), OPERATOR, entityId);
    return console.log(removed ? `Logo de « ${entityId} » retiré.` : `« ${entityId} » n’avait pas de logo : rien n’a changé.`);
  }
  throw unknownCommand(['entity', sub, ...rest]);
};
