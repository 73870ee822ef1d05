-- What the notifier has shown each person about each tracked dispatch: subscribers and
-- "all dispatches" watchers alike. Kept here, not in memory, so that a second bot process
-- on the same file neither repeats a message nor misses one.

CREATE TABLE dispatch_notices (
    dispatch_id  INTEGER NOT NULL REFERENCES tracked_dispatches (dispatch_id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    message_id   INTEGER,   -- the status message edited in place; NULL = none yet
    rendered_key TEXT,      -- what the person has seen (status and counts); NULL = nothing
    nem_alerted  INTEGER NOT NULL DEFAULT 0 CHECK (nem_alerted IN (0, 1)),
    final_sent   INTEGER NOT NULL DEFAULT 0 CHECK (final_sent IN (0, 1)),
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (dispatch_id, user_id)
);
CREATE INDEX dispatch_notices_user ON dispatch_notices (user_id);
