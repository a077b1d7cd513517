// jdma entity add|list: the administrations. Only the operator creates one (no admin exists before it).
import { auditAsOperator, type CommandGroup, json, nameArg, shown, slugArg, UsageError, unknownCommand } from './command-kit.ts';

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
  throw unknownCommand(['entity', sub, ...rest]);
};
