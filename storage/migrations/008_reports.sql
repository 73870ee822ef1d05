-- Reports: the balance as the poller saw it, an hour at a time; the admins' weekly digest;
-- and an index to find the dispatches sent in a period.

-- Each hour in which the balance changed: "spent" adds up every fall between two readings,
-- "credited" every rise (a payment, or money given back for a cancelled dispatch). An hour
-- in which the balance stayed put has no row; rows older than about 400 days are removed.
CREATE TABLE balance_hours (
    hour       TEXT PRIMARY KEY,  -- the start of the hour, UTC (storage/dates.py)
    opening    TEXT NOT NULL,     -- the balance before the hour's first change (Decimal text)
    closing    TEXT NOT NULL,     -- the last balance read in the hour
    spent      TEXT NOT NULL,     -- the sum of the falls within the hour, >= 0
    credited   TEXT NOT NULL,     -- the sum of the rises within the hour, >= 0
    updated_at TEXT NOT NULL
);

-- Admins who asked for the weekly digest, and the week whose digest each was last given.
CREATE TABLE report_digests (
    user_id    INTEGER PRIMARY KEY,
    enabled    INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    sent_week  TEXT,              -- ISO week, e.g. 2025-W07; NULL = none yet
    updated_at TEXT NOT NULL
);

-- A report reads the dispatches sent within a period: by the send time asked for, else
-- by when the bot started following the dispatch (sent at once).
CREATE INDEX tracked_dispatches_sent_at
    ON tracked_dispatches (COALESCE(date_send, created_at));
