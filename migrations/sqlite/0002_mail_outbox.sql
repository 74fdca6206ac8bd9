-- The durable mail outbox: one row per message and recipient, written in the same
-- transaction as the change that causes it, delivered by the worker with retries.

CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY,
    -- Unique per message and recipient: enqueueing the same key again is a no-op.
    dedupe_key      TEXT NOT NULL UNIQUE,
    -- Stable across attempts, so a receiving server can drop a duplicate delivery.
    message_id      TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    event_id        INTEGER REFERENCES events (id) ON DELETE SET NULL,
    recipient_email TEXT NOT NULL,
    recipient_name  TEXT,
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    calendar_method TEXT,
    calendar_ics    TEXT,
    attachments     TEXT,
    -- queued | sending | sent | failed
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    locked_until    TEXT,
    last_error      TEXT,
    resend_of       INTEGER REFERENCES mail_outbox (id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
CREATE INDEX mail_outbox_event ON mail_outbox (event_id);
