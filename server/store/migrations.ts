// Versioned schema. Each entry runs once, in order, inside one transaction; PRAGMA user_version
// records how far a database file has come. Never edit a released entry: append a new one.
//
// Reviews are stored as one row each (the hot rating, free text, token hash) plus one row per
// non-free-text answer in `review_answers` (question, answer). Per-answer rows make every
// indicator of SPEC §4 a plain GROUP BY over (question, answer), whatever the question's shape
// (single choice, multiple choice, per-channel), and let the feed's rollups be rebuilt by one query.
export const MIGRATIONS: readonly string[] = [
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
];
