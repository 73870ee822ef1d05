-- The send path: numbers that never receive an SMS, the number each person shared for a
-- test to themselves, and managers' big sends waiting for an admin's approval.
-- New tables only: nothing here reads or changes what another migration made, but for
-- the drafts a request points at (001).

-- Numbers that must never receive an SMS: every send leaves them out before the POST.
CREATE TABLE stop_list (
    phone    TEXT PRIMARY KEY,   -- 38071xxxxxxx, the one form core/phones.py writes
    added_by INTEGER,            -- the admin; NULL = not known
    added_at TEXT NOT NULL
);

-- The number a person shared with Telegram's contact button (their own contact only).
CREATE TABLE own_phones (
    user_id   INTEGER PRIMARY KEY,
    phone     TEXT NOT NULL,     -- as Telegram gave it
    shared_at TEXT NOT NULL
);

-- A draft held for an admin's approval. While a request is waiting or approving, the
-- draft is out of its author's hands: only the approval claims it (storage/drafts.py).
CREATE TABLE approval_requests (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    draft_id     TEXT NOT NULL REFERENCES drafts (id),
    requester_id INTEGER NOT NULL,
    chat_id      INTEGER NOT NULL,
    message_id   INTEGER,          -- the requester's summary, which becomes the card
    recipients   INTEGER NOT NULL, -- numbers after the stop list, when it was asked
    stopped      INTEGER NOT NULL DEFAULT 0,
    parts        INTEGER NOT NULL, -- SMS parts in all
    cost         TEXT,             -- Decimal as text; NULL = no price was set
    state        TEXT NOT NULL DEFAULT 'waiting'
                 CHECK (state IN ('waiting', 'approving', 'approved', 'rejected', 'expired')),
    decided_by   INTEGER,
    reason       TEXT,             -- a reason's code, for a rejection
    dispatch_id  INTEGER,
    expires_at   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
-- One open request per draft, whoever asks.
CREATE UNIQUE INDEX approval_requests_one_open ON approval_requests (draft_id)
    WHERE state IN ('waiting', 'approving');
CREATE INDEX approval_requests_due ON approval_requests (expires_at) WHERE state = 'waiting';

-- The message each admin got about a request, edited when it is decided or expires.
CREATE TABLE approval_messages (
    request_id INTEGER NOT NULL REFERENCES approval_requests (id),
    admin_id   INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    PRIMARY KEY (request_id, admin_id)
);
