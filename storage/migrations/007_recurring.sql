-- Recurring dispatches: a schedule (who, to whom, what, by which rule) and the
-- occurrences the bot created for it at the SMS API, each once.

CREATE TABLE recurring_schedules (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    setup_key   TEXT NOT NULL UNIQUE,     -- the set-up that saved it: a second Save adds nothing
    owner_id    INTEGER NOT NULL,
    chat_id     INTEGER NOT NULL,
    book_id     INTEGER,                  -- read again before every occurrence
    book_name   TEXT,
    phones      TEXT NOT NULL DEFAULT '[]',  -- JSON array of typed numbers
    text        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('daily', 'weekdays', 'weekly', 'monthly')),
    at_minute   INTEGER NOT NULL CHECK (at_minute BETWEEN 0 AND 1439),  -- wall clock, the API's zone
    weekdays    INTEGER NOT NULL DEFAULT 0 CHECK (weekdays BETWEEN 0 AND 127),  -- bit 0 = Monday
    month_day   INTEGER CHECK (month_day BETWEEN 1 AND 31),
    starts_on   TEXT,                     -- YYYY-MM-DD, first day that may have one; NULL = any
    ends_on     TEXT,                     -- YYYY-MM-DD, last such day; NULL = no end
    send_late   INTEGER NOT NULL DEFAULT 0 CHECK (send_late IN (0, 1)),
    state       TEXT NOT NULL DEFAULT 'active'
                CHECK (state IN ('active', 'paused', 'ended', 'deleted')),
    version     INTEGER NOT NULL DEFAULT 1,  -- bumped by every change that replaces the pending one
    next_due    TEXT,                     -- the occurrence the keeper works on; NULL = none
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CHECK ((book_id IS NULL) <> (phones = '[]'))
);
CREATE INDEX recurring_schedules_due ON recurring_schedules (next_due) WHERE state = 'active';
CREATE INDEX recurring_schedules_owner ON recurring_schedules (owner_id, id);

-- One row per occurrence the keeper took up, keyed by schedule, version and moment: the
-- key is written (with its draft, whose guarded states decide the one create) before
-- the create is sent, so neither a restart nor a second pass creates it twice.
CREATE TABLE recurring_occurrences (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    schedule_id INTEGER NOT NULL REFERENCES recurring_schedules (id),
    version     INTEGER NOT NULL,
    due_at      TEXT NOT NULL,
    draft_id    TEXT UNIQUE REFERENCES drafts (id),  -- NULL for one missed without a try
    state       TEXT NOT NULL DEFAULT 'planned'
                CHECK (state IN ('planned', 'fired', 'missed', 'failed',
                                 'cancelling', 'cancelled', 'cancel_failed')),
    late        INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),  -- sent after its time
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (schedule_id, version, due_at)
);
CREATE INDEX recurring_occurrences_state ON recurring_occurrences (state, due_at);
