// jdma migrate-data: a SQLite installation copied into PostgreSQL, table by table, with the counts.
import { existsSync } from 'node:fs';
import { migrateData } from '../store/migrate-data.ts';
import { type CommandGroup, UsageError } from './command-kit.ts';

export const migrateDataCommand: CommandGroup = async ({ values: { from, to } }) => {
  if (!from || !existsSync(from))
    throw new UsageError(`--from doit nommer un fichier SQLite existant${from ? ` (« ${from} » introuvable)` : ''}.`);
  if (!to || !/^postgres(ql)?:\/\//.test(to))
    throw new UsageError('--to doit être une URL postgres://utilisateur:mot-de-passe@hôte:5432/base.');
  const counts = await migrateData(from, to, (line) => console.log(line));
  const short = counts.filter((c) => c.target < c.source);
  for (const c of counts) console.log(`${c.table.padEnd(18)} ${String(c.source).padStart(10)} → ${String(c.target).padStart(10)}`);
  if (short.length > 0) {
    console.error(`jdma : copie incomplète : ${short.map((c) => `${c.table} (${c.target} sur ${c.source})`).join(', ')}.`);
    process.exit(1);
  }
  console.log('Copie terminée : chaque table de PostgreSQL contient au moins les lignes du fichier SQLite.');
};
