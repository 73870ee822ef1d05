-- What anyone last learned of a followed dispatch (the poller, a Refresh, /status, a
-- card opened from the list), apart from last_status, which is what the notifications
-- are based on: a Refresh must not swallow the change the poller tells everyone about.
ALTER TABLE tracked_dispatches ADD COLUMN known_status TEXT;
ALTER TABLE tracked_dispatches ADD COLUMN known_count INTEGER;
ALTER TABLE tracked_dispatches ADD COLUMN known_sent INTEGER;
ALTER TABLE tracked_dispatches ADD COLUMN known_delivered INTEGER;
ALTER TABLE tracked_dispatches ADD COLUMN known_at TEXT;
