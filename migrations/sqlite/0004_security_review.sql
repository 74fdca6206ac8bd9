-- The security review (issue 8): erased people marked by a column, addresses unique
-- regardless of case, mail tied to its recipient and holding personal links only
-- until delivery, audit entries that count repeats, and a durable job table.

-- Erased people: a column, not an address pattern.
ALTER TABLE people ADD COLUMN erased_at TEXT;
UPDATE people SET erased_at = updated_at WHERE email LIKE '%@erased.invalid';

-- Alice@x and alice@x are one address. Start-up checks for clashes before this runs
-- and names them (it never merges people by itself).
CREATE UNIQUE INDEX people_email_ci ON people (lower(email));

-- Mail belongs to a person (erasure follows the id, not the address of the day).
ALTER TABLE mail_outbox ADD COLUMN person_id INTEGER REFERENCES people (id) ON DELETE SET NULL;
UPDATE mail_outbox SET person_id = (
    SELECT p.id FROM people p WHERE lower(p.email) = lower(mail_outbox.recipient_email)
);
CREATE INDEX mail_outbox_person ON mail_outbox (person_id);

-- A personal link's token waits here until delivery puts it into the message; the
-- stored body holds a placeholder. Cleared once sent, failed or expired.
ALTER TABLE mail_outbox ADD COLUMN secret TEXT;
ALTER TABLE mail_outbox ADD COLUMN secret_expires_at TEXT;

-- Stored link mails written before this change hold live tokens: drop their bodies
-- and the tokens that are still unused (people ask for a new link).
UPDATE mail_outbox
SET body_text = '(This message carried a personal link; its text was removed.)',
    body_html = '<p>(This message carried a personal link; its text was removed.)</p>',
    status = CASE WHEN status = 'sent' THEN 'sent' ELSE 'failed' END,
    last_error = CASE WHEN status = 'sent' THEN last_error ELSE 'withdrawn: sign-in links are no longer stored' END
WHERE kind IN ('sign_in_link', 'password_link');
DELETE FROM auth_tokens WHERE used_at IS NULL;

-- Repeated refusals from one client are one entry with a count.
ALTER TABLE audit_log ADD COLUMN occurrences INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN last_at TEXT;
CREATE INDEX audit_log_action_client ON audit_log (action, client);

-- Work that runs later or in the background, done once across every process.
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    -- JSON; emptied once the job is done, so it keeps no personal data.
    payload      TEXT NOT NULL,
    -- The person the job is about, when known (erasure removes their jobs).
    person_id    INTEGER REFERENCES people (id) ON DELETE CASCADE,
    dedupe_key   TEXT UNIQUE,
    -- queued | running | done | failed
    status       TEXT NOT NULL,
    due_at       TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    last_error   TEXT,
    created_at   TEXT NOT NULL,
    done_at      TEXT
);
CREATE INDEX jobs_due ON jobs (status, due_at);
CREATE INDEX jobs_person ON jobs (person_id);
