// Versioned schema of the PostgreSQL engine, the same tables as the SQLite engine's. Each entry runs
// once, in order, in one transaction, under an advisory lock (open-postgres.ts): two collectors
// starting together migrate once. `schema_version` records how far a database has come. Never edit
// a released entry: append a new one.
//
// Days stay ISO text (YYYY-MM-DD) and times milliseconds since the epoch, as in SQLite: both engines
// then hand the same values to the same code. Counts may reach 0 inside a follow-up's transaction,
// whose last statement deletes such rows, so the CHECK allows 0 where SQLite's says > 0.
export const MIGRATIONS: readonly string[] = [
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
  // Agency listing (SPEC §8): per procedure, newest first (day, then id). Moderation hides free text
  // without deleting it. `search_text` is the free text folded for search (review-records.ts
  // foldForSearch), written with the follow-up and erased with the text; older rows are folded
  // here the same way (NFKD, accents dropped, lower case, œ and æ spelt out).
  `
  ALTER TABLE reviews ADD COLUMN search_text text;
  ALTER TABLE reviews ADD COLUMN hidden_at bigint;
  ALTER TABLE reviews ADD COLUMN hidden_reason text;
  ALTER TABLE reviews ADD COLUMN hidden_by text;
  UPDATE reviews
     SET search_text = replace(replace(lower(regexp_replace(normalize(concat_ws(E'\\n', nullif(comment, ''), nullif(help_other, '')), NFKD),
                                                              '[\\u0300-\\u036f]', '', 'g')), 'œ', 'oe'), 'æ', 'ae')
   WHERE coalesce(comment, '') <> '' OR coalesce(help_other, '') <> '';
  CREATE INDEX reviews_listing ON reviews (procedure_id, day, id);
  `,
];
