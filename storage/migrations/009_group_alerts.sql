-- Group chats bound as alert channels: what a team's group hears, chosen by an admin of
-- the bot with /alerts in that group, and what it was told about each dispatch.

-- One row per bound group; the binding ends with the group's row in group_chats (the bot
-- removed or gone), and follows it when the group becomes a supergroup (a new chat id).
CREATE TABLE group_alerts (
    chat_id           INTEGER PRIMARY KEY
                      REFERENCES group_chats (chat_id) ON DELETE CASCADE ON UPDATE CASCADE,
    final_states      INTEGER NOT NULL DEFAULT 0 CHECK (final_states IN (0, 1)),
    not_enough_money  INTEGER NOT NULL DEFAULT 0 CHECK (not_enough_money IN (0, 1)),
    low_balance       INTEGER NOT NULL DEFAULT 0 CHECK (low_balance IN (0, 1)),
    threshold         TEXT,       -- Decimal as text; NULL = BALANCE_THRESHOLD
    outages           INTEGER NOT NULL DEFAULT 0 CHECK (outages IN (0, 1)),
    armed             INTEGER NOT NULL DEFAULT 1 CHECK (armed IN (0, 1)),
    language          TEXT NOT NULL,  -- the texts' language: the binding admin's
    screen_message_id INTEGER,    -- the /alerts screen, edited in place
    prompt_message_id INTEGER,    -- the threshold question a reply answers; NULL = none
    bound_by          INTEGER NOT NULL,  -- the admin of the bot who first ran /alerts here
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);

-- What each bound group was told about each tracked dispatch: the not-enough-money alert
-- for its current stay in that status, and the final state. Kept so that a restart
-- neither repeats a group's alert nor misses one.
CREATE TABLE group_alert_notices (
    dispatch_id INTEGER NOT NULL REFERENCES tracked_dispatches (dispatch_id) ON DELETE CASCADE,
    chat_id     INTEGER NOT NULL
                REFERENCES group_alerts (chat_id) ON DELETE CASCADE ON UPDATE CASCADE,
    nem_alerted INTEGER NOT NULL DEFAULT 0 CHECK (nem_alerted IN (0, 1)),
    final_sent  INTEGER NOT NULL DEFAULT 0 CHECK (final_sent IN (0, 1)),
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (dispatch_id, chat_id)
);
CREATE INDEX group_alert_notices_chat ON group_alert_notices (chat_id);
