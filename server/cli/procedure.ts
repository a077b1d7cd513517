// jdma procedure add|list|show|rename|archive|restore|product-id: through the services the API and
// the space's settings call (server/agency/procedure-settings.ts), with their audit actions.
import { OPERATOR } from '../agency/access.ts';
import { changeProcedure, createProcedure, moveProcedure, setProcedureArchived } from '../agency/procedure-settings.ts';
import { NewProcedureSchema, ProcedureChangeSchema } from '../schemas/agency-schemas.ts';
import { ProductIdTakenError } from '../store/store.ts';
import {
  type CommandGroup,
  json,
  operatorAudit,
  parseOrigin,
  refusedAs,
  requireEntity,
  requireProcedure,
  shown,
  slugArg,
  UsageError,
  unknownCommand,
  validated,
} from './command-kit.ts';
import { showProcedure } from './procedure-show.ts';

export const procedureCommand: CommandGroup = async ({ sub, rest, values, config, store: open }) => {
  const store = await open();
  const audit = operatorAudit(store);
  const procedureArg = () => requireProcedure(store, slugArg(rest[0], 'identifiant de démarche'));
  switch (sub) {
    case 'add': {
      const id = slugArg(rest[0], 'identifiant de démarche');
      if (!values.title?.trim()) throw new UsageError('--title est obligatoire.');
      if (!values.entity?.trim()) throw new UsageError('--entity est obligatoire (l’identifiant de l’entité, voir : jdma entity list).');
      const entityId = await requireEntity(store, values.entity);
      if (!values.origin?.length) throw new UsageError('au moins une --origin est obligatoire (le site qui intègre le bouton).');
      const origins = [...new Set(values.origin.map(parseOrigin))];
      const placements = [...new Set((values.placement ?? []).map((p) => slugArg(p, 'emplacement')))];
      const procedure = validated(NewProcedureSchema, { id, title: values.title, entity: entityId, origins, placements });
      // The operator may go past the cap its admins meet (MAX_PROCEDURES_PER_ENTITY), knowingly.
      await refusedAs(createProcedure(store, audit, OPERATOR, procedure, Number.POSITIVE_INFINITY), {
        procedure_exists: `la démarche « ${id} » existe déjà`,
      });
      console.log(`Démarche « ${id} » enregistrée. Pour l’intégrer : jdma snippet ${id}`);
      const count = await store.procedures.countOf(entityId);
      if (count > config.maxProceduresPerEntity) {
        console.warn(
          `jdma : attention, « ${entityId} » a maintenant ${count} démarches, au-delà de MAX_PROCEDURES_PER_ENTITY (${config.maxProceduresPerEntity}) : ses administrateurs ne peuvent plus en créer.`,
        );
      }
      return;
    }
    case 'list': {
      const procedures = await store.procedures.list();
      if (values.json) return console.log(json(procedures));
      if (procedures.length === 0) return console.log('Aucune démarche enregistrée.');
      for (const p of procedures) {
        console.log(
          shown`${p.id}\t${p.title}\t${p.entity}\t${p.origins.join(' ')}\t${p.reviews} avis` + (p.archivedAt ? '\tarchivée' : ''),
        );
      }
      return;
    }
    case 'show':
      return await showProcedure(store, await procedureArg(), values.json ?? false);
    case 'rename': {
      const procedure = await procedureArg();
      if (!values.title?.trim()) throw new UsageError('--title est obligatoire.');
      if (values.entity !== undefined && !values.entity.trim()) throw new UsageError('--entity ne peut pas être vide.');
      const entityId = values.entity === undefined ? procedure.entityId : await requireEntity(store, values.entity);
      const change = validated(ProcedureChangeSchema, { title: values.title });
      const renamed = await refusedAs(changeProcedure(store, audit, OPERATOR, procedure, change));
      await moveProcedure(store, audit, OPERATOR, renamed.procedure, entityId);
      const moved = entityId === procedure.entityId ? '' : ` (entité : ${entityId})`;
      return console.log(`Démarche « ${procedure.id} » renommée : ${renamed.procedure.title}${moved}.`);
    }
    case 'product-id': {
      // The JDMA compatibility number is the operator's alone: no admin sets it, so no service does.
      const { id, entityId } = await procedureArg();
      const current = await store.procedures.productIdOf(id);
      if (rest[1] === undefined) return console.log(`Numéro de « ${id} » (compatibilité JDMA) : ${current}.`);
      // Numbers from 1,000,000 up are the ones the collector assigns: only JDMA's range is recorded by hand.
      if (!/^[1-9]\d{0,5}$/.test(rest[1])) throw new UsageError(`numéro JDMA invalide « ${rest[1]} » : un entier de 1 à 999999.`);
      const productId = Number(rest[1]);
      try {
        if (!(await store.procedures.setProductId(id, productId))) return console.log(`« ${id} » porte déjà le numéro ${productId}.`);
      } catch (error) {
        if (error instanceof ProductIdTakenError) {
          throw new UsageError(`le numéro ${productId} est déjà celui de « ${await store.procedures.byProductId(productId)} ».`);
        }
        throw error;
      }
      await audit(OPERATOR, entityId, 'procedure_updated', id, { product_id: { from: current, to: productId } });
      return console.log(`« ${id} » répond désormais au numéro JDMA ${productId} (answer.getObservatoireStats).`);
    }
    case 'archive':
    case 'restore': {
      const procedure = await procedureArg();
      const archive = sub === 'archive';
      if ((procedure.archivedAt !== null) === archive) {
        return console.log(`La démarche « ${procedure.id} » est déjà ${archive ? 'archivée' : 'active'}.`);
      }
      await setProcedureArchived(store, audit, OPERATOR, procedure, archive);
      return console.log(
        archive
          ? `Démarche « ${procedure.id} » archivée : ses notes sont refusées (410), elle quitte le flux et l’observatoire, ses données sont conservées.`
          : `Démarche « ${procedure.id} » réactivée : elle accepte de nouveau les notes.`,
      );
    }
  }
  throw unknownCommand(['procedure', sub, ...rest]);
};
