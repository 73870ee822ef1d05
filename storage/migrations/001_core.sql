-- Core schema: people, their access, send drafts, templates, audit, process state, FSM.
-- Moments are ISO 8601 UTC text of fixed width (see storage/dates.py); booleans are 0/1.

CREATE TABLE users (
    user_id           INTEGER PRIMARY KEY,
    role              TEXT CHECK (role IN ('admin', 'manager', 'observer')),
    first_name        TEXT,
    username          TEXT,
    language          TEXT,  -- chosen in the bot; NULL = follow telegram_language
    telegram_language TEXT,
    active            INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX users_role ON users (role) WHERE role IS NOT NULL;

CREATE TABLE access_requests (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       INTEGER NOT NULL REFERENCES users (user_id),
    status        TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'approved', 'denied')),
    created_at    TEXT NOT NULL,
    decided_at    TEXT,
    decided_by    INTEGER,
    approved_role TEXT CHECK (approved_role IN ('admin', 'manager', 'observer'))
);
-- At most one pending request per user, whoever inserts it.
CREATE UNIQUE INDEX access_requests_one_pending ON access_requests (user_id)
    WHERE status = 'pending';

CREATE TABLE drafts (
    id          TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL,
    chat_id     INTEGER NOT NULL,
    book_id     INTEGER,
    book_name   TEXT,
    phones      TEXT NOT NULL DEFAULT '[]',  -- JSON array of typed numbers
    text        TEXT NOT NULL,
    date_send   TEXT,                        -- NULL = send now
    state       TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'sending', 'sent', 'unknown', 'failed', 'abandoned')),
    dispatch_id INTEGER,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX drafts_state ON drafts (state);
CREATE INDEX drafts_user ON drafts (user_id, created_at);

CREATE TABLE templates (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id    INTEGER,          -- NULL = the bot itself (poller, start-up)
    action      TEXT NOT NULL,
    dispatch_id INTEGER,
    draft_id    TEXT,
    details     TEXT,             -- JSON object
    created_at  TEXT NOT NULL
);

CREATE TABLE kv_state (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- aiogram FSM records. storage_key is the JSON of every StorageKey field, so a NULL
-- thread or business connection is told apart from any real value.
CREATE TABLE fsm_records (
    storage_key            TEXT PRIMARY KEY,
    bot_id                 INTEGER NOT NULL,
    chat_id                INTEGER NOT NULL,
    user_id                INTEGER NOT NULL,
    thread_id              INTEGER,
    business_connection_id TEXT,
    destiny                TEXT NOT NULL,
    state                  TEXT,
    data                   TEXT NOT NULL DEFAULT '{}',
    updated_at             TEXT NOT NULL
);
CREATE INDEX fsm_records_user ON fsm_records (user_id);
