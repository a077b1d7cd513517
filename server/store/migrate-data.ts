import pg from 'pg';
import { openPostgres } from './postgres/open-postgres.ts';
import { openSqlite } from './sqlite/open-sqlite.ts';

/** Rows copied per statement: large enough to be fast, small enough to show progress. */
const CHUNK = 5000;

/** Tables compared after the copy: the target must hold at least what the source holds. */
const CHECKED = [
  'entities',
  'procedures',
  'procedure_origins',
  'placements',
  'reviews',
  'review_answers',
  'daily_rollups',
  'monthly_rollups',
  'refused_ratings',
  'members',
  'api_keys',
  'api_key_procedures',
  'audit_log',
  'collector_secrets',
  'hosted_form_keys',
  'form_drafts',
  'form_versions',
  'entity_tags',
  'review_tags',
  'mail_preferences',
  'access_requests',
  'daily_term_rollups',
  'monthly_term_rollups',
  'term_month_marks',
  'review_terms',
  'term_queue',
  'editions',
];

export interface TableCount {
  table: string;
  source: number;
  target: number;
}

/**
 * Copies a SQLite deployment into PostgreSQL: entities, procedures, origins, placements, reviews
 * (their ids kept, so follow-up links stay valid), answers, refused-attempt counts, members, API
 * keys (ids and hashes kept, so they keep working), the audit log, tags and the reviews' triage, the
 * members' mail choices and pending access requests, the comment terms' counts, the published editions, and the hosted form's signing key
 * and its one-time form keys (a form shown before the cut-over can be sent after). Sessions and login links are
 * not copied: they live hours at most, and agents sign in again after the cut-over; nor is the mail
 * outbox (a mail still queued is as stale as its sign-in link), nor the suggested tags' models (the
target's first tick trains them again from the copied tags). The rollups are then
 * recounted on the target from its reviews, and every table's count compared. Idempotent: run it
 * again and it copies what is missing, nothing twice. Meant for a cut-over: stop the SQLite
 * collector, copy, start the PostgreSQL ones.
 */
export async function migrateData(from: string, to: string, progress: (line: string) => void): Promise<TableCount[]> {
  const source = openSqlite(from); // brings an older file's schema up to date first, as the collector would
  const target = await openPostgres({ databaseUrl: to, poolSize: 2 });
  const client = new pg.Client({ connectionString: to });
  await client.connect();
  try {
    const all = <T>(sql: string) => source.db.prepare(sql).all() as T[];
    const entities = all<Record<string, unknown>>('SELECT * FROM entities');
    await client.query(
      `INSERT INTO entities (id, name, created_at) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       ON CONFLICT (id) DO UPDATE SET name = excluded.name`,
      columns(entities, ['id', 'name', 'created_at']),
    );
    const procedures = all<Record<string, unknown>>('SELECT * FROM procedures');
    await client.query(
      `INSERT INTO procedures (id, title, entity_id, created_at, archived_at, product_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])
       ON CONFLICT (id) DO UPDATE SET title = excluded.title, entity_id = excluded.entity_id, archived_at = excluded.archived_at,
         product_id = excluded.product_id`,
      columns(procedures, ['id', 'title', 'entity_id', 'created_at', 'archived_at', 'product_id']),
    );
    const origins = all<{ procedure_id: string; origin: string }>('SELECT * FROM procedure_origins');
    await client.query(
      'INSERT INTO procedure_origins SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING',
      columns(origins, ['procedure_id', 'origin']),
    );
    const placements = all<{ procedure_id: string; id: string; is_test: number }>('SELECT * FROM placements');
    await client.query(
      'INSERT INTO placements (procedure_id, id, is_test) SELECT p, i, t <> 0 FROM unnest($1::text[], $2::text[], $3::int[]) AS u(p, i, t) ON CONFLICT DO NOTHING',
      columns(placements, ['procedure_id', 'id', 'is_test']),
    );
    const drafts = all<Record<string, unknown>>('SELECT * FROM form_drafts');
    await client.query(
      `INSERT INTO form_drafts (procedure_id, config, updated_at, updated_by)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[]) ON CONFLICT DO NOTHING`,
      columns(drafts, ['procedure_id', 'config', 'updated_at', 'updated_by']),
    );
    const versions = all<Record<string, unknown>>('SELECT * FROM form_versions');
    await client.query(
      `INSERT INTO form_versions (procedure_id, version, config, published_at, published_by, archived_at)
       SELECT * FROM unnest($1::text[], $2::integer[], $3::text[], $4::bigint[], $5::text[], $6::bigint[]) ON CONFLICT DO NOTHING`,
      columns(versions, ['procedure_id', 'version', 'config', 'published_at', 'published_by', 'archived_at']),
    );
    progress(`démarches : ${procedures.length}, origines : ${origins.length}, emplacements : ${placements.length}`);

    const reviewCount = (source.db.prepare('SELECT count(*) AS n FROM reviews').get() as { n: number }).n;
    const reviewPage = source.db.prepare('SELECT * FROM reviews WHERE id > ? ORDER BY id LIMIT ?');
    const answerPage = source.db.prepare('SELECT * FROM review_answers WHERE review_id > ? AND review_id <= ? ORDER BY review_id');
    let copied = 0;
    for (let after = 0; ; ) {
      const reviews = reviewPage.all(after, CHUNK) as Record<string, unknown>[];
      if (reviews.length === 0) break;
      const last = reviews.at(-1)!.id as number;
      const answers = answerPage.all(after, last) as Record<string, unknown>[];
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO reviews (id, procedure_id, placement_id, day, created_at, lang, satisfaction, token_hash, followed_up_at, help_other, comment,
                              search_text, hidden_at, hidden_reason, hidden_by, pii_suspects,
                              triage_status, spam_at, spam_by, duplicate_of, duplicate_state, text_signature)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::bytea[], $9::bigint[], $10::text[], $11::text[],
                              $12::text[], $13::bigint[], $14::text[], $15::text[], $16::text[],
                              $17::text[], $18::bigint[], $19::text[], $20::bigint[], $21::text[], $22::bytea[])
         ON CONFLICT (id) DO NOTHING`,
        columns(reviews, [
          'id',
          'procedure_id',
          'placement_id',
          'day',
          'created_at',
          'lang',
          'satisfaction',
          'token_hash',
          'followed_up_at',
          'help_other',
          'comment',
          'search_text',
          'hidden_at',
          'hidden_reason',
          'hidden_by',
          'pii_suspects',
          'triage_status',
          'spam_at',
          'spam_by',
          'duplicate_of',
          'duplicate_state',
          'text_signature',
        ]),
      );
      await client.query(
        `INSERT INTO review_answers (review_id, question, channel, answer)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING`,
        columns(answers, ['review_id', 'question', 'channel', 'answer']),
      );
      // Test reviews stay test: the rollups recounted below leave them out. Each keeps its form version.
      await client.query('UPDATE reviews SET is_test = true WHERE id = ANY($1::bigint[])', [
        reviews.filter((review) => review.is_test).map((review) => review.id),
      ]);
      const versioned = reviews.filter((review) => review.form_version !== null);
      await client.query(
        'UPDATE reviews SET form_version = v.version FROM unnest($1::bigint[], $2::integer[]) AS v(id, version) WHERE reviews.id = v.id',
        [versioned.map((review) => review.id), versioned.map((review) => review.form_version)],
      );
      await client.query('COMMIT');
      copied += reviews.length;
      after = last;
      progress(`avis : ${copied} / ${reviewCount}`);
    }
    // New reviews on the target must get ids after the copied ones.
    await client.query("SELECT setval('reviews_id_seq', greatest((SELECT max(id) FROM reviews), 1))");

    const refused = all<Record<string, unknown>>('SELECT * FROM refused_ratings');
    await client.query(
      `INSERT INTO refused_ratings AS r SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::integer[])
       ON CONFLICT (procedure_id, day, reason, origin, placement_id) DO UPDATE SET count = greatest(r.count, excluded.count)`,
      columns(refused, ['procedure_id', 'day', 'reason', 'origin', 'placement_id', 'count']),
    );

    const members = all<Record<string, unknown>>('SELECT * FROM members');
    await client.query(
      `INSERT INTO members (entity_id, email, role, created_at, lang) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
       ON CONFLICT (entity_id, email) DO UPDATE SET role = excluded.role, lang = excluded.lang`,
      columns(members, ['entity_id', 'email', 'role', 'created_at', 'lang']),
    );
    // What each member chose to receive, and the requests to join that still wait for an admin.
    const preferences = all<Record<string, unknown>>('SELECT * FROM mail_preferences');
    await client.query(
      `INSERT INTO mail_preferences (entity_id, email, kind, procedure_id, value)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
       ON CONFLICT (entity_id, email, kind, procedure_id) DO UPDATE SET value = excluded.value`,
      columns(preferences, ['entity_id', 'email', 'kind', 'procedure_id', 'value']),
    );
    const requests = all<Record<string, unknown>>('SELECT * FROM access_requests');
    await client.query(
      `INSERT INTO access_requests (id, entity_id, email, status, created_at, decided_at, decided_by, lang)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::text[], $8::text[])
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, decided_at = excluded.decided_at, decided_by = excluded.decided_by`,
      columns(requests, ['id', 'entity_id', 'email', 'status', 'created_at', 'decided_at', 'decided_by', 'lang']),
    );
    await client.query("SELECT setval('access_requests_id_seq', greatest((SELECT max(id) FROM access_requests), 1))");
    const keys = all<Record<string, unknown>>('SELECT * FROM api_keys');
    await client.query(
      `INSERT INTO api_keys (id, entity_id, name, hash, created_at, revoked_at, last_used_at)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bytea[], $5::text[], $6::text[], $7::text[])
       ON CONFLICT (id) DO UPDATE SET revoked_at = excluded.revoked_at, last_used_at = excluded.last_used_at`,
      columns(keys, ['id', 'entity_id', 'name', 'hash', 'created_at', 'revoked_at', 'last_used_at']),
    );
    await client.query("SELECT setval('api_keys_id_seq', greatest((SELECT max(id) FROM api_keys), 1))");
    const scopes = all<Record<string, unknown>>('SELECT * FROM api_key_procedures');
    await client.query(
      'INSERT INTO api_key_procedures (key_id, procedure_id) SELECT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT DO NOTHING',
      columns(scopes, ['key_id', 'procedure_id']),
    );
    const audit = all<Record<string, unknown>>('SELECT * FROM audit_log');
    await client.query(
      `INSERT INTO audit_log (id, entity_id, at, actor, action, target, details, count)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::integer[])
       ON CONFLICT (id) DO NOTHING`,
      columns(audit, ['id', 'entity_id', 'at', 'actor', 'action', 'target', 'details', 'count']),
    );
    await client.query("SELECT setval('audit_log_id_seq', greatest((SELECT max(id) FROM audit_log), 1))");
    // Tags keep their ids, which the reviews' tags and API clients name them by.
    const tags = all<Record<string, unknown>>('SELECT * FROM entity_tags');
    await client.query(
      `INSERT INTO entity_tags (id, entity_id, name, created_at) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[])
       ON CONFLICT (id) DO UPDATE SET name = excluded.name`,
      columns(tags, ['id', 'entity_id', 'name', 'created_at']),
    );
    await client.query("SELECT setval('entity_tags_id_seq', greatest((SELECT max(id) FROM entity_tags), 1))");
    const reviewTags = all<Record<string, unknown>>('SELECT * FROM review_tags');
    await client.query(
      'INSERT INTO review_tags (review_id, tag_id) SELECT * FROM unnest($1::bigint[], $2::bigint[]) ON CONFLICT DO NOTHING',
      columns(reviewTags, ['review_id', 'tag_id']),
    );
    progress(`entités : ${entities.length}, membres : ${members.length}, clés d’API : ${keys.length}, journal : ${audit.length}`);

    // The hosted form's signing key and the one-time keys of forms already shown: a person who opened
    // a form before the cut-over can still send it after. The source's key replaces the one the new
    // database made itself (idempotent: a second run writes the same key again).
    const secrets = all<{ name: string; secret: Buffer }>('SELECT * FROM collector_secrets');
    await client.query(
      `INSERT INTO collector_secrets (name, secret) SELECT * FROM unnest($1::text[], $2::bytea[])
       ON CONFLICT (name) DO UPDATE SET secret = excluded.secret`,
      columns(secrets, ['name', 'secret']),
    );
    const formKeys = all<{ form_key: string; rendered_at: number }>('SELECT * FROM hosted_form_keys');
    await client.query(
      'INSERT INTO hosted_form_keys (form_key, rendered_at) SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT DO NOTHING',
      columns(formKeys, ['form_key', 'rendered_at']),
    );

    // The comment terms: their counts outlive the free text (the purge keeps them), so they are
    // copied, not recounted; with what each review was counted under and the queue, so that the
    // target's tick goes on where the source's stopped. In slices: a year of terms is a million rows.
    const TERM_SLICE = 20_000;
    const termRollups = source.db.prepare<[number, number], Record<string, unknown>>(
      'SELECT * FROM daily_term_rollups ORDER BY procedure_id, day, placement_id, satisfaction, term, form LIMIT ? OFFSET ?',
    );
    for (let offset = 0; ; offset += TERM_SLICE) {
      const rows = termRollups.all(TERM_SLICE, offset);
      if (rows.length === 0) break;
      await client.query(
        `INSERT INTO daily_term_rollups (procedure_id, day, placement_id, satisfaction, term, form, count)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::integer[])
         ON CONFLICT (procedure_id, day, placement_id, satisfaction, term, form) DO UPDATE SET count = excluded.count`,
        columns(rows, ['procedure_id', 'day', 'placement_id', 'satisfaction', 'term', 'form', 'count']),
      );
    }
    const monthlyTerms = all<Record<string, unknown>>('SELECT * FROM monthly_term_rollups');
    await client.query(
      `INSERT INTO monthly_term_rollups (procedure_id, month, placement_id, satisfaction, term, form, count)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::integer[])
       ON CONFLICT (procedure_id, month, placement_id, satisfaction, term, form) DO UPDATE SET count = excluded.count`,
      columns(monthlyTerms, ['procedure_id', 'month', 'placement_id', 'satisfaction', 'term', 'form', 'count']),
    );
    const marks = all<Record<string, unknown>>('SELECT * FROM term_month_marks');
    await client.query(
      `INSERT INTO term_month_marks (procedure_id, day) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (procedure_id) DO UPDATE SET day = excluded.day`,
      columns(marks, ['procedure_id', 'day']),
    );
    // A collector already running on the target keeps what it read of the term rollups under their
    // versions (folded-term-cache.ts): the copy raises them.
    await client.query(
      `INSERT INTO term_versions AS v (procedure_id, version, months_version) SELECT id, 1, 1 FROM procedures
       ON CONFLICT (procedure_id) DO UPDATE SET version = v.version + 1, months_version = v.months_version + 1`,
    );
    const reviewTerms = all<Record<string, unknown>>('SELECT * FROM review_terms');
    await client.query(
      `INSERT INTO review_terms (review_id, created_at, terms) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[])
       ON CONFLICT (review_id) DO UPDATE SET terms = excluded.terms`,
      columns(reviewTerms, ['review_id', 'created_at', 'terms']),
    );
    const termQueue = all<Record<string, unknown>>('SELECT * FROM term_queue');
    await client.query(
      `INSERT INTO term_queue (review_id, version) SELECT * FROM unnest($1::bigint[], $2::integer[])
       ON CONFLICT (review_id) DO UPDATE SET version = excluded.version`,
      columns(termQueue, ['review_id', 'version']),
    );

    // Published editions, byte for byte: their checksums are what readers verify against.
    for (const { quarter } of await source.editions.list()) await target.editions.add((await source.editions.find(quarter))!);
    // The entities' logos, byte for byte (their hash is the ETag the pages link).
    for (const { id } of entities as { id: string }[]) {
      const logo = await source.entities.logo(id);
      if (logo) await target.entities.setLogo(id, logo);
    }

    progress('agrégats : recalcul à partir des avis…');
    await target.rollups.rebuild();
    // Running collectors reload the procedures at their next poll.
    await client.query('UPDATE catalog_version SET version = version + 1');

    const counts: TableCount[] = [];
    for (const table of CHECKED) {
      const sourceCount = (source.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
      counts.push({ table, source: sourceCount, target: Number(rows[0]!.n) });
    }
    return counts;
  } finally {
    await client.end();
    await target.close();
    await source.close();
  }
}

/** Rows as one array per column, for unnest(): one statement inserts them all. */
function columns<T extends object>(rows: readonly T[], names: readonly string[]): unknown[][] {
  return names.map((name) => rows.map((row) => (row as Record<string, unknown>)[name] ?? null));
}
