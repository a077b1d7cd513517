import type { HostedFormRepository } from '../store.ts';
import type { Db } from './open-sqlite.ts';

export function sqliteHostedForms(db: Db): HostedFormRepository {
  const selectKey = db.prepare<[], Buffer>("SELECT secret FROM collector_secrets WHERE name = 'hosted_form'").pluck();
  const insert = db.prepare<[string, number]>('INSERT INTO hosted_form_keys (form_key, rendered_at) VALUES (?, ?) ON CONFLICT DO NOTHING');
  const remove = db.prepare<[string]>('DELETE FROM hosted_form_keys WHERE form_key = ?');
  const purge = db.prepare<[number]>('DELETE FROM hosted_form_keys WHERE rendered_at < ?');
  return {
    signingKey: async () => selectKey.get()!,
    claim: async (formKey, renderedAt) => insert.run(formKey, renderedAt).changes === 1,
    release: async (formKey) => void remove.run(formKey),
    purge: async (before) => purge.run(before).changes,
  };
}
