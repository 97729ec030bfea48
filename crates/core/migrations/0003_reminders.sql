-- Reminders: every announcement the scheduler decided, stored with its delivery state so that an
-- item is announced once per stage and never twice, even across restarts; plus each user's
-- notification preferences.

CREATE TABLE reminders (
    id                 INTEGER PRIMARY KEY,
    dedup_key          TEXT    NOT NULL UNIQUE,   -- kind:item_kind:item_id:stage:recipient
    kind               TEXT    NOT NULL,          -- task, callback, feedback_response, …
    stage              TEXT    NOT NULL CHECK (stage IN ('due_soon','due','overdue','escalated_1','escalated_2','info')),
    item_kind          TEXT    NOT NULL,          -- the table the item lives in: task, feedback, customer, …
    item_id            INTEGER NOT NULL,
    recipient_user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    title              TEXT    NOT NULL,
    body               TEXT    NOT NULL DEFAULT '',
    due_at             INTEGER NOT NULL,          -- the instant the reminder is about
    business_hours_only INTEGER NOT NULL DEFAULT 0,
    created_at         INTEGER NOT NULL,          -- when the scheduler decided it
    delivered_at       INTEGER,                   -- when the desktop notification went out
    delivery_error     TEXT    NOT NULL DEFAULT '',
    read_at            INTEGER
);
CREATE INDEX reminders_inbox ON reminders(recipient_user_id, read_at, created_at);
CREATE INDEX reminders_pending ON reminders(recipient_user_id, delivered_at);

CREATE TABLE notification_prefs (
    user_id         INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    quiet_start     INTEGER,                       -- minutes from local midnight; NULL = no quiet hours
    quiet_end       INTEGER,
    muted_kinds     TEXT    NOT NULL DEFAULT '[]', -- JSON array of reminder kinds not shown on the desktop
    paused_until    INTEGER NOT NULL DEFAULT 0     -- "pause notifications for 1 hour"
);
