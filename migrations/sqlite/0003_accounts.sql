-- Accounts and access: credentials, server-side sessions, one-time tokens, the
-- sign-in attempts that rate limiting counts, and the audit log.
-- Secrets (session ids, tokens) are stored only as SHA-256 hashes.

CREATE TABLE accounts (
    person_id           INTEGER PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    -- argon2id PHC string; NULL until a password is set (sign-in links still work).
    password_hash       TEXT,
    secretariat         INTEGER NOT NULL DEFAULT 0,
    disabled_at         TEXT,
    password_changed_at TEXT,
    last_sign_in_at     TEXT,
    created_at          TEXT NOT NULL
);

CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY NOT NULL,
    person_id    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    client       TEXT,
    user_agent   TEXT
);
CREATE INDEX sessions_person ON sessions (person_id);

CREATE TABLE auth_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    -- sign_in | password
    purpose    TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX auth_tokens_person ON auth_tokens (person_id);

-- One row per counted attempt; scope is e.g. 'password:<address>' or 'client:<ip>'.
CREATE TABLE auth_attempts (
    id    INTEGER PRIMARY KEY,
    scope TEXT NOT NULL,
    at    TEXT NOT NULL
);
CREATE INDEX auth_attempts_scope ON auth_attempts (scope, at);

CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    -- NULL for anonymous requests and the command line.
    actor_person_id INTEGER,
    action          TEXT NOT NULL,
    subject_kind    TEXT,
    subject_id      INTEGER,
    detail          TEXT,
    client          TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_subject ON audit_log (subject_kind, subject_id);

-- Append-only: rows are never deleted; erasure may only blank the personal data in them.
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_rewrite BEFORE UPDATE OF id, at, actor_person_id, action, subject_kind, subject_id ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE INDEX event_roles_person ON event_roles (person_id);
