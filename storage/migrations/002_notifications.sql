-- Notifications: dispatches the poller follows, who follows them, alert settings.

CREATE TABLE tracked_dispatches (
    dispatch_id        INTEGER PRIMARY KEY,
    creator_id         INTEGER,          -- NULL = made elsewhere (e.g. the web interface)
    recipients_desc    TEXT NOT NULL,
    text               TEXT NOT NULL,
    date_send          TEXT,
    last_status        TEXT,             -- NULL until the first observation
    messages_count     INTEGER NOT NULL DEFAULT 0,
    messages_sent      INTEGER NOT NULL DEFAULT 0,
    messages_delivered INTEGER NOT NULL DEFAULT 0,
    is_final           INTEGER NOT NULL DEFAULT 0 CHECK (is_final IN (0, 1)),
    next_check_at      TEXT,             -- NULL = check at the next cycle
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX tracked_dispatches_due ON tracked_dispatches (next_check_at) WHERE is_final = 0;
CREATE INDEX tracked_dispatches_creator ON tracked_dispatches (creator_id, dispatch_id);

CREATE TABLE dispatch_subscriptions (
    dispatch_id  INTEGER NOT NULL REFERENCES tracked_dispatches (dispatch_id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    message_id   INTEGER,   -- the status message edited in place; NULL = none sent yet
    rendered_key TEXT,      -- what that message shows, to skip edits that change nothing
    created_at   TEXT NOT NULL,
    PRIMARY KEY (dispatch_id, user_id)
);
CREATE INDEX dispatch_subscriptions_user ON dispatch_subscriptions (user_id);

-- One row per user who changed a setting or has balance-alert state; a missing row or
-- a NULL column means "the default" (see storage/alerts.py).
CREATE TABLE alert_settings (
    user_id          INTEGER PRIMARY KEY,
    my_dispatches    INTEGER CHECK (my_dispatches IN (0, 1)),
    all_dispatches   INTEGER CHECK (all_dispatches IN (0, 1)),
    low_balance      INTEGER CHECK (low_balance IN (0, 1)),
    threshold        TEXT,   -- Decimal as text
    not_enough_money INTEGER CHECK (not_enough_money IN (0, 1)),
    quiet_from       INTEGER CHECK (quiet_from BETWEEN 0 AND 1439),
    quiet_to         INTEGER CHECK (quiet_to BETWEEN 0 AND 1439),
    muted_until      TEXT,
    armed            INTEGER NOT NULL DEFAULT 1 CHECK (armed IN (0, 1)),
    alerted_at       TEXT,   -- last low-balance alert
    updated_at       TEXT NOT NULL,
    CHECK ((quiet_from IS NULL) = (quiet_to IS NULL))
);
