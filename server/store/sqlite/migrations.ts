// Versioned schema. Each entry runs once, in order, inside one transaction; PRAGMA user_version
// records how far a database file has come. Never edit a released entry: append a new one.
//
// Reviews are stored as one row each (the hot rating, free text, token hash) plus one row per
// non-free-text answer in `review_answers` (question, answer). Per-answer rows make every
// indicator of SPEC §4 a plain GROUP BY over (question, answer), whatever the question's shape
// (single choice, multiple choice, per-channel), and let the feed's rollups be rebuilt by one query.
//
// An entry is SQL, or a function when the change needs code. The runner (open-sqlite.ts) turns
// foreign keys off while migrating, as SQLite asks for a table rebuild, and checks them before
// each commit.
import { randomBytes } from 'node:crypto';
import { entitySlugs } from '../entity-slugs.ts';
import { searchTextOf } from '../review-records.ts';
import type { Db } from './open-sqlite.ts';

export type Migration = string | ((db: Db) => void);

export const MIGRATIONS: readonly Migration[] = [
  `
  CREATE TABLE procedures (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    entity      TEXT NOT NULL,
    created_at  TEXT NOT NULL
  ) STRICT;

  CREATE TABLE procedure_origins (
    procedure_id TEXT NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
    origin       TEXT NOT NULL,
    PRIMARY KEY (procedure_id, origin)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE placements (
    procedure_id TEXT NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
    id           TEXT NOT NULL,
    PRIMARY KEY (procedure_id, id)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE reviews (
    id            INTEGER PRIMARY KEY,
    procedure_id  TEXT NOT NULL REFERENCES procedures(id),
    placement_id  TEXT NOT NULL,
    day           TEXT NOT NULL,            -- UTC day of the hot rating, YYYY-MM-DD (SPEC §4 windows)
    created_at    INTEGER NOT NULL,         -- ms since epoch
    lang          TEXT NOT NULL,
    satisfaction  TEXT NOT NULL,
    token_hash    BLOB NOT NULL,            -- SHA-256 of the follow-up token; the token itself is never stored
    followed_up_at INTEGER,                 -- ms since epoch of the latest follow-up
    help_other    TEXT,                     -- free text: never published (SPEC §7)
    comment       TEXT                      -- free text: never published (SPEC §7)
  ) STRICT;
  CREATE INDEX reviews_procedure_day ON reviews (procedure_id, day);

  CREATE TABLE review_answers (
    review_id  INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    question   TEXT NOT NULL,               -- clarity | help_sought | help_reached | help_quality
    channel    TEXT NOT NULL DEFAULT '',    -- for help_reached / help_quality: the channel answered about
    answer     TEXT NOT NULL,
    PRIMARY KEY (review_id, question, channel, answer)
  ) STRICT, WITHOUT ROWID;
  `,
  // The feed reads rollups only, so that its cost follows procedures × days, not reviews.
  // `daily_rollups` holds, per procedure × UTC day × placement, how many answers each (question,
  // answer) got; `monthly_rollups` the same per month, so a 12-month window reads ~12 rows per
  // answer instead of ~365. Both are kept in the transaction of every write (store/rollups.ts) and
  // can be recomputed from the reviews (`jdma rollups rebuild`). Beside the stored questions:
  //   satisfaction  one row per review (the review count is its sum);
  //   help_reached, help_quality  summed over channels (SPEC §4 counts answers, whatever the channel);
  //   autonomy      one row per review that answered help_sought: 'none' or 'sought' (SPEC §4
  //                 divides by reviews, and help_sought has several answers per review).
  // Rows never hold a zero count. `rollup_versions` counts the writes per procedure: the feed's
  // cache and ETag compare it to know, without reading any count, whether a procedure changed.
  `
  CREATE TABLE daily_rollups (
    procedure_id TEXT NOT NULL,
    day          TEXT NOT NULL,
    placement_id TEXT NOT NULL,
    question     TEXT NOT NULL,
    answer       TEXT NOT NULL,
    count        INTEGER NOT NULL CHECK (count > 0),
    PRIMARY KEY (procedure_id, day, placement_id, question, answer)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE monthly_rollups (
    procedure_id TEXT NOT NULL,
    month        TEXT NOT NULL,             -- YYYY-MM, UTC
    placement_id TEXT NOT NULL,
    question     TEXT NOT NULL,
    answer       TEXT NOT NULL,
    count        INTEGER NOT NULL CHECK (count > 0),
    PRIMARY KEY (procedure_id, month, placement_id, question, answer)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE rollup_versions (
    procedure_id TEXT PRIMARY KEY,
    version      INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;

  -- Reviews collected before this migration are rolled up once, here (frozen copy of rebuild()).
  INSERT INTO daily_rollups (procedure_id, day, placement_id, question, answer, count)
  SELECT procedure_id, day, placement_id, question, answer, count(*) FROM (
    SELECT procedure_id, day, placement_id, 'satisfaction' AS question, satisfaction AS answer FROM reviews
    UNION ALL
    SELECT r.procedure_id, r.day, r.placement_id, a.question, a.answer
      FROM review_answers a JOIN reviews r ON r.id = a.review_id
    UNION ALL
    SELECT r.procedure_id, r.day, r.placement_id, 'autonomy', CASE WHEN max(a.answer = 'none') THEN 'none' ELSE 'sought' END
      FROM review_answers a JOIN reviews r ON r.id = a.review_id
     WHERE a.question = 'help_sought' GROUP BY r.id
  ) GROUP BY procedure_id, day, placement_id, question, answer;
  INSERT INTO monthly_rollups (procedure_id, month, placement_id, question, answer, count)
  SELECT procedure_id, substr(day, 1, 7), placement_id, question, answer, sum(count)
    FROM daily_rollups GROUP BY procedure_id, substr(day, 1, 7), placement_id, question, answer;
  INSERT INTO rollup_versions (procedure_id, version) SELECT id, 1 FROM procedures;
  `,
  // Nothing reads reviews by (procedure, day) since the feed reads rollups only, and the index
  // cost every hot rating a second B-tree insert (measured with npm run bench).
  `
  DROP INDEX reviews_procedure_day;
  `,
  // Archived procedures keep their reviews and stay readable, but take no rating and leave the
  // feed. `refused_ratings` is the integration health: per procedure, UTC day, reason (the error
  // code the page was told), origin ('' when the request had none) and placement, how many rating
  // attempts were refused. Counts only, kept 90 days; procedure_id has no foreign key because a
  // mistyped id is exactly what the operator needs to see.
  `
  ALTER TABLE procedures ADD COLUMN archived_at TEXT;

  CREATE TABLE refused_ratings (
    procedure_id TEXT NOT NULL,
    day          TEXT NOT NULL,
    reason       TEXT NOT NULL,
    origin       TEXT NOT NULL,
    placement_id TEXT NOT NULL,
    count        INTEGER NOT NULL CHECK (count > 0),
    PRIMARY KEY (procedure_id, day, reason, origin, placement_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX refused_ratings_day ON refused_ratings (day);
  `,
  // Agency access (SPEC §8). Every procedure belongs to an entity: the free-text `entity` (a name)
  // becomes a reference, one entity per distinct name, its id the name's slug. `procedures` is
  // rebuilt, as SQLite cannot add a NOT NULL reference to a table. Members are e-mail addresses
  // with a role in an entity; API keys and sessions are stored as SHA-256 hashes of their secret,
  // never the secret; login links are used once. The audit log says who did what.
  (db) => {
    db.exec(`
    CREATE TABLE entities (
      id         TEXT PRIMARY KEY,
      name       TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;`);
    const names = db.prepare<[], string>('SELECT DISTINCT entity FROM procedures').pluck().all();
    const insertEntity = db.prepare<[string, string, string]>('INSERT INTO entities (id, name, created_at) VALUES (?, ?, ?)');
    const now = new Date().toISOString();
    for (const [name, id] of entitySlugs(names)) insertEntity.run(id, name, now);
    db.exec(`
    CREATE TABLE procedures_new (
      id          TEXT PRIMARY KEY,
      title       TEXT NOT NULL,
      entity_id   TEXT NOT NULL REFERENCES entities(id),
      created_at  TEXT NOT NULL,
      archived_at TEXT
    ) STRICT;
    INSERT INTO procedures_new (id, title, entity_id, created_at, archived_at)
      SELECT p.id, p.title, e.id, p.created_at, p.archived_at FROM procedures p JOIN entities e ON e.name = p.entity;
    DROP TABLE procedures;
    ALTER TABLE procedures_new RENAME TO procedures;
    CREATE INDEX procedures_entity ON procedures (entity_id);

    CREATE TABLE members (
      entity_id  TEXT NOT NULL REFERENCES entities(id),
      email      TEXT NOT NULL CHECK (email = lower(email)),
      role       TEXT NOT NULL CHECK (role IN ('admin', 'reader')),
      created_at TEXT NOT NULL,
      PRIMARY KEY (entity_id, email)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX members_email ON members (email);

    CREATE TABLE api_keys (
      id           INTEGER PRIMARY KEY,
      entity_id    TEXT NOT NULL REFERENCES entities(id),
      name         TEXT NOT NULL,
      hash         BLOB NOT NULL UNIQUE,   -- SHA-256 of the key
      created_at   TEXT NOT NULL,
      revoked_at   TEXT,
      last_used_at TEXT
    ) STRICT;
    CREATE UNIQUE INDEX api_keys_live_name ON api_keys (entity_id, name) WHERE revoked_at IS NULL;
    -- A key with no row here reaches every procedure of its entity.
    CREATE TABLE api_key_procedures (
      key_id       INTEGER NOT NULL REFERENCES api_keys(id),
      procedure_id TEXT NOT NULL REFERENCES procedures(id),
      PRIMARY KEY (key_id, procedure_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE sessions (
      id_hash      BLOB PRIMARY KEY,       -- SHA-256 of the cookie's secret
      email        TEXT NOT NULL,
      created_at   INTEGER NOT NULL,       -- ms since epoch
      last_seen_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE login_links (
      token_hash BLOB PRIMARY KEY,         -- SHA-256 of the link's token
      email      TEXT NOT NULL,
      expires_at INTEGER NOT NULL,         -- ms since epoch
      used_at    INTEGER
    ) STRICT;

    -- No foreign key: the log is history, and an entry outlives nothing it names.
    CREATE TABLE audit_log (
      id        INTEGER PRIMARY KEY,
      entity_id TEXT,                      -- null: the operator's actions outside any entity
      at        INTEGER NOT NULL,          -- ms since epoch
      actor     TEXT NOT NULL,
      action    TEXT NOT NULL,
      target    TEXT NOT NULL,
      details   TEXT NOT NULL              -- JSON object
    ) STRICT;
    CREATE INDEX audit_log_entity ON audit_log (entity_id, id);
    CREATE INDEX audit_log_at ON audit_log (at);
    `);
  },
  // Agency listing (SPEC §8). Reviews are listed per procedure, newest first (day, then id): the
  // index (procedure_id, day) carries the rowid, so it serves the order and the window. Moderation
  // hides free text without deleting it. `search_text` is the free text folded for search
  // (review-records.ts searchTextOf), written with the follow-up and erased with the text; older
  // reviews are folded here, by the same function.
  (db) => {
    db.exec(`
    ALTER TABLE reviews ADD COLUMN search_text TEXT;
    ALTER TABLE reviews ADD COLUMN hidden_at INTEGER;
    ALTER TABLE reviews ADD COLUMN hidden_reason TEXT;
    ALTER TABLE reviews ADD COLUMN hidden_by TEXT;
    CREATE INDEX reviews_listing ON reviews (procedure_id, day);
    `);
    const select = db.prepare<[number], { id: number; comment: string | null; help_other: string | null }>(
      'SELECT id, comment, help_other FROM reviews WHERE id > ? AND (comment IS NOT NULL OR help_other IS NOT NULL) ORDER BY id LIMIT 10000',
    );
    const update = db.prepare<[string | null, number]>('UPDATE reviews SET search_text = ? WHERE id = ?');
    for (let rows = select.all(0); rows.length > 0; rows = select.all(rows.at(-1)!.id)) {
      for (const row of rows) update.run(searchTextOf(row.comment, row.help_other), row.id);
    }
  },
  // The hosted form's shared state, so that collectors on one database behave as one: the key that
  // signs its render times (made here once, unless HOSTED_FORM_SECRET is set) and the one-time keys
  // of forms already posted, kept as long as a form stays valid (hosted-form-guard.ts), then purged.
  (db) => {
    db.exec(`
    CREATE TABLE collector_secrets (
      name   TEXT PRIMARY KEY,
      secret BLOB NOT NULL
    ) STRICT;
    CREATE TABLE hosted_form_keys (
      form_key    TEXT PRIMARY KEY,
      rendered_at INTEGER NOT NULL         -- ms since epoch, the render time the form was signed with
    ) STRICT, WITHOUT ROWID;
    `);
    db.prepare('INSERT INTO collector_secrets (name, secret) VALUES (?, ?)').run('hosted_form', randomBytes(32));
  },
  // Identical audit events of one minute are one entry with a count (store.ts AUDIT_REPEAT_MS).
  'ALTER TABLE audit_log ADD COLUMN count INTEGER NOT NULL DEFAULT 1 CHECK (count >= 1);',
  // Spans of free text that may be personal data, kept as written until an admin checks them
  // (SPEC §8): a JSON array of {n, field, start, end, category}, null when none (store.ts SuspectSpan).
  'ALTER TABLE reviews ADD COLUMN pii_suspects TEXT;',
  // A stable number per procedure for clients that name products by number (the JDMA drop-in,
  // SPEC §6): assigned at creation from 1,000,000 up, in creation order here for those that exist.
  // Below 1,000,000 the numbers are left to JDMA's product ids, which an agency may record instead.
  `ALTER TABLE procedures ADD COLUMN product_id INTEGER;
  UPDATE procedures SET product_id = numbered.n + 999999
    FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM procedures) AS numbered
   WHERE procedures.id = numbered.id;
  CREATE UNIQUE INDEX procedures_product_id ON procedures (product_id);`,
  // The mail outbox (store.ts MailRepository). A queued row is due at next_attempt_at; claiming it
  // moves that one lease ahead, so a row is never taken twice while its lease runs.
  `
  CREATE TABLE mails (
    id              INTEGER PRIMARY KEY,
    recipient       TEXT NOT NULL,
    kind            TEXT NOT NULL,
    lang            TEXT NOT NULL,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,     -- '' once sent or failed: it may hold a sign-in link
    html_body       TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,  -- ms since epoch
    next_attempt_at INTEGER NOT NULL,
    sent_at         INTEGER,
    last_error      TEXT
  ) STRICT;
  CREATE INDEX mails_due ON mails (next_attempt_at) WHERE status = 'queued';
  CREATE INDEX mails_recipient ON mails (recipient, created_at);
  `,
  // Test placements (SPEC §2): a review given on one is marked test when it is stored and never
  // rolled up, so that the feed, the observatory and the agency's indicators read none of it
  // whatever the placement becomes later (unmarked, removed).
  `ALTER TABLE placements ADD COLUMN is_test INTEGER NOT NULL DEFAULT 0 CHECK (is_test IN (0, 1));
  ALTER TABLE reviews ADD COLUMN is_test INTEGER NOT NULL DEFAULT 0 CHECK (is_test IN (0, 1));`,
  // A procedure's form (SPEC §3 "Customisation"): one draft an admin edits, and the versions it
  // published, numbered from 1 and never deleted, so that every review's form_version names one.
  // The published version is the one not archived (at most one per procedure).
  `
  CREATE TABLE form_drafts (
    procedure_id TEXT PRIMARY KEY REFERENCES procedures(id) ON DELETE CASCADE,
    config       TEXT NOT NULL,     -- JSON {hidden, labels: {lang: {path: text}}}
    updated_at   INTEGER NOT NULL,  -- ms since epoch
    updated_by   TEXT NOT NULL
  ) STRICT;
  CREATE TABLE form_versions (
    procedure_id TEXT NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
    version      INTEGER NOT NULL CHECK (version >= 1),
    config       TEXT NOT NULL,
    published_at INTEGER NOT NULL,
    published_by TEXT NOT NULL,
    archived_at  INTEGER,
    PRIMARY KEY (procedure_id, version)
  ) STRICT, WITHOUT ROWID;
  CREATE UNIQUE INDEX form_versions_published ON form_versions (procedure_id) WHERE archived_at IS NULL;
  ALTER TABLE reviews ADD COLUMN form_version INTEGER;
  `,
  // Agents' requests to join an entity (store.ts AccessRequestRepository): one pending request per
  // entity and address, so that asking twice mails the admins once.
  `
  CREATE TABLE access_requests (
    id         INTEGER PRIMARY KEY,
    entity_id  TEXT NOT NULL REFERENCES entities(id),
    email      TEXT NOT NULL CHECK (email = lower(email)),
    status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'refused')),
    created_at INTEGER NOT NULL,  -- ms since epoch
    decided_at INTEGER,
    decided_by TEXT,
    lang       TEXT NOT NULL DEFAULT 'fr' CHECK (lang IN ('fr', 'en'))  -- the form's: the language of the answer until the agent chooses one
  ) STRICT;
  CREATE UNIQUE INDEX access_requests_pending ON access_requests (entity_id, email) WHERE status = 'pending';
  CREATE INDEX access_requests_email ON access_requests (email, created_at);
  `,
  // The language a member chose for the mails they receive (store.ts MemberRepository.langOf): one
  // per address, kept on each of its rows; NULL until they choose, and mails fall back on French or
  // the page they asked from.
  "ALTER TABLE members ADD COLUMN lang TEXT CHECK (lang IN ('fr', 'en'));",
  // Mails to agents beyond sign-in (README "Mail"): each member's choices per kind (store.ts
  // MailPreference), the leased jobs that decide alerts and digests (one row each, claimed by
  // pushing lease_until ahead, so that one collector of several takes each decision), the
  // one-click unsubscribe link a mail carries, and a key that makes a scheduled mail unique (an
  // alert, a member's digest of a period) even when a lapsed lease lets a second collector redo it.
  (db) => {
    db.exec(`
    CREATE TABLE mail_preferences (
      entity_id    TEXT NOT NULL,
      email        TEXT NOT NULL,
      kind         TEXT NOT NULL,          -- new_reviews | integration_broken | level_change | digest
      procedure_id TEXT NOT NULL DEFAULT '', -- new_reviews only: '' for the others
      value        TEXT NOT NULL,          -- on | off, or the digest's frequency
      PRIMARY KEY (entity_id, email, kind, procedure_id)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE mail_jobs (
      name        TEXT PRIMARY KEY,
      lease_until INTEGER NOT NULL DEFAULT 0, -- ms since epoch
      state       TEXT NOT NULL DEFAULT '{}'  -- JSON, the job's own
    ) STRICT;
    ALTER TABLE mails ADD COLUMN list_unsubscribe TEXT;
    ALTER TABLE mails ADD COLUMN dedupe_key TEXT;
    CREATE UNIQUE INDEX mails_dedupe ON mails (dedupe_key);
    `);
    db.prepare('INSERT INTO collector_secrets (name, secret) VALUES (?, ?)').run('unsubscribe', randomBytes(32));
  },
  // Comment triage (SPEC §8): a status per review, spam and duplicate marks (a duplicate names the
  // earlier review it repeats; 'cleared' stays so that the text arriving again does not flag it
  // anew), and free tags per entity. Marks never touch the rollups: counts keep every review.
  // `text_signature` is the free text's MinHash (duplicate-reviews.ts), erased with the text.
  `
  ALTER TABLE reviews ADD COLUMN triage_status TEXT NOT NULL DEFAULT 'new' CHECK (triage_status IN ('new', 'seen', 'handled'));
  ALTER TABLE reviews ADD COLUMN spam_at INTEGER;
  ALTER TABLE reviews ADD COLUMN spam_by TEXT;
  ALTER TABLE reviews ADD COLUMN duplicate_of INTEGER;
  ALTER TABLE reviews ADD COLUMN duplicate_state TEXT CHECK (duplicate_state IN ('flagged', 'confirmed', 'cleared'));
  ALTER TABLE reviews ADD COLUMN text_signature BLOB;
  CREATE TABLE entity_tags (
    id         INTEGER PRIMARY KEY,
    entity_id  TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL,       -- ms since epoch
    UNIQUE (entity_id, name)
  ) STRICT;
  CREATE TABLE review_tags (
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    tag_id    INTEGER NOT NULL REFERENCES entity_tags(id) ON DELETE CASCADE,
    PRIMARY KEY (review_id, tag_id)
  ) STRICT, WITHOUT ROWID;
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
    procedure_id TEXT NOT NULL,
    day          TEXT NOT NULL,
    placement_id TEXT NOT NULL,
    satisfaction TEXT NOT NULL,
    term         TEXT NOT NULL,
    form         TEXT NOT NULL,
    count        INTEGER NOT NULL CHECK (count > 0),
    PRIMARY KEY (procedure_id, day, placement_id, satisfaction, term, form)
  ) STRICT, WITHOUT ROWID;
  -- A term's rows across days, for the purge's prune of rare terms.
  CREATE INDEX daily_term_rollups_term ON daily_term_rollups (procedure_id, term);
  CREATE TABLE review_terms (
    review_id  INTEGER PRIMARY KEY,
    created_at INTEGER NOT NULL,    -- the review's, ms since epoch: the purge's bound
    terms      TEXT NOT NULL        -- JSON [[term, form], ...]
  ) STRICT;
  CREATE INDEX review_terms_created_at ON review_terms (created_at);
  CREATE TABLE term_queue (
    review_id INTEGER PRIMARY KEY,
    version   INTEGER NOT NULL DEFAULT 0   -- raised when queued again: a count of older text is not taken off the queue
  ) STRICT;
  INSERT INTO term_queue (review_id) SELECT id FROM reviews WHERE comment IS NOT NULL;
  `,
  // Suggested tags (SPEC §8): one Naive Bayes model per entity (tag-model.ts, as JSON), replaced
  // by the nightly training.
  `
  CREATE TABLE tag_models (
    entity_id  TEXT PRIMARY KEY,
    model      TEXT NOT NULL,
    trained_at INTEGER NOT NULL   -- ms since epoch
  ) STRICT;
  `,
  // Quarterly editions (SPEC §6 "Editions"): the feed's figures for a quarter, frozen when it is
  // published. The files are kept as the bytes served, so that every request gets the same ones
  // whatever arrives later; the checksums are theirs (SHA-256, hex), the ETags of the files.
  `
  CREATE TABLE editions (
    quarter        TEXT PRIMARY KEY,       -- 2026-Q3
    window_from    TEXT NOT NULL,
    window_to      TEXT NOT NULL,
    method_version INTEGER NOT NULL,
    min_reviews    INTEGER NOT NULL,
    published_at   INTEGER NOT NULL,       -- ms since epoch
    json           BLOB NOT NULL,
    csv            BLOB NOT NULL,
    impact_csv     BLOB NOT NULL,
    json_sha256    TEXT NOT NULL,
    csv_sha256     TEXT NOT NULL,
    impact_sha256  TEXT NOT NULL
  ) STRICT;
  `,
  // Reports of the problem form (SPEC §3 "Signaler un problème"): a table of their own, so that no
  // count of satisfaction (rollups, feed, observatory) can ever read one. The text is scrubbed like
  // a comment's before it is stored. procedure_contacts holds the page « my own situation » points to.
  `
  CREATE TABLE problem_reports (
    id           INTEGER PRIMARY KEY,
    procedure_id TEXT NOT NULL REFERENCES procedures(id),
    placement_id TEXT NOT NULL,
    day          TEXT NOT NULL,            -- UTC day, YYYY-MM-DD
    created_at   INTEGER NOT NULL,         -- ms since epoch
    lang         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('technical', 'own_situation', 'suggestion')),
    text         TEXT                      -- free text, scrubbed: never published
  ) STRICT;
  CREATE INDEX problem_reports_procedure_day ON problem_reports (procedure_id, day);
  CREATE TABLE procedure_contacts (
    procedure_id TEXT PRIMARY KEY REFERENCES procedures(id) ON DELETE CASCADE,
    url          TEXT NOT NULL
  ) STRICT;
  `,
  // The logo an entity's admin uploads for its hosted pages (SPEC §3): a PNG or JPEG of at most
  // 100 kB, kept in the database so that both engines serve it alike and a backup holds it.
  `
  CREATE TABLE entity_logos (
    entity_id    TEXT PRIMARY KEY REFERENCES entities(id),
    content_type TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg')),
    bytes        BLOB NOT NULL,
    etag         TEXT NOT NULL,            -- the SHA-256 of bytes, hex
    updated_at   INTEGER NOT NULL          -- ms since epoch
  ) STRICT;
  `,
  // Comment insights' months (SPEC §8): the term counts of the days of closed months, folded
  // by the hourly job into one row per month, term and form, keeping only the most written terms of
  // each procedure × placement × satisfaction (term-counting.ts, TERM_MONTH_KEEP): day rows for a
  // year of a busy procedure were read at every request, and outweighed its review rollups 1000×.
  `
  CREATE TABLE monthly_term_rollups (
    procedure_id TEXT NOT NULL,
    month        TEXT NOT NULL,   -- YYYY-MM, UTC
    placement_id TEXT NOT NULL,
    satisfaction TEXT NOT NULL,
    term         TEXT NOT NULL,
    form         TEXT NOT NULL,
    count        INTEGER NOT NULL CHECK (count > 0),
    PRIMARY KEY (procedure_id, month, placement_id, satisfaction, term, form)
  ) STRICT, WITHOUT ROWID;
  `,
  // Comment insights' month to date (SPEC §8): the hourly job sums the day rows of the current
  // month's closed days into rows of day 'YYYY-MM-00' (exact, every term), so that a read takes a
  // month of comments in one row per term; a procedure's row here says up to which day they hold.
  `
  CREATE TABLE term_month_marks (
    procedure_id TEXT PRIMARY KEY,
    day          TEXT NOT NULL   -- YYYY-MM-DD: the days of its month up to it are in the 'YYYY-MM-00' rows
  ) STRICT;
  `,
  // Comment insights' term versions (SPEC §8): raised by every write to a procedure's month to date
  // or folded months, read with them, so that a collector keeps what it read of them
  // (folded-term-cache.ts) only while no one changed them.
  `
  CREATE TABLE term_versions (
    procedure_id TEXT PRIMARY KEY,
    version      INTEGER NOT NULL
  ) STRICT;
  `,
  // Comment insights' month-to-date sums (SPEC §8): the fold that sums closed days into a month to
  // date also writes it summed per term, form and answer, for every placement ('') and for each, as
  // one JSON value of four columns under the term version it raised: the first read after the fold,
  // on any collector, takes one row instead of grouping tens of thousands. A later write raises the
  // version (or deletes these rows) and reads go back to the day rows until the next fold. The
  // folded months get a version of their own (months_version): raised only by writes to them (the
  // closed months' fold, a rebuild, migrate-data), so that what a collector read of them outlives
  // the daily fold of the month to date.
  `
  CREATE TABLE term_month_sums (
    procedure_id TEXT NOT NULL,
    placement_id TEXT NOT NULL,   -- '': every placement
    day          TEXT NOT NULL,   -- the month to date's day, 'YYYY-MM-00'
    version      INTEGER NOT NULL, -- term_versions' version the sums were written under
    columns      TEXT NOT NULL,   -- JSON [terms, forms, satisfaction answers, counts]
    PRIMARY KEY (procedure_id, placement_id)
  ) STRICT;
  ALTER TABLE term_versions ADD COLUMN months_version INTEGER NOT NULL DEFAULT 0;
  `,
];
