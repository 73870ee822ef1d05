-- Creates whose answer was lost (or came without a dispatch number): what the bot knows
-- of each, to look for the dispatch by its traits among the ids above the newest one it
-- knew, a few times over the next minutes. Never a second create.

CREATE TABLE lost_creates (
    draft_id    TEXT PRIMARY KEY REFERENCES drafts (id),
    user_id     INTEGER NOT NULL,
    chat_id     INTEGER NOT NULL,
    text        TEXT NOT NULL,
    phones      INTEGER,            -- numbers sent; NULL = not known (a crash mid-send)
    segments    INTEGER NOT NULL,   -- SMS parts per number
    date_send   TEXT,               -- the send time asked for; NULL = now
    posted_at   TEXT NOT NULL,      -- when the create went out
    after_id    INTEGER,            -- the newest dispatch the bot knew then; NULL = none
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_try_at TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'searching'
                CHECK (state IN ('searching', 'found', 'not_found')),
    found_id    INTEGER,            -- the one dispatch that matched
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX lost_creates_due ON lost_creates (state, next_try_at);
CREATE INDEX lost_creates_found ON lost_creates (found_id);
