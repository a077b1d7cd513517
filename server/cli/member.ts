// jdma member add|list|remove: an entity's members, through the services the API and the space call
// (server/agency/entity-admin.ts), so that an entity keeps an admin here too (last_admin).
import { OPERATOR } from '../agency/access.ts';
import { changeMemberRole, inviteMember, removeMember } from '../agency/entity-admin.ts';
import {
  type CommandGroup,
  day,
  emailArg,
  json,
  operatorAudit,
  ROLES,
  refusedAs,
  requireEntity,
  roleArg,
  shown,
  unknownCommand,
} from './command-kit.ts';

const LAST_ADMIN = (entityId: string) => `« ${entityId} » garde au moins un administrateur ; nommez-en un autre d’abord`;

export const memberCommand: CommandGroup = async ({ sub, rest, values, store: open }) => {
  const store = await open();
  if (sub === 'add') {
    const entityId = await requireEntity(store, rest[0]);
    const email = emailArg(rest[1]);
    const role = roleArg(values.role);
    const admin = { store, audit: operatorAudit(store), caller: OPERATOR, entityId };
    const previous = (await store.members.rolesOf(email)).get(entityId);
    if (previous === role) return console.log(`${email} est déjà ${ROLES[role]} de « ${entityId} ».`);
    if (previous) {
      await refusedAs(changeMemberRole(admin, email, role), { last_admin: LAST_ADMIN(entityId) });
      return console.log(`Rôle de ${email} dans « ${entityId} » changé : ${ROLES[previous]} → ${ROLES[role]}.`);
    }
    // No invitation mail: the operator hands the login link over (jdma login-link).
    await refusedAs(inviteMember(admin, email, role));
    return console.log(`${email} ajouté à « ${entityId} » comme ${ROLES[role]}. Lien de connexion : jdma login-link ${email}`);
  }
  if (sub === 'list') {
    const entityId = await requireEntity(store, rest[0]);
    const members = await store.members.list(entityId);
    if (values.json) return console.log(json(members));
    if (members.length === 0) return console.log(`Aucun membre dans « ${entityId} » (jdma member add ${entityId} <adresse> --role admin).`);
    for (const member of members) console.log(shown`${member.email}\t${member.role}\tdepuis le ${day(member.createdAt)}`);
    return;
  }
  if (sub === 'remove') {
    const entityId = await requireEntity(store, rest[0]);
    const email = emailArg(rest[1]);
    const admin = { store, audit: operatorAudit(store), caller: OPERATOR, entityId };
    const ended = await refusedAs(removeMember(admin, email), {
      member_not_found: `${email} n’est pas membre de « ${entityId} »`,
      last_admin: LAST_ADMIN(entityId),
    });
    return console.log(`${email} retiré de « ${entityId} » : son accès cesse immédiatement (sessions fermées : ${ended}).`);
  }
  throw unknownCommand(['member', sub, ...rest]);
};
