-- Group chats the bot is in, the admins' live summary of access requests, the one-time
-- tokens of confirmation buttons, and what admins allow beyond the roles' defaults.

-- The bot serves private chats only. A group it is in is remembered so that it says
-- once where to talk to it; the row goes when the bot leaves or is removed.
CREATE TABLE group_chats (
    chat_id    INTEGER PRIMARY KEY,  -- negative, as Telegram numbers groups
    chat_type  TEXT NOT NULL,        -- group, supergroup or channel
    title      TEXT,
    added_by   INTEGER,              -- the admin who added the bot; NULL = not known
    noticed_at TEXT,                 -- when the "write to me in private" notice went
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Each admin's one message listing the pending access requests, edited in place while
-- requests wait; the row goes when none is left.
CREATE TABLE access_boards (
    admin_id   INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

-- A confirmation's "yes" button carries one of these: issued with the question, for
-- that person and that action only, good once and for a while.
CREATE TABLE confirmations (
    token      TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    purpose    TEXT NOT NULL,        -- e.g. dispatch.cancel
    subject_id INTEGER NOT NULL,     -- e.g. the dispatch's number
    expires_at TEXT NOT NULL
);
CREATE INDEX confirmations_expiry ON confirmations (expires_at);

-- What admins allow beyond the roles' defaults; no row means not allowed.
CREATE TABLE permissions (
    name       TEXT PRIMARY KEY,
    allowed    INTEGER NOT NULL CHECK (allowed IN (0, 1)),
    changed_by INTEGER,
    changed_at TEXT NOT NULL
);
