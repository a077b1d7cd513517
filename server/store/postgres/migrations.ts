// Versioned schema of the PostgreSQL engine, the same tables as the SQLite engine's. Each entry runs
// once, in order, in one transaction, under an advisory lock (open-postgres.ts): two collectors
// starting together migrate once. `schema_version` records how far a database has come. Never edit
// a released entry: append a new one.
//
// Days stay ISO text (YYYY-MM-DD) and times milliseconds since the epoch, as in SQLite: both engines
// then hand the same values to the same code. Counts may reach 0 inside a follow-up's transaction,
// whose last statement deletes such rows, so the CHECK allows 0 where SQLite's says > 0.
//
// An entry is SQL, or a function when the change needs code; it runs on the migration's client,
// inside its transaction.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { entitySlugs } from '../entity-slugs.ts';
import { searchTextOf } from '../review-records.ts';

export type Migration = string | ((client: pg.ClientBase) => Promise<void>);

export const MIGRATIONS: readonly Migration[] = [
  `
  CREATE TABLE procedures (
    id          text PRIMARY KEY,
    title       text NOT NULL,
    entity      text NOT NULL,
    created_at  text NOT NULL,
    archived_at text
  );

  CREATE TABLE procedure_origins (
    procedure_id text NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
    origin       text NOT NULL,
    PRIMARY KEY (procedure_id, origin)
  );

  CREATE TABLE placements (
    procedure_id text NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
    id           text NOT NULL,
    PRIMARY KEY (procedure_id, id)
  );

  CREATE TABLE reviews (
    id             bigserial PRIMARY KEY,
    procedure_id   text NOT NULL REFERENCES procedures(id),
    placement_id   text NOT NULL,
    day            text NOT NULL,
    created_at     bigint NOT NULL,
    lang           text NOT NULL,
    satisfaction   text NOT NULL,
    token_hash     bytea NOT NULL,
    followed_up_at bigint,
    help_other     text,
    comment        text
  );

  CREATE TABLE review_answers (
    review_id bigint NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    question  text NOT NULL,
    channel   text NOT NULL DEFAULT '',
    answer    text NOT NULL,
    PRIMARY KEY (review_id, question, channel, answer)
  );

  CREATE TABLE daily_rollups (
    procedure_id text NOT NULL,
    day          text NOT NULL,
    placement_id text NOT NULL,
    question     text NOT NULL,
    answer       text NOT NULL,
    count        integer NOT NULL CHECK (count >= 0),
    PRIMARY KEY (procedure_id, day, placement_id, question, answer)
  );

  CREATE TABLE monthly_rollups (
    procedure_id text NOT NULL,
    month        text NOT NULL,
    placement_id text NOT NULL,
    question     text NOT NULL,
    answer       text NOT NULL,
    count        integer NOT NULL CHECK (count >= 0),
    PRIMARY KEY (procedure_id, month, placement_id, question, answer)
  );

  CREATE TABLE rollup_versions (
    procedure_id text PRIMARY KEY,
    version      bigint NOT NULL
  );

  CREATE TABLE refused_ratings (
    procedure_id text NOT NULL,
    day          text NOT NULL,
    reason       text NOT NULL,
    origin       text NOT NULL,
    placement_id text NOT NULL,
    count        integer NOT NULL CHECK (count > 0),
    PRIMARY KEY (procedure_id, day, reason, origin, placement_id)
  );
  CREATE INDEX refused_ratings_day ON refused_ratings (day);

  -- Bumped by every change to procedures, origins and placements: every collector polls it to know
  -- when its in-memory copy of the access rules is stale.
  CREATE TABLE catalog_version (
    id      integer PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
  );
  INSERT INTO catalog_version VALUES (1, 1);
  `,
  // Agency access (SPEC §8). Every procedure belongs to an entity: the free-text `entity` (a name)
  // becomes a reference, one entity per distinct name, its id the name's slug (the same as SQLite's:
  // entity-slugs.ts). Members are e-mail addresses with a role in an entity; API keys and sessions
  // are stored as SHA-256 hashes of their secret, never the secret; login links are used once. The
  // audit log says who did what.
  async (client) => {
    await client.query(`
    CREATE TABLE entities (
      id         text PRIMARY KEY,
      name       text NOT NULL,
      created_at text NOT NULL
    )`);
    const { rows } = await client.query<{ entity: string }>('SELECT DISTINCT entity FROM procedures');
    const ids = entitySlugs(rows.map((row) => row.entity));
    await client.query('INSERT INTO entities (id, name, created_at) SELECT unnest($1::text[]), unnest($2::text[]), $3', [
      [...ids.values()],
      [...ids.keys()],
      new Date().toISOString(),
    ]);
    await client.query(`
    ALTER TABLE procedures ADD COLUMN entity_id text REFERENCES entities(id);
    UPDATE procedures p SET entity_id = e.id FROM entities e WHERE e.name = p.entity;
    ALTER TABLE procedures ALTER COLUMN entity_id SET NOT NULL;
    ALTER TABLE procedures DROP COLUMN entity;
    CREATE INDEX procedures_entity ON procedures (entity_id);

    CREATE TABLE members (
      entity_id  text NOT NULL REFERENCES entities(id),
      email      text NOT NULL CHECK (email = lower(email)),
      role       text NOT NULL CHECK (role IN ('admin', 'reader')),
      created_at text NOT NULL,
      PRIMARY KEY (entity_id, email)
    );
    CREATE INDEX members_email ON members (email);

    CREATE TABLE api_keys (
      id           bigserial PRIMARY KEY,
      entity_id    text NOT NULL REFERENCES entities(id),
      name         text NOT NULL,
      hash         bytea NOT NULL UNIQUE,
      created_at   text NOT NULL,
      revoked_at   text,
      last_used_at text
    );
    CREATE UNIQUE INDEX api_keys_live_name ON api_keys (entity_id, name) WHERE revoked_at IS NULL;
    CREATE TABLE api_key_procedures (
      key_id       bigint NOT NULL REFERENCES api_keys(id),
      procedure_id text NOT NULL REFERENCES procedures(id),
      PRIMARY KEY (key_id, procedure_id)
    );

    CREATE TABLE sessions (
      id_hash      bytea PRIMARY KEY,
      email        text NOT NULL,
      created_at   bigint NOT NULL,
      last_seen_at bigint NOT NULL
    );

    CREATE TABLE login_links (
      token_hash bytea PRIMARY KEY,
      email      text NOT NULL,
      expires_at bigint NOT NULL,
      used_at    bigint
    );

    CREATE TABLE audit_log (
      id        bigserial PRIMARY KEY,
      entity_id text,
      at        bigint NOT NULL,
      actor     text NOT NULL,
      action    text NOT NULL,
      target    text NOT NULL,
      details   text NOT NULL
    );
    CREATE INDEX audit_log_entity ON audit_log (entity_id, id);
    CREATE INDEX audit_log_at ON audit_log (at);
    `);
  },
  // Agency listing (SPEC §8): per procedure, newest first (day, then id). Moderation hides free text
  // without deleting it. `search_text` is the free text folded for search (review-records.ts
  // searchTextOf), written with the follow-up and erased with the text; older reviews are folded
  // here, by the same function.
  async (client) => {
    await client.query(`
    ALTER TABLE reviews ADD COLUMN search_text text;
    ALTER TABLE reviews ADD COLUMN hidden_at bigint;
    ALTER TABLE reviews ADD COLUMN hidden_reason text;
    ALTER TABLE reviews ADD COLUMN hidden_by text;
    CREATE INDEX reviews_listing ON reviews (procedure_id, day, id);
    `);
    for (let after = 0; ; ) {
      const { rows } = await client.query<{ id: number; comment: string | null; help_other: string | null }>(
        'SELECT id, comment, help_other FROM reviews WHERE id > $1 AND (comment IS NOT NULL OR help_other IS NOT NULL) ORDER BY id LIMIT 10000',
        [after],
      );
      if (rows.length === 0) break;
      await client.query(
        'UPDATE reviews SET search_text = t.text FROM unnest($1::bigint[], $2::text[]) AS t(id, text) WHERE reviews.id = t.id',
        [rows.map((row) => row.id), rows.map((row) => searchTextOf(row.comment, row.help_other))],
      );
      after = Number(rows.at(-1)!.id);
    }
  },
  // The hosted form's shared state, so that collectors on one database behave as one: the key that
  // signs its render times (made here once, under the migration lock, unless HOSTED_FORM_SECRET is
  // set) and the one-time keys of forms already posted, kept as long as a form stays valid
  // (hosted-form-guard.ts), then purged.
  async (client) => {
    await client.query(`
    CREATE TABLE collector_secrets (
      name   text PRIMARY KEY,
      secret bytea NOT NULL
    );
    CREATE TABLE hosted_form_keys (
      form_key    text PRIMARY KEY,
      rendered_at bigint NOT NULL
    );
    `);
    await client.query('INSERT INTO collector_secrets (name, secret) VALUES ($1, $2)', ['hosted_form', randomBytes(32)]);
  },
  // Identical audit events of one minute are one entry with a count (store.ts AUDIT_REPEAT_MS).
  'ALTER TABLE audit_log ADD COLUMN count integer NOT NULL DEFAULT 1 CHECK (count >= 1);',
  // Spans of free text held back until an admin checks them (SPEC §8): a JSON array, null when none.
  'ALTER TABLE reviews ADD COLUMN pii_suspects text;',
  // A stable number per procedure for clients that name products by number (the JDMA drop-in,
  // SPEC §6): assigned at creation from 1,000,000 up, in creation order here for those that exist.
  // Below 1,000,000 the numbers are left to JDMA's product ids, which an agency may record instead.
  `ALTER TABLE procedures ADD COLUMN product_id bigint;
  UPDATE procedures SET product_id = numbered.n + 999999
    FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM procedures) AS numbered
   WHERE procedures.id = numbered.id;
  CREATE UNIQUE INDEX procedures_product_id ON procedures (product_id);`,
  // The mail outbox (store.ts MailRepository). A queued row is due at next_attempt_at; claiming it
  // moves that one lease ahead, so a row is never taken twice while its lease runs.
  `
  CREATE TABLE mails (
    id              bigserial PRIMARY KEY,
    recipient       text NOT NULL,
    kind            text NOT NULL,
    lang            text NOT NULL,
    subject         text NOT NULL,
    text_body       text NOT NULL,
    html_body       text NOT NULL,
    message_id      text NOT NULL,
    status          text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    created_at      bigint NOT NULL,
    next_attempt_at bigint NOT NULL,
    sent_at         bigint,
    last_error      text
  );
  CREATE INDEX mails_due ON mails (next_attempt_at) WHERE status = 'queued';
  CREATE INDEX mails_recipient ON mails (recipient, created_at);
  `,
  // Test placements (SPEC §2): a review given on one is marked test when it is stored and never
  // rolled up, so that the feed, the observatory and the agency's indicators read none of it
  // whatever the placement becomes later (unmarked, removed).
  `ALTER TABLE placements ADD COLUMN is_test boolean NOT NULL DEFAULT false;
  ALTER TABLE reviews ADD COLUMN is_test boolean NOT NULL DEFAULT false;`,
  // A procedure's form (SPEC §3 "Customisation"): one draft an admin edits, and the versions it
  // published, numbered from 1 and never deleted, so that every review's form_version names one.
  // The published version is the one not archived (at most one per procedure).
  `
  CREATE TABLE form_drafts (
    procedure_id text PRIMARY KEY REFERENCES procedures(id) ON DELETE CASCADE,
    config       text NOT NULL,
    updated_at   bigint NOT NULL,
    updated_by   text NOT NULL
  );
  CREATE TABLE form_versions (
    procedure_id text NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
    version      integer NOT NULL CHECK (version >= 1),
    config       text NOT NULL,
    published_at bigint NOT NULL,
    published_by text NOT NULL,
    archived_at  bigint,
    PRIMARY KEY (procedure_id, version)
  );
  CREATE UNIQUE INDEX form_versions_published ON form_versions (procedure_id) WHERE archived_at IS NULL;
  ALTER TABLE reviews ADD COLUMN form_version integer;
  `,
  // Agents' requests to join an entity (store.ts AccessRequestRepository): one pending request per
  // entity and address, so that asking twice mails the admins once.
  `
  CREATE TABLE access_requests (
    id         bigserial PRIMARY KEY,
    entity_id  text NOT NULL REFERENCES entities(id),
    email      text NOT NULL CHECK (email = lower(email)),
    status     text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'refused')),
    created_at bigint NOT NULL,
    decided_at bigint,
    decided_by text,
    lang       text NOT NULL DEFAULT 'fr' CHECK (lang IN ('fr', 'en'))
  );
  CREATE UNIQUE INDEX access_requests_pending ON access_requests (entity_id, email) WHERE status = 'pending';
  CREATE INDEX access_requests_email ON access_requests (email, created_at);
  `,
  // The language a member chose for the mails they receive (store.ts MemberRepository.langOf): one
  // per address, kept on each of its rows; NULL until they choose, and mails fall back on French or
  // the page they asked from.
  "ALTER TABLE members ADD COLUMN lang text CHECK (lang IN ('fr', 'en'));",
  // Mails to agents beyond sign-in (README "Mail"): each member's choices per kind, the leased
  // jobs that decide alerts and digests, the one-click unsubscribe link a mail carries, and a key
  // that makes a scheduled mail unique even when a lapsed lease lets a second collector redo it.
  async (client) => {
    await client.query(`
    CREATE TABLE mail_preferences (
      entity_id    text NOT NULL,
      email        text NOT NULL,
      kind         text NOT NULL,
      procedure_id text NOT NULL DEFAULT '',
      value        text NOT NULL,
      PRIMARY KEY (entity_id, email, kind, procedure_id)
    );
    CREATE TABLE mail_jobs (
      name        text PRIMARY KEY,
      lease_until bigint NOT NULL DEFAULT 0,
      state       text NOT NULL DEFAULT '{}'
    );
    ALTER TABLE mails ADD COLUMN list_unsubscribe text;
    ALTER TABLE mails ADD COLUMN dedupe_key text;
    CREATE UNIQUE INDEX mails_dedupe ON mails (dedupe_key);
    `);
    await client.query('INSERT INTO collector_secrets (name, secret) VALUES ($1, $2)', ['unsubscribe', randomBytes(32)]);
  },
  // Comment triage (SPEC §8): as SQLite's migration of the same name.
  `
  ALTER TABLE reviews ADD COLUMN triage_status text NOT NULL DEFAULT 'new' CHECK (triage_status IN ('new', 'seen', 'handled'));
  ALTER TABLE reviews ADD COLUMN spam_at bigint;
  ALTER TABLE reviews ADD COLUMN spam_by text;
  ALTER TABLE reviews ADD COLUMN duplicate_of bigint;
  ALTER TABLE reviews ADD COLUMN duplicate_state text CHECK (duplicate_state IN ('flagged', 'confirmed', 'cleared'));
  ALTER TABLE reviews ADD COLUMN text_signature bytea;
  CREATE TABLE entity_tags (
    id         bigserial PRIMARY KEY,
    entity_id  text NOT NULL,
    name       text NOT NULL,
    created_at bigint NOT NULL,
    UNIQUE (entity_id, name)
  );
  CREATE TABLE review_tags (
    review_id bigint NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    tag_id    bigint NOT NULL REFERENCES entity_tags(id) ON DELETE CASCADE,
    PRIMARY KEY (review_id, tag_id)
  );
  CREATE INDEX review_tags_tag ON review_tags (tag_id, review_id);
  -- The few marked reviews, for the results' counts of spam and duplicates.
  CREATE INDEX reviews_marked ON reviews (procedure_id, day) WHERE spam_at IS NOT NULL OR duplicate_state IS NOT NULL;
  `,
  // Comment insights (SPEC §8): per procedure × UTC day × placement × satisfaction, how many reviews
  // wrote each term (terms.ts), under the form they wrote it in; the term '' counts the reviews whose
  // terms were read, the denominator of every rate. They stay when the free text is purged.
  // review_terms holds what one review is counted under, so that a new follow-up or a checked span
  // moves its counts; it goes with the text at the purge. term_queue lists the reviews whose terms
  // await counting (term-counting.ts, off the request path); every stored comment is queued here once.
  `
  CREATE TABLE daily_term_rollups (
    procedure_id text NOT NULL,
    day          text NOT NULL,
    placement_id text NOT NULL,
    satisfaction text NOT NULL,
    term         text NOT NULL,
    form         text NOT NULL,
    count        integer NOT NULL CHECK (count > 0),
    PRIMARY KEY (procedure_id, day, placement_id, satisfaction, term, form)
  );
  -- A term's rows across days, for the purge's prune of rare terms.
  CREATE INDEX daily_term_rollups_term ON daily_term_rollups (procedure_id, term);
  CREATE TABLE review_terms (
    review_id  bigint PRIMARY KEY,
    created_at bigint NOT NULL,
    terms      text NOT NULL
  );
  CREATE INDEX review_terms_created_at ON review_terms (created_at);
  CREATE TABLE term_queue (
    review_id bigint PRIMARY KEY,
    version   integer NOT NULL DEFAULT 0
  );
  INSERT INTO term_queue (review_id) SELECT id FROM reviews WHERE comment IS NOT NULL;
  `,
  // Suggested tags (SPEC §8): as SQLite's migration of the same name.
  `
  CREATE TABLE tag_models (
    entity_id  text PRIMARY KEY,
    model      text NOT NULL,
    trained_at bigint NOT NULL
  );
  `,
  // Quarterly editions (SPEC §6 "Editions"): frozen bytes, as in SQLite.
  `
  CREATE TABLE editions (
    quarter        text PRIMARY KEY,
    window_from    text NOT NULL,
    window_to      text NOT NULL,
    method_version integer NOT NULL,
    min_reviews    integer NOT NULL,
    published_at   bigint NOT NULL,
    json           bytea NOT NULL,
    csv            bytea NOT NULL,
    impact_csv     bytea NOT NULL,
    json_sha256    text NOT NULL,
    csv_sha256     text NOT NULL,
    impact_sha256  text NOT NULL
  );
  `,
  // Reports of the problem form (SPEC §3 "Signaler un problème"): a table of their own, so that no
  // count of satisfaction (rollups, feed, observatory) can ever read one. The text is scrubbed like
  // a comment's before it is stored. procedure_contacts holds the page « my own situation » points to.
  `
  CREATE TABLE problem_reports (
    id           bigserial PRIMARY KEY,
    procedure_id text NOT NULL REFERENCES procedures(id),
    placement_id text NOT NULL,
    day          text NOT NULL,            -- UTC day, YYYY-MM-DD
    created_at   bigint NOT NULL,         -- ms since epoch
    lang         text NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('technical', 'own_situation', 'suggestion')),
    text         text                      -- free text, scrubbed: never published
  );
  CREATE INDEX problem_reports_procedure_day ON problem_reports (procedure_id, day);
  CREATE TABLE procedure_contacts (
    procedure_id text PRIMARY KEY REFERENCES procedures(id) ON DELETE CASCADE,
    url          text NOT NULL
  );
  `,
  // The logo an entity's admin uploads for its hosted pages (SPEC §3): a PNG or JPEG of at most
  // 100 kB, kept in the database so that both engines serve it alike and a backup holds it.
  `
  CREATE TABLE entity_logos (
    entity_id    text PRIMARY KEY REFERENCES entities(id),
    content_type text NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg')),
    bytes        bytea NOT NULL,
    etag         text NOT NULL,            -- the SHA-256 of bytes, hex
    updated_at   bigint NOT NULL           -- ms since epoch
  );
  `,
  // Comment insights' months (SPEC §8): as SQLite's migration of the same name.
  `
  CREATE TABLE monthly_term_rollups (
    procedure_id text NOT NULL,
    month        text NOT NULL,
    placement_id text NOT NULL,
    satisfaction text NOT NULL,
    term         text NOT NULL,
    form         text NOT NULL,
    count        integer NOT NULL CHECK (count > 0),
    PRIMARY KEY (procedure_id, month, placement_id, satisfaction, term, form)
  );
  `,
  // Comment insights' month to date (SPEC §8): as SQLite's migration of the same name.
  `
  CREATE TABLE term_month_marks (
    procedure_id text PRIMARY KEY,
    day          text NOT NULL
  );
  `,
  // Comment insights' term versions (SPEC §8): as SQLite's migration of the same name.
  `
  CREATE TABLE term_versions (
    procedure_id text PRIMARY KEY,
    version      integer NOT NULL
  );
  `,
  // Comment insights' month-to-date sums (SPEC §8): as SQLite's migration of the same name.
  `
  CREATE TABLE term_month_sums (
    procedure_id text NOT NULL,
    placement_id text NOT NULL,
    day          text NOT NULL,
    version      integer NOT NULL,
    columns      text NOT NULL,
    PRIMARY KEY (procedure_id, placement_id)
  );
  ALTER TABLE term_versions ADD COLUMN months_version integer NOT NULL DEFAULT 0;
  `,
];
