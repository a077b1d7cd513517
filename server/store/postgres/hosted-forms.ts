import type { HostedFormRepository } from '../store.ts';
import type { Pg } from './open-postgres.ts';

export function postgresHostedForms(db: Pg): HostedFormRepository {
  return {
    signingKey: async () =>
      (await db.query<{ secret: Buffer }>("SELECT secret FROM collector_secrets WHERE name = 'hosted_form'")).rows[0]!.secret,
    // One statement: of two collectors racing for the same key, PostgreSQL lets one INSERT through.
    claim: async (formKey, renderedAt) =>
      (
        await db.query(
          {
            name: 'hosted-form-claim',
            text: 'INSERT INTO hosted_form_keys (form_key, rendered_at) VALUES ($1, $2) ON CONFLICT DO NOTHING',
          },
          [formKey, renderedAt],
        )
      ).rowCount === 1,
    release: async (formKey) => void (await db.query('DELETE FROM hosted_form_keys WHERE form_key = $1', [formKey])),
    purge: async (before) => (await db.query('DELETE FROM hosted_form_keys WHERE rendered_at < $1', [before])).rowCount ?? 0,
  };
}
