-- The platform for the meeting features (issue 9): guests who act through a
-- personal link, attachments stored once, refused forms kept server-side, and
-- organisation names unique regardless of case.

-- A guest link proves one person for one event and some actions, without an
-- account. Only the SHA-256 of its 256-bit token is stored.
CREATE TABLE guest_links (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    person_id    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    event_id     INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    -- Comma-separated actions: respond, register, read_report.
    scope        TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    revoked_at   TEXT,
    created_at   TEXT NOT NULL,
    last_used_at TEXT
);
CREATE INDEX guest_links_person ON guest_links (person_id);
CREATE INDEX guest_links_event ON guest_links (event_id);

-- An attachment is stored once, however many messages carry it.
CREATE TABLE mail_attachments (
    id           INTEGER PRIMARY KEY,
    sha256       TEXT NOT NULL UNIQUE,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    data         BLOB NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE TABLE mail_outbox_attachments (
    mail_id       INTEGER NOT NULL REFERENCES mail_outbox (id) ON DELETE CASCADE,
    attachment_id INTEGER NOT NULL REFERENCES mail_attachments (id),
    position      INTEGER NOT NULL,
    PRIMARY KEY (mail_id, position)
);
CREATE INDEX mail_outbox_attachments_attachment ON mail_outbox_attachments (attachment_id);

-- A refused form comes back with what was typed: kept here for a few minutes under
-- a random id (the browser holds only the id), so a form of any size round-trips.
CREATE TABLE form_returns (
    id_hash    TEXT PRIMARY KEY NOT NULL,
    payload    TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX form_returns_expiry ON form_returns (expires_at);

-- Start-up names clashing organisation names before this runs.
CREATE UNIQUE INDEX organisations_name_ci ON organisations (lower(name));
